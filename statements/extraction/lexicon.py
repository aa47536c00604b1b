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
    # "expressed his “respect for ...”": the object is what was said only when it holds a quotation
    quoted_object: frozenset[str] = frozenset()
    # "agreed to meet": an infinitive (or "to" + noun) complement is an action, not speech
    no_infinitive: frozenset[str] = frozenset()


def _lines(name: str) -> list[str]:
    out = []
    for line in (DATA / name).read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            out.append(line)
    return out


@cache
def organisation_words() -> frozenset[str]:
    """Words that make a capitalised run an organisation: "Foundation", "House", "Team"."""
    return frozenset(_lines("organisation_words.txt"))


@cache
def speech_verbs() -> SpeechVerbs:
    lemmas, obj, quote, qobj, noinf = set(), set(), set(), set(), set()
    for line in _lines("speech_verbs.txt"):
        lemma, *flags = line.split()
        lemmas.add(lemma)
        if "obj" in flags:
            obj.add(lemma)
        if "quote" in flags:
            quote.add(lemma)
        if "qobj" in flags:
            qobj.add(lemma)
        if "noinf" in flags:
            noinf.add(lemma)
    return SpeechVerbs(
        frozenset(lemmas),
        frozenset(obj),
        frozenset(quote),
        frozenset(qobj),
        frozenset(noinf),
    )


@cache
def document_nouns() -> frozenset[str]:
    """Things put out by someone that then speak for them: 'a video', 'an ad', 'a letter'."""
    return frozenset(_lines("document_nouns.txt"))


@cache
def speaker_nouns() -> frozenset[str]:
    """Common nouns (lemmas) that can head a speaker: 'officials', 'the report', 'a spokesman'."""
    return frozenset(w.lower() for w in _lines("speaker_nouns.txt")) | {
        w for p in positions() for w in p
    }


@dataclass(frozen=True)
class Title:
    """One entry of the controlled list of positions (data/positions.txt)."""

    title: str  # as stored: "Senator", "Prime Minister"
    # where the title alone names a country ("Taoiseach" -> IE)
    country: str | None = None
    # the country an unqualified title means in English-language news ("President Roe" with no
    # country said anywhere in the article: the US president); weaker than anything the text says
    default_country: str | None = None


def _phrase(value: str) -> tuple[str, ...]:
    """A phrase as spaCy tokenises it, lower case: "secretary-general" -> ("secretary", "-", "general")."""
    return tuple(value.lower().replace("’", "'").replace("-", " - ").split())


@cache
def titles() -> dict[tuple[str, ...], Title]:
    """Every written form of a position (lower-case word tuple) -> its Title."""
    table: dict[tuple[str, ...], Title] = {}
    for line in _lines("positions.txt"):
        forms = [f.strip() for f in line.split("|")]
        head, country = forms[0], None
        if head.endswith("}") and "{" in head:
            head, code = head[:-1].split("{", 1)
            head, country = head.strip(), code.strip().upper()
        title = Title(head, country, usual_countries().get(head))
        for form in [head, *forms[1:]]:
            table.setdefault(_phrase(form), title)
    return table


@cache
def usual_countries() -> dict[str, str]:
    """Title -> the country it means when unqualified (data/title_countries.txt)."""
    out = {}
    for line in _lines("title_countries.txt"):
        code, _, names = line.partition(":")
        for name in names.split(","):
            if name.strip():
                out[name.strip()] = code.strip().upper()
    return out


@cache
def positions() -> tuple[tuple[str, ...], ...]:
    """Position phrases as word tuples, longest first."""
    return tuple(sorted(titles(), key=len, reverse=True))


@cache
def honorifics() -> frozenset[str]:
    """'mr.', 'sir', 'sheikh': never part of a name, never an office."""
    return frozenset(w.lower() for w in _lines("honorifics.txt"))


@cache
def given_names() -> frozenset[str]:
    """Given names that are everyday words too ('bill', 'will'): kept at the start of a name."""
    return frozenset(w.lower() for w in _lines("given_names.txt"))


@cache
def bodies() -> dict[tuple[str, ...], str]:
    """International bodies (lower-case word tuple -> name): their officials have no country."""
    table: dict[tuple[str, ...], str] = {}
    for line in _lines("bodies.txt"):
        forms = [f.strip() for f in line.split("|")]
        for form in forms:
            table.setdefault(_phrase(form), forms[0])
    return table


@dataclass(frozen=True)
class Places:
    us_states: dict[tuple[str, ...], str]  # "new jersey" -> "New Jersey"
    us_abbreviations: dict[str, str]  # "tex." / "tx" -> "Texas"
    regions: dict[
        tuple[str, ...], str
    ]  # sub-national places -> the country they are in
    capitals: dict[tuple[str, ...], str]  # dateline cities -> country


@cache
def places() -> Places:
    data = json.loads((DATA / "places.json").read_text(encoding="utf-8"))
    states, abbr = {}, {}
    for name, forms in data["us_states"].items():
        states[_phrase(name)] = name
        for form in forms:
            abbr[form.lower()] = name
    regions = {_phrase(k): v for k, v in data["regions"].items()}
    capitals = {_phrase(k): v for k, v in data["capitals"].items()}
    return Places(states, abbr, regions, capitals)


@cache
def position_words() -> frozenset[str]:
    # the head word of each title: "minister" of "prime minister", "secretary" of "secretary of state"
    words = set()
    for p in positions():
        head = p[: p.index("of")] if "of" in p else p
        head = tuple(w for w in head if w != "-")
        words.add(head[-1] if head[-1] != "elect" else head[0])
        if len(p) == 1:
            words.add(p[0])
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


@cache
def not_names() -> frozenset[str]:
    """Web page furniture and wire-copy words ('Report', 'Correction'): never a speaker's name."""
    return frozenset(w.lower() for w in _lines("not_names.txt"))


@cache
@cache
def shell_nouns() -> frozenset[str]:
    """Nouns that with "the" name what was said or done before: 'the move', 'the deal'."""
    return frozenset(w.lower() for w in _lines("shell_nouns.txt"))


@cache
def international_words() -> frozenset[str]:
    """Words that put a group abroad or among nations: 'European leaders', 'Western officials'."""
    return frozenset(w.lower() for w in _lines("international_words.txt"))


def institutions() -> dict[tuple[str, ...], str]:
    """National institutions ('White House', 'Kremlin') -> the country of those who speak for them."""
    data = json.loads((DATA / "institutions.json").read_text(encoding="utf-8"))
    return {_phrase(k): v for k, v in data.items() if not k.startswith("_")}


def is_place(name: str) -> bool:
    """A country or a US state: 'Texas', 'Denmark' (a jurisdiction, not a body)."""
    words = _phrase(name)
    return words in places().us_states or words in countries()
