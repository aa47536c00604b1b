"""Topics from seeds/topics.json, matched on lemmas, on the statement and its sentence."""

from statements.extraction.topics import load_topics

from .extraction_helpers import find, statements


def test_it_tags_a_statement_with_the_topics_of_its_text():
    s = find(
        statements("Anna Berg said the sanctions would stay in place."), "sanctions"
    )
    assert "sanctions" in s.topics


def test_it_matches_key_phrases_on_lemmas():
    s = find(
        statements("Anna Berg said both peacekeepers and ceasefires were needed."),
        "peacekeepers",
    )
    assert "peacekeeping-forces" in s.topics
    assert "peace-talks-ceasefire" in s.topics


def test_it_takes_topics_from_the_sentence_around_the_statement():
    s = find(
        statements("Speaking about NATO, Anna Berg said the plan was sound."),
        "plan was sound",
    )
    assert "nato" in s.topics


def test_it_leaves_a_statement_without_topics_when_none_match():
    assert (
        find(statements("Anna Berg said the bakery opens at six."), "bakery").topics
        == []
    )


def test_the_topic_file_covers_the_seed_subjects(settings):
    slugs = {
        t["slug"] for t in load_topics(settings.BASE_DIR / "seeds" / "topics.json")
    }
    assert {
        "defence-spending",
        "peacekeeping-forces",
        "security-guarantees",
        "nato",
        "peace-talks-ceasefire",
        "sanctions",
    } <= slugs
