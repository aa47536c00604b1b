"""Normalising a mention of a speaker, so that aliases compare equal however they are written."""

import re
import unicodedata

_POSSESSIVE = re.compile(r"[’']s?$")
_LEADING_ARTICLE = re.compile(r"^(the)\s+")
_PUNCTUATION = re.compile(r"[^\w\s.-]")


def normalise_mention(mention: str) -> str:
    """'The UK Prime Minister’s' -> 'uk prime minister'; 'Scholz' -> 'scholz'."""
    text = unicodedata.normalize("NFKC", mention or "").casefold().strip()
    text = _POSSESSIVE.sub("", text)
    text = _PUNCTUATION.sub(" ", text)
    text = " ".join(text.split())
    return _LEADING_ARTICLE.sub("", text)


PRONOUNS = frozenset(
    [
        "i",
        "me",
        "my",
        "we",
        "us",
        "our",
        "you",
        "your",
        "he",
        "him",
        "his",
        "she",
        "her",
        "hers",
        "they",
        "them",
        "their",
        "theirs",
        "it",
        "its",
        "who",
        "whom",
        "one",
        "this",
        "that",
        "these",
        "those",
    ]
)


def is_pronoun(mention: str | None) -> bool:
    """ "he", "They"; but not "US", the country."""
    mention = (mention or "").strip()
    if len(mention) > 1 and mention.isupper():
        return False
    return normalise_mention(mention) in PRONOUNS
