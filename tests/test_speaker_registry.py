"""The speaker registry: one person, one record, under their real name.

Invented people only: Jane and Eric Roe, Mara Quist, Tobias Wendel..."""

import datetime

import pytest
from django.db import transaction

from statements import corrections
from statements.extraction.types import ArticleResult, SpeakerInfo
from statements.extraction.types import Statement as Found
from statements.importing import guard
from statements.importing.speakers import SpeakerResolver
from statements.models import Article, Country, Speaker, SpeakerAlias, Statement
from statements.names import is_parseable_name, parse_name, same_person

from .counts import counts_are_exact

pytestmark = pytest.mark.django_db

_n = [0]


def import_text(text, people, resolver=None, published=None):
    """Stores an article whose statements are said by `people`, a list of
    (canonical name, mention, kind, position, country[, country stated]) or plain
    names, each saying one sentence of `text`, through corrections.add_article."""
    _n[0] += 1
    sentences = [s for s in text.split("\n") if s]
    found, infos = [], {}
    for sentence, who in zip(sentences, people, strict=True):
        if isinstance(who, str):
            who = (who, who, "person", None, None)
        name, mention, kind, position, country, *stated = who
        start = text.index(sentence)
        found.append(
            Found(
                start=start,
                end=start + len(sentence),
                text=sentence,
                kind="direct",
                cue="said",
                speaker=name,
                speaker_mention=mention,
                speaker_kind=kind,
                method="cue-subject:name",
                confidence=0.9,
                position=position,
                country=country,
            )
        )
        old = infos.get(name)
        aliases = tuple({*(old.aliases if old else ()), mention})
        infos[name] = SpeakerInfo(
            name=name,
            kind=kind,
            aliases=aliases,
            position=position or (old.position if old else None),
            country=country or (old.country if old else None),
            country_stated=bool(stated and stated[0]),
        )
    article = Article(
        text=text,
        content_hash=f"h{_n[0]}",
        url=f"https://news.example/{_n[0]}",
        published=published,
    )
    stored, statements = corrections.add_article(
        article,
        ArticleResult(found, list(infos.values())),
        resolver=resolver or SpeakerResolver(),
        topic_ids={},
    )
    return statements


def speakers_of(statements):
    return [s.speaker.name if s.speaker else None for s in statements]


# Names.


def test_a_name_is_parsed_into_given_middle_surname_and_suffix():
    parts = parse_name("Jane Q. Roe Jr.")
    assert (parts.given, parts.middle, parts.surname, parts.suffix) == (
        "Jane",
        "Q.",
        "Roe",
        "Jr.",
    )
    assert parse_name("Mara van der Quist").surname == "van der Quist"
    assert parse_name("Roe").surname == "Roe" and not parse_name("Roe").is_full


def test_middle_names_and_initials_agree_but_given_names_must_match():
    assert same_person(parse_name("Jane Q. Roe"), parse_name("Jane Roe"))
    assert same_person(parse_name("Jane Quinn Roe"), parse_name("Jane Q. Roe"))
    assert not same_person(parse_name("Eric Roe"), parse_name("Jane Roe"))
    assert not same_person(parse_name("Jane Roe Jr."), parse_name("Jane Roe"))
    assert not same_person(parse_name("Jane Quinn Roe"), parse_name("Jane Paul Roe"))


def test_a_parseable_name_has_a_given_name_and_a_surname():
    assert is_parseable_name("Jane Roe")
    for name in ["Roe", "Jr.", "jane roe", "Jane 2 Roe", "company"]:
        assert not is_parseable_name(name), name


# Saving a person stores the parts.


def test_a_new_person_is_stored_with_the_parts_of_their_name():
    s = corrections.add_speaker("Tobias K. Wendel III")
    s.refresh_from_db()
    assert (s.given_name, s.middle_names, s.surname, s.name_suffix) == (
        "Tobias",
        "K.",
        "Wendel",
        "III",
    )
    org = corrections.add_speaker("Wendel Institute", "organisation")
    assert org.surname == ""


# One person, one record.


def test_a_middle_initial_and_mr_resolve_to_one_person():
    first = import_text("Stay calm.\n", ["Jane Roe"])
    second = import_text(
        "Do more.\n", [("Jane Q. Roe", "Jane Q. Roe", "person", None, None)]
    )
    third = import_text("Wait.\n", [("Roe", "Ms. Roe", "person", None, None)])
    assert speakers_of(first + second + third) == ["Jane Roe"] * 3
    assert Speaker.objects.filter(kind="person").count() == 1
    jane = Speaker.objects.get()
    assert SpeakerAlias.objects.filter(speaker=jane, normalised="jane q. roe").exists()


