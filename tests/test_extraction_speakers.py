"""One canonical speaker per person per article: names, surnames, pronouns, titles, groups."""

from spacy.tokens import Doc

from .extraction_helpers import extract, extractor, find, statements


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


def test_of_two_people_named_together_the_first_speaks():
    # spaCy sometimes makes the last of "A and House Speaker B" the subject and A a modifier of
    # B's title; the parse is forced here so the rule is tested whatever the model does
    text = "Ivo Brandt and House Speaker Pia Moll pledged to pass the budget."
    parsed = extractor().nlp(text)
    heads = [t.head.i for t in parsed]
    deps = [t.dep_ for t in parsed]
    words = [t.text for t in parsed]
    for i, (head, dep) in {
        0: (1, "compound"),  # Ivo -> Brandt
        1: (4, "nmod"),  # Brandt -> Speaker
        2: (1, "cc"),
        3: (1, "conj"),  # House
        4: (6, "compound"),  # Speaker -> Moll
        5: (6, "compound"),
        6: (7, "nsubj"),  # Moll -> pledged
    }.items():
        heads[i], deps[i] = head, dep
    slipped = Doc(
        parsed.vocab,
        words=words,
        spaces=[bool(t.whitespace_) for t in parsed],
        pos=[t.pos_ for t in parsed],
        tags=[t.tag_ for t in parsed],
        lemmas=[t.lemma_ for t in parsed],
        heads=heads,
        deps=deps,
        ents=[
            "B-PERSON"
            if w in ("Ivo", "Pia")
            else ("I-PERSON" if w in ("Brandt", "Moll") else "O")
            for w in words
        ],
    )
    assert slipped[6].dep_ == "nsubj" and slipped[1].dep_ == "nmod"
    s = find(extractor().extract_doc(slipped, text).statements, "pass the budget")
    assert s.speaker == "Ivo Brandt"


def test_a_group_shown_by_a_named_member_is_that_member():
    text = (
        "Several leading candidates, including Ivo Brandt and Senator Pia Moll, "
        "criticized the trade deal. Other voters like Tomas Rehn said the plan was fair."
    )
    stmts = statements(text)
    s = find(stmts, "the trade deal")
    assert s.speaker == "Ivo Brandt"
    assert s.confidence < 0.9  # one of a group: less sure than a named subject
    assert find(stmts, "plan was fair").speaker == "Tomas Rehn"


def test_of_several_people_in_apposition_the_first_speaks():
    text = (
        "The two leading Republicans, Ivo Brandt and Senator Pia Moll, have rejected the "
        "agreement."
    )
    assert find(statements(text), "the agreement").speaker == "Ivo Brandt"


def test_a_speech_verb_joined_to_a_reported_clause_is_the_first_speakers():
    text = (
        "Party spokesman Ivo Brandt said the party was not in a crisis and urged that "
        "everyone take a deep breath."
    )
    assert find(statements(text), "take a deep breath").speaker == "Ivo Brandt"


def test_mr_before_a_shared_surname_picks_the_man_of_the_family():
    text = (
        "Bill Brandt and Hillary Brandt opened the foundation in 2001. "
        "Mrs. Brandt ran for office in 2016. "
        "Mr. Brandt said the foundation would close next year."
    )
    assert find(statements(text), "foundation would close").speaker == "Bill Brandt"


def test_team_before_a_surname_is_an_organisation_not_a_person():
    text = (
        "Ivo Brandt said the rally would go ahead. "
        "Are you on Team Brandt? Like the page. "
        "Brandt said the tickets were sold out."
    )
    result = extract(text)
    assert find(result.statements, "tickets were sold out").speaker == "Ivo Brandt"
    assert [info.name for info in result.speakers if info.kind == "person"] == [
        "Ivo Brandt"
    ]


def test_one_person_with_two_titles_joined_by_and_is_that_person():
    text = (
        "“He is reprising that role,” said former Pennsylvania Gov. and Democratic National "
        "Committee Chairman Ed Brandt."
    )
    assert find(statements(text), "reprising that role").speaker == "Ed Brandt"


def test_a_surname_goes_to_the_person_named_in_full_more_often_not_one_named_in_passing():
    text = (
        "Sen. Chris Brandt has fought for the bill for years. Chris Brandt wrote it in 2013. "
        "The teacher’s aide, Anne Marie Brandt, died in the attack in 2012. "
        "“It takes courage,” Brandt said."
    )
    assert find(statements(text), "It takes courage").speaker == "Chris Brandt"


def test_a_full_name_only_inside_a_quote_does_not_take_the_narratives_surname():
    text = (
        "Sen. Chris Brandt has fought for the bill for years. "
        "“If Anne Marie Brandt could do that, then what can you do?” he asked. "
        "Brandt said the vote would come in May."
    )
    assert find(statements(text), "vote would come in May").speaker == "Chris Brandt"


def test_a_person_named_after_a_speech_verb_set_off_by_commas_speaks():
    text = (
        "Ivo Brandt ran the company for years. Anna Moll worked for him. "
        "And Brandt, said Moll, who remains friendly with her former boss, does not forgive."
    )
    s = find(statements(text), "does not forgive")
    assert s.speaker == "Anna Moll"


def test_a_video_someone_released_speaks_for_them():
    text = (
        "Sen. Ivo Brandt (Ky.) has released a Web video that accuses Moll of being welcoming "
        "to refugees before that became an unpopular position."
    )
    s = find(statements(text), "welcoming to refugees")
    assert s.speaker == "Ivo Brandt"
    assert s.speaker_mention == "Sen. Ivo Brandt"


def test_a_participle_right_after_a_person_named_as_an_object_is_theirs():
    text = (
        "Radio Nord’s Dr. Ivo Brandt will be interviewed about Bishop Anna Moll calling "
        "the budget a sham."
    )
    s = find(statements(text), "budget a sham")
    assert s.speaker == "Anna Moll"


def test_a_person_described_in_apposition_speaks_not_the_person_in_the_description():
    text = (
        "Mayor Hal Brook said he was not ready. And it wasn’t a one-off or an accident "
        "— Daniel Vorst, a spokesman for Brook, told POLITICO that the mayor gave Quist "
        "a heads up about his plan."
    )
    s = find(statements(text), "mayor gave Quist a heads up")
    assert s.speaker == "Daniel Vorst"
