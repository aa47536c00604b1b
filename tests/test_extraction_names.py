"""Speakers' names: full names with their particles, hyphens and suffixes, parsed into parts; titles,
honorifics, stray words and things that are not names never become (part of) a speaker's name."""

from .extraction_helpers import extract, find, statements


def test_it_keeps_a_particle_in_the_name_and_resolves_the_surname_to_it():
    text = (
        "Commission President Ilse von der Brugge presented the plan on Monday. "
        "Von der Brugge said the fund would double."
    )
    result = extract(text)
    s = find(result.statements, "fund would double")
    assert s.speaker == "Ilse von der Brugge"
    info = result.speaker("Ilse von der Brugge")
    assert (info.given, info.surname) == ("Ilse", "von der Brugge")


def test_it_keeps_da_and_bin_inside_a_name():
    text = (
        "Marcos Tavares da Cunha said the harvest was late. "
        "Sheikh Khalid bin Rashid Al Nuri said the port would reopen."
    )
    stmts = statements(text)
    assert find(stmts, "harvest was late").speaker == "Marcos Tavares da Cunha"
    assert find(stmts, "port would reopen").speaker == "Khalid bin Rashid Al Nuri"


def test_a_later_part_of_a_long_name_resolves_to_the_whole_name():
    text = (
        "President Marcos Tavares da Cunha opened the summit. "
        "Tavares da Cunha said the talks had gone well."
    )
    assert (
        find(statements(text), "talks had gone well").speaker
        == "Marcos Tavares da Cunha"
    )


def test_it_keeps_a_hyphenated_given_name_whole():
    text = "Opposition leader Park Min-jun said the vote was rigged. Park said he would appeal."
    stmts = statements(text)
    assert find(stmts, "vote was rigged").speaker == "Park Min-jun"
    assert find(stmts, "would appeal").speaker == "Park Min-jun"


def test_a_suffix_is_part_of_the_name_and_never_an_alias():
    result = extract("Harlan Pruitt Jr. said the mill would close in June.")
    info = result.speaker("Harlan Pruitt Jr.")
    assert info is not None
    assert (info.given, info.surname, info.suffix) == ("Harlan", "Pruitt", "Jr.")
    assert "Jr." not in info.aliases


def test_an_honorific_is_never_part_of_the_name():
    result = extract("Sir Edmund Hale said the museum would stay free.")
    s = find(result.statements, "museum would stay free")
    assert s.speaker == "Edmund Hale"
    assert result.speaker("Edmund Hale").given == "Edmund"


def test_a_title_without_a_name_never_becomes_a_speaker_name():
    text = "The prime minister said the budget was balanced."
    s = find(statements(text), "budget was balanced")
    assert s.speaker is None


def test_a_bare_title_resolves_to_the_one_person_the_article_names():
    text = (
        "Hedda Lunde has led the country since 2021. Lunde visited the port on Monday. "
        "The prime minister said the budget was balanced."
    )
    assert find(statements(text), "budget was balanced").speaker == "Hedda Lunde"


def test_an_everyday_word_opening_a_sentence_is_not_part_of_the_name():
    text = (
        "Senator Orla Brandt spoke for an hour. "
        "Though Brandt said the bill was dead, her staff kept working."
    )
    s = find(statements(text), "bill was dead")
    assert s.speaker == "Orla Brandt"


def test_a_title_case_headline_gives_only_the_name():
    text = (
        "Brandt Attacks Farm Subsidy Plan\n\n"
        "Senator Orla Brandt said on Monday that the plan would cost too much."
    )
    result = extract(text)
    assert not any("Attacks" in sp.name for sp in result.speakers)
    assert find(result.statements, "cost too much").speaker == "Orla Brandt"


def test_weekdays_months_numbers_and_page_furniture_are_never_speakers():
    text = (
        "Correction: An earlier version misspelled the mayor's name.\n\n"
        "Report: The river rose by two metres overnight.\n\n"
        "Saturday said the forecast would improve.\n\n"
        "Feb. said the fair would open."
    )
    result = extract(text)
    names = {sp.name for sp in result.speakers}
    assert not names & {"Correction", "Report", "Saturday", "Feb."}


def test_lower_case_descriptions_are_not_person_speakers():
    text = "A mere 9 percent said the council was doing well."
    result = extract(text)
    assert all(sp.kind != "person" for sp in result.speakers)


def test_interview_questions_and_answers_are_not_a_speaker_called_q():
    text = (
        "Interview with Mayor Tove Sand\n\n"
        "Q: Will the tram line be finished this year?\n\n"
        "A: We will open the first stretch in October, and the rest follows next spring.\n"
    )
    result = extract(text)
    assert not {"Q", "A"} & {sp.name for sp in result.speakers}
    answer = find(result.statements, "first stretch in October")
    assert answer.speaker == "Tove Sand"
    assert not any("tram line be finished" in s.text for s in result.statements)


def test_a_name_with_a_word_of_an_organisation_is_not_a_person():
    result = extract("The Coalition Against Roadworks said the bypass must stop.")
    s = find(result.statements, "bypass must stop")
    assert s.speaker_kind != "person"


def test_a_common_word_before_a_full_name_is_not_part_of_it():
    for text in (
        "Billionaire Osric Vane said the harvest would be late.",
        "Celebrities Osric Vane and Ada Quill said the harvest would be late.",
    ):
        s = find(statements(text), "harvest would be late")
        assert s.speaker == "Osric Vane"


def test_a_capitalised_common_noun_opening_a_sentence_is_no_person():
    text = "Aides said the senator would vote against the bill."
    result = extract(text)
    assert all(sp.kind != "person" for sp in result.speakers)


def test_a_lone_surname_opening_the_article_is_a_name_even_when_tagged_as_a_noun():
    s = find(statements("Quorvath said the dam would hold.\n"), "dam would hold")
    assert s.speaker == "Quorvath"


def test_a_given_name_before_a_middle_initial_is_never_taken_for_a_word():
    # "James" could be read as "jam" + "es"; before "T." it is a given name.
    text = (
        "The council met on Monday. The vote was close, said the chair of the council, "
        "James T. Quist."
    )
    assert find(statements(text), "vote was close").speaker == "James T. Quist"


def test_common_words_before_a_given_name_describe_the_person():
    cases = {
        "Lake County Recorder Helga Brandt said the lines were too long.": "Helga Brandt",
        "City Public Advocate Trish Varga said the rules were unfair.": "Trish Varga",
        "Senate Ranking Democrat Dianne Moll (D-Calif.) said the report was alarming.": (
            "Dianne Moll"
        ),
    }
    for text, name in cases.items():
        assert statements(text)[0].speaker == name, text


def test_a_given_name_that_is_also_a_noun_stays_in_the_name():
    text = "The lawyer for Marcel Tibor Varga said he would plead guilty."
    assert find(statements(text), "plead guilty").speaker == "Marcel Tibor Varga"
