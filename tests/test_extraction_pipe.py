"""Extractor.pipe: batches in order, one process or two, the same results as extract()."""

from statements.extraction import EXTRACTOR_VERSION, Extractor
from statements.extraction.nlp import get_nlp

from .extraction_helpers import extractor

TEXTS = [
    "“The canal will be dredged,” Mira Petrova said.",
    "Jon Alder said the library would close on Sundays.",
    "Nothing was said here at all.",
    "The council said, according to Ana Ruiz, that rents would rise.",
    "“We won,” said Ole Dahl. “And we will win again.”",
]


def _plain(result):
    return [(s.start, s.end, s.kind, s.speaker) for s in result.statements]


def test_it_returns_results_in_the_order_of_the_texts():
    ex = extractor()
    assert [_plain(r) for r in ex.pipe(TEXTS, batch_size=2)] == [
        _plain(ex.extract(t)) for t in TEXTS
    ]


def test_it_runs_in_two_processes_with_the_same_results():
    ex = extractor()
    two = [_plain(r) for r in ex.pipe(TEXTS, batch_size=2, n_process=2)]
    assert two == [_plain(ex.extract(t)) for t in TEXTS]


def test_it_loads_the_model_once_per_name():
    assert get_nlp(extractor().model) is get_nlp(extractor().model)


def test_it_does_not_load_the_model_until_used():
    ex = Extractor(model="no_such_model_is_loaded_yet", topics=[])
    assert ex.model == "no_such_model_is_loaded_yet"


def test_it_has_a_version_string():
    assert isinstance(EXTRACTOR_VERSION, str) and EXTRACTOR_VERSION


def test_it_returns_nothing_for_an_empty_text():
    assert extractor().extract("").statements == []
