"""Shared by the extraction tests: one Extractor for the whole run (the model loads once)."""

from functools import cache

from django.conf import settings

from statements.extraction import Extractor
from statements.extraction.topics import load_topics


@cache
def extractor() -> Extractor:
    return Extractor(
        model=settings.SPACY_MODEL,
        topics=load_topics(settings.BASE_DIR / "seeds" / "topics.json"),
    )


def extract(text: str):
    return extractor().extract(text)


def statements(text: str):
    result = extract(text)
    for s in result.statements:
        assert text[s.start : s.end] == s.text
    return result.statements


def find(stmts, fragment: str):
    """The statement whose text holds `fragment`."""
    hits = [s for s in stmts if fragment in s.text]
    assert hits, f"no statement holds {fragment!r}: {[s.text for s in stmts]}"
    return hits[0]
