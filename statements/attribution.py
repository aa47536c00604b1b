"""How a statement was attributed, in words, for the public pages and the exports.

    attribution(statement).summary
    -> "Attributed by machine: the subject of the speech verb, named in full (confidence 0.90)"
    -> "Reviewed by an editor (corrected)"

A machine attribution below LOW_CONFIDENCE is marked low. The extractor's method is
"<how the statement was found>:<how its speaker was resolved>" ("cue-subject:name").
"""

from __future__ import annotations

from dataclasses import dataclass

LOW_CONFIDENCE = 0.6

FOUND = {
    "cue": "the speech verb beside the quote",
    "cue-subject": "the subject of the speech verb",
    "cue-beside": "the name beside the speech verb",
    "according-to": "“according to”",
    "headline": "a headline “Name: …”",
    "quote-continuation": "a quote continuing the same speaker’s earlier one",
    "quote-paragraphs": "a quote running on over paragraphs",
}
RESOLVED = {
    "name": "named in full",
    "surname": "by surname, tied to the full name in the article",
    "alias": "by another name the article gives",
    "pronoun": "through a pronoun (“he”, “she”, “they”)",
    "title": "through a title (“the senator”)",
    "title-unnamed": "through a title, with no name given",
    "organisation": "an organisation named",
    "country": "a country named",
    "group": "a group of people",
}


@dataclass(frozen=True)
class Attribution:
    reviewed: bool
    how: str  # in words; "" for a reviewed statement
    confidence: float
    low: bool  # a machine attribution below LOW_CONFIDENCE
    summary: str


def method_in_words(method: str) -> str:
    """ "cue-subject:name" -> "the subject of the speech verb, named in full"."""
    found, _, resolved = (method or "").partition(":")
    parts = [FOUND.get(found, found.replace("-", " "))]
    if resolved:
        parts.append(RESOLVED.get(resolved, resolved.replace("-", " ")))
    return ", ".join(p for p in parts if p)


def attribution(statement) -> Attribution:
    status = getattr(statement, "review_status", "auto")
    confidence = float(getattr(statement, "confidence", 0.0) or 0.0)
    if status in ("verified", "corrected"):
        return Attribution(
            True, "", confidence, False, f"Reviewed by an editor ({status})"
        )
    how = method_in_words(getattr(statement, "method", ""))
    low = confidence < LOW_CONFIDENCE
    summary = "Attributed by machine"
    if how:
        summary += f": {how}"
    summary += f" (confidence {confidence:.2f}{', low' if low else ''})"
    return Attribution(False, how, confidence, low, summary)
