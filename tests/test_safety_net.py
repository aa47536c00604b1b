"""statements/signals.py: saves made by hand in the shell keep the copies and counts."""

import datetime

import pytest

from statements import counting
from statements.models import Article, Country, Speaker, Statement, Topic

pytestmark = pytest.mark.django_db


@pytest.fixture
def statement():
    speaker = Speaker.objects.create(name="Ann Smith")
    article = Article.objects.create(
        text="Ann Smith said yes.",
        content_hash="x",
        published=datetime.date(2024, 1, 2),
    )
    return Statement.objects.create(
        article=article, speaker=speaker, kind="indirect", text="yes", start=15, end=18
    )


def grains():
    return {
        counting.table(g): sorted(
            g.objects.order_by().values_list(*counting.dims(g), "n"), key=repr
        )
        for g in counting.GRAINS
    }


def test_a_statement_saved_by_hand_copies_the_article_date_and_speaker_country(
    statement,
):
    assert statement.published == datetime.date(2024, 1, 2)
    assert statement.country is None


def test_an_article_date_changed_by_hand_reaches_its_statements(statement):
    statement.article.published = datetime.date(2025, 3, 4)
    statement.article.save()
    statement.refresh_from_db()
    assert statement.published == datetime.date(2025, 3, 4)


def test_a_speaker_country_changed_by_hand_reaches_their_statements(statement):
    speaker = statement.speaker
    speaker.country = Country.objects.get(code="DE")
    speaker.save()
    statement.refresh_from_db()
    assert statement.country.code == "DE"
    speaker.country = None
    speaker.save()
    statement.refresh_from_db()
    assert statement.country is None


def test_every_count_still_equals_a_full_recount_after_saves_by_hand(statement):
    de = Country.objects.get(code="DE")
    other = Speaker.objects.create(name="Bea Jones", country=de)
    topic = Topic.objects.create(name="Health", slug="health")
    second = Statement.objects.create(
        article=statement.article,
        speaker=other,
        kind="direct",
        text="no",
        start=0,
        end=2,
    )
    statement.speaker = other
    statement.save()
    second.topics.add(topic)
    topic.statements.add(statement)
    second.review_status = "rejected"
    second.save()
    statement.article.published = datetime.date(2023, 6, 6)
    statement.article.save()
    other.country = None
    other.save()
    topic.statements.clear()
    second.delete()
    other.delete()
    kept = grains()

    counting.rebuild()
    assert grains() == kept
    statement.refresh_from_db()
    assert statement.speaker is None and statement.country is None
