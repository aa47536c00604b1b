"""The registry's last guard: only speakers become speaker records, of the right kind.

Whatever the extractor says, before a speaker record is made (or a name looked up):

- nothing is made of weekdays, months, numbers, notices ("Report", "Correction"), the
  furniture of web pages ("Advertisement", "Getty Images") or an interviewer's "Q"
  (statements/data/not_speakers.txt);
- people and organisations start with a capital: a lower-case description ("company",
  "mere 9 percent") is not a name; a word starting with a digit is not one either;
- an everyday word stuck in front of a person's name ("Year Jane Roe", "Though Roe")
  is dropped, unless it is a name too ("Bill Roe": statements/data/name_words.txt and
  the extractor's statements/extraction/data/given_names.txt), or
  the article writes it, capitalised, in front of the rest of the name inside a
  sentence, after a lower-case word or a comma ("said spokesman Josh Roe": a given
  name, where "Josh" the verb would be lower case). A word is everyday when spaCy's
  English stop words or the model's lemmatizer list it as a verb, adjective or adverb,
  or when the article itself writes it in lower case;
- a "person" whose name holds an organisation's word ("Coalition Against Roe", "Roe
  for America Committee": statements/data/organisation_words.txt) is an organisation;
  an "organisation" that the article also calls by its last word alone or with "Mr."
  or "Ms." ("Jane Roe" ... "Roe said") is a person.

`check(name, kind, aliases, article_text)` returns a `Verdict`: the name to use, its
kind, or the reason it makes no speaker.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from .. import offices
from ..extraction import lexicon
from ..extraction.lexicon import given_names
from ..names import PARTICLES, fold, is_suffix

DATA = Path(__file__).resolve().parent.parent / "data"
PERSON, ORGANISATION, GROUP, COUNTRY = "person", "organisation", "group", "country"
_HONORIFIC = re.compile(r"^(mr|mrs|ms|miss|dr)\.?\s+", re.IGNORECASE)
# "MaransFlagShareLikeReplyAni": words run together by a web page's buttons.
_RUN_TOGETHER = re.compile(r"[a-z][A-Z].*[a-z][A-Z]")
PERSONAL_PRONOUNS = frozenset(["he", "she", "him", "her", "his", "hers"])
_WORD = re.compile(r"[A-Za-z\u00c0-\u024f]+")


def _lines(name: str) -> frozenset[str]:
    text = (DATA / name).read_text(encoding="utf-8")
    return frozenset(
        fold(line) for line in text.splitlines() if line.strip() and line[0] != "#"
    )


@cache
def not_speakers() -> frozenset[str]:
    return _lines("not_speakers.txt")


@cache
def name_words() -> frozenset[str]:
    """Everyday words that are names too: this app's list and the extractor's given names."""
    return _lines("name_words.txt") | given_names()


@cache
def organisation_words() -> frozenset[str]:
    return _lines("organisation_words.txt")


@cache
def everyday_words() -> frozenset[str]:
    """spaCy's English stop words, and the verbs, adjectives and adverbs of the
    model's lemmatizer (its nouns are left out: they hold many given names)."""
    from spacy.lang.en.stop_words import STOP_WORDS

    words = set(STOP_WORDS)
    try:
        from django.conf import settings

        from ..extraction.nlp import get_nlp

        nlp = get_nlp(settings.SPACY_MODEL)
        lookups = nlp.get_pipe("lemmatizer").lookups
        index = lookups.get_table("lemma_index")
        for pos in ("verb", "adj", "adv"):
            key = nlp.vocab.strings.add(pos)
            if key in index:
                words.update(w for w in index[key] if "_" not in w)
    except (KeyError, ValueError, OSError, ImportError):
        pass  # a model without a lemmatizer: the stop words and the article's own words
    return frozenset(words)


def lower_case_words(text: str) -> frozenset[str]:
    """The words an article writes in lower case somewhere."""
    return frozenset(w for w in _WORD.findall(text or "") if w.islower())


@dataclass(frozen=True)
class Verdict:
    name: str = ""
    kind: str = PERSON
    refused: str = ""  # why this makes no speaker record, or ""
    # A word dropped from right before a bare surname that may have been its given name
    # ("Matt" of "Matt Roe", where "matt" is an adjective too): the surname then joins
    # nobody of another given name.
    dropped_given: str = ""

    def __bool__(self):
        return not self.refused


def _refuse(reason: str) -> Verdict:
    return Verdict(refused=reason)


def _is_everyday(word: str, article_words: frozenset[str]) -> bool:
    w = word.casefold().strip(".,’'")
    if w in name_words():
        return False
    return w in everyday_words() or w in article_words or fold(w) in not_speakers()


