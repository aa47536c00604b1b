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