def test_different_given_names_are_never_one_person():
    a = import_text("Yes.\n", ["Jane Roe"])
    b = import_text("No.\n", ["Eric Roe"])
    assert speakers_of(a + b) == ["Jane Roe", "Eric Roe"]


def test_a_suffix_is_part_of_the_name_and_never_an_alias_alone():
    a = import_text("Yes.\n", ["Jane Roe"])
    b = import_text("No.\n", [("Jane Roe Jr.", "Jr.", "person", None, None)])
    assert speakers_of(a + b) == ["Jane Roe", "Jane Roe Jr."]
    assert not SpeakerAlias.objects.filter(normalised="jr.").exists()


def test_a_bare_surname_joins_the_one_person_of_that_name():
    import_text("Yes.\n", ["Mara Quist"])
    later = import_text("No.\n", [("Quist", "Quist", "person", None, None)])
    assert speakers_of(later) == ["Mara Quist"]


def test_a_surname_cut_from_a_possible_given_name_joins_nobody_else():
    import_text("Yes.\n", ["Jane Roe"])
    # "Matt" opens the sentence and is an adjective too: the guard cuts it, but the
    # "Roe" left is not Jane Roe.
    later = import_text("Matt Roe said no.\n", ["Matt Roe"])
    assert speakers_of(later) == [None]
    # The extractor may give the bare surname itself; its mention still holds "Matt".
    mentioned = import_text(
        "Matt Roe, an aide, said no.\n",
        [("Roe", "Matt Roe, an aide", "person", None, None)],
    )
    assert speakers_of(mentioned) == [None]
    # "Though" is no given name: "Though Roe" is the one Roe known.
    again = import_text("Though Roe said yes.\n", ["Though Roe"])
    assert speakers_of(again) == ["Jane Roe"]
    titled = import_text(
        "Sen. Roe said yes.\n", [("Roe", "Sen. Roe", "person", None, None)]
    )
    assert speakers_of(titled) == ["Jane Roe"]


def test_a_bare_surname_shared_by_two_people_stays_unresolved():
    import_text("Yes.\nNo.\n", ["Jane Roe", "Eric Roe"])
    later = import_text("Maybe.\n", [("Roe", "Roe", "person", None, None)])
    assert speakers_of(later) == [None]
    assert later[0].speaker_mention == "Roe"
    assert not Speaker.objects.filter(name="Roe").exists()


def test_a_bare_surname_nobody_has_makes_no_record():
    later = import_text("Maybe.\n", [("Quist", "Quist", "person", None, None)])
    assert speakers_of(later) == [None]
    assert not Speaker.objects.exists()


def test_known_people_are_matched_first():
    known = corrections.add_speaker("Jane Roe", source="a register")
    corrections.add_speaker("Jane Roe")  # a duplicate an old import made
    statements = import_text(
        "Yes.\n", [("Jane A. Roe", "Jane A. Roe", "person", None, None)]
    )
    assert statements[0].speaker == known


def test_a_spelling_variant_is_not_merged_by_the_import():
    import_text("Yes.\n", ["Reynold Priebe"])
    later = import_text("No.\n", ["Renold Priebe"])
    assert speakers_of(later) == ["Renold Priebe"]


# Only speakers become speakers.


@pytest.mark.parametrize(
    "name,kind",
    [
        ("Saturday", "person"),
        ("Feb.", "person"),
        ("Report", "organisation"),
        ("Correction", "person"),
        ("Q", "person"),
        ("2016 9:12PMRoe", "person"),
        ("mere 9 percent", "group"),
        ("company", "organisation"),
        ("Jane MaransFlagShareLikeReplyAni Roe", "person"),
        ("Roe at the time", "person"),
        ("Pennsylvania Gov.", "person"),
        ("Roland Z", "person"),
        ("Romanian hacker", "organisation"),
        ("Fox poll", "organisation"),
        ("His campaign", "organisation"),
        ("Part of the problem in finding tunnels", "organisation"),
        ("Her advisers", "group"),
        ("insiders in two states — Ohio and Iowa", "group"),
    ],
)
def test_these_never_make_a_speaker(name, kind):
    statements = import_text("Something.\n", [(name, name, kind, None, None)])
    assert speakers_of(statements) == [None]
    assert not Speaker.objects.exists()
    assert Statement.objects.get().speaker_mention == name


@pytest.mark.parametrize(
    "name",
    ["Turkish government", "Time magazine", "al-Qaeda", "Doctors without Borders"],
)
def test_an_organisation_named_with_its_own_lower_case_words_is_kept(name):
    statements = import_text("Something.\n", [(name, name, "organisation", None, None)])
    assert speakers_of(statements) == [name]


