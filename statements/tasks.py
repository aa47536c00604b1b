"""The import workers' task: one queued article, extracted and stored.

    celery -A config worker -l info        # make worker

`import_articles --queue` reads and checks the files, records an ImportBatch with an
ImportItem per article and puts each article on the queue (statements/importing/queue.py).
A worker takes one at a time and

- skips it when its item already has an outcome (a message delivered twice) or when an
  article with the same text or URL is stored (idempotent by content hash);
- extracts it with the model its process loaded once, at start;
- stores it through corrections.add_article, which records the item's outcome on the
  batch in the same transaction (statements/importing/batches.py);
- on a transient error (the database away, a lock held longer than
  IMPORT_LOCK_TIMEOUT_MS) tries again after IMPORT_TASK_BACKOFF seconds, doubling, up
  to IMPORT_TASK_RETRIES times; then, or at once on any other error, marks the item
  failed with the error's message, which `import_articles --status` and the admin show.
"""

from __future__ import annotations

import logging
import random

from celery.signals import celeryd_after_setup
from django.conf import settings
from django.db import (
    InterfaceError,
    OperationalError,
    close_old_connections,
    connection,
    connections,
)

from config.celery import app

from . import corrections
from .batch_tables import ImportItem
from .importing import batches
from .importing.queue import article_from_payload
from .importing.service import get_extractor
from .importing.speakers import SpeakerResolver
from .models import Article, Topic

log = logging.getLogger(__name__)

# Errors worth trying again: the connection to the database lost or refused, a lock
# not granted in time, a serialisation failure. Anything else fails the item at once.
TRANSIENT = (OperationalError, InterfaceError)
MAX_BACKOFF = 300  # seconds


@celeryd_after_setup.connect
def load_the_model(**kwargs):
    """The spaCy model and the topic matcher, loaded once in the worker's main process
    before it forks its pool: every pool process starts with them, no task loads them."""
    get_extractor()
    connections.close_all()  # the pool's processes open their own


def backoff(retries: int) -> float:
    """Seconds before attempt `retries + 2`: IMPORT_TASK_BACKOFF doubling, +/-25%."""
    seconds = settings.IMPORT_TASK_BACKOFF * 2**retries
    return min(MAX_BACKOFF, seconds * random.uniform(0.75, 1.25))


def _first_line(error: Exception) -> str:
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0] if text else repr(error)}"


def _lock_timeout() -> None:
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute(
                "SELECT set_config('lock_timeout', %s, false)",
                [f"{settings.IMPORT_LOCK_TIMEOUT_MS}ms"],
            )


def store(item_id: int, payload: dict) -> str:
    """Extracts and stores one article; returns its item's outcome."""
    _lock_timeout()
    digest, url = payload["content_hash"], payload.get("url")
    existing = Article.objects.filter(content_hash=digest).only("pk").first() or (
        url and Article.objects.filter(url=url).only("pk").first()
    )
    if existing:
        batches.skipped(item_id, existing)
        return ImportItem.State.SKIPPED
    extractor = get_extractor()  # loaded once per process (and per set of topics)
    result = extractor.extract(payload["text"])
    _, statements = corrections.add_article(
        article_from_payload(payload),
        result,
        resolver=SpeakerResolver(),
        topic_ids=dict(Topic.objects.values_list("slug", "pk")),
        then=batches.recorder(item_id),
    )
    return ImportItem.State.SKIPPED if statements is None else ImportItem.State.DONE


@app.task(bind=True, name="statements.import_article", max_retries=None)
def import_article(self, item_id: int, payload: dict, failure: str = "") -> str:
    """Imports one queued article (see the module's docstring). `failure` is set when
    only the failure is left to record (the database was away when it happened)."""
    attempt = self.request.retries + 1
    try:
        if failure:
            return _record_failure(self, item_id, payload, failure)
        state = ImportItem.objects.filter(pk=item_id).values_list("state", flat=True)
        state = state.first()
        if state is None:
            log.warning("Import item %s is gone (its batch was deleted)", item_id)
            return "gone"
        if state != ImportItem.State.QUEUED:
            return state  # delivered again after it was settled: nothing to do
        attempt = batches.attempt(item_id)
        if attempt > settings.IMPORT_TASK_RETRIES + 1:
            # Delivered again and again without an outcome: the worker died on it
            # (killed, out of memory), so it is not tried once more.
            return _record_failure(
                self,
                item_id,
                payload,
                f"gave up after {attempt - 1} attempts that ended without an outcome "
                "(the worker stopped or was killed while on it)",
            )
        outcome = store(item_id, payload)
    except TRANSIENT as e:
        message = _first_line(e)
        close_old_connections()  # a connection the error broke is not used again
        if attempt > settings.IMPORT_TASK_RETRIES:
            log.error(
                "%s: failed after %d attempts: %s", payload["source"], attempt, message
            )
            return _record_failure(
                self, item_id, payload, f"gave up after {attempt} attempts: {message}"
            )
        countdown = backoff(attempt - 1)
        log.warning(
            "%s: attempt %d failed (%s); retrying in %.1f s",
            payload["source"],
            attempt,
            message,
            countdown,
        )
        try:
            batches.retrying(item_id, message)
        except TRANSIENT:
            close_old_connections()
        raise self.retry(countdown=countdown) from e
    except Exception as e:
        log.exception("%s: failed", payload["source"])
        return _record_failure(self, item_id, payload, _first_line(e))
    log.info(
        "%s: %s (item %s, attempt %d)", payload["source"], outcome, item_id, attempt
    )
    return outcome


def _record_failure(task, item_id: int, payload: dict, message: str) -> str:
    """Marks the item failed. Should the database be away even for that, the task is
    sent again to record only this failure, later, until it can: no failure goes
    unrecorded."""
    try:
        batches.failed(item_id, message)
    except TRANSIENT as e:
        close_old_connections()
        log.error("%s: cannot record its failure yet (%s)", payload["source"], e)
        raise task.retry(
            args=(item_id, payload),
            kwargs={"failure": message},
            countdown=MAX_BACKOFF,
        ) from e
    return ImportItem.State.FAILED
