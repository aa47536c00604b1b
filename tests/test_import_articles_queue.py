"""`import_articles --queue`, `--status` and the workers (statements/tasks.py), against
the local RabbitMQ, with real Celery workers started here on the test database."""

import io
import os
import socket
import time

import psycopg
import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from statements import counting
from statements.batch_tables import ImportBatch, ImportItem
from statements.importing import queue as queue_module
from statements.importing.queue import delete_queue
from statements.importing.service import Importer, content_hash
from statements.models import Article, Speaker, SpeakerAlias, Statement
from statements.tasks import import_article
from tests.celery_worker import Worker, unique_queue
from tests.counts import counts_are_exact
from tests.users import staff_user

PEOPLE = ["Wanda Pell", "Otto Brandt", "Ines Castell", "Paul Okafor"]

postgresql_only = pytest.mark.skipif(
    os.getenv("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="a worker in another process needs a database it can share: PostgreSQL",
)


def write_articles(folder, n=8):
    """Invented articles that share speakers, so concurrent workers race to create them."""
    folder.mkdir(exist_ok=True)
    for i in range(n):
        a, b = PEOPLE[i % 4], PEOPLE[(i + 1) % 4]
        folder.joinpath(f"2025-04-{i + 1:02d}-harbour-{i}.txt").write_text(
            f"Harbour talks, day {i}\n\n"
            f"“We will reopen berth {i} before winter,” {a} said on Tuesday.\n"
            f"{b} told reporters that the dredging plan number {i} was too costly.\n"
            f"{a.split()[-1]} said later that the unions had been consulted.",
            encoding="utf-8",
        )
    return folder


def snapshot():
    return {
        "articles": sorted(
            Article.objects.values_list("content_hash", "title", "published")
        ),
        "statements": sorted(
            Statement.objects.values_list(
                "article__content_hash", "start", "end", "speaker__name", "kind", "cue"
            )
        ),
        "speakers": sorted(Speaker.objects.values_list("name", "kind")),
        "aliases": sorted(
            SpeakerAlias.objects.values_list("normalised", "speaker__name")
        ),
    }


def run(*args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_articles", *map(str, args), stdout=out, stderr=err)
    except CommandError as e:
        return out.getvalue(), err.getvalue() + str(e), False
    return out.getvalue(), err.getvalue(), True


def wait_for(condition, timeout=120, what="the workers"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise TimeoutError(f"{what} did not finish in {timeout} s")


@pytest.fixture
def queue(settings):
    """A queue of this test's own on the shared broker; deleted afterwards."""
    settings.IMPORT_QUEUE = unique_queue()
    yield settings.IMPORT_QUEUE
    delete_queue(settings.IMPORT_QUEUE)


@pytest.fixture
def start_worker(queue):
    workers = []

    def start(concurrency=1, loglevel="INFO", **env):
        worker = Worker(queue, concurrency=concurrency, loglevel=loglevel, **env)
        workers.append(worker)
        worker.wait_until_ready()
        return worker

    yield start
    for worker in workers:
        worker.stop()


def closed_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# Workers on the real broker.


@postgresql_only
def test_two_worker_processes_store_exactly_what_a_local_import_stores(
    transactional_db, tmp_path, start_worker
):
    folder = write_articles(tmp_path / "harbour")
    out, err, ok = run(folder, "--processes", "1")
    assert ok, err
    local = snapshot()
    assert len(local["articles"]) == 8 and len(local["statements"]) >= 16
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE statements_article, statements_speaker, statements_speakeralias, "
            "statements_position, statements_statement, statements_statement_topics "
            "RESTART IDENTITY CASCADE"
        )
    counting.rebuild()

    worker = start_worker(concurrency=2, loglevel="DEBUG")  # DEBUG: the model's load
    out, err, ok = run(folder, "--queue", "--wait")

    assert ok, err + worker.log()
    batch = ImportBatch.objects.get()
    assert (batch.articles, batch.queued, batch.done, batch.failed) == (8, 8, 8, 0)
    assert batch.statements == len(local["statements"])
    assert batch.finished_at is not None
    assert f"Import batch {batch.pk}: 8 articles" in out
    assert snapshot() == local
    assert counts_are_exact()
    # The model was loaded once, in the worker's main process, for all eight tasks.
    assert worker.log().count("Loaded the spaCy model") == 1, worker.log()
    assert worker.log().count("succeeded in") == 8


@postgresql_only
def test_a_task_that_keeps_meeting_a_transient_error_is_retried_then_marked_failed(
    transactional_db, tmp_path, start_worker
):
    text = "“The tunnel stays shut,” Otto Brandt said on Friday."
    path = tmp_path / "tunnel.txt"
    path.write_text(text, encoding="utf-8")
    worker = start_worker(
        IMPORT_LOCK_TIMEOUT_MS=100, IMPORT_TASK_RETRIES=2, IMPORT_TASK_BACKOFF=0.2
    )
    # Another writer holds the article's lock (as a long import of the same text
    # would): every attempt of the worker times out waiting for it.
    s = connection.settings_dict
    with psycopg.connect(
        host=s["HOST"] or "127.0.0.1", user=s["USER"], dbname=s["NAME"]
    ) as holder:
        holder.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
            [f"article:{content_hash(text)}"],
        )
        out, err, ok = run(path, "--queue")
        assert ok, err
        item = ImportItem.objects.get()
        wait_for(
            lambda: ImportItem.objects.get(pk=item.pk).state != ImportItem.State.QUEUED
        )
        holder.rollback()

    item.refresh_from_db()
    assert item.state == ImportItem.State.FAILED
    assert item.attempts == 3  # the first attempt and two retries
    assert "gave up after 3 attempts" in item.message
    assert "lock timeout" in item.message
    assert worker.log().count("retrying in") == 2
    batch = item.batch
    batch.refresh_from_db()
    assert (batch.done, batch.failed, batch.waiting) == (0, 1, 0)
    assert batch.status == "finished with failures"
    assert not Article.objects.exists()
    out, err, ok = run("--status", batch.pk)
    assert ok, err
    assert "finished with failures" in out
    assert f"{path}: gave up after 3 attempts" in out


# Queueing and its checks (a broker, no worker).


def test_a_missing_broker_is_named_and_nothing_is_recorded(db, tmp_path, settings):
    write_articles(tmp_path / "harbour", n=2)
    settings.CELERY_BROKER_URL = f"amqp://guest:secret@127.0.0.1:{closed_port()}//"

    out, err, ok = run(tmp_path / "harbour", "--queue")

    assert not ok
    assert "Cannot reach the message broker at amqp://guest:**@127.0.0.1:" in err
    assert "secret" not in err
    assert "import without --queue" in err
    assert not ImportBatch.objects.exists()
    assert not ImportItem.objects.exists()


def test_the_local_import_needs_no_broker(db, tmp_path, settings):
    write_articles(tmp_path / "harbour", n=2)
    settings.CELERY_BROKER_URL = f"amqp://guest:guest@127.0.0.1:{closed_port()}//"

    out, err, ok = run(tmp_path / "harbour")

    assert ok, err
    assert Article.objects.count() == 2


def test_bad_files_are_named_at_once_and_the_good_articles_queued(db, tmp_path, queue):
    folder = write_articles(tmp_path / "harbour", n=2)
    (folder / "broken.txt").write_bytes(b"\x00\x01\x02 binary")

    out, err, ok = run(folder, "--queue")

    assert not ok
    assert "broken.txt" in err
    batch = ImportBatch.objects.get()
    assert (batch.files, batch.bad_files, batch.articles, batch.queued) == (3, 1, 2, 2)
    assert "broken.txt" in batch.messages[0]
    assert batch.status == "queued"
    assert list(ImportItem.objects.values_list("state", flat=True)) == ["queued"] * 2


def test_articles_already_stored_are_skipped_and_not_queued(db, tmp_path, queue):
    folder = write_articles(tmp_path / "harbour", n=2)
    run(folder / "2025-04-01-harbour-0.txt")

    out, err, ok = run(folder, "--queue")

    assert ok, err
    batch = ImportBatch.objects.get()
    assert (batch.articles, batch.skipped, batch.queued, batch.waiting) == (2, 1, 1, 1)


def test_queue_options_that_run_here_only_are_refused(db, tmp_path):
    for option in ("--reextract", "--dry-run"):
        out, err, ok = run(tmp_path, "--queue", option)
        assert not ok and f"{option} runs here only" in err
    out, err, ok = run(tmp_path, "--wait")
    assert not ok and "--wait goes with --queue" in err


def test_the_status_of_an_unknown_batch_is_an_error(db):
    out, err, ok = run("--status", 99)
    assert not ok
    assert "There is no import batch 99" in err


# The task itself, run in this process.


def queued_item(tmp_path, queue):
    """A queued article's item, and the message the workers get for it."""
    folder = write_articles(tmp_path / "harbour", n=1)
    run(folder, "--queue")
    item = ImportItem.objects.get()
    [job] = Importer().read([str(folder)])
    payload = queue_module.payload(job.article_input, content_hash(job.text))
    assert payload["content_hash"] == item.content_hash
    return item, payload


def test_a_message_delivered_twice_is_stored_and_counted_once(db, tmp_path, queue):
    item, payload = queued_item(tmp_path, queue)

    first = import_article.apply(args=(item.pk, payload)).get()
    second = import_article.apply(args=(item.pk, payload)).get()

    assert (first, second) == ("done", "done")
    assert Article.objects.count() == 1
    batch = ImportBatch.objects.get()
    assert (batch.done, batch.skipped, batch.waiting) == (1, 0, 0)
    assert batch.statements == Statement.objects.count() > 0
    assert batch.status == "finished"


def test_an_article_stored_meanwhile_is_skipped_by_its_task(db, tmp_path, queue):
    item, payload = queued_item(tmp_path, queue)
    run(next((tmp_path / "harbour").glob("*.txt")))  # a local import got there first

    outcome = import_article.apply(args=(item.pk, payload)).get()

    assert outcome == "skipped"
    item.refresh_from_db()
    assert item.article == Article.objects.get()
    assert ImportBatch.objects.get().skipped == 1


def test_an_error_that_is_not_transient_fails_the_item_at_once(db, tmp_path, queue):
    item, payload = queued_item(tmp_path, queue)
    payload["published"] = "not a date"

    outcome = import_article.apply(args=(item.pk, payload)).get()

    assert outcome == "failed"
    item.refresh_from_db()
    assert item.attempts == 1
    assert item.message.startswith("ValueError:")
    assert not Article.objects.exists()


def test_an_article_whose_worker_keeps_dying_is_marked_failed(
    db, tmp_path, queue, settings
):
    settings.IMPORT_TASK_RETRIES = 1
    item, payload = queued_item(tmp_path, queue)
    for _ in range(2):  # two deliveries whose worker was killed mid-article
        queue_module.batches.attempt(item.pk)

    outcome = import_article.apply(args=(item.pk, payload)).get()

    assert outcome == "failed"
    item.refresh_from_db()
    assert item.attempts == 3
    assert "ended without an outcome" in item.message
    assert not Article.objects.exists()


# The admin.


def test_the_admin_lists_batches_with_their_counts_and_failures(
    client, db, tmp_path, queue
):
    item, payload = queued_item(tmp_path, queue)
    payload["published"] = "not a date"
    import_article.apply(args=(item.pk, payload))
    client.force_login(staff_user("alice", "view_importbatch", "view_importitem"))

    listing = client.get("/admin/statements/importbatch/")
    page = client.get(f"/admin/statements/importbatch/{item.batch_id}/change/")
    items = client.get(
        f"/admin/statements/importitem/?batch__id__exact={item.batch_id}"
        "&state__exact=failed"
    )

    assert listing.status_code == page.status_code == items.status_code == 200
    assert "finished with failures" in listing.content.decode()
    assert "ValueError" in page.content.decode()
    assert "harbour-0.txt" in items.content.decode()
    assert (
        client.post(
            f"/admin/statements/importbatch/{item.batch_id}/change/"
        ).status_code
        == 403
    )
