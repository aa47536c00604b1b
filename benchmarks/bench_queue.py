"""The import queue benchmark: `make bench-queue [SHARED=../shared]`.

Imports the same PolNeAR training articles (the first --articles, 200 by default, read
where they are, never copied) three times into a scratch PostgreSQL database
(BENCH_QUEUE_DATABASE, default whosaidwhat_bench_queue, emptied before each run):

1. locally, `import_articles --processes 2` (in this process, the model loaded before
   the clock starts);
2. through the queue with one worker (`celery -A config worker --concurrency 1`);
3. through the queue with two such workers.

Queued runs are timed from `import_articles --queue --wait` starting (reading the
files and publishing included) until the batch is finished; the workers are started
and have loaded their model before. Prints articles/s for each and the ratio of two
workers to the local import (the target is at least 0.9).

The workers run in an empty directory with an environment of only PATH,
DATABASE_URL, CELERY_BROKER_URL, IMPORT_QUEUE and a SECRET_KEY (DEBUG off, as deployed:
the settings refuse to start without a key then): the articles travel in the messages,
so a worker on another machine needs the installed project, the broker and the
database, nothing else.
"""

import argparse
import io
import os
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg

PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_DB = "whosaidwhat_bench_queue"
TARGET = 0.9
CELERY = Path(sys.executable).with_name("celery")


def fresh_database(name):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def empty(connection):
    from statements import counting

    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE statements_article, statements_speaker, statements_speakeralias, "
            "statements_position, statements_statement, statements_statement_topics, "
            "statements_importbatch, statements_importitem RESTART IDENTITY CASCADE"
        )
    counting.rebuild()


def stored():
    from statements.models import Article, Speaker, Statement

    return (
        Article.objects.count(),
        Statement.objects.count(),
        Speaker.objects.count(),
    )


class Worker:
    """A worker as it would run on another machine: its own directory, two URLs."""

    def __init__(self, name, env, concurrency):
        self.home = tempfile.mkdtemp(prefix="wsw-worker-")
        self.log = Path(self.home) / "worker.log"
        with open(self.log, "w") as out:
            self.process = subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "config",
                    "worker",
                    "--loglevel",
                    "WARNING",
                    "--concurrency",
                    str(concurrency),
                    "--hostname",
                    f"{name}@bench",
                    "--without-mingle",
                    "--without-gossip",
                ],
                cwd=self.home,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def ready(self, app, name, timeout=180):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                sys.exit(f"A worker stopped:\n{self.log.read_text()}")
            replies = app.control.ping([f"{name}@bench"], timeout=1)
            if replies:
                return
        sys.exit(f"A worker was not ready in {timeout} s:\n{self.log.read_text()}")

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        shutil.rmtree(self.home, ignore_errors=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder")
    parser.add_argument("--articles", type=int, default=200, help="how many articles")
    parser.add_argument("--processes", type=int, default=2, help="of the local import")
    parser.add_argument(
        "--concurrency", type=int, default=1, help="processes of each worker"
    )
    parser.add_argument("--db", default=os.getenv("BENCH_QUEUE_DATABASE", DEFAULT_DB))
    args = parser.parse_args(argv)
    folder = Path(args.shared) / "eval" / "polnear-train"
    if not folder.is_dir():
        parser.error(f"--shared {args.shared}: no folder {folder}")
    if args.db in ("postgres", "root", "test"):
        parser.error(f"--db {args.db}: the benchmark needs a database of its own")
    paths = [str(p.resolve()) for p in sorted(folder.glob("*.txt"))[: args.articles]]
    words = sum(len(Path(p).read_text(encoding="utf-8").split()) for p in paths)
    queue = f"wsw-bench-queue.{args.db}.{uuid.uuid4().hex[:8]}"

    fresh_database(args.db)
    database_url = f"{PG}/{args.db}"
    os.environ["DATABASE_URL"] = database_url
    os.environ["IMPORT_QUEUE"] = queue
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection

    from statements.importing.queue import celery_app, delete_queue
    from statements.importing.service import ensure_topics, get_extractor

    call_command("migrate", verbosity=0)
    ensure_topics()
    get_extractor()  # the local import's model, loaded before its clock starts
    app = celery_app()
    print(
        f"{len(paths)} articles, {words:,} words, model {settings.SPACY_MODEL}; "
        f"database {args.db}, broker {app.connection_for_write().as_uri()}, "
        f"queue {queue}; load average {os.getloadavg()[0]:.1f} on "
        f"{os.cpu_count()} cores"
    )

    results = []

    def run(label, command_args):
        empty(connection)
        out = io.StringIO()
        started = time.perf_counter()
        call_command("import_articles", *paths, *command_args, stdout=out)
        seconds = time.perf_counter() - started
        results.append((label, seconds, stored()))
        lines = out.getvalue().strip().splitlines()
        summary = [line for line in lines if "mported" in line][-1]
        print(f"  {label}: {seconds:.1f} s; {summary}")

    run(
        f"local import_articles --processes {args.processes}",
        ["--processes", str(args.processes)],
    )

    worker_env = {
        "PATH": os.environ["PATH"],
        "DATABASE_URL": database_url,
        "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
        "IMPORT_QUEUE": queue,
        # DEBUG off, as deployed: the settings then want a key (a worker signs nothing).
        "SECRET_KEY": secrets.token_urlsafe(50),
    }
    print(
        "  workers run in an empty directory with only: "
        + ", ".join(k for k in worker_env if k != "PATH")
        + " (and PATH)"
    )
    workers = []
    try:
        for n in (1, 2):
            while len(workers) < n:
                name = f"{queue}.{len(workers) + 1}"
                worker = Worker(name, worker_env, args.concurrency)
                worker.ready(app, name)
                workers.append(worker)
            run(
                f"queue, {n} worker{'s' * (n > 1)} x {args.concurrency} process",
                ["--queue", "--wait"],
            )
    finally:
        for worker in workers:
            worker.stop()
        delete_queue(queue)

    print(
        f"\n{'':44} {'seconds':>8} {'articles/s':>11} {'words/s':>9}  stored (articles, statements, speakers)"
    )
    for label, seconds, what in results:
        print(
            f"{label:44} {seconds:>8.1f} {len(paths) / seconds:>11.2f} "
            f"{words / seconds:>9,.0f}  {what}"
        )
    local, two = results[0][1], results[-1][1]
    ratio = local / two
    verdict = "meets" if ratio >= TARGET else "misses"
    print(
        f"\nTwo workers / local import: {ratio:.2f} ({verdict} the target of {TARGET}); "
        f"one worker / local: {local / results[1][1]:.2f}."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
