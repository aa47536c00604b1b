"""Reported speech: said (that), called on, criticised as (mixed), warned/insisted/denied."""

from .extraction_helpers import find, statements


def test_it_finds_said_that():
    text = "Erik Lund said that the new terminal would open in June."
    s = find(statements(text), "new terminal would open in June")
    assert s.kind == "indirect"
    assert s.speaker == "Erik Lund"
    assert not s.text.startswith("that")


def test_it_finds_said_without_that():
    text = "Erik Lund said the new terminal would open in June."
    assert find(statements(text), "terminal would open").speaker == "Erik Lund"


def test_it_finds_called_on_someone_to_do_something():
    text = "Clara Moreau called on the regional government to fund the night trains."
    s = find(statements(text), "fund the night trains")
    assert s.speaker == "Clara Moreau"
    assert s.kind == "indirect"


def test_it_marks_a_criticism_with_a_quoted_phrase_as_mixed():
    text = "Felix Braun criticized the proposal as “reckless and badly timed.”"
    s = find(statements(text), "reckless and badly timed")
    assert s.kind == "mixed"
    assert s.speaker == "Felix Braun"


def test_it_finds_warned_insisted_denied_and_emphasized():
    text = (
        "Nora Kim warned that the river could flood again. "
        "Nora Kim insisted the dam was sound. "
        "Nora Kim denied the claims about the contract. "
        "Nora Kim emphasized that help was on its way."
    )
    stmts = statements(text)
    for fragment in (
        "river could flood",
        "dam was sound",
        "claims about the contract",
        "help was on its way",
    ):
        assert find(stmts, fragment).speaker == "Nora Kim"


def test_it_leaves_out_beliefs_hopes_and_wants():
    text = (
        "Paul Meyer believes the market will recover. "
        "Paul Meyer hopes the talks succeed. "
        "Paul Meyer wants the tax cut passed."
    )
    assert statements(text) == []


def test_it_gives_an_adding_clause_the_speaker_of_its_verb():
    text = "“We are ready,” Ida Holm said, adding that the team had trained for months."
    assert find(statements(text), "trained for months").speaker == "Ida Holm"


def test_it_finds_an_attribution_set_inside_the_sentence():
    text = "Tove Berg spoke first. Without new funding, she said, the museum would close by spring."
    s = find(statements(text), "museum would close")
    assert s.speaker == "Tove Berg"
    assert s.kind == "indirect"
