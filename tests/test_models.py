import datetime

import pytest

from statements.models import (
    Article,
    Country,
    Speaker,
    SpeakerAlias,
    Statement,
    text_in_context,
)

TEXT = "First one. Second one said “hello.” Third one. Fourth one."


def test_the_context_is_the_sentence_either_side():
    start = TEXT.index("hello")
    before, quote, after = text_in_context(TEXT, start, start + 5)
    assert before == "First one. Second one said “"
    assert quote == "hello"
    assert after == ".” Third one. "


def test_the_context_stops_at_the_start_and_end_of_the_text():
    before, quote, after = text_in_context(TEXT, 0, 9)
    assert before == ""
    assert quote == "First one"
    assert after == ". Second one said “hello.” "
    before, _, after = text_in_context(TEXT, TEXT.index("Fourth"), len(TEXT))
    assert before == "Third one. "
    assert after == ""


def test_the_context_treats_paragraphs_as_sentence_ends():
    text = "Headline\nShe said no.\nNext paragraph"
    start = text.index("no")
    before, _, after = text_in_context(text, start, start + 2)
    assert before == "Headline\nShe said "
    assert after == ".\nNext paragraph"


@pytest.fixture
def statement(db):
    speaker = Speaker.objects.create(name="Ann Smith")
    article = Article.objects.create(
        text="Ann Smith said yes.",
        content_hash="x",
        published=datetime.date(2024, 1, 2),
    )
    return Statement.objects.create(
        article=article, speaker=speaker, kind="indirect", text="yes", start=15, end=18
    )


def test_a_statement_copies_the_article_date_and_speaker_country(statement):
    assert statement.published == datetime.date(2024, 1, 2)
    assert statement.country is None


def test_changing_an_article_date_updates_its_statements(statement):
    article = statement.article
    article.published = datetime.date(2025, 3, 4)
    article.save()
    statement.refresh_from_db()
    assert statement.published == datetime.date(2025, 3, 4)


def test_changing_a_speaker_country_updates_their_statements(statement):
    speaker = statement.speaker
    speaker.country = Country.objects.get(code="DE")
    speaker.save()
    statement.refresh_from_db()
    assert statement.country.code == "DE"
    speaker.country = None
    speaker.save()
    statement.refresh_from_db()
    assert statement.country is None


def test_a_speaker_gets_a_unique_slug(db):
    a = Speaker.objects.create(name="Ann Smith")
    b = Speaker.objects.create(name="Ann Smith")
    assert a.slug == "ann-smith"
    assert b.slug == "ann-smith-2"


def test_an_alias_is_stored_normalised(db):
    speaker = Speaker.objects.create(name="Keir Starmer")
    alias = SpeakerAlias.objects.create(
        speaker=speaker, alias="The UK Prime Minister’s"
    )
    assert alias.normalised == "uk prime minister"


def test_learning_an_alias_moves_it_to_the_new_speaker(db):
    a = Speaker.objects.create(name="Ann Smith")
    b = Speaker.objects.create(name="Bea Smith")
    SpeakerAlias.objects.create(speaker=a, alias="Smith")
    SpeakerAlias.learn("smith", b)
    alias = SpeakerAlias.objects.get(normalised="smith")
    assert alias.speaker == b
    assert alias.learnt_from_correction


def test_merging_into_itself_or_a_merged_speaker_is_refused(statement):
    speaker = statement.speaker
    other = Speaker.objects.create(name="Other")
    gone = Speaker.objects.create(name="Gone", merged_into=other)
    with pytest.raises(ValueError):
        speaker.merge_into(speaker)
    with pytest.raises(ValueError):
        speaker.merge_into(gone)


def test_merging_points_earlier_merges_at_the_new_target(statement):
    a = statement.speaker
    b = Speaker.objects.create(name="Ann B. Smith")
    c = Speaker.objects.create(name="A. Smith", merged_into=a)
    a.merge_into(b)
    c.refresh_from_db()
    assert c.merged_into == b
    assert SpeakerAlias.objects.get(normalised="ann smith").speaker == b
