import re

import pytest

from statements.models import Statement
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


def test_it_shows_the_text_with_each_statement_marked_and_linked(client, cast):
    r = client.get(f"/articles/{cast.paris.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Starmer calls for US backstop" in html
    assert "Keir Starmer has called for a US backstop." in html
    assert (
        f'<a class="said said--direct" id="s{cast.troops.pk}" '
        f'href="/statements/{cast.troops.pk}/"'
    ) in html
    assert (
        'Europe must step up and send troops<span class="said__who">Keir Starmer</span>'
        in html
    )
    assert 'href="https://news.example/paris"' in html


def test_it_lists_who_said_what_with_positions(client, cast):
    html = client.get(f"/articles/{cast.paris.pk}/").content.decode()
    assert "Olaf Scholz" in html and "Chancellor" in html


def test_it_escapes_the_text(client, cast):
    cast.talks.text = "<script>alert(1)</script>\n" + cast.talks.text
    cast.talks.save()
    Statement.objects.filter(article=cast.talks).delete()
    html = client.get(f"/articles/{cast.talks.pk}/").content.decode()
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;" in html


def test_it_404s_for_an_unknown_article(client, cast):
    assert client.get("/articles/999999/").status_code == 404


def test_it_says_when_no_source_link_was_recorded(client, cast):
    html = client.get(f"/articles/{cast.paris.pk}/").content.decode()
    assert "Read the original" in html
    assert "No source link recorded" not in html
    cast.paris.url = None
    cast.paris.save()
    html = client.get(f"/articles/{cast.paris.pk}/").content.decode()
    assert "No source link recorded" in html
    assert "Read the original" not in html


def test_its_list_numbers_every_statement_in_full(client, cast):
    html = client.get(f"/articles/{cast.paris.pk}/").content.decode()
    numbers = re.findall(
        r'<span class="numbered__n" aria-hidden="true">(\d+)\.</span>', html
    )
    assert numbers == ["1", "2", "3"]
