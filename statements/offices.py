"""Offices as data: the controlled list of position titles, and a raw position split into
its title and its body or jurisdiction.

The list is the extractor's data file, statements/extraction/data/positions.txt, read in
either of its forms: a phrase a line ("prime minister"), or "Title | other ways it is
written | ..." ("Senator | sen. | senator"). Abbreviations the plain form leaves out
("Sen.", "Rep.", "Gov.") are in ABBREVIATIONS.

    office("Sen.")                       -> Office("Senator", "")
    office("special envoy for Ukraine")  -> Office("Special Envoy", "Ukraine")
    office("spokesman for")              -> Office("Spokesman", "")
    office("chief bottle washer")        -> None   (not in the list: not learnt)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

POSITIONS = Path(__file__).resolve().parent / "extraction" / "data" / "positions.txt"
ABBREVIATIONS = {
    "sen": "senator",
    "sens": "senator",
    "senators": "senator",
    "rep": "representative",
    "reps": "representative",
    "gov": "governor",
    "gen": "general",
    "lt": "lieutenant",
    "col": "colonel",
    "prof": "professor",
    "amb": "ambassador",
    "pm": "prime minister",
    "vp": "vice president",
}
_SMALL = {"of", "for", "the", "and", "de", "in", "on", "to"}
_JOIN = re.compile(r"^(?:for|of|to|at|in|on|with|from)(?:\s+|$)", re.IGNORECASE)


@dataclass(frozen=True)
class Office:
    title: str
    body: str = ""


def _key(text: str) -> str:
    text = text.casefold().replace(".", " ").replace("-", " ").replace("’", "'")
    return " ".join(text.split())


def _title_case(phrase: str) -> str:
    words = phrase.split()
    return " ".join(
        w if (i and w in _SMALL) else (w[:1].upper() + w[1:])
        for i, w in enumerate(words)
    )


@cache
def titles() -> dict[str, str]:
    """Every way a title is written (as a key) -> the title as stored."""
    out: dict[str, str] = {}
    if not POSITIONS.exists():
        return out
    for line in POSITIONS.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        line = re.sub(r"\{[A-Z]{2}\}", "", line)
        forms = [f.strip() for f in line.split("|") if f.strip()]
        if "|" not in line and _key(forms[0]) in ABBREVIATIONS:
            continue  # "sen.": the abbreviation of a title, below
        title = forms[0] if "|" in line or forms[0] != forms[0].lower() else None
        title = title or _title_case(forms[0])
        for form in forms:
            out.setdefault(_key(form), title)
    for short, long in ABBREVIATIONS.items():
        if _key(long) in out:
            out.setdefault(short, out[_key(long)])
    return out


def office(raw: str | None) -> Office | None:
    """The title (from the controlled list) and body of a raw position, or None when
    it names no office on the list."""
    raw = " ".join((raw or "").strip(" ,;:").split())
    if not raw:
        return None
    words = _key(raw).split()
    known = titles()
    # The longest run of words from the start that is a title.
    for n in range(len(words), 0, -1):
        title = known.get(" ".join(words[:n]))
        if title:
            break
    else:
        return None
    # What follows the title in the raw text, with its case: "for Ukraine" -> "Ukraine".
    rest = raw.split()
    consumed, i = 0, 0
    while i < len(rest) and consumed < n:
        consumed += len(_key(rest[i]).split()) or 0
        i += 1
    after = " ".join(rest[i:])
    body = _JOIN.sub("", after).strip(" ,;:")
    if body and not body[:1].isupper():
        if body == after:
            return None  # "chief bottle washer": not the title on the list
        body = ""  # "spokesman for the", a cut-off description: no body
    return Office(title, body[:200])
