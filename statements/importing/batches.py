"""Every write to import batches and their items (statements/batch_tables.py), each atomic.

    batch, item_ids = batches.open_batch(paths, files=3, refused=[...], articles=[...])
    corrections.add_article(..., then=batches.recorder(item_id))   # done or skipped
    batches.attempt(item_id)                      # a worker starts on it
    batches.skipped(item_id, article)
    batches.retrying(item_id, message)
    batches.failed(item_id, message)

An item moves from queued to done, skipped or failed once only: the update is
conditional on its state, and the batch's counter moves in the same transaction, so a
message delivered twice (a worker that died before acknowledging it) is counted once.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from ..batch_tables import ImportBatch, ImportItem

QUEUED = ImportItem.State.QUEUED
DONE = ImportItem.State.DONE
SKIPPED = ImportItem.State.SKIPPED
FAILED = ImportItem.State.FAILED
COUNTER = {DONE: "done", SKIPPED: "skipped", FAILED: "failed"}
MAX_MESSAGE = 2000


@transaction.atomic
def open_batch(
    paths, *, files: int, refused: list[str], skipped: int, articles
) -> tuple[ImportBatch, list[int]]:
    """A batch for `articles` ([(source, content_hash)], about to be queued), with the
    inputs refused when read and the articles skipped then (already stored). Returns
    the batch and its items' ids, in the order of `articles`."""
    batch = ImportBatch.objects.create(
        paths=[str(p) for p in paths],
        files=files,
        bad_files=len(refused),
        messages=list(refused),
        articles=len(articles) + skipped,
        skipped=skipped,
    )
    items = ImportItem.objects.bulk_create(
        ImportItem(batch=batch, source=source[:500], content_hash=digest)
        for source, digest in articles
    )
    _finish_if_done(batch.pk)
    return batch, [item.pk for item in items]


def mark_queued(batch_id: int, n: int) -> None:
    """n more of the batch's items are on the queue now."""
    ImportBatch.objects.filter(pk=batch_id).update(queued=F("queued") + n)


def recorder(item_id: int):
    """The `then` of corrections.add_article for a queued article: its outcome is
    recorded in the article's own transaction."""

    def record(article, statements) -> None:
        if statements is None:
            _settle(item_id, SKIPPED, article=article)
        else:
            _settle(item_id, DONE, article=article, statements=len(statements))

    return record


def skipped(item_id: int, article) -> bool:
    """Already there (found before extracting it)."""
    return _settle(item_id, SKIPPED, article=article)


def failed(item_id: int, message: str) -> bool:
    return _settle(item_id, FAILED, message=message)


def attempt(item_id: int) -> int:
    """A worker starts on the item: its attempts so far, this one included. Counted
    before the work, so attempts that a dying worker never finished count too."""
    ImportItem.objects.filter(pk=item_id, state=QUEUED).update(
        attempts=F("attempts") + 1, updated_at=timezone.now()
    )
    return ImportItem.objects.values_list("attempts", flat=True).get(pk=item_id)


def retrying(item_id: int, message: str) -> None:
    """An attempt failed on a transient error and the task will be tried again."""
    ImportItem.objects.filter(pk=item_id, state=QUEUED).update(
        message=message[:MAX_MESSAGE], updated_at=timezone.now()
    )


@transaction.atomic
def not_queued(item_ids, message: str) -> int:
    """Items the broker never took: failed, with the reason."""
    return sum(failed(pk, message) for pk in item_ids)


@transaction.atomic
def _settle(item_id, state, *, article=None, statements=0, message="") -> bool:
    """Moves a queued item to its outcome and counts it on its batch; False (and
    nothing changed) when it had an outcome already."""
    changed = ImportItem.objects.filter(pk=item_id, state=QUEUED).update(
        state=state,
        article=article,
        statements=statements,
        message=message[:MAX_MESSAGE],
        updated_at=timezone.now(),
    )
    if not changed:
        return False
    item = ImportItem.objects.only("batch_id", "source").get(pk=item_id)
    counter = COUNTER[state]
    ImportBatch.objects.filter(pk=item.batch_id).update(
        **{counter: F(counter) + 1, "statements": F("statements") + statements}
    )
    if state == FAILED:
        batch = ImportBatch.objects.select_for_update().get(pk=item.batch_id)
        batch.messages = [*batch.messages, f"{item.source}: {message}"[:MAX_MESSAGE]]
        batch.save(update_fields=["messages"])
    _finish_if_done(item.batch_id)
    return True


def _finish_if_done(batch_id) -> None:
    ImportBatch.objects.filter(
        pk=batch_id,
        finished_at=None,
        articles=F("done") + F("skipped") + F("failed"),
    ).update(finished_at=timezone.now())
