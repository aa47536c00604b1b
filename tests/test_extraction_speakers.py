"""One canonical speaker per person per article: names, surnames, pronouns, titles, groups."""

from .extraction_helpers import extract, find, statements


def test_it_resolves_a_surname_to_the_full_name():
    text = (
        "Finance Minister Lukas Ehrlich presented the budget on Tuesday. "
        "Ehrlich said the deficit would shrink next year."
    )
    result = extract(text)
    s = find(result.statements, "deficit would shrink")
    assert s.speaker == "Lukas Ehrlich"
    assert s.speaker_mention == "Ehrlich"
    assert "Ehrlich" in result.speaker("Lukas Ehrlich").aliases


def test_it_resolves_a_pronoun_to_the_most_recent_speaker_not_by_gender():
    text = (
        "Greta Lindholm spoke after the meeting. "
        "“The ferry must keep running,” he said."
    )
    s = find(statements(text), "ferry must keep running")
    assert s.speaker == "Greta Lindholm"
    assert s.method.endswith("pronoun")


def test_it_resolves_a_pronoun_to_the_latest_person_not_an_earlier_one():
    text = (
        "Adam Frost opened the session. Later, Beata Nowak took the floor. "
        "She said the clinic would stay open."
    )
    assert find(statements(text), "clinic would stay open").speaker == "Beata Nowak"


def test_it_resolves_a_title_to_the_person_who_holds_it():
    text = (
        "Irish Prime Minister Sean Doyle met the unions. "
        "The Irish Prime Minister said the strike had to end."
    )
    result = extract(text)
    s = find(result.statements, "strike had to end")
    assert s.speaker == "Sean Doyle"
    info = result.speaker("Sean Doyle")
    assert "The Irish Prime Minister" in info.aliases


def test_it_does_not_need_the_ner_label_to_find_a_name():
    text = "Jansz Vrolik said the dyke would be raised by a metre. Vrolik said the work starts in May."
    stmts = statements(text)
    assert find(stmts, "dyke would be raised").speaker == "Jansz Vrolik"
    assert find(stmts, "work starts in May").speaker == "Jansz Vrolik"


def test_it_treats_officials_as_a_group_speaker():
    text = "French defence officials said the exercise would go ahead."
    result = extract(text)
    s = find(result.statements, "exercise would go ahead")
    assert s.speaker == "French defence officials"
    assert s.speaker_kind == "group"
    assert result.speaker(s.speaker).country == "FR"


def test_it_treats_an_organisation_as_a_speaker():
    text = "The Kremlin said the talks would continue in Geneva."
    s = find(statements(text), "talks would continue")
    assert s.speaker == "Kremlin"
    assert s.speaker_kind == "organisation"


def test_it_reads_position_and_country_before_a_name():
    result = extract(
        "Polish Prime Minister Ewa Zielinska said the border would stay open."
    )
    info = result.speaker("Ewa Zielinska")
    assert (info.position, info.country) == ("Prime Minister", "PL")


def test_it_reads_a_countrys_possessive_title():
    result = extract(
        "Spain’s Foreign Minister, Lucia Ortega, said the embassy would reopen."
    )
    info = result.speaker("Lucia Ortega")
    assert (info.position, info.country) == ("Foreign Minister", "ES")


def test_it_reads_a_title_in_apposition_after_the_name():
    result = extract(
        "Jens Madsen, the Prime Minister of Norway, said the fund would be used for schools."
    )
    info = result.speaker("Jens Madsen")
    assert (info.position, info.country) == ("Prime Minister", "NO")


def test_it_reads_a_demonym_for_the_country():
    result = extract("Russian Foreign Minister Oleg Petrov said the offer was serious.")
    info = result.speaker("Oleg Petrov")
    assert (info.position, info.country) == ("Foreign Minister", "RU")
    assert find(result.statements, "offer was serious").country == "RU"


def test_it_reads_an_envoy_title_with_its_for_phrase():
    result = extract(
        "The president’s special envoy for Sudan, Ambassador Kofi Mensah, said the aid would arrive."
    )
    info = result.speaker("Kofi Mensah")
    assert (info.position, info.organisation) == ("Special Envoy", "Sudan")
    assert info.office == "Special Envoy for Sudan"
    assert (
        info.country is None
    )  # Sudan is where the envoy is sent, not where they are from


def test_it_reads_the_united_states_and_uk_as_countries():
    result = extract(
        "UK Chancellor Amy Hart said trade with the United States would grow."
    )
    assert result.speaker("Amy Hart").country == "GB"


def test_it_does_not_take_a_dateline_for_the_speaker():
    text = (
        "WASHINGTON (AP) — Senator Mara Quist told reporters that the bill would pass."
    )
    assert find(statements(text), "bill would pass").speaker == "Mara Quist"


def test_it_attributes_a_headline_to_the_name_before_the_colon():
    text = "Quist to Farmers: ‘The Bill Will Pass Next Week’\n\nSenator Mara Quist spoke in Iowa on Monday."
    s = find(statements(text), "Bill Will Pass")
    assert s.speaker == "Mara Quist"
    assert s.cue == ":"


def test_it_finds_the_speaker_before_an_apposition_the_parser_dropped():
    text = (
        "“We back the plan,” Ivo Marek, head of the farmers’ union, tells the Gazette."
    )
    assert find(statements(text), "We back the plan").speaker == "Ivo Marek"


def test_it_learns_a_position_from_a_possessive_title_with_a_country():
    text = (
        "Lena Haugen has asked parliament to back the fishing deal. "
        "The Norwegian Prime Minister’s request followed a long summit. "
        "Haugen said the deal protects the coast."
    )
    result = extract(text)
    info = result.speaker("Lena Haugen")
    assert (info.position, info.country) == ("Prime Minister", "NO")
    assert "The Norwegian Prime Minister" in info.aliases


def test_it_keeps_pronouns_out_of_the_aliases():
    result = extract("Ingrid Solberg arrived late. “We are ready,” he said.")
    assert "he" not in result.speaker("Ingrid Solberg").aliases


def test_a_people_named_by_its_demonym_is_a_group_of_its_country():
    result = extract("Angry Kenyans said the new tax was unfair.")
    info = result.speaker("Angry Kenyans")
    assert (info.kind, info.country) == ("group", "KE")
    assert find(result.statements, "new tax").speaker == "Angry Kenyans"


def test_a_partys_members_opening_a_sentence_are_a_group_that_speaks():
    result = extract("Democrats said the spending bill would fail.")
    assert find(result.statements, "spending bill").speaker == "Democrats"
    assert result.speaker("Democrats").kind == "group"
