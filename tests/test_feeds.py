import xml.etree.ElementTree as ET

import pytest

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
