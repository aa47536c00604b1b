"""Direct quotes: every common news pattern, marks of every kind, apostrophes, paragraphs."""

from statements.extraction.quotes import find_quotes

from .extraction_helpers import find, statements


def test_it_finds_a_quote_before_said_and_its_speaker():
    text = "“The harbour will reopen next spring,” Anna Lindqvist said on Monday."
    s = find(statements(text), "harbour will reopen")
    assert s.kind == "direct"
    assert s.speaker == "Anna Lindqvist"
    assert s.cue == "said"
    assert s.text == "The harbour will reopen next spring,"


def test_it_finds_a_quote_before_an_inverted_said():
    text = "“We have no money left for the bridge,” said Marco Bellini, the mayor of the town."
    s = find(statements(text), "no money left")
    assert s.speaker == "Marco Bellini"
    assert s.kind == "direct"


def test_it_finds_a_quote_after_said_and_a_colon():
    text = "Tomas Novak said: “The tunnel is safe and it will stay open all winter.”"
    s = find(statements(text), "tunnel is safe")
    assert s.speaker == "Tomas Novak"
    assert s.kind == "direct"


def test_it_finds_a_quote_after_said_and_a_comma():
    text = "Tomas Novak said, “The tunnel is safe and it will stay open all winter.”"
    assert find(statements(text), "tunnel is safe").speaker == "Tomas Novak"


def test_it_gives_both_halves_of_a_split_quote_to_one_speaker():
    text = (
        "“The farmers are angry,” Ruth Okafor said, “and they have every right to be.”"
    )
    stmts = statements(text)
    assert find(stmts, "farmers are angry").speaker == "Ruth Okafor"
    assert find(stmts, "every right to be").speaker == "Ruth Okafor"


def test_it_carries_the_speaker_into_a_quote_only_paragraph():
    text = (
        "Harbour master Ines Duarte said the port would close at noon.\n"
        "“Nobody should sail today, whatever the forecast tells them.”"
    )
    assert find(statements(text), "Nobody should sail").speaker == "Ines Duarte"


def test_it_follows_a_quote_over_several_paragraphs():
    text = (
        "Pavel Sokol said: “The first thing is the water supply for the villages.\n"
        "“The second thing is the road, which has been closed since March.”\n"
        "The council meets again next week."
    )
    stmts = statements(text)
    assert find(stmts, "first thing is the water").speaker == "Pavel Sokol"
    assert find(stmts, "second thing is the road").speaker == "Pavel Sokol"


def test_it_reads_straight_quotation_marks():
    text = '"The vote was fair and the count was clean," Lena Vogt said.'
    s = find(statements(text), "vote was fair")
    assert s.speaker == "Lena Vogt"
    assert s.text == "The vote was fair and the count was clean,"


def test_it_reads_single_quotation_marks():
    text = "‘We will rebuild every school that was damaged,’ Omar Haddad said."
    assert find(statements(text), "rebuild every school").speaker == "Omar Haddad"


def test_it_ignores_apostrophes():
    text = "O’Brien’s team didn’t wait. “It’s the workers’ money and they’ve earned it,” Sean O’Brien said."
    quotes = find_quotes(text)
    assert [text[q.start : q.end] for q in quotes] == [
        "It’s the workers’ money and they’ve earned it,"
    ]
    assert find(statements(text), "workers’ money").speaker == "Sean O’Brien"


def test_it_keeps_a_nested_quote_inside_the_outer_one():
    text = "“They told us ‘wait one more year’ and we waited,” Maria Costa said."
    stmts = statements(text)
    s = find(stmts, "They told us")
    assert s.text == "They told us ‘wait one more year’ and we waited,"
    assert s.speaker == "Maria Costa"


def test_it_attributes_according_to():
    text = "The factory will cut 400 jobs by the end of the year, according to Hannah Berg, the union leader."
    s = find(statements(text), "cut 400 jobs")
    assert s.speaker == "Hannah Berg"
    assert s.cue == "according to"


def test_its_offsets_index_the_text_exactly_as_given():
    text = "Intro line.\r\n\r\n  “Prices\u00a0will fall,”   Jonas Weber   said.\n\n“Twice.”"
    for s in statements(text):
        assert text[s.start : s.end] == s.text
        assert s.sentence_start <= s.start and s.end <= s.sentence_end


def test_it_finishes_an_according_to_phrase_with_no_verb_above_it():
    text = (
        "Turnout, according to the county clerk, about 40 percent. No surprises there."
    )
    for s in statements(text):
        assert text[s.start : s.end] == s.text


def test_it_reads_two_apostrophes_as_a_quotation_mark():
    text = "''We will not sell the farm,'' Pieter Smit said. It's the farmers' choice."
    s = find(statements(text), "sell the farm")
    assert s.text == "We will not sell the farm,"
    assert s.speaker == "Pieter Smit"


def test_a_name_inside_the_quote_is_not_the_subject_of_the_verb_after_it():
    text = (
        "Ivo Brandt was asked where crime was worst. Anna Bergen, a teacher, was there. "
        "“Like Oakland. Or Bergen,” Brandt said. “The numbers are worse.”"
    )
    s = find(statements(text), "Or Bergen")
    assert s.speaker == "Ivo Brandt"


def test_a_headline_quote_after_a_speech_verb_and_a_name_is_the_first_persons():
    text = (
        "Maria Lindqvist Praises Radio Nord’s Political Editor Tomas Berglund: ‘Very Good "
        "Reporter.’\n\n"
        "Maria Lindqvist praised the editor at a press conference on Tuesday."
    )
    s = find(statements(text), "Very Good Reporter")
    assert s.speaker == "Maria Lindqvist"


def test_a_quote_with_its_own_speech_verb_after_it_is_not_the_verb_befores():
    text = (
        "If the agency is trying to destabilize the vote — as many researchers believe, but "
        "the ministry strongly denies — “why would you not raise the potential for tampering?” "
        "asked Dunn, now a partner at a law firm."
    )
    s = find(statements(text), "raise the potential")
    assert s.speaker == "Dunn"
