"""The import service: articles in, through the extractor in batches, stored one transaction each.

    summary = Importer(processes=2).run(["seeds/"])
    summary = Importer().reextract(Article.objects.filter(...))

Every write goes through statements/corrections.py: each article in a transaction of its
own (add_article, or reextract for a stored one), its statements in one INSERT (with their
history rows, so the admin's history starts at "created by import") and one for their
topics, safe to run at the same time as another import.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import logging
import os
import sys
import time
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import DatabaseError, transaction
from tqdm import tqdm

from .. import corrections
from ..models import Article, Topic
from ..topic_writes import sync_topics
from .readers import ArticleInput, InputError, read_inputs
from .speakers import SpeakerResolver

log = logging.getLogger(__name__)

TOPICS_FILE = settings.BASE_DIR / "seeds" / "topics.json"
MANY_ARTICLES = 20  # from this many articles on, two spaCy processes by default
REEXTRACT_CHUNK = 500  # stored articles read and extracted at a time


def _chunks(items, size: int):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def topics_for_extraction() -> list[dict]:
    return [
        {
            "name": t.name,
            "slug": t.slug,
            "parent": t.parent.slug if t.parent_id else None,
            "key_phrases": list(t.key_phrases or []),
        }
        for t in Topic.objects.select_related("parent").order_by("slug")
    ]


def ensure_topics() -> int:
    """Brings the topics of seeds/topics.json into the database, keeping every field an
    admin edited (topic_writes.sync_topics). Returns how many were created."""
    summary = sync_topics(TOPICS_FILE)
    if summary.created or summary.updated:
        corrections.data_changed()  # the pages' topic menus list them
    return len(summary.created)


@functools.lru_cache(maxsize=4)
def _extractor(model: str, topics_json: str):
    from ..extraction import Extractor
    from ..extraction.nlp import get_nlp

    extractor = Extractor(model=model, topics=json.loads(topics_json))
    if not get_nlp.cache_info().currsize:
        started = time.perf_counter()
        get_nlp(model)
        log.debug(
            "Loaded the spaCy model %s in process %d (%.1f s)",
            model,
            os.getpid(),
            time.perf_counter() - started,
        )
    return extractor


def get_extractor():
    """The extractor, with the topics now in the database; built once per set of topics."""
    return _extractor(
        settings.SPACY_MODEL, json.dumps(topics_for_extraction(), sort_keys=True)
    )


def extractor_version() -> str:
    from ..extraction import EXTRACTOR_VERSION

    return str(EXTRACTOR_VERSION)


@dataclass
class Summary:
    imported: int = 0
    reextracted: int = 0
    skipped: int = 0
    failed: int = 0
    statements: int = 0
    new_speakers: int = 0
    dry_run: bool = False
    failures: list[InputError] = field(default_factory=list)

    def __str__(self):
        parts = [f"Imported {self.imported}"]
        if self.reextracted:
            parts.append(f"re-extracted {self.reextracted}")
        parts += [
            f"skipped {self.skipped} (already there)",
            f"failed {self.failed}",
        ]
        text = (
            ", ".join(parts)
            + f"; {self.statements} statements, {self.new_speakers} new speakers."
        )
        return ("Dry run, nothing saved: " + text) if self.dry_run else text


@dataclass
class _Job:
    source: str
    text: str
    article_input: ArticleInput | None = None  # a new article
    article: Article | None = None  # a stored one, to re-extract


def _check_url(article: ArticleInput) -> None:
    if article.url:
        try:
            URLValidator()(article.url)
        except ValidationError:
            raise InputError(
                article.source, f"{article.url!r} is not a valid URL"
            ) from None


class Importer:
    def __init__(
        self,
        *,
        processes: int | None = None,
        batch_size: int = 16,
        dry_run: bool = False,
        reextract: bool = False,
        overrides: dict | None = None,
        progress: bool | None = None,
        log=None,
        err=None,
        user=None,
        extractor=None,
    ):
        self.extractor = extractor  # by default, get_extractor(): settings.SPACY_MODEL
        self.processes = processes
        self.batch_size = batch_size
        self.dry_run = dry_run
        self.reextract_existing = reextract
        self.overrides = {k: v for k, v in (overrides or {}).items() if v}
        self.err = err or sys.stderr
        self.progress = progress
        self.log = log or (lambda message: None)  # one line per article (-v 2)
        self.user = user
        self.summary = Summary(dry_run=dry_run)
        self.inputs = 0  # files (and stdin) read
        self.resolver: SpeakerResolver | None = None

    # The public entry points.

    def run(self, paths: list[str], stdin=None) -> Summary:
        """Imports the articles at these paths ("-" is stdin)."""
        with self._dry_run_guard():
            ensure_topics()
            jobs = self.read(paths, stdin)
            with self._progress_bar(len(jobs)) as bar:
                self._extract_and_store(jobs, bar)
        return self.summary

    def reextract(self, articles) -> Summary:
        """Re-runs extraction on stored articles (an iterable or a queryset), reading
        them REEXTRACT_CHUNK at a time so that memory stays flat."""
        if hasattr(articles, "values_list"):
            # The ids first, then the articles chunk by chunk: writing to a table while
            # iterating a cursor over it is not safe everywhere (SQLite).
            ids = list(articles.order_by("pk").values_list("pk", flat=True))
            articles = (
                article
                for chunk in _chunks(ids, REEXTRACT_CHUNK)
                for article in Article.objects.filter(pk__in=chunk).order_by("pk")
            )
            total = len(ids)
        else:
            articles = list(articles)
            total = len(articles)
        with self._dry_run_guard():
            ensure_topics()
            with self._progress_bar(total) as bar:
                for chunk in _chunks(articles, REEXTRACT_CHUNK):
                    jobs = [
                        _Job(source=f"article {a.pk} ({a})", text=a.text, article=a)
                        for a in chunk
                    ]
                    self._extract_and_store(jobs, bar)
        return self.summary

    def _progress_bar(self, total: int):
        """On stderr, when it is a terminal (or when asked)."""
        show = self.progress if self.progress is not None else self.err.isatty()
        return tqdm(total=total, disable=not show, file=self.err, unit="article")

    @contextlib.contextmanager
    def _dry_run_guard(self):
        """Each article commits on its own; a dry run wraps them all in one transaction
        that is rolled back at the end (so it resolves speakers exactly as a real run)."""
        if not self.dry_run:
            yield
            return
        with transaction.atomic():
            yield
            transaction.set_rollback(True)

    # Reading.

    def _fail(self, error: InputError) -> None:
        self.summary.failed += 1
        self.summary.failures.append(error)
        print(f"error: {error}", file=self.err)

    def read(self, paths, stdin=None) -> list[_Job]:
        """Reads and checks every input: the articles to extract, in order. Bad inputs
        are reported (on `err`) and counted as failed, articles already stored (or
        earlier in this run) as skipped; `inputs` counts the inputs read."""
        jobs: list[_Job] = []
        seen_hashes: set[str] = set()
        seen_urls: set[str] = set()
        max_bytes = settings.MAX_ARTICLE_BYTES
        for input_file in read_inputs(paths, max_bytes, stdin, skip=[TOPICS_FILE]):
            self.inputs += 1
            if input_file.error:
                self._fail(input_file.error)
                continue
            try:
                articles = [replace(a, **self.overrides) for a in input_file.articles]
                if "url" in self.overrides and len(articles) > 1:
                    raise InputError(
                        input_file.source,
                        f"--url names one article, but this input holds {len(articles)}",
                    )
                for a in articles:
                    _check_url(a)
            except InputError as e:
                self._fail(e)
                continue
            for a in articles:
                digest = content_hash(a.text)
                if digest in seen_hashes or (a.url and a.url in seen_urls):
                    self.summary.skipped += 1
                    self.log(f"{a.source}: skipped, the same text or URL came earlier")
                    continue
                seen_hashes.add(digest)
                if a.url:
                    seen_urls.add(a.url)
                stored = Article.objects.all()
                if not self.reextract_existing:
                    stored = stored.only("pk")  # only to say which one it is
                existing = stored.filter(content_hash=digest).first() or (
                    a.url and stored.filter(url=a.url).first()
                )
                if existing and self.reextract_existing:
                    jobs.append(_Job(a.source, existing.text, article=existing))
                elif existing:
                    self.summary.skipped += 1
                    self.log(
                        f"{a.source}: skipped, already there (article {existing.pk})"
                    )
                else:
                    jobs.append(_Job(a.source, a.text, article_input=a))
        return jobs

    # Extracting and storing.

    def _processes(self, n_jobs: int) -> int:
        if self.processes:
            return max(1, self.processes)
        return min(2, os.cpu_count() or 1) if n_jobs >= MANY_ARTICLES else 1

    def _extract_and_store(self, jobs: list[_Job], bar) -> None:
        if not jobs:
            return
        extractor = self.extractor or get_extractor()
        version = extractor_version()
        if self.resolver is None:
            self.resolver = SpeakerResolver()
            self.topic_ids = dict(Topic.objects.values_list("slug", "pk"))
        for job, result in self._results(extractor, jobs):
            try:
                if isinstance(result, Exception):
                    raise InputError(job.source, f"extraction failed: {result!r}")
                if job.article is not None:
                    self._reextract_one(job.article, result, version)
                else:
                    self._store_new(job.article_input, result, version)
            except InputError as e:
                self._fail(e)
            except DatabaseError as e:  # this article only; the others go on
                first_line = (str(e).strip().splitlines() or [repr(e)])[0]
                self._fail(InputError(job.source, f"not stored: {first_line}"))
            bar.update(1)
        self.summary.new_speakers = len(self.resolver.created)

    def _results(self, extractor, jobs: list[_Job]):
        """(job, ArticleResult) in order, from nlp.pipe in batches. Should the extractor
        fail on an article, that article gets (job, exception) and the rest go on."""
        n_process = self._processes(len(jobs))
        i = 0
        while i < len(jobs):
            try:
                for result in extractor.pipe(
                    (job.text for job in jobs[i:]),
                    batch_size=self.batch_size,
                    n_process=n_process,
                ):
                    yield jobs[i], result
                    i += 1
                return
            except Exception:
                # Within a batch the culprit is not known: retry the next one alone.
                try:
                    result = extractor.extract(jobs[i].text)
                except Exception as e:
                    result = e
                yield jobs[i], result
                i += 1

    def _store_new(self, a: ArticleInput, result, version: str) -> None:
        """One article in a transaction of its own (corrections.add_article); the
        summary counts it only once it is committed."""
        article, created = corrections.add_article(
            Article(
                title=a.title[:500],
                url=a.url,
                outlet=a.outlet[:200],
                published=a.published,
                text=a.text,
                content_hash=content_hash(a.text),
                extractor_version=version,
            ),
            result,
            resolver=self.resolver,
            topic_ids=self.topic_ids,
            user=self.user,
        )
        if created is None:  # another import stored it since this run looked
            self.summary.skipped += 1
            self.log(f"{a.source}: skipped, already there (article {article.pk})")
            return
        self.summary.statements += len(created)
        self.summary.imported += 1
        self.log(
            f"{a.source}: imported as article {article.pk}, {len(created)} statements"
        )

    def _reextract_one(self, article: Article, result, version: str) -> None:
        created, kept = corrections.reextract(
            article,
            result,
            resolver=self.resolver,
            topic_ids=self.topic_ids,
            version=version,
            user=self.user,
        )
        self.summary.statements += len(created)
        self.summary.reextracted += 1
        self.log(
            f"article {article.pk}: re-extracted, {len(created)} automatic statements, "
            f"{len(kept)} reviewed kept"
        )
