import pytest
from django.contrib.auth.models import User

from statements.models import Statement
from tests.browse_cast import make_cast

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return make_cast()


@pytest.fixture
def alice(db):
    return User.objects.create_user("alice", password="pw", is_staff=True)


def test_it_shows_the_statement_in_context(client, cast):
    r = client.get(f"/statements/{cast.spend.pk}/")
    assert r.status_code == 200
    html = r.content.decode()
    assert "Emmanuel Macron" in html and "President" in html
    assert "Reported speech" in html
    # The paragraphs around it, with the statement marked.
    assert "“Europe must step up and send troops,” Starmer said" in html
    assert (
        '<mark class="said said--indirect">Europe would spend more on defence</mark>'
        in html
    )
    assert "Olaf Scholz warned" in html
    assert 'href="https://news.example/paris"' in html
    assert f'href="/articles/{cast.paris.pk}/#s{cast.spend.pk}"' in html


def test_it_puts_direct_quotes_in_quotation_marks(client, cast):
    html = client.get(f"/statements/{cast.tariffs.pk}/").content.decode()
    assert "“Tariffs hurt everyone”" in html


def test_staff_get_a_link_to_correct_it(client, cast, alice):
    url = f"/admin/statements/statement/{cast.spend.pk}/change/"
    assert url not in client.get(f"/statements/{cast.spend.pk}/").content.decode()
    client.force_login(alice)
    assert url in client.get(f"/statements/{cast.spend.pk}/").content.decode()


def test_a_rejected_statement_is_hidden_except_from_staff(client, cast, alice):
    cast.spend.review_status = Statement.ReviewStatus.REJECTED
    cast.spend.save()
    assert client.get(f"/statements/{cast.spend.pk}/").status_code == 404
    client.force_login(alice)
    r = client.get(f"/statements/{cast.spend.pk}/")
    assert r.status_code == 200
    assert "An editor rejected this statement" in r.content.decode()


def test_it_404s_for_an_unknown_statement(client, cast):
    assert client.get("/statements/999999/").status_code == 404


def test_the_statement_is_the_pages_level_one_heading(client, cast):
    html = client.get(f"/statements/{cast.tariffs.pk}/").content.decode()
    assert html.count("<h1") == 1
    assert '<h1 class="statement__text">“Tariffs hurt everyone”</h1>' in html


def test_it_says_when_no_source_link_was_recorded(client, cast):
    cast.paris.url = None
    cast.paris.save()
    html = client.get(f"/statements/{cast.spend.pk}/").content.decode()
    assert "No source link recorded" in html
    html = client.get(f"/statements/{cast.tariffs.pk}/").content.decode()
    assert "No source link recorded" not in html


def test_it_says_how_the_machine_attributed_it_and_with_what_confidence(client, cast):
    Statement.objects.filter(pk=cast.troops.pk).update(
        method="cue-subject:name", confidence=0.9
    )
    html = client.get(f"/statements/{cast.troops.pk}/").content.decode()
    assert (
        "Attributed by machine: the subject of the speech verb, named in full "
        "(confidence 0.90)" in html
    )
    assert "Low confidence" not in html


def test_a_low_confidence_attribution_is_marked(client, cast):
    Statement.objects.filter(pk=cast.troops.pk).update(
        method="quote-continuation:pronoun", confidence=0.3
    )
    html = client.get(f"/statements/{cast.troops.pk}/").content.decode()
    assert "Low confidence" in html
    assert "attribution--low" in html
    assert "through a pronoun" in html


def test_a_reviewed_statement_says_an_editor_reviewed_it(client, cast):
    Statement.objects.filter(pk=cast.troops.pk).update(review_status="verified")
    html = client.get(f"/statements/{cast.troops.pk}/").content.decode()
    assert "Reviewed by an editor (verified)" in html
    assert "Attributed by machine" not in html
