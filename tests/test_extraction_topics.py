"""Topics: weighted key phrases matched on lemmas, 0-3 major topics per statement, most
relevant first, from the statement and its sentence; subtopics beside them."""

import json

import pytest
from django.conf import settings

from statements.extraction import Extractor
from statements.extraction.topics import (
    format_phrase,
    load_topics,
    parse_phrase,
    topics_of_spans,
)

from .extraction_helpers import find, statements

# One short invented statement per major topic of seeds/topics.json.
ONE_PER_TOPIC = [
    (
        "economy",
        "Finance minister Oskar Velt said inflation and the budget deficit were "
        "the biggest risks to growth.",
    ),
    (
        "civil-rights",
        "Senator Lina Marsh said the ruling was a victory against discrimination "
        "and for same-sex couples.",
    ),
    (
        "health",
        "Dr Ilse Krona said hospitals needed more nurses to cut the waiting lists "
        "for patients.",
    ),
    (
        "agriculture",
        "Pieter Holm said the drought had ruined the wheat harvest for thousands "
        "of farmers.",
    ),
    (
        "labour",
        "Greta Lund said the strike would go on until the workers got a fair wage.",
    ),
    ("education", "Tomas Brink said every school would hire more teachers next year."),
    (
        "environment",
        "Ada Quell said carbon emissions must fall to slow global warming.",
    ),
    (
        "energy",
        "Nadia Rusk said the new pipeline would bring cheaper natural gas to "
        "power stations.",
    ),
    (
        "immigration",
        "Governor Elio Marr said asylum seekers crossing the border would wait "
        "for their visas in new centres.",
    ),
    (
        "transport",
        "Ola Berg said the rail line and the new highway would open in May.",
    ),
    (
        "crime-justice",
        "Police chief Sven Adler said the gang members had been arrested and "
        "charged with murder.",
    ),
    (
        "social-welfare",
        "Kira Dahl said welfare benefits and food stamps would rise to fight "
        "child poverty.",
    ),
    (
        "housing",
        "Ruth Ekman said rents had doubled and the city would build affordable "
        "housing.",
    ),
    (
        "business-finance",
        "Hugo Lind said the banks and their shareholders would gain from the merger.",
    ),
    (
        "defence",
        "Iva Storm said the army would deploy more troops and tanks to the north.",
    ),
    (
        "technology",
        "Lars Fenn said hackers had broken into the servers in a cyberattack.",
    ),
    (
        "trade",
        "Petra Voss said the new tariffs on steel imports would hurt exporters.",
    ),
    (
        "international-affairs",
        "Anton Grev said the ambassadors would meet at the summit to discuss "
        "sanctions.",
    ),
    (
        "government",
        "Maja Holt said parliament would vote on the bill after the committee hearing.",
    ),
    (
        "elections",
        "Rosa Vik said the polls showed her campaign winning over voters before "
        "the election.",
    ),
    (
        "culture-media",
        "Jonas Alm said the newspaper's journalists would keep reporting on the "
        "football club.",
    ),
]


def test_the_topic_file_has_the_21_major_topics_each_with_a_test_text():
    topics = load_topics(settings.BASE_DIR / "seeds" / "topics.json")
    majors = {t["slug"] for t in topics if t["parent"] is None}
    assert len(majors) == 21
    assert majors == {slug for slug, _ in ONE_PER_TOPIC}


def test_the_seeds_six_topics_are_subtopics_under_their_major_topics():
    topics = {
        t["slug"]: t for t in load_topics(settings.BASE_DIR / "seeds" / "topics.json")
    }
    assert topics["sanctions"]["parent"] == "international-affairs"
    assert topics["peace-talks-ceasefire"]["parent"] == "international-affairs"
    assert topics["security-guarantees"]["parent"] == "international-affairs"
    assert topics["defence-spending"]["parent"] == "defence"
    assert topics["peacekeeping-forces"]["parent"] == "defence"
    assert topics["nato"]["parent"] == "defence"


@pytest.mark.parametrize("slug, text", ONE_PER_TOPIC, ids=[s for s, _ in ONE_PER_TOPIC])
def test_a_statement_on_each_topic_gets_that_topic_first(slug, text):
    (statement,) = statements(text)
    assert statement.topics[0] == slug


def test_it_prints_major_topics_and_subtopics_apart():
    s = find(
        statements("Anna Berg said the sanctions would stay until the ceasefire."),
        "sanctions",
    )
    assert s.topics == ["international-affairs"]
    assert set(s.subtopics) == {"sanctions", "peace-talks-ceasefire"}


def test_a_remark_about_nothing_gets_no_topic():
    assert (
        find(statements("Anna Berg said she was glad to be home."), "glad").topics == []
    )