def test_an_everyday_word_in_front_of_a_name_is_dropped():
    text = "Last year the plan failed.\nYear Jane Roe said so.\n"
    statements = import_text(
        text, ["Mara Quist", ("Year Jane Roe", "Year Jane Roe", "person", None, None)]
    )
    assert speakers_of(statements) == ["Mara Quist", "Jane Roe"]


def test_a_given_name_that_is_a_word_too_is_kept():
    assert guard.check("Bill Roe", "person", article_text="a bill passed").name == (
        "Bill Roe"
    )
    # the extractor's given names that are words too count as well ("jimmy" the verb)
    assert guard.check("Jimmy Roe", "person", article_text="Jimmy Roe spoke.").name == (
        "Jimmy Roe"
    )


def test_a_given_name_the_article_writes_inside_a_sentence_is_kept():
    # "josh" is a verb, but here it is written, capitalised, after "spokesman".
    import_text("Yes.\n", ["Eric Roe"])
    text = "The plan is sound, said spokesman Josh Roe.\n"
    statements = import_text(
        text, [("Josh Roe", "spokesman Josh Roe", "person", None, None)]
    )
    assert speakers_of(statements) == ["Josh Roe"]
    text = "Defense Secretary Josh Roe spoke.\n"
    assert guard.check("Josh Roe", "person", article_text=text).name == "Josh Roe"


def test_an_everyday_word_only_at_the_start_of_a_sentence_is_not_a_given_name():
    text = "Josh Roe said so. Roe was calm.\n"
    assert guard.check("Josh Roe", "person", article_text=text).name == "Roe"
    text = "Then Josh Roe said so. Both were calm.\n"
    assert guard.check("Josh Roe", "person", article_text=text).name == "Roe"
    text = "It was late, said the aide so. Josh Roe said so.\n"
    assert guard.check("Josh Roe", "person", article_text=text).name == "Roe"
    # after "the" or "in", capitalised words name a thing or a place
    text = "He wrote for the Daily Roe. Daily Roe said so.\n"
    assert guard.check("Daily Roe", "person", article_text=text).name == "Roe"


def test_a_description_before_a_name_is_dropped():
    verdict = guard.check("Labour leader Jane Roe", "person")
    assert verdict.name == "Jane Roe"


def test_a_person_named_like_an_organisation_is_one():
    assert guard.check("Coalition Against Roe", "person").kind == "organisation"
    assert guard.check("Roe for America Committee", "person").kind == "organisation"
    assert guard.check("Team Roe", "person").kind == "organisation"  # a campaign


def test_an_organisation_called_she_is_a_person():
    verdict = guard.check("Mara Quist", "organisation", aliases=["she"])
    assert verdict.kind == "person"
    assert guard.check("Quist Holdings", "organisation").kind == "organisation"


# Offices and countries.


def test_an_office_from_the_list_is_attached_with_its_body_and_seen_dates():
    day = datetime.date(2016, 3, 1)
    import_text(
        "Yes.\n",
        [("Jane Roe", "Sen. Jane Roe", "person", "Sen.", None)],
        published=day,
    )
    import_text(
        "No.\n",
        [("Jane Roe", "Senator Jane Roe", "person", "senator", None)],
        published=day + datetime.timedelta(days=40),
    )
    jane = Speaker.objects.get()
    [position] = jane.positions.all()
    assert position.title == "Senator"
    assert (position.first_seen, position.last_seen) == (
        day,
        day + datetime.timedelta(days=40),
    )
    assert jane.position_on(day + datetime.timedelta(days=10)) == position
    assert jane.position_on(datetime.date(2024, 1, 1)) is None


def test_a_position_off_the_list_is_not_learnt():
    import_text(
        "Yes.\n", [("Jane Roe", "Jane Roe", "person", "chief bottle washer", None)]
    )
    assert not Speaker.objects.get().positions.exists()


def test_a_body_is_kept_with_its_title():
    import_text(
        "Yes.\n",
        [("Jane Roe", "Jane Roe", "person", "special envoy for Ukraine", None)],
    )
    position = Speaker.objects.get().positions.get()
    assert (position.title, position.organisation) == ("Special Envoy", "Ukraine")
    assert position.office == "Special Envoy, Ukraine"


def test_a_person_takes_the_country_of_their_office():
    jane = corrections.add_speaker("Jane Roe")
    import_text("Yes.\n", [("Jane Roe", "Jane Roe", "person", "President", "FR", True)])
    jane.refresh_from_db()
    assert (jane.country.code, jane.country_basis) == ("FR", "stated")
    assert jane.positions.get().country.code == "FR"
    assert Statement.objects.get().country.code == "FR"


