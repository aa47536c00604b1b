"""Putting articles on the import queue (`import_articles --queue`) and reporting on it.

    batch = enqueue(paths, importer)      # read and check, record the batch, publish
    print(describe(batch))                # `import_articles --status BATCH`

The files are read and checked here exactly as a local import reads them (bad input is
reported at once, naming the file); each good article that is not stored yet becomes
an ImportItem of a new ImportBatch and a message on the queue (settings.IMPORT_QUEUE)
for the workers (statements/tasks.py). Celery is imported only when a batch is queued.
"""

from __future__ import annotations

import datetime
import time

from django.conf import settings

from ..batch_tables import ImportBatch
from ..models import Article
from . import batches
from .service import content_hash, ensure_topics, extractor_version

PATHS_SHOWN = 5


class BrokerUnavailable(RuntimeError):
    """The broker cannot be reached: nothing was read, recorded or queued."""


def celery_app():
    from config.celery import app

    return app


def _connection(app):
    """A connection to settings.CELERY_BROKER_URL (read now, not when Celery started)."""
    return app.connection_for_write(settings.CELERY_BROKER_URL)


def _broker_error(app, error) -> BrokerUnavailable:
    where = _connection(app).as_uri()  # the password masked
    return BrokerUnavailable(
        f"Cannot reach the message broker at {where} ({error}). Start RabbitMQ or set "
        "CELERY_BROKER_URL to a broker that runs; or import without --queue, which "
        "needs no broker."
    )


def check_broker(app=None) -> None:
    """Raises BrokerUnavailable unless the broker answers (a couple of quick tries)."""
    app = app or celery_app()
    try:
        with _connection(app) as conn:
            conn.ensure_connection(
                max_retries=1,
                interval_start=0.2,
                interval_step=0.2,
                timeout=settings.CELERY_BROKER_CONNECTION_TIMEOUT,
            )
    except Exception as e:  # kombu raises OperationalError, OSError or others
        raise _broker_error(app, e) from None


def delete_queue(name: str) -> None:
    """Removes a queue and its exchanges from the broker (the tests' and benchmarks'
    queues of their own)."""
    with _connection(celery_app()) as conn:
        channel = conn.channel()
        channel.queue_delete(name)
        for exchange in (
            name,
            f"{name}.control.pidbox",
            f"reply.{name}.control.pidbox",
        ):
            channel.exchange_delete(exchange)


def payload(article, digest: str) -> dict:
    """A message's body: an ArticleInput as JSON."""
    return {
        "source": article.source,
        "text": article.text,
        "title": article.title,
        "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "outlet": article.outlet,
        "content_hash": digest,
    }


def article_from_payload(data: dict) -> Article:
    published = data.get("published")
    return Article(
        title=(data.get("title") or "")[:500],
        url=data.get("url") or None,
        outlet=(data.get("outlet") or "")[:200],
        published=datetime.date.fromisoformat(published) if published else None,
        text=data["text"],
        content_hash=data["content_hash"],
        extractor_version=extractor_version(),
    )


def enqueue(paths, importer, stdin=None) -> ImportBatch:
    """Reads and checks `paths` with `importer` (a service.Importer, which reports bad
    input on its stderr and counts it in its summary), records a batch and puts each
    new article on the queue. BrokerUnavailable before anything is read when the
    broker is down; should it go away midway, the articles not queued are marked
    failed with the reason (and BrokerUnavailable is raised)."""
    app = celery_app()
    check_broker(app)
    from ..tasks import import_article

    ensure_topics()
    jobs = importer.read(paths, stdin)
    summary = importer.summary
    batch, item_ids = batches.open_batch(
        paths,
        files=importer.inputs,
        refused=[str(e) for e in summary.failures],
        skipped=summary.skipped,
        articles=[(job.source, content_hash(job.text)) for job in jobs],
    )
    sent = 0
    try:
        with _connection(app) as conn, conn.Producer() as producer:
            for job, item_id in zip(jobs, item_ids, strict=True):
                import_article.apply_async(
                    (item_id, payload(job.article_input, content_hash(job.text))),
                    producer=producer,
                    queue=settings.IMPORT_QUEUE,
                    retry=True,
                    retry_policy={
                        "max_retries": 3,
                        "interval_start": 0.5,
                        "interval_step": 1,
                        "interval_max": 3,
                    },
                )
                sent += 1
    except Exception as e:
        batches.mark_queued(batch.pk, sent)
        error = _broker_error(app, e)
        batches.not_queued(item_ids[sent:], f"not queued: {error}")
        raise error from None
    batches.mark_queued(batch.pk, sent)
    batch.refresh_from_db()
    return batch


def wait(batch: ImportBatch, poll: float = 0.5, progress=None) -> ImportBatch:
    """Until every article of the batch is done, skipped or failed."""
    settled = -1
    while True:
        batch.refresh_from_db()
        now = batch.done + batch.skipped + batch.failed
        if progress is not None and now != settled:
            progress(batch)
        settled = now
        if batch.waiting <= 0:
            return batch
        time.sleep(poll)


def counts(batch: ImportBatch) -> str:
    return (
        f"{batch.articles} articles from {batch.files} input(s) "
        f"({batch.bad_files} refused): {batch.queued} queued, {batch.done} imported, "
        f"{batch.skipped} skipped (already there), {batch.failed} failed, "
        f"{batch.waiting} waiting; {batch.statements} statements."
    )


def describe(batch: ImportBatch) -> str:
    """What `import_articles --status BATCH` prints."""
    lines = [
        f"Import batch {batch.pk}, queued {batch.created_at:%Y-%m-%d %H:%M:%S} UTC: "
        f"{batch.status}"
        + (
            f" at {batch.finished_at:%Y-%m-%d %H:%M:%S} UTC"
            if batch.finished_at
            else ""
        )
        + ".",
        counts(batch),
    ]
    if batch.paths:
        shown = " ".join(batch.paths[:PATHS_SHOWN])
        more = len(batch.paths) - PATHS_SHOWN
        lines.append(f"Paths: {shown}" + (f" and {more} more" if more > 0 else ""))
    if batch.messages:
        lines.append("Messages:")
        lines += [f"  {m}" for m in batch.messages]
    return "\n".join(lines)