def test_a_job_of_ones_own_is_not_labour_but_jobs_are():
    assert (
        find(
            statements("Anna Berg said being a mother was the hardest job she had."),
            "mother",
        ).topics
        == []
    )
    s = find(statements("Anna Berg said the factory would create 300 jobs."), "factory")
    assert s.topics[0] == "labour"


def test_nato_is_defence_and_international_affairs():
    s = find(statements("Anna Berg said NATO must stay united and ready."), "united")
    assert set(s.topics) == {"defence", "international-affairs"}


def test_idioms_of_charge_and_armies_are_not_crime_or_defence():
    s = find(
        statements("Anna Berg said the schools must take charge of their own budgets."),
        "schools",
    )
    assert "crime-justice" not in s.topics
    s = find(
        statements("Anna Berg said an army of volunteers had cleaned the hospital."),
        "volunteers",
    )
    assert "defence" not in s.topics


def test_a_party_committee_is_elections():
    s = find(
        statements("Anna Berg said the RNC would choose the debate moderators."),
        "RNC",
    )
    assert s.topics[0] == "elections"


# The mechanism, on a small invented topic list.

TOPICS = [
    {"name": "Farming", "slug": "farming", "key_phrases": ["harvest", "field | 0.2"]},
    {
        "name": "Grain",
        "slug": "grain",
        "parent": "farming",
        "key_phrases": ["wheat", "barley | 0.2"],
    },
    {
        "name": "Weather",
        "slug": "weather",
        "key_phrases": ["storm", "rain | 0.5", "cloud | 0.2", "storm cloud | 0"],
    },
    {"name": "Money", "slug": "money", "key_phrases": ["bill", "WHO"]},
    {"name": "World", "slug": "world", "key_phrases": ["@countries | 0.5"]},
    {"name": "Sport", "slug": "sport", "key_phrases": ["match", "goal"]},
]


@pytest.fixture(scope="module")
def extractor(tmp_path_factory):
    topics = load_topics_from(TOPICS, tmp_path_factory.mktemp("topics"))
    return Extractor(model=settings.SPACY_MODEL, topics=topics)


def load_topics_from(topics, directory):
    path = directory / "topics.json"
    path.write_text(json.dumps({"topics": topics}), encoding="utf-8")
    return load_topics(path)


def topics_of(extractor, text, fragment):
    return find(extractor.extract(text).statements, fragment).topics


def test_it_matches_key_phrases_on_lemmas(extractor):
    assert topics_of(
        extractor, "Ida Rand said the harvests were late.", "harvests"
    ) == ["farming"]


def test_one_weak_phrase_alone_is_not_enough_but_two_are(extractor):
    assert topics_of(extractor, "Ida Rand said a cloud was coming.", "cloud") == []
    assert set(
        topics_of(extractor, "Ida Rand said a cloud and some rain were there.", "cloud")
    ) == {"weather"}
    assert topics_of(extractor, "Ida Rand said the field had barley.", "field") == [
        "farming"
    ]


def test_a_phrase_of_weight_0_stops_the_words_inside_it_from_counting(extractor):
    assert (
        topics_of(extractor, "Ida Rand said a storm cloud hung over it.", "hung") == []
    )
    assert topics_of(extractor, "Ida Rand said a storm hung over it.", "hung") == [
        "weather"
    ]


def test_a_subtopic_gives_its_major_topic(extractor):
    s = find(extractor.extract("Ida Rand said the wheat was ripe.").statements, "wheat")
    assert s.topics == ["farming"]
    assert s.subtopics == ["grain"]


def test_a_lower_case_word_does_not_match_a_name(extractor):
    assert topics_of(extractor, "Ida Rand said Bill Hart was late.", "late") == []
    assert topics_of(extractor, "Ida Rand said the bill was late.", "late") == ["money"]


def test_an_acronym_matches_only_as_written(extractor):
    assert topics_of(extractor, "Ida Rand said who was late.", "late") == []
    assert topics_of(extractor, "Ida Rand said the WHO was late.", "late") == ["money"]


def test_country_names_count_once_each(extractor):
    assert topics_of(
        extractor, "Ida Rand said France and Spain had agreed.", "agreed"
    ) == ["world"]
    assert topics_of(
        extractor, "Ida Rand said France and the French had agreed.", "agreed"
    ) == ["world"]


def test_a_pronoun_takes_its_topic_from_the_sentence(extractor):
    text = "Asked about the storm, Ida Rand said it was the worst in years."
    assert topics_of(extractor, text, "worst") == ["weather"]


def test_the_article_around_a_statement_does_not_decide_it(extractor):
    text = "The storm hit the coast. Ida Rand said she was proud of the volunteers."
    assert topics_of(extractor, text, "proud") == []


