"""People's names in parts, and when two names can be one person.

Plain Python (nameparser, no Django): the registry (statements/importing/speakers.py),
the admin's suggestions (statements/registry.py), `import_speakers` and the migration
that parsed the names already stored agree on what a name is.

    parse_name("Donald J. Trump")   -> NameParts("Donald", "J.", "Trump", "")
    parse_name("Jane Roe Jr.")      -> NameParts("Jane", "", "Roe", "Jr.")
    same_person(parse_name("Donald J. Trump"), parse_name("Donald Trump"))  -> True
    same_person(parse_name("Eric Roe"), parse_name("Jane Roe"))             -> False
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from nameparser import HumanName
from nameparser.config import Constants

from .extraction import names as _extraction_names

# Lower-case words that join the words of one name ("Ursula von der Leyen"): the
# extractor's, and "la"/"le" ("Marine Le Pen" written "le Pen").
PARTICLES = _extraction_names.PARTICLES | {"la", "le"}
# The extractor's suffixes and "v", compared without their full stop.
SUFFIXES = frozenset(w.replace(".", "") for w in _extraction_names.SUFFIXES) | {"v"}


@dataclass(frozen=True)
class NameParts:
    given: str = ""
    middle: str = ""
    surname: str = ""
    suffix: str = ""

    @property
    def is_full(self) -> bool:
        """A given name and a surname: "Jane Roe", not "Roe"."""
        return bool(self.given and self.surname)


def fold(word: str) -> str:
    """Compares words: no accents, case or full stops ("Jr." == "jr", "Łukasz")."""
    word = unicodedata.normalize("NFKD", word or "")
    word = "".join(c for c in word if not unicodedata.combining(c))
    return word.casefold().replace(".", "").replace("’", "'").strip()


@cache
def _constants() -> Constants:
    # Titles are stripped before a name gets here; nameparser's own titles would take
    # given names that are also titles ("Prince", "King") out of the name.
    constants = Constants(titles=[], first_name_titles=[])
    return constants


def is_suffix(word: str) -> bool:
    return fold(word).rstrip(",") in SUFFIXES


@cache
def parse_name(name: str) -> NameParts:
    """The parts of a person's name. One word is a surname; a suffix alone is nothing."""
    name = " ".join((name or "").split())
    words = name.split()
    if not words or all(is_suffix(w) for w in words):
        return NameParts()
    if len(words) == 1:
        return NameParts(surname=words[0])
    parsed = HumanName(name, constants=_constants())
    parts = NameParts(
        parsed.first.strip(),
        parsed.middle.strip(),
        parsed.last.strip(),
        parsed.suffix.strip(),
    )
    if not parts.surname and parts.given:  # "Roe Jr."
        parts = NameParts(surname=parts.given, suffix=parts.suffix)
    return parts


def surname_key(parts: NameParts) -> str:
    return fold(parts.surname)


def _initial(word: str) -> bool:
    return len(fold(word)) == 1


def _same_word(a: str, b: str) -> bool:
    """Two words of a name: equal, or one the other's initial ("J." and "John")."""
    a, b = fold(a), fold(b)
    if not a or not b:
        return True
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b


def _same_middles(a: str, b: str) -> bool:
    """Middle names agree where both are given: "J." and "John", "" and anything."""
    wa, wb = a.split(), b.split()
    if not wa or not wb:
        return True
    if len(wa) != len(wb):
        # "Hillary Rodham Clinton" beside "Hillary Diane Rodham Clinton": any shared word
        return bool({fold(w) for w in wa} & {fold(w) for w in wb})
    return all(_same_word(x, y) for x, y in zip(wa, wb, strict=True))


def same_person(a: NameParts, b: NameParts, *, initials: bool = False) -> bool:
    """Whether two full names can be one person: the same surname and suffix, the
    same given name (an initial only with `initials`, for suggestions), and middle
    names that agree where both have one. Different given names never match: Bill
    and Hillary Clinton are two people."""
    if not (a.is_full and b.is_full) or fold(a.surname) != fold(b.surname):
        return False
    if fold(a.suffix) != fold(b.suffix):
        return False
    ga, gb = fold(a.given), fold(b.given)
    if ga != gb and not (
        initials and (_initial(ga) or _initial(gb)) and ga[0] == gb[0]
    ):
        return False
    return _same_middles(a.middle, b.middle)


_CAPITALISED = re.compile(r"^[A-ZÀ-ÖØ-Þ\u0100-\u024f]")
_DIGIT = re.compile(r"\d")


def name_words_ok(name: str) -> bool:
    """Every word capitalised (name particles aside), no digits: "Jane de Roe", not
    "mere 9 percent"."""
    words = name.split()
    if not words or _DIGIT.search(name):
        return False
    for w in words:
        if w in PARTICLES:
            continue
        if not (_CAPITALISED.match(w) or w[:1].isupper()):
            return False
    return True


def is_parseable_name(name: str) -> bool:
    """A person's name as people write it: a given name and a surname, each word
    capitalised, no digits ("Jane Roe", "Jane Q. Roe Jr."; not "Roe", "Jr.",
    "company", "2016 Roe")."""
    if not name_words_ok(name):
        return False
    parts = parse_name(name)
    return parts.is_full and not _initial(parts.surname)
