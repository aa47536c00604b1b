"""The lexicons the pipeline reads from data files: speech verbs, positions, countries and demonyms."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pycountry

DATA = Path(__file__).with_name("data")


@dataclass(frozen=True)
class SpeechVerbs:
    lemmas: frozenset[str]
    object_is_content: frozenset[
        str
    ]  # "denied the report": the object is what was said
    quote_only: frozenset[str]  # a cue only beside a direct quote


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@cache
def speech_verbs() -> SpeechVerbs:
    lemmas, obj, quote = set(), set(), set()
    for line in _lines("speech_verbs.txt"):
        lemma, *flags = line.split()
        lemmas.add(lemma)
        if "obj" in flags:
            obj.add(lemma)
        if "quote" in flags:
            quote.add(lemma)
    return SpeechVerbs(frozenset(lemmas), frozenset(obj), frozenset(quote))


@cache
def speaker_nouns() -> frozenset[str]:
    """Common nouns (lemmas) that can head a speaker: 'officials', 'the report', 'a spokesman'."""
    return frozenset(w.lower() for w in _lines("speaker_nouns.txt")) | {
        w for p in positions() for w in p
    }


@cache
def positions() -> tuple[tuple[str, ...], ...]:
    """Position phrases as word tuples, longest first."""
    phrases = {tuple(line.lower().split()) for line in _lines("positions.txt")}
    return tuple(sorted(phrases, key=len, reverse=True))


@cache
def position_words() -> frozenset[str]:
    words = {w for p in positions() for w in p if w not in ("of", "the")}
    return frozenset(
        words
        | {
            "former",
            "senior",
            "deputy",
            "acting",
            "then",
            "outgoing",
            "incoming",
            "top",
            "special",
        }
    )


@cache
def countries() -> dict[tuple[str, ...], str]:
    """Lower-case word tuples of country names, short forms and demonyms -> ISO 3166-1 alpha-2."""
    table: dict[tuple[str, ...], str] = {}
    for country in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            value = getattr(country, attr, None)
            if value and "," not in value:
                table[tuple(_words(value))] = country.alpha_2
    data = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
    for group in ("names", "demonyms"):
        for name, code in data[group].items():
            table[tuple(_words(name))] = code
    return table


@cache
def demonyms() -> frozenset[tuple[str, ...]]:
    data = json.loads((DATA / "countries.json").read_text(encoding="utf-8"))
    return frozenset(tuple(_words(name)) for name in data["demonyms"])


def _words(value: str) -> list[str]:
    return value.lower().replace("’", "'").split()


def country_code(name: str) -> str | None:
    """'Polish' -> 'PL'; 'the United States' -> 'US'; 'Italy’s' -> 'IT'."""
    words = _words(name)
    if words and words[0] == "the":
        words = words[1:]
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    return countries().get(tuple(words))