def test_an_office_has_no_country_the_article_only_guessed():
    import_text("Yes.\n", [("Jane Roe", "Jane Roe", "person", "Strategist", "RU")])
    jane = Speaker.objects.get()
    assert (jane.country.code, jane.country_basis) == ("RU", "article")
    assert jane.positions.get().country is None


def test_a_party_tag_makes_a_us_politician():
    statements = import_text(
        "Yes.\n", [("Jane Roe", "Jane Roe (R-Tex.)", "person", None, None)]
    )
    assert statements[0].speaker.country.code == "US"


def test_a_country_an_article_states_replaces_one_another_article_only_guessed():
    first = import_text("Yes.\n", [("Jane Roe", "Jane Roe", "person", None, "LY")])
    jane = first[0].speaker
    assert (jane.country.code, jane.country_basis) == ("LY", "article")
    import_text(
        "No.\n", [("Jane Roe", "Sen. Jane Roe", "person", "Senator", "US", True)]
    )
    jane.refresh_from_db()
    assert (jane.country.code, jane.country_basis) == ("US", "stated")
    assert {st.country.code for st in Statement.objects.all()} == {"US"}
    assert counts_are_exact()  # the first article's statement is counted under US now


def test_a_guessed_country_never_replaces_a_stated_one():
    import_text("Yes.\n", [("Jane Roe", "Jane Roe", "person", None, "FR", True)])
    import_text("No.\n", [("Jane Roe", "Jane Roe", "person", None, "LY")])
    jane = Speaker.objects.get()
    assert (jane.country.code, jane.country_basis) == ("FR", "stated")
    assert {st.country.code for st in Statement.objects.all()} == {"FR"}


def test_a_country_a_speaker_had_none_of_comes_from_a_later_article():
    import_text("Yes.\n", ["Jane Roe"])
    import_text("No.\n", [("Jane Roe", "Jane Roe", "person", None, "IT")])
    jane = Speaker.objects.get()
    assert (jane.country.code, jane.country_basis) == ("IT", "article")


def test_an_editors_country_is_never_changed_by_an_import():
    jane = corrections.add_speaker("Jane Roe", country=Country.objects.get(code="DE"))
    assert jane.country_basis == "editor"
    import_text(
        "No.\n", [("Jane Roe", "Sen. Jane Roe", "person", "Senator", "US", True)]
    )
    jane.refresh_from_db()
    assert jane.country.code == "DE"
    assert Statement.objects.get().country.code == "DE"


def test_a_party_tag_beats_the_country_the_article_only_guessed():
    statements = import_text(
        "Yes.\n", [("Jane Roe", "Jane Roe (D-Ohio)", "person", None, "GB")]
    )
    assert (statements[0].speaker.country.code, statements[0].country.code) == (
        "US",
        "US",
    )


def test_kosovo_is_a_country():
    assert Country.objects.get(code="XK").name == "Kosovo"


def test_a_merge_leaves_no_duplicate_positions_and_widens_the_seen_dates():
    a = corrections.add_speaker("Jane Roe")
    b = corrections.add_speaker("Jane Q. Roe")
    corrections.add_position(
        a,
        title="Senator",
        first_seen=datetime.date(2016, 1, 1),
        last_seen=datetime.date(2016, 2, 1),
    )
    corrections.add_position(
        b,
        title="Senator",
        first_seen=datetime.date(2015, 6, 1),
        last_seen=datetime.date(2016, 5, 1),
    )
    corrections.merge([b], a)
    [position] = a.positions.all()
    assert (position.first_seen, position.last_seen) == (
        datetime.date(2015, 6, 1),
        datetime.date(2016, 5, 1),
    )


def test_a_failed_article_teaches_the_resolver_nothing():
    resolver = SpeakerResolver()
    import_text("Yes.\n", ["Jane Roe"], resolver=resolver)
    article = Article.objects.create(text="No.", content_hash="failed")
    eric = Found(0, 3, "No.", "direct", "said", "Eric Roe", "Eric Roe")
    result = ArticleResult([eric], [SpeakerInfo(name="Eric Roe")])
    resolver.begin()
    with pytest.raises(RuntimeError), transaction.atomic():
        resolver.resolve_article([eric], result, article)
        raise RuntimeError("the article's transaction fails")
    resolver.discard()
    assert [pk for pk, _, _ in resolver.people["roe"]] == [Speaker.objects.get().pk]
    assert "eric roe" not in resolver.aliases


def test_a_known_persons_alias_is_theirs_even_with_another_spelling():
    """import_speakers gave "Sergey Wendel" the alias "Sergei Wendel": a person chose it."""
    known = corrections.add_speaker(
        "Sergey Wendel", aliases=["Sergei Wendel"], source="a register"
    )
    statements = import_text("Yes.\n", ["Sergei Wendel"])
    assert statements[0].speaker == known
