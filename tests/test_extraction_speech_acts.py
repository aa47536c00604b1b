"""One speech act is one statement, spoken by the person who spoke it: outlets that relay are not
speakers, words reported inside a statement are not a second one, quotes are not carried on to the
next person named, and cues with clauses, infinitives and quoted objects are found."""

from .extraction_helpers import extract, find, statements


def test_an_outlet_that_relays_a_quote_is_not_its_speaker():
    text = (
        "“We will not give up the port,” Defence Minister Ola Krag said on Monday, "
        "according to the Gazette."
    )
    stmts = statements(text)
    s = find(stmts, "give up the port")
    assert s.speaker == "Ola Krag"
    assert s.kind == "direct"
    assert not any(x.speaker == "Gazette" for x in stmts)


def test_an_agency_reporting_what_someone_says_is_not_the_speaker():
    text = (
        "In response, the ministry recalled its envoy, as Foreign Minister Ola Krag says "
        "the decision is a provocation, the Daily Courier reports."
    )
    stmts = statements(text)
    s = find(stmts, "decision is a provocation")
    assert s.speaker == "Ola Krag"
    assert not any(x.speaker and "Courier" in x.speaker for x in stmts)


def test_words_reported_inside_a_statement_are_not_a_second_one():
    text = "Mayor Ines Lunde noted that Governor Bo Hale had cited the floods as the reason."
    stmts = statements(text)
    assert len(stmts) == 1
    assert stmts[0].speaker == "Ines Lunde"


def test_a_speech_act_joined_on_inside_a_complement_is_its_own_statement():
    text = (
        "Judge Carla Moss, in her dissent, noted that the court said nothing about refunds, "
        "warning that the process is likely to be a mess."
    )
    stmts = statements(text)
    warning = find(stmts, "likely to be a mess")
    assert warning.speaker == "Carla Moss"
    assert "likely to be a mess" not in find(stmts, "said nothing about refunds").text


def test_partial_quotes_stay_inside_one_statement():
    text = (
        "Sen. Hugo Brandt called it “bizarre” and “flat-out wrong” for the mayor to "
        "blame the unions for the strike."
    )
    stmts = statements(text)
    assert len(stmts) == 1
    s = stmts[0]
    assert s.speaker == "Hugo Brandt"
    assert s.kind == "mixed"
    assert s.text.startswith("it “bizarre”")


def test_a_multi_paragraph_quote_is_not_carried_on_to_the_next_person_named():
    text = (
        "Declaring victory, Prime Minister Rosa Lind said voters had chosen hope.\n"
        "“Together we turned the corner,” she said.\n"
        "“In this time of uncertainty, our people chose optimism.\n"
        "“They voted for a future that holds true to our values.”\n"
        "Opposition leader Kurt Malm conceded defeat.\n"
        "“We did not do well enough,” he said.\n"
    )
    stmts = statements(text)
    assert find(stmts, "chose optimism").speaker == "Rosa Lind"
    assert find(stmts, "holds true to our values").speaker == "Rosa Lind"
    assert find(stmts, "did not do well enough").speaker == "Kurt Malm"


def test_quotes_are_not_paired_across_a_cue_with_its_own_clause():
    text = (
        "President Ana Ruiz expressed her “respect for the court,” "
        "stating that it “resisted a coup and now judges those responsible.”"
    )
    stmts = statements(text)
    first = find(stmts, "respect for the court")
    second = find(stmts, "resisted a coup")
    assert first is not second
    assert first.speaker == second.speaker == "Ana Ruiz"


def test_said_with_a_clause_and_no_that_is_reported_speech():
    text = (
        "Commissioner Eva Lind said Mayor Tom Berg had not been given any mandate "
        "to visit the capital."
    )
    s = find(statements(text), "had not been given any mandate")
    assert s.speaker == "Eva Lind"
    assert s.kind == "indirect"


def test_urged_someone_to_do_something_is_reported_speech():
    text = "Governor Nils Aas urged the ministry to release the funds before winter."
    s = find(statements(text), "release the funds")
    assert s.speaker == "Nils Aas"


def test_a_feeling_expressed_without_quotes_is_not_a_statement():
    text = "Chancellor Ida Roth expressed some irritation with the debate."
    assert statements(text) == []


def test_agreeing_to_do_something_is_not_speech():
    text = "The two sides agreed to a ceasefire on Sunday."
    assert statements(text) == []


def test_a_topic_headline_before_a_colon_is_not_an_attribution():
    text = "Harbour strike: Dockers walk out over pay and pensions\n\nThe strike began on Monday."
    result = extract(text)
    assert not any(s.speaker for s in result.statements)


def test_a_quote_after_a_colon_belongs_to_the_person_the_clause_is_about():
    text = (
        "As Governor Rolf Dane keeps pressing for the island, Prime Minister Helle Aagaard "
        "shared a message for him: “The island belongs to the islanders.”"
    )
    s = find(statements(text), "belongs to the islanders")
    assert s.speaker == "Helle Aagaard"


def test_a_pronoun_goes_to_the_latest_person_of_its_gender_when_the_text_gives_one():
    text = (
        "Mrs Vera Holt met Mr Tomas Berg on Friday. "
        "Berg arrived late. She said the meeting had been useful."
    )
    assert find(statements(text), "meeting had been useful").speaker == "Vera Holt"


def test_gender_never_decides_on_its_own():
    text = "Mr Tomas Berg arrived late. She said the meeting had been useful."
    assert find(statements(text), "meeting had been useful").speaker == "Tomas Berg"


def test_a_title_is_checked_against_the_country_of_the_articles_people():
    text = (
        "Swedish Prime Minister Eva Strand met Danish Prime Minister Jens Holm. "
        "The Danish prime minister said the bridge toll would fall."
    )
    s = find(statements(text), "bridge toll would fall")
    assert s.speaker == "Jens Holm"
    assert s.country == "DK"


def test_a_speech_verb_after_a_comma_and_is_the_first_speakers_even_deep_in_the_parse():
    # "..., and accused" hangs under "know" in the parse, deep inside what Brandt said
    text = (
        "The President said Britain would be at the back of the queue. Party leader Nils "
        "Brandt said the warning showed that the President did not know what he was talking "
        "about, and accused the government of putting words in his mouth."
    )
    assert find(statements(text), "putting words").speaker == "Nils Brandt"


def test_a_quote_after_a_colon_belongs_to_the_person_a_clause_about_no_one_ends_on():
    text = (
        "Ann Vorst won the primary. The timing of Vorst’s surge doesn’t surprise "
        "Republican pollster Dale Shaw: “Lesser-known candidates get the biggest boost.”"
    )
    s = find(statements(text), "biggest boost")
    assert s.speaker == "Dale Shaw"


def test_a_pronoun_can_point_to_the_subject_of_a_clause_that_says_nothing():
    text = (
        "For years, Mayor Tom Roe was the best friend Dale Hurst hoped to have. "
        "Mr. Hurst wrote that he liked Ann Roe too.\n\n"
        "The criticism of Mr. Roe's record comes as Mrs. Roe is relying on the former "
        "mayor, mentioning him in every speech as she praises his economic record."
    )
    s = find(statements(text), "mentioning him in every speech")
    assert s.speaker == "Ann Roe"
