"""The import service: articles in, through the extractor in batches, stored one transaction each.

    summary = Importer(processes=2).run(["seeds/"])
    summary = Importer().reextract(Article.objects.filter(...))

Writes are in bulk: per article, one INSERT for its statements (with their history rows, by
simple_history's bulk_create_with_history, so the admin's history starts at "created by
import") and one for the statements' topics.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import itertools
import json
import os
import sys
from dataclasses import dataclass, field, replace

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from simple_history.utils import bulk_create_with_history
from tqdm import tqdm

from ..cache import statements_added
from ..models import Article, Statement, Topic, recount
from .readers import ArticleInput, InputError, read_inputs
from .speakers import SpeakerResolver

TOPICS_FILE = settings.BASE_DIR / "seeds" / "topics.json"
MANY_ARTICLES = 20
REEXTRACT_CHUNK = 500  # stored articles read and extracted at a time  # from this many articles on, two spaCy processes by default
IMPORT_REASON = "import"
REEXTRACT_REASON = "re-extract"


def _chunks(items, size: int):
    it = iter(items)
    while chunk := list(itertools.islice(it, size)):
        yield chunk


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def topics_for_extraction() -> list[dict]:
    return [
        {"name": t.name, "slug": t.slug, "key_phrases": list(t.key_phrases or [])}
        for t in Topic.objects.order_by("slug")
    ]


def ensure_topics() -> int:
    """Creates the topics of seeds/topics.json that are missing; an existing topic (matched by
    slug) is left as an admin may have edited it. Returns how many were created."""
    from ..extraction.topics import load_topics

    path = TOPICS_FILE
    if not path.exists():
        return 0
    created = 0
    for topic in load_topics(path):
        _, made = Topic.objects.get_or_create(
            slug=topic["slug"],
            defaults={
                "name": topic["name"],
                "key_phrases": list(topic.get("key_phrases") or []),
                "description": topic.get("description", ""),
            },
        )
        created += made
    return created


@functools.lru_cache(maxsize=4)
def _extractor(model: str, topics_json: str):
    from ..extraction import Extractor

    return Extractor(model=model, topics=json.loads(topics_json))


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
        self.resolver: SpeakerResolver | None = None

    # The public entry points.

    def run(self, paths: list[str], stdin=None) -> Summary:
        """Imports the articles at these paths ("-" is stdin)."""
        with self._dry_run_guard():
            ensure_topics()
            jobs = self._jobs(paths, stdin)
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

    def _jobs(self, paths, stdin) -> list[_Job]:
        jobs: list[_Job] = []
        seen_hashes: set[str] = set()
        seen_urls: set[str] = set()
        max_bytes = settings.MAX_ARTICLE_BYTES
        for input_file in read_inputs(paths, max_bytes, stdin, skip=[TOPICS_FILE]):
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
                with transaction.atomic():
                    if job.article is not None:
                        self._reextract_one(job.article, result, version)
                    else:
                        self._store_new(job.article_input, result, version)
            except InputError as e:
                self._fail(e)
            except Exception as e:  # a database error: this article only
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
        article = Article(
            title=a.title[:500],
            url=a.url,
            outlet=a.outlet[:200],
            published=a.published,
            text=a.text,
            content_hash=content_hash(a.text),
            extractor_version=version,
        )
        article._change_reason = IMPORT_REASON
        article.save()
        n = self._write_statements(article, result, kept=[], reason=IMPORT_REASON)
        self.summary.statements += n
        self.summary.imported += 1
        self.log(f"{a.source}: imported as article {article.pk}, {n} statements")

    def _reextract_one(self, article: Article, result, version: str) -> None:
        """Automatic statements are replaced; reviewed ones stay exactly as the admin left
        them, and a new statement overlapping one of them is not added."""
        reviewed = article.statements.exclude(review_status=Statement.ReviewStatus.AUTO)
        kept = list(reviewed.values_list("start", "end"))
        self._delete_automatic(article)
        n = self._write_statements(article, result, kept=kept, reason=REEXTRACT_REASON)
        self.summary.statements += n
        self.log(
            f"article {article.pk}: re-extracted, {n} automatic statements, "
            f"{len(kept)} reviewed kept"
        )
        article.extractor_version = version
        article._change_reason = REEXTRACT_REASON
        article.save(update_fields=["extractor_version"])
        self.summary.reextracted += 1

    def _delete_automatic(self, article: Article) -> None:
        """Deletes the article's automatic statements in two statements of SQL, not one
        delete (with its signals) per row; the facet counts are then recounted once. The
        deleted automatic rows get no "deleted" history record: nobody reviewed them."""
        auto = article.statements.filter(review_status=Statement.ReviewStatus.AUTO)
        rows = list(auto.values_list("pk", "speaker_id", "kind", "published"))
        if not rows:
            return
        ids = [row[0] for row in rows]
        for chunk in _chunks(ids, 5000):
            Statement.topics.through.objects.filter(statement_id__in=chunk).delete()
            Statement.objects.filter(pk__in=chunk)._raw_delete(Statement.objects.db)
        recount(row[1:] for row in rows)

    def _write_statements(
        self, article: Article, result, kept: list, reason: str
    ) -> int:
        taken, chosen = list(kept), []
        for st in result.statements:
            if any(st.start < end and start < st.end for start, end in taken):
                continue  # overlaps a reviewed statement, or one already taken
            taken.append((st.start, st.end))
            chosen.append(st)
        speakers = self.resolver.resolve_article(chosen, result, article)
        rows, topic_slugs = [], []
        for st, speaker in zip(chosen, speakers, strict=True):
            rows.append(
                Statement(
                    article=article,
                    speaker=speaker,
                    speaker_mention=(st.speaker_mention or "")[:300],
                    kind=st.kind,
                    cue=(st.cue or "")[:100],
                    text=st.text,
                    start=st.start,
                    end=st.end,
                    method=(st.method or "")[:50],
                    confidence=float(st.confidence or 0.0),
                    # Denormalised columns: bulk_create skips save(), so set them here.
                    published=article.published,
                    country_id=speaker.country_id if speaker else None,
                )
            )
            topic_slugs.append(st.topics or [])
        if not rows:
            return 0
        created = bulk_create_with_history(
            rows,
            Statement,
            default_user=self.user,
            default_change_reason=reason,
        )
        through = Statement.topics.through
        links = [
            through(statement_id=st.pk, topic_id=self.topic_ids[slug])
            for st, slugs in zip(created, topic_slugs, strict=True)
            for slug in dict.fromkeys(slugs)
            if slug in self.topic_ids
        ]
        through.objects.bulk_create(links, ignore_conflicts=True)
        statements_added([st.pk for st in created])
        return len(created)
