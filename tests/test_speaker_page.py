import pytest
from django.core.cache import cache
from django.test import override_settings

from statements import corrections
from statements.models import Speaker
from tests.browse_cast import count_queries, make_cast, texts

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_shows_the_speaker(client, cast):
    r = client.get("/speakers/keir-starmer/")
    assert r.status_code == 200
    html = r.content.decode()
    assert '<h1 class="page-title">Keir Starmer</h1>' in html
    assert "United Kingdom" in html
    assert "Prime Minister" in html and "Leader of the Opposition" in html
    assert "Jul 2024" in html
    assert texts(r) == [cast.deal.text, cast.troops.text]


def test_it_lists_the_topics_they_speak_on(client, cast):
    r = client.get("/speakers/keir-starmer/")
    topics = {t.slug: n for t, n in r.context["summary"].topics}
    assert topics == {"trade": 1, "defence": 1, "ukraine": 1}
    assert 'href="?topic=trade"' in r.content.decode()


def test_it_searches_within_their_statements(client, cast):
    r = client.get("/speakers/keir-starmer/?q=troops")
    assert texts(r) == [cast.troops.text]
    assert "<mark>troops</mark>" in r.content.decode()
    assert texts(client.get("/speakers/keir-starmer/?q=tariffs")) == []


def test_it_filters_within_their_statements(client, cast):
    assert texts(client.get("/speakers/keir-starmer/?topic=trade")) == [cast.deal.text]


def test_it_ignores_a_speaker_parameter(client, cast):
    r = client.get("/speakers/keir-starmer/?speaker=emmanuel-macron")
    assert texts(r) == [cast.deal.text, cast.troops.text]


def test_htmx_gets_the_results_partial(client, cast):
    r = client.get("/speakers/keir-starmer/?q=troops", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert html.lstrip().startswith('<div id="results"')
    assert "<h1" not in html


def test_it_rejects_bad_values(client, cast):
    r = client.get("/speakers/keir-starmer/?since=soon")
    assert r.status_code == 400
    assert "“since” must be a date" in r.content.decode()


def test_it_404s_for_an_unknown_speaker(client, cast):
    assert client.get("/speakers/nobody/").status_code == 404


def test_a_merged_speaker_redirects(client, cast):
    twin = Speaker.objects.create(name="K. Starmer", merged_into=cast.starmer)
    r = client.get(f"/speakers/{twin.slug}/")
    assert r.status_code == 302
    assert r["Location"] == "/speakers/keir-starmer/"


def test_it_links_the_feed(client, cast):
    html = client.get("/speakers/keir-starmer/").content.decode()
    assert 'href="/speakers/keir-starmer/feed/"' in html


@pytest.mark.parametrize(
    "url",
    [
        "/speakers/keir-starmer/",
        "/speakers/keir-starmer/?kind=direct&kind=reported&since=2025-01-01",
    ],
)
def test_it_runs_the_same_number_of_queries_whatever_the_page_size(
    client, cast, url, django_assert_num_queries
):
    one_a_page = count_queries(client, url, 1)
    cache.clear()
    with (
        override_settings(STATEMENTS_PER_PAGE=50),
        django_assert_num_queries(one_a_page),
    ):
        assert len(client.get(url).context["page"]) == 2


@pytest.mark.parametrize(
    "query", ["until=9999-12-31", "until=0001-01-01", "since=9999-12-02"]
)
@pytest.mark.parametrize("htmx", [False, True])
def test_it_refuses_a_date_outside_the_sane_range(client, cast, query, htmx):
    headers = {"HX-Request": "true"} if htmx else {}
    r = client.get("/speakers/keir-starmer/?" + query, headers=headers)
    assert r.status_code == 400
    assert "must be a date from 1800-01-01 to 2199-12-31" in r.content.decode()


def test_a_page_number_in_superscript_gets_a_400(client, cast):
    r = client.get("/speakers/keir-starmer/?q=x&sort=relevance&page=²")
    assert r.status_code == 400
    assert "“page” must be a whole number" in r.content.decode()


def test_it_lists_the_other_ways_the_name_is_written_but_not_the_name(client, cast):
    starmer = Speaker.objects.get(slug="keir-starmer")
    corrections.add_aliases(starmer, ["Keir Starmer", "Sir Keir Starmer"])
    html = client.get("/speakers/keir-starmer/").content.decode()
    assert "Also written as: Sir Keir Starmer</p>" in html


def test_a_country_only_guessed_from_an_article_says_so(client, cast):
    keir = Speaker.objects.get(slug="keir-starmer")
    note = "no article states it"
    assert note not in client.get("/speakers/keir-starmer/").content.decode()
    Speaker.objects.filter(pk=keir.pk).update(country_basis="article")
    cache.clear()
    assert note in client.get("/speakers/keir-starmer/").content.decode()
