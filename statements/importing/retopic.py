"""New topics for stored statements, without importing again (`manage.py update_topics`).

    summary = TopicUpdater(processes=2).run()

1. The topics of seeds/topics.json come into the database, keeping every field an admin
   edited (topic_writes.sync_topics).
2. Each article with statements is parsed again (the extraction's spaCy pipeline, so
   the sentences are the ones the import saw) and each automatic statement gets the
   topics the current topics' key phrases give it, from its stored offsets: statements,
   speakers and everything else stay as they are. Reviewed statements (verified,
   corrected, rejected) keep their topics as an admin left them; they only gain the
   major topic of a subtopic they carry.
3. The links are rewritten ARTICLE_CHUNK articles at a time, each chunk in one
   transaction with its facet counts (corrections.set_topics).
"""

from __future__ import annotations

import itertools
import multiprocessing
import sys
from collections.abc import Iterator
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from tqdm import tqdm

from .. import corrections
from ..models import Article, Statement, Topic
from ..topic_writes import (
    sync_topics,
)
from .service import TOPICS_FILE, topics_for_extraction

ARTICLE_CHUNK = 200  # articles parsed and written per transaction


@dataclass
class Summary:
    articles: int = 0
    statements: int = 0  # automatic statements looked at
    changed: int = 0  # automatic statements whose topics changed
    reviewed: int = 0  # reviewed statements, left as they were
    majors_added: int = 0  # statements that gained the major topic of a subtopic
    dry_run: bool = False
    sync: object = None

    def __str__(self):
        text = (
            f"Topics: {self.sync}\n"
            f"Statements: {self.changed} of {self.statements} automatic statement(s) in "
            f"{self.articles} article(s) got new topics; {self.reviewed} reviewed "
            f"statement(s) kept theirs"
        )
        if self.majors_added:
            text += f" ({self.majors_added} gained the major topic of a subtopic)"
        text += "."
        return ("Dry run, nothing saved. " + text) if self.dry_run else text


class TopicUpdater:
    def __init__(
        self,
        *,
        processes: int = 1,
        batch_size: int = 16,
        dry_run: bool = False,
        retag: bool = True,
        progress: bool | None = None,
        err=None,
    ):
        self.processes = max(1, processes)
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.retag = retag
        self.err = err or sys.stderr
        self.progress = progress
        self.summary = Summary(dry_run=dry_run)

    def run(self, articles=None) -> Summary:
        """Syncs the topics, then re-tags the statements of `articles` (a queryset;
        every article by default). A dry run does it all in one transaction that is
        rolled back."""
        if not self.dry_run:
            self._run(articles)
            return self.summary
        with transaction.atomic():
            self._run(articles)
            transaction.set_rollback(True)
        return self.summary

    def _run(self, articles) -> None:
        self.summary.sync = sync_topics(TOPICS_FILE)
        if not self.retag:
            return
        if articles is None:
            articles = Article.objects.all()
        ids = list(
            articles.filter(statements__isnull=False)
            .distinct()
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        topics = topics_for_extraction()
        links = dict(Topic.objects.values_list("slug", "pk"))
        show = self.progress if self.progress is not None else self.err.isatty()
        with tqdm(
            total=len(ids), disable=not show, file=self.err, unit="article"
        ) as bar:
            chunks = _chunks(ids, ARTICLE_CHUNK)
            for chunk, results in _tagged(
                chunks, topics, self.processes, self.batch_size
            ):
                self._write(chunk, results, links)
                bar.update(len(chunk))

    def _write(self, chunk, results, links) -> None:
        wanted = {}
        for (pk, _start, _end, status, *_speaker), (majors, minors) in results:
            if status != Statement.ReviewStatus.AUTO:
                self.summary.reviewed += 1
                continue
            self.summary.statements += 1
            wanted[pk] = [links[s] for s in [*majors, *minors] if s in links]
        with transaction.atomic():
            self.summary.changed += corrections.set_topics(wanted)
            self.summary.majors_added += corrections.link_major_topics(
                statement_ids=[pk for (pk, *_), _ in results]
            )
        self.summary.articles += len(chunk)


def _chunks(items, size):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def _jobs(chunk) -> list[tuple[str, list]]:
    """(text, [(statement id, start, end, review status, speaker's country code,
    speaker id)]) per article of the chunk."""
    rows = {}
    for pk, article_id, start, end, status, country, speaker in (
        Statement.objects.filter(article_id__in=chunk)
        .order_by("article_id", "start", "pk")
        .values_list(
            "pk",
            "article_id",
            "start",
            "end",
            "review_status",
            "country__code",
            "speaker_id",
        )
    ):
        rows.setdefault(article_id, []).append(
            (pk, start, end, status, country, speaker)
        )
    texts = dict(Article.objects.filter(pk__in=list(rows)).values_list("pk", "text"))
    return [(texts[a], rows[a]) for a in sorted(rows)]


def _tagged(chunks, topics, processes, batch_size) -> Iterator:
    """(chunk, [(statement row, (majors, subtopics))]) for each chunk of article ids."""
    if processes <= 1:
        tagger = _Tagger(settings.SPACY_MODEL, topics)
        for chunk in chunks:
            yield chunk, tagger.tag(_jobs(chunk), batch_size)
        return
    ctx = multiprocessing.get_context("fork")
    with ctx.Pool(
        processes, initializer=_init_worker, initargs=(settings.SPACY_MODEL, topics)
    ) as pool:
        for chunk in chunks:
            jobs = _jobs(chunk)
            per = max(1, -(-len(jobs) // processes))
            parts = [jobs[i : i + per] for i in range(0, len(jobs), per)]
            results = []
            for part in pool.imap(_work, [(p, batch_size) for p in parts]):
                results.extend(part)
            yield chunk, results


class _Tagger:
    def __init__(self, model: str, topics: list[dict]):
        from ..extraction.nlp import get_nlp
        from ..extraction.topics import TopicMatcher

        self.nlp = get_nlp(model)
        self.matcher = TopicMatcher(topics, self.nlp)

    def tag(self, jobs, batch_size):
        from ..extraction.topics import topics_of_spans

        out = []
        pairs = ((text, rows) for text, rows in jobs)
        for doc, rows in self.nlp.pipe(pairs, batch_size=batch_size, as_tuples=True):
            located = topics_of_spans(
                self.matcher, doc, [(r[1], r[2], r[4], r[5]) for r in rows]
            )
            out.extend(
                (row, (loc.topics, loc.subtopics))
                for row, loc in zip(rows, located, strict=True)
            )
        return out


_WORKER: _Tagger | None = None


def _init_worker(model, topics):
    global _WORKER
    _WORKER = _Tagger(model, topics)


def _work(args):
    jobs, batch_size = args
    assert _WORKER is not None
    return _WORKER.tag(jobs, batch_size)
