import re

import pytest

from statements.models import Speaker, SpeakerAlias
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_matches_the_start_of_any_word_of_the_name(client, cast):
    r = client.get("/speakers/autocomplete/?q=sch&format=json")
    assert [s["name"] for s in r.json()["results"]] == ["Olaf Scholz"]
    r = client.get("/speakers/autocomplete/?q=olz&format=json")
    assert r.json()["results"] == []


def test_every_word_of_the_query_must_match(client, cast):
    r = client.get("/speakers/autocomplete/?q=keir+star&format=json")
    assert [s["name"] for s in r.json()["results"]] == ["Keir Starmer"]
    r = client.get("/speakers/autocomplete/?q=keir+scholz&format=json")
    assert r.json()["results"] == []


def test_the_most_quoted_comes_first(client, cast):
    """A surname shared by a rarely quoted speaker and a much quoted one: the much
    quoted one first, whatever the alphabet says."""
    Speaker.objects.create(name="Aaron Starmer")
    r = client.get("/speakers/autocomplete/?q=starmer&format=json")
    results = r.json()["results"]
    assert [s["name"] for s in results] == ["Keir Starmer", "Aaron Starmer"]
    assert [s["statements"] for s in results] == [2, 0]


def test_each_entry_shows_kind_country_current_office_and_count(client, cast):
    [entry] = client.get("/speakers/autocomplete/?q=keir&format=json").json()["results"]
    assert entry["kind"] == "person"
    assert entry["country"] == "GB"
    assert entry["office"] == "Prime Minister"  # not the office he left in 2024
    assert entry["statements"] == 2
    html = client.get("/speakers/autocomplete/?q=keir").content.decode()
    assert "Person · United Kingdom · Prime Minister · 2 statements" in html


def test_groups_are_not_leaders(client, cast):
    Speaker.objects.create(name="Starmer aides", kind=Speaker.Kind.GROUP)
    r = client.get("/speakers/autocomplete/?q=starmer&format=json")
    assert [s["name"] for s in r.json()["results"]] == ["Keir Starmer"]


def test_the_list_pages_beyond_ten(client, cast):
    for i in range(12):
        Speaker.objects.create(name=f"Jane Roe{chr(97 + i)} Example")
    first = client.get("/speakers/autocomplete/?q=example&format=json").json()
    assert len(first["results"]) == 10
    assert first["next"] == "?q=example&page=2"
    second = client.get("/speakers/autocomplete/?q=example&page=2&format=json").json()
    assert len(second["results"]) == 2
    assert second["next"] is None
    names = {s["name"] for s in first["results"]} | {
        s["name"] for s in second["results"]
    }
    assert len(names) == 12
    html = client.get("/speakers/autocomplete/?q=example").content.decode()
    assert 'href="/speakers/autocomplete/?q=example&amp;page=2"' in html


def test_a_bad_page_number_is_a_400(client, cast):
    r = client.get("/speakers/autocomplete/?q=keir&page=x")
    assert r.status_code == 400


def test_it_matches_aliases(client, cast):
    SpeakerAlias.objects.create(speaker=cast.starmer, alias="The UK Prime Minister")
    r = client.get("/speakers/autocomplete/?q=prime&format=json")
    assert [s["slug"] for s in r.json()["results"]] == ["keir-starmer"]


def test_the_leader_box_gets_options_that_add_the_filter(client, cast):
    r = client.get("/speakers/autocomplete/?q=keir", HTTP_HX_REQUEST="true")
    html = r.content.decode()
    assert 'role="option"' in html
    assert 'data-value="keir-starmer"' in html
    assert "United Kingdom" in html
    assert "<html" not in html
    assert "<button" not in html  # nothing focusable inside an option


def test_the_leader_box_opened_before_typing_offers_the_most_quoted(client, cast):
    html = client.get(
        "/speakers/autocomplete/", HTTP_HX_REQUEST="true"
    ).content.decode()
    values = re.findall(r'data-value="([^"]+)"', html)
    assert values[:2] == ["keir-starmer", "emmanuel-macron"]


def test_without_javascript_it_is_a_page_of_links(client, cast):
    html = client.get("/speakers/autocomplete/?q=keir").content.decode()
    assert "<html" in html
    assert 'href="/speakers/keir-starmer/"' in html


def test_it_says_when_nothing_matches(client, cast):
    html = client.get("/speakers/autocomplete/?q=zzz").content.decode()
    assert "No speaker matches “zzz”" in html


def test_before_a_search_the_page_lists_the_most_quoted(client, cast):
    html = client.get("/speakers/autocomplete/").content.decode()
    assert "Most quoted" in html
    assert html.index("Keir Starmer") < html.index("Olaf Scholz")


def test_the_most_quoted_show_their_kind_country_and_office(client, cast):
    html = client.get("/speakers/autocomplete/").content.decode()
    section = html[html.index("Most quoted") :]
    entry = re.sub(r"\s+", " ", section[section.index("Keir Starmer") :])
    assert entry.startswith(
        'Keir Starmer</span> <span class="entry__meta muted">Person · United Kingdom · Prime Minister ·'
    )
