import io

import pytest
from django.core.management import call_command

from statements.models import Article, Speaker, Statement
from tests.users import staff_user

TEXT = (
    "Keir Starmer said on Monday that Europe must spend more on defence. "
    "Olaf Scholz said the debate about troops was premature."
)


@pytest.fixture
def alice(db):
    """Staff, and may change articles and statements."""
    return staff_user(
        "alice", "view_article", "change_article", "view_statement", "change_statement"
    )


@pytest.fixture
def bob(db):
    """Staff, but may only look at articles and statements."""
    return staff_user("bob", "view_article", "view_statement")


@pytest.fixture
def article(db, tmp_path):
    path = tmp_path / "a.txt"
    path.write_text(
        "Title: Paris talks\nURL: https://example.com/paris?a=1&b=2\n\n" + TEXT,
        encoding="utf-8",
    )
    call_command("import_articles", str(path), stdout=io.StringIO())
    return Article.objects.get()


def test_the_article_page_lists_its_statements_with_links(client, alice, article):
    client.force_login(alice)
    r = client.get(f"/admin/statements/article/{article.pk}/change/")
    assert r.status_code == 200
    body = r.content.decode()
    for st in article.statements.all():
        assert f"/admin/statements/statement/{st.pk}/change/" in body
    keir = Speaker.objects.get(name="Keir Starmer")
    assert f"/admin/statements/speaker/{keir.pk}/change/" in body


def test_the_article_links_to_its_source(client, alice, article):
    client.force_login(alice)
    body = client.get(
        f"/admin/statements/article/{article.pk}/change/"
    ).content.decode()
    assert 'href="https://example.com/paris?a=1&amp;b=2"' in body
    listing = client.get("/admin/statements/article/").content.decode()
    assert 'href="https://example.com/paris?a=1&amp;b=2"' in listing


def test_the_article_text_cannot_be_edited_as_statements_point_into_it(
    client, alice, article
):
    client.force_login(alice)
    r = client.post(
        f"/admin/statements/article/{article.pk}/change/",
        {
            "title": "Paris talks, updated",
            "url": article.url,
            "outlet": "Wire",
            "published": "2025-02-18",
            "text": "Something else entirely.",
            "statements-TOTAL_FORMS": "0",
            "statements-INITIAL_FORMS": "0",
            "_save": "Save",
        },
    )
    assert r.status_code == 302
    article.refresh_from_db()
    assert article.title == "Paris talks, updated"
    assert article.text == TEXT
    # The statements follow the article's new date.
    assert {str(d) for d in article.statements.values_list("published", flat=True)} == {
        "2025-02-18"
    }


def test_the_reextract_action_keeps_reviewed_statements(client, alice, article):
    first, second = article.statements.order_by("start")
    first.review_status = "verified"
    first.save()
    client.force_login(alice)
    r = client.post(
        "/admin/statements/article/",
        {"action": "reextract", "_selected_action": [article.pk]},
        follow=True,
    )
    assert "Re-extracted 1 article(s)" in r.content.decode()
    assert Statement.objects.filter(pk=first.pk, review_status="verified").exists()
    assert not Statement.objects.filter(pk=second.pk).exists()
    assert article.statements.count() == 2


def test_a_user_who_may_only_look_cannot_reextract(client, bob, article):
    ids = set(article.statements.values_list("pk", flat=True))
    client.force_login(bob)
    r = client.get("/admin/statements/article/")
    assert r.status_code == 200
    assert b'value="reextract"' not in r.content
    client.post(
        "/admin/statements/article/",
        {"action": "reextract", "_selected_action": [article.pk]},
    )
    assert set(article.statements.values_list("pk", flat=True)) == ids
