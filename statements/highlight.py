"""Marking search matches in text, safely: the text is escaped, only <mark> is added."""

import re

from django.utils.html import escape
from django.utils.safestring import mark_safe

from .querysets import HIGHLIGHT_START, HIGHLIGHT_STOP

_OPERATORS = {"or", "and", "not"}
_SUFFIXES = ("ing", "es", "ed", "s")


def search_terms(query: str) -> list[str]:
    """The words of a websearch-style query, without its operators and negated words."""
    terms = []
    for token in re.findall(r'-?"[^"]*"|\S+', query or ""):
        if token.startswith("-"):
            continue
        for word in re.findall(r"\w+", token):
            if word.lower() not in _OPERATORS and word.lower() not in terms:
                terms.append(word.lower())
    return terms


def _stem(word: str) -> str:
    for suffix in _SUFFIXES:
        if len(word) > len(suffix) + 3 and word.endswith(suffix):
            return word[: -len(suffix)]
    return word


def highlight(text: str, query: str):
    """`text`, escaped, with words matching the query's words (or their stems) marked."""
    terms = search_terms(query)
    if not terms:
        return escape(text)
    alternatives = "|".join(
        re.escape(_stem(t)) for t in sorted(terms, key=len, reverse=True)
    )
    pattern = re.compile(rf"\b(?:{alternatives})\w*", re.IGNORECASE)
    out, last = [], 0
    for m in pattern.finditer(text):
        out.append(escape(text[last : m.start()]))
        out.append(f"<mark>{escape(m.group(0))}</mark>")
        last = m.end()
    out.append(escape(text[last:]))
    return mark_safe("".join(out))


def from_headline(headline: str):
    """PostgreSQL's ts_headline output, escaped, with its match markers as <mark>."""
    html = str(escape(headline))
    html = html.replace(HIGHLIGHT_START, "<mark>").replace(HIGHLIGHT_STOP, "</mark>")
    return mark_safe(html)


def statement_html(statement, query: str = ""):
    """A statement's text for display, with the search's matches marked."""
    headline = getattr(statement, "headline", None)
    if headline:
        return from_headline(headline)
    if query:
        return highlight(statement.text, query)
    return escape(statement.text)
