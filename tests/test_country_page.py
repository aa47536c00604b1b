import pytest

from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_shows_statements_by_the_countrys_speakers(client, cast):
    r = client.get("/countries/france/")
    assert r.status_code == 200
    assert [s.text for s in r.context["page"]] == [cast.tariffs.text, cast.spend.text]
    assert '<h1 class="page-title">France</h1>' in r.content.decode()
    assert [(s.slug, n) for s, n in r.context["summary"].speakers] == [
        ("emmanuel-macron", 2)
    ]


def test_it_searches_within(client, cast):
    r = client.get("/countries/france/?q=tariffs")
    assert [s.text for s in r.context["page"]] == [cast.tariffs.text]


def test_it_404s_for_an_unknown_country(client, cast):
    assert client.get("/countries/atlantis/").status_code == 404


@pytest.mark.parametrize(
    "query", ["until=9999-12-31", "until=0001-01-01", "since=9999-12-02"]
)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_refuses_a_date_outside_the_sane_range(client, cast, query, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    r = client.get("/countries/france/?" + query, headers=headers)
    assert r.status_code == 400
    assert "must be a date from 1800-01-01 to 2199-12-31" in r.content.decode()


def test_a_page_number_in_superscript_gets_a_400(client, cast):
    r = client.get("/countries/france/?q=x&sort=relevance&page=²")
    assert r.status_code == 400
    assert "“page” must be a whole number" in r.content.decode()
