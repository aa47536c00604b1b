import xml.etree.ElementTree as ET

import pytest

from statements.models import Article, Speaker, Statement
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def cast():
    return make_cast()


def entries(response):
    root = ET.fromstring(response.content)
    return root, root.findall(f"{ATOM}entry")


def test_the_speaker_feed_lists_their_statements_newest_first(client, cast):
    r = client.get("/speakers/keir-starmer/feed/")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/atom+xml")
    root, items = entries(r)
    assert root.find(f"{ATOM}title").text == "Who Said What: Keir Starmer"
    assert [e.find(f"{ATOM}title").text for e in items] == [
        "Keir Starmer: a trade deal was close",
        "Keir Starmer: “Europe must step up and send troops”",
    ]
    link = items[0].find(f"{ATOM}link").get("href")
    assert link == f"http://testserver/statements/{cast.deal.pk}/"
    assert items[0].find(f"{ATOM}published").text.startswith("2025-03-03")


def test_the_topic_feed_lists_statements_on_it(client, cast):
    root, items = entries(client.get("/topics/trade/feed/"))
    assert root.find(f"{ATOM}title").text == "Who Said What: Trade"
    assert len(items) == 2


def test_feeds_404_for_unknown_slugs(client, cast):
    assert client.get("/speakers/nobody/feed/").status_code == 404
    assert client.get("/topics/nothing/feed/").status_code == 404


def titles(response):
    return [e.find(f"{ATOM}title").text for e in entries(response)[1]]


def test_any_filter_of_the_statements_page_has_a_feed(client, cast):
    r = client.get("/feed/?country=fr")
    assert r.status_code == 200
    assert r["Content-Type"].startswith("application/atom+xml")
    root, items = entries(r)
    assert root.find(f"{ATOM}title").text == "Who Said What: France"
    assert titles(r) == [
        "Emmanuel Macron: “Tariffs hurt everyone”",
        "Emmanuel Macron: Europe would spend more on defence",
    ]
    alternate = root.find(f"{ATOM}link[@rel='alternate']").get("href")
    assert alternate == "http://testserver/?country=fr"


def test_a_search_has_a_feed(client, cast):
    r = client.get("/feed/?q=troops")
    assert titles(r) == ["Keir Starmer: “Europe must step up and send troops”"]
    assert entries(r)[0].find(f"{ATOM}title").text == "Who Said What: “troops”"


def test_filters_combine_in_a_feed(client, cast):
    r = client.get("/feed/?speaker=keir-starmer&topic=trade")
    assert titles(r) == ["Keir Starmer: a trade deal was close"]
    r = client.get("/feed/?country=gb&country=de&kind=reported")
    assert titles(r) == [
        "Keir Starmer: a trade deal was close",
        "Olaf Scholz: the debate about peacekeepers was premature",
    ]


def test_a_speaker_feed_takes_the_filters_of_their_page(client, cast):
    r = client.get("/speakers/keir-starmer/feed/?q=troops")
    assert titles(r) == ["Keir Starmer: “Europe must step up and send troops”"]
    assert entries(r)[0].find(f"{ATOM}title").text == (
        "Who Said What: Keir Starmer, “troops”"
    )


def test_a_country_has_a_feed(client, cast):
    r = client.get("/countries/germany/feed/")
    assert r.status_code == 200
    assert titles(r) == ["Olaf Scholz: the debate about peacekeepers was premature"]


def test_the_feed_is_the_unfiltered_list_without_filters(client, cast):
    r = client.get("/feed/")
    assert len(entries(r)[1]) == 5
    assert entries(r)[0].find(f"{ATOM}title").text == "Who Said What: all statements"


def test_a_bad_filter_gets_a_400_naming_the_parameter(client, cast):
    r = client.get("/feed/?country=zz")
    assert r.status_code == 400
    assert "“zz”" in r.content.decode()
    assert client.get("/speakers/keir-starmer/feed/?since=soon").status_code == 400


def test_the_summary_keeps_the_opening_quotation_mark_of_a_direct_quote(client, cast):
    root, items = entries(client.get("/speakers/keir-starmer/feed/?kind=direct"))
    summary = items[0].find(f"{ATOM}summary").text
    assert summary.startswith("“Europe must step up and send troops”")
    assert "Keir Starmer" in summary
    assert "The Example: Starmer calls for US backstop" in summary


def test_summaries_are_plain_text_so_markup_in_a_quote_never_runs(client, cast):
    Statement.objects.filter(pk=cast.tariffs.pk).update(
        text="<svg onload=alert(1)> & <b>bold</b>"
    )
    r = client.get("/feed/?country=fr&kind=direct")
    raw = r.content.decode()
    assert "<svg" not in raw
    assert "&lt;svg onload=alert(1)&gt;" in raw
    summary = entries(r)[1][0].find(f"{ATOM}summary")
    assert summary.get("type") == "text"
    assert summary.text.startswith("“<svg onload=alert(1)> & <b>bold</b>”")
    assert 'type="html"' not in raw


@pytest.mark.parametrize("char", ["\x1b", "\x07", "\x0b", "\x0c", "\ufffe"])
def test_a_control_character_in_stored_text_never_breaks_a_feed(client, cast, char):
    Statement.objects.filter(pk=cast.troops.pk).update(
        text=f"Europe must{char} step up"
    )
    Speaker.objects.filter(pk=cast.starmer.pk).update(name=f"Keir{char} Starmer")
    Article.objects.filter(pk=cast.paris.pk).update(
        title=f"Paris{char} summit", outlet=f"The{char} Example"
    )
    for url in (
        "/feed/",
        "/speakers/keir-starmer/feed/",
        "/topics/defence/feed/",
        "/countries/united-kingdom/feed/",
        f"/feed/?q=step{char}",
    ):
        r = client.get(url)
        assert r.status_code == 200, url
        root, items = entries(r)  # well-formed XML
        assert char not in r.content.decode()
    titles_ = titles(client.get("/speakers/keir-starmer/feed/"))
    assert "Keir Starmer: “Europe must step up”" in titles_
