"""The spaCy pipeline, loaded once per model name, lazily (never at import time)."""

from __future__ import annotations

import re
from functools import cache

# Components the extraction reads: POS tags, the dependency parse, lemmas and entity labels.
USED = {"tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"}


def _paragraph_breaks(doc):
    """A new line always starts a sentence: the parser keeps sentence starts set before it."""
    for token in doc[:-1]:
        if "\n" in token.text or "\n" in token.whitespace_:
            doc[token.i + 1].is_sent_start = True
    return doc


@cache
def _abbreviations() -> frozenset[str]:
    """The one-word abbreviations of the positions list and the honorifics ("capt.", "dr.")."""
    from .lexicon import honorifics, titles

    words = {w[0] for w in titles() if len(w) == 1} | honorifics()
    return frozenset(w for w in words if w.endswith(".") and len(w) >= 3)


@cache
def _title_then_name() -> re.Pattern:
    """A title's abbreviation, one space, and a capital letter: "Capt. J"."""
    words = sorted(_abbreviations(), key=len, reverse=True)
    alternatives = "|".join(re.escape(w) for w in words)
    return re.compile(rf"(?<![\w.])(?:{alternatives}) (?=[A-Z])", re.IGNORECASE)


def _no_break_after_a_title(doc):
    """'Navy Capt. Jane Roe', 'Gov. Ann Roe': no sentence starts after a title's full stop
    when a capitalised word follows (the parser may end a sentence there otherwise)."""
    for found in _title_then_name().finditer(doc.text):
        span = doc.char_span(found.end(), found.end() + 1, alignment_mode="expand")
        if span is not None and span[0].is_sent_start is None:
            span[0].is_sent_start = False
    return doc


@cache
def get_nlp(model: str):
    """The model with its unused components disabled, a paragraph-break rule and a
    no-break-after-a-title rule before the parser, and the title abbreviations of the
    positions list kept whole by the tokenizer."""
    import spacy
    from spacy.language import Language

    for name, func in (
        ("wsw_paragraph_breaks", _paragraph_breaks),
        ("wsw_no_break_after_a_title", _no_break_after_a_title),
    ):
        if not Language.has_factory(name):
            Language.component(name, func=func)
    nlp = spacy.load(model)
    for name in list(nlp.pipe_names):
        if name not in USED:
            nlp.disable_pipe(name)
    nlp.add_pipe("wsw_paragraph_breaks", before="parser")
    nlp.add_pipe("wsw_no_break_after_a_title", before="parser")
    _keep_title_abbreviations(nlp)
    return nlp


def _keep_title_abbreviations(nlp) -> None:
    """The tokenizer splits abbreviations it does not know ("Capt." -> "Capt", "."): the
    one-word abbreviations of the positions list and the honorifics stay one token."""
    from spacy.symbols import ORTH

    for word in _abbreviations():
        for form in {word, word.capitalize()}:
            if len(nlp.tokenizer(form)) > 1:
                nlp.tokenizer.add_special_case(form, [{ORTH: form}])


@cache
def everyday_words(model: str) -> frozenset[str]:
    """Lower-case English words: the model's stop words and the verbs, adjectives and adverbs of its
    lemmatizer index. Nouns are left out (the index holds many given names: "lena", "mara"); the
    article's own lower-case words are added per article."""
    nlp = get_nlp(model)
    words: set[str] = set(nlp.Defaults.stop_words)
    if "lemmatizer" in nlp.pipe_names:
        lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
        if lookups is not None and lookups.has_table("lemma_index"):
            index = lookups.get_table("lemma_index")
            for pos in ("verb", "adj", "adv"):
                key = nlp.vocab.strings.add(pos)
                if key in index:
                    words.update(index[key])
    return frozenset(w for w in words if isinstance(w, str) and "_" not in w)


@cache
def everyday_nouns(model: str) -> frozenset[str]:
    """The nouns of the model's lemmatizer index ("billionaire", "actress", "year"). Many given
    names are among them ("lena"), so they only tell a descriptor before a longer name."""
    nlp = get_nlp(model)
    if "lemmatizer" not in nlp.pipe_names:
        return frozenset()
    lookups = getattr(nlp.get_pipe("lemmatizer"), "lookups", None)
    if lookups is None or not lookups.has_table("lemma_index"):
        return frozenset()
    index = lookups.get_table("lemma_index")
    key = nlp.vocab.strings.add("noun")
    return (
        frozenset(w for w in index[key] if "_" not in w)
        if key in index
        else frozenset()
    )