# "the Daily Roe", "in Fort Roe", "at United Roe": after these, capitalised words are a
# thing's or a place's name, not a person's given name and surname.
_BEFORE_A_PLACE_OR_THING = frozenset(
    ["the", "a", "an", "this", "that", "these", "those", "its", "their", "our"]
    + ["his", "her", "my", "your", "in", "at", "of", "near", "into"]
)


def _written_as_a_name(words: list[str], article_text: str, article_words) -> bool:
    """Whether the article writes `words[0]`, capitalised, directly before the rest of
    the name after a lower-case word, a comma or a title ("said spokesman Josh Roe",
    "Roe's aide, Matt Quist", "Defense Secretary Ash Roe"): a given name there, not a
    sentence's first word or a headline's (nor a word the article also writes in lower
    case)."""
    first = words[0]
    if not first[:1].isupper() or first.casefold() in article_words:
        return False
    pattern = (
        r"(?:(?<![\w’'.-])([\w’'.-]+),?|,)\s+"
        + re.escape(first)
        + r"\s+"
        + re.escape(words[1])
        + r"(?![\w-])"
    )
    for found in re.finditer(pattern, article_text or ""):
        before = found.group(1)
        if before is None or found.group(0).startswith(f"{before},"):
            return True  # after a comma
        if offices.office(before) is not None:
            return True  # after a title: "Secretary Josh Roe", "Sen. Josh Roe"
        if (
            before[:1].islower()
            and not before.endswith(".")
            and before not in _BEFORE_A_PLACE_OR_THING
        ):
            return True  # after a lower-case word (not one ending a sentence)
    return False


def check(
    name: str,
    kind: str,
    aliases=(),
    article_text: str = "",
) -> Verdict:
    """The name and kind a speaker record may have, or why it may have none."""
    name = " ".join((name or "").strip(" \t\n\"“”‘’'(),:;").split())
    if kind not in (PERSON, ORGANISATION, GROUP, COUNTRY):
        kind = PERSON
    words = name.split()
    if not words:
        return _refuse("no name")
    if all(fold(w) in not_speakers() or w[:1].isdigit() for w in words) or (
        fold(name) in not_speakers()
    ):
        return _refuse(f"“{name}” is a date, a number or a notice, not a speaker")
    if all(is_suffix(w) for w in words):
        return _refuse(f"“{name}” is a suffix, not a name")
    if any(w[:1].isdigit() for w in words):
        return _refuse(f"“{name}” holds a number: not a name")
    if any(_RUN_TOGETHER.search(w) for w in words):
        return _refuse(f"“{name}” runs words together: web-page text, not a name")
    if (
        kind in (PERSON, ORGANISATION)
        and words[0].islower()  # not "al-Qaeda", "eBay"
        and words[0] not in PARTICLES
    ):
        return _refuse(f"“{name}” is a description, not a name")
    if kind == GROUP and len(words) == 1 and not name.casefold().endswith("s"):
        return _refuse(f"“{name}” is one thing, not a group")
    if kind in (ORGANISATION, GROUP) and _described(words, kind):
        return _refuse(f"“{name}” is a description, not a name")
    if kind == PERSON:
        return _person(name, aliases, article_text)
    if kind == ORGANISATION and _called_like_a_person(name, aliases):
        return _person(name, aliases, article_text)
    return Verdict(name, kind)


# "His campaign", "One man", "Some of them": whose, or which, the name does not say.
_NOT_A_NAME_START = frozenset(
    ["his", "her", "their", "its", "my", "our", "your", "one", "another", "each"]
    + ["every", "this", "that", "these", "those", "nearly", "almost", "half", "part"]
)
# Lower-case words that may stand inside an organisation's name: "of", "the", "de".
_SMALL = frozenset(
    ["of", "the", "and", "for", "to", "in", "on", "at", "by", "with", "without"]
    + ["against", "from", "under", "over", "y", "et", "&"]
)


def _described(words: list[str], kind: str) -> bool:
    """An organisation or a group told by a description rather than named: it opens
    with a possessive or a quantifier ("His campaign", "One man"), it runs on as a
    sentence does ("insiders in the two states — Nevada and Ohio"), or, for an
    organisation, a word of it is in lower case and no organisation's word
    ("Romanian hacker", "Fox poll", "Part of the problem in detecting tunnels"; not
    "Turkish government", "Time magazine")."""
    if fold(words[0]) in _NOT_A_NAME_START:
        return True
    if len(words) > 8 or any(w in ("—", "–") for w in words):
        return True
    if kind != ORGANISATION:
        return False
    orgs = organisation_words() | lexicon.organisation_words()
    return any(
        w.islower()
        and w not in _SMALL
        and w not in PARTICLES
        and w.casefold().strip(".,") not in orgs
        for w in words
    )


