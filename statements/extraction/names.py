"""Person names: their parts (parsed by nameparser), and the words that are never a name.

A name keeps its particles ("von der Leyen", "da Silva", "bin Abdulrahman"), hyphens ("Jae-myung")
and suffix ("Jr."); titles and honorifics are never part of it (the caller strips them, from the
data files, before a name gets here).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from nameparser import HumanName
from nameparser.config import Constants

# Lower-case particles that join the words of one name: "Ursula von der Leyen", "Lula da Silva".
PARTICLES = frozenset(
    [
        "von",
        "van",
        "der",
        "den",
        "de",
        "da",
        "das",
        "dos",
        "du",
        "di",
        "del",
        "della",
        "dem",
        "bin",
        "binti",
        "bint",
        "ibn",
        "al",
        "el",
        "ter",
        "ten",
        "zu",
        "vom",
        "ben",
        "abu",
    ]
)
SUFFIXES = frozenset(
    [
        "jr",
        "jr.",
        "sr",
        "sr.",
        "ii",
        "iii",
        "iv",
        "junior",
        "senior",
        "snr",
        "snr.",
        "jnr",
        "jnr.",
        "esq",
        "esq.",
    ]
)
WEEKDAYS_MONTHS = frozenset(
    [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "mon",
        "mon.",
        "tue",
        "tue.",
        "tues.",
        "wed",
        "wed.",
        "thu",
        "thu.",
        "thurs.",
        "fri",
        "fri.",
        "sat",
        "sat.",
        "sun",
        "sun.",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "jan.",
        "feb",
        "feb.",
        "mar",
        "mar.",
        "apr",
        "apr.",
        "jun",
        "jun.",
        "jul",
        "jul.",
        "aug",
        "aug.",
        "sep",
        "sep.",
        "sept",
        "sept.",
        "oct",
        "oct.",
        "nov",
        "nov.",
        "dec",
        "dec.",
    ]
)


@dataclass(frozen=True)
class NameParts:
    given: str = ""
    middle: str = ""
    surname: str = ""
    suffix: str = ""


@cache
def _constants() -> Constants:
    # Titles are stripped from the data files before parsing: nameparser's own list would take
    # given names that are also titles ("Sultan", "Prince") away from the name.
    return Constants(titles=[], first_name_titles=[])


@cache
def parse_name(name: str) -> NameParts:
    """'Ursula von der Leyen' -> given 'Ursula', surname 'von der Leyen'; 'Ferdinand Marcos Jr.' ->
    suffix 'Jr.'. A single word is a surname."""
    words = name.split()
    if not words:
        return NameParts()
    if len(words) == 1:
        return NameParts(surname=words[0])
    parsed = HumanName(name, constants=_constants())
    parts = NameParts(parsed.first, parsed.middle, parsed.last, parsed.suffix)
    if not parts.surname and parts.given:  # "Leyen", "Jr." alone
        parts = NameParts(surname=parts.given, suffix=parts.suffix)
    return parts


def is_suffix(word: str) -> bool:
    return word.lower().rstrip(",") in SUFFIXES


def is_particle(word: str) -> bool:
    return (
        word in PARTICLES
    )  # lower case only: "De Moraes" is a capitalised name word anyway


_DIGIT = re.compile(r"\d")


def is_date_word(word: str) -> bool:
    """Weekdays and months ("Saturday", "Feb."): never a name on their own."""
    return word.lower() in WEEKDAYS_MONTHS


def has_digit(word: str) -> bool:
    return bool(_DIGIT.search(word))


@cache
def _gender_detector():
    import gender_guesser.detector as detector  # its tables load on first use, not at import

    return detector.Detector(case_sensitive=False)


def is_given_name(word: str) -> bool:
    """A word gender-guesser's tables know as a given name, of any gender ("Marcel", "Trish")."""
    word = word.strip(".")
    return (
        len(word) > 1
        and word.isalpha()
        and _gender_detector().get_gender(word) != "unknown"
    )


def given_name_gender(given: str) -> str | None:
    """'m' or 'f' where gender-guesser's tables call a given name male or female ("Bill",
    "Hillary"); None where they say mostly, either or unknown ("Chris", "Kim", "Yoon").
    Only ever a tie-break between people the text names."""
    word = given.strip(".")
    if len(word) < 2 or not word.isalpha():
        return None
    return {"male": "m", "female": "f"}.get(_gender_detector().get_gender(word))