def test_one_phrase_elsewhere_in_the_sentence_does_not_add_a_second_topic(extractor):
    text = "Asked about the storm, Ida Rand said the harvest was ruined."
    assert topics_of(extractor, text, "ruined") == ["farming"]
    text = "Asked about the storm and the rain, Ida Rand said the harvest was ruined."
    assert topics_of(extractor, text, "ruined") == ["farming", "weather"]


def test_a_remark_with_nothing_topical_continues_the_same_speakers_statement(
    extractor,
):
    text = (
        '"The storm hit the coast hard," Ida Rand said on Monday. '
        '"We are proud of our volunteers," Ida Rand said.'
    )
    assert topics_of(extractor, text, "proud") == ["weather"]


def test_another_speakers_statement_before_does_not_count(extractor):
    text = (
        '"The storm hit the coast hard," Ida Rand said on Monday. '
        '"We are proud of our volunteers," Omar Fisk said.'
    )
    assert topics_of(extractor, text, "proud") == []


def test_a_pronoun_with_nothing_in_its_sentence_takes_the_sentence_before(extractor):
    text = "The storm hit the coast on Monday. Ida Rand said it was the worst in years."
    assert topics_of(extractor, text, "worst") == ["weather"]


def test_the_decision_or_the_move_points_back_like_a_pronoun(extractor):
    text = "The farmers sold the harvest early. Ida Rand said the decision was wise."
    assert topics_of(extractor, text, "wise") == ["farming"]


def test_without_a_pronoun_the_sentence_before_does_not_count(extractor):
    text = "The storm hit the coast on Monday. Ida Rand said Mr Holm was brave."
    assert topics_of(extractor, text, "brave") == []


def test_an_it_that_points_at_nothing_does_not_reach_back(extractor):
    text = "The storm hit the coast on Monday. Ida Rand said it was good to be home."
    assert topics_of(extractor, text, "good") == []


def located(extractor, text, fragment, country=None):
    doc = extractor.nlp(text)
    start = text.index(fragment)
    (loc,) = topics_of_spans(
        extractor.topic_matcher, doc, [(start, start + len(fragment), country)]
    )
    return loc.topics


def test_the_speakers_own_country_is_not_foreign_affairs(extractor):
    text = "Ida Rand said France had agreed."
    assert located(extractor, text, "France had agreed", country="FR") == []
    assert located(extractor, text, "France had agreed", country="ES") == ["world"]
    assert located(extractor, text, "France had agreed") == ["world"]


def test_a_plural_demonym_names_its_country(extractor):
    assert topics_of(extractor, "Ida Rand said the Italians had agreed.", "agreed") == [
        "world"
    ]


def test_many_countries_count_no_more_than_two(extractor):
    text = (
        "Ida Rand said France, Spain, Italy, Greece and Portugal had a poor wheat "
        "harvest."
    )
    topics = topics_of(extractor, text, "harvest")
    assert topics[0] == "farming"  # wheat and harvest: 2; the five countries: 1
    assert "world" in topics


def test_a_second_topic_needs_a_third_of_the_first_ones_evidence(extractor):
    # farming: harvest 1, barley 0.2, field 0.2 = 1.4; weather: rain 0.5 (0.36 of it)
    text = "Ida Rand said the barley harvest in the field was ruined by rain."
    assert topics_of(extractor, text, "ruined") == ["farming", "weather"]
    # farming 2.4 (wheat too): rain is 0.21 of it
    text = "Ida Rand said the wheat and barley harvest in the field was ruined by rain."
    assert topics_of(extractor, text, "ruined") == ["farming"]


def test_it_gives_at_most_three_topics_most_relevant_first(extractor):
    text = (
        "Ida Rand said the storm and the rain hit the wheat harvest, the match "
        "and the goal, and the bill."
    )
    topics = topics_of(extractor, text, "storm")
    assert len(topics) == 3
    assert topics[0] == "farming"  # wheat and harvest: the most evidence
    assert set(topics[1:]) <= {"weather", "sport", "money"}


# The topic file is checked.


def test_a_weight_is_written_after_a_bar():
    assert parse_phrase("budget | 0.5").weight == 0.5
    assert parse_phrase("budget").weight == 1.0
    assert format_phrase(parse_phrase("  budget   cuts |0.5")) == "budget cuts | 0.5"
    with pytest.raises(ValueError, match="number"):
        parse_phrase("budget | lots")


def test_a_subtopic_of_a_subtopic_is_refused(tmp_path):
    topics = [
        {"name": "A", "slug": "a"},
        {"name": "B", "slug": "b", "parent": "a"},
        {"name": "C", "slug": "c", "parent": "b"},
    ]
    with pytest.raises(ValueError, match="two levels only"):
        load_topics_from(topics, tmp_path)


def test_a_parent_that_is_not_a_topic_is_refused(tmp_path):
    with pytest.raises(ValueError, match="not a topic"):
        load_topics_from([{"name": "B", "slug": "b", "parent": "nowhere"}], tmp_path)