def _person(name: str, aliases, article_text: str) -> Verdict:
    article_words = lower_case_words(article_text)
    words = name.split()
    orgs = organisation_words()
    if len(words) > 1 and any(fold(w) in orgs for w in words):
        return Verdict(name, ORGANISATION)
    # "Washington Political Editor Jane Roe": what stands before a title is no name;
    # "Pennsylvania Gov.", a title with no name after it, is none either.
    titled = [
        i
        for i, w in enumerate(words)
        if fold(w) not in name_words() and offices.office(w) is not None
    ]
    if titled:
        words = words[titled[-1] + 1 :]
        if not words:
            return _refuse(f"“{name}” is a title, not a name")
    # "Year Jane Roe", "Though Roe": everyday words in front of the name go; "Josh
    # Roe", written so inside a sentence, keeps its given name.
    dropped = ""
    while (
        len(words) > 1
        and _is_everyday(words[0], article_words)
        and not _written_as_a_name(words, article_text, article_words)
    ):
        dropped, words = words[0], words[1:]
    if len(words) > 1 or not _may_be_given(dropped, article_words):
        dropped = ""
    # "Labour leader Jane Roe": a description in front of the name goes; "Roe at the
    # time", where no name follows the description, is no name.
    lower = [
        i for i, w in enumerate(words) if not w[:1].isupper() and w not in PARTICLES
    ]
    if lower:
        words = words[lower[-1] + 1 :]
        if not words:
            return _refuse(f"“{name}” is a description, not a name")
        while (
            len(words) > 1
            and _is_everyday(words[0], article_words)
            and not _written_as_a_name(words, article_text, article_words)
        ):
            words = words[1:]
    name = " ".join(words)
    if "’s" in name or "'s" in name:
        return _refuse(f"“{name}” is a description, not a name")
    if fold(name) in not_speakers() or all(fold(w) in not_speakers() for w in words):
        return _refuse(f"“{name}” is a date or a notice, not a speaker")
    if len(words) == 1 and not dropped:
        dropped = _given_in_mentions(words[0], aliases, article_words)
    return Verdict(name, PERSON, dropped_given=dropped if name == words[-1] else "")


def _given_in_mentions(surname: str, mentions, article_words) -> str:
    """A bare surname whose own mentions in the article put a possible given name in
    front of it ("Matt Roe, a founder of ...", where the extractor dropped "Matt" as a
    sentence's first word): that word. Titles, honorifics, acronyms and possessives
    ("Mr.", "Sen.", "CNN", "Acme's") are not given names."""
    pattern = re.compile(
        r"(?<![\w’'.-])([A-Z][\w’'-]*)\s+" + re.escape(surname) + r"\b"
    )
    for mention in mentions or ():
        for found in pattern.finditer(mention or ""):
            word = found.group(1)
            if (
                _may_be_given(word, article_words)
                and not word.isupper()  # "CNN Roe", "NBC"
                and not re.search(r"[’']s$", word)  # "Purple PAC's Roe"
                and not _HONORIFIC.match(word + " ")
                and offices.office(word) is None
            ):
                return word
    return ""


def _may_be_given(word: str, article_words) -> bool:
    """A capitalised word that may be a given name though it is a word too ("Matt",
    "Bay"): not a stop word ("Though"), not one the article writes in lower case, not a
    date or a notice."""
    from spacy.lang.en.stop_words import STOP_WORDS

    w = word.casefold().strip(".,’'")
    return bool(
        w
        and word[:1].isupper()
        and w not in STOP_WORDS
        and w not in article_words
        and fold(w) not in not_speakers()
    )


def _called_like_a_person(name: str, aliases) -> bool:
    """An "organisation" of two or three capitalised words that the article also
    calls by its last word alone, or with Mr./Ms. ("Roe said", "Ms. Roe"), or "he"
    or "she"."""
    words = name.split()
    if not 2 <= len(words) <= 3 or any(fold(w) in organisation_words() for w in words):
        return False
    if not all(w[:1].isupper() for w in words):
        return False
    if any((a or "").strip().casefold() in PERSONAL_PRONOUNS for a in aliases or ()):
        return True
    last = fold(words[-1])
    for alias in aliases or ():
        bare = _HONORIFIC.sub("", alias.strip())
        if fold(bare) == last and (bare != alias.strip() or len(alias.split()) == 1):
            return True
    return False
