import pytest

from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_shows_statements_on_the_topic(client, cast):
    r = client.get("/topics/ukraine/")
    assert r.status_code == 200
    assert [s.text for s in r.context["page"]] == [
        cast.premature.text,
        cast.troops.text,
    ]
    html = r.content.decode()
    assert '<h1 class="page-title">Ukraine</h1>' in html
    assert 'href="/topics/ukraine/feed/"' in html


def test_it_filters_within(client, cast):
    r = client.get("/topics/ukraine/?speaker=olaf-scholz")
    assert [s.text for s in r.context["page"]] == [cast.premature.text]


def test_it_404s_for_an_unknown_topic(client, cast):
    assert client.get("/topics/gardening/").status_code == 404
