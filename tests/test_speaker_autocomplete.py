import re

import pytest

from statements.models import SpeakerAlias
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_suggests_speakers_whose_name_starts_with_the_text_first(client, cast):
    r = client.get("/speakers/autocomplete/?q=o&format=json")
    names = [s["name"] for s in r.json()["results"]]
    assert names[0] == "Olaf Scholz"
    assert set(names) == {"Olaf Scholz", "Emmanuel Macron"}


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
