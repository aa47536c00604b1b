"""The spaCy pipeline, loaded once per model name, lazily (never at import time)."""

from __future__ import annotations

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
def get_nlp(model: str):
    """The model with its unused components disabled and a paragraph-break rule before the parser."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("wsw_paragraph_breaks"):
        Language.component("wsw_paragraph_breaks", func=_paragraph_breaks)
    nlp = spacy.load(model)
    for name in list(nlp.pipe_names):
        if name not in USED:
            nlp.disable_pipe(name)
    nlp.add_pipe("wsw_paragraph_breaks", before="parser")
    return nlp


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
