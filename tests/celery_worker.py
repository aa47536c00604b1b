"""A real Celery worker for the queue tests, on the local RabbitMQ and the test database.

Every worker gets a queue (and so a control exchange) of its own, named after this
branch's test database and a random suffix, so test runs of other engineers sharing
the broker never take its messages, nor it theirs; the queue is deleted afterwards.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from django.conf import settings
from django.db import connection

from statements.importing.queue import delete_queue

ROOT = Path(__file__).resolve().parent.parent
CELERY = Path(sys.executable).with_name("celery")


def database_url() -> str:
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def unique_queue() -> str:
    return f"wsw-test.{connection.settings_dict['NAME']}.{uuid.uuid4().hex[:8]}"


class Worker:
    """`celery -A config worker` in a process of its own; `log()` is what it printed."""

    def __init__(self, queue: str, concurrency: int = 1, loglevel="INFO", **env):
        self.queue = queue
        # Open as long as the worker runs; closed and removed by stop().
        self.output = tempfile.NamedTemporaryFile(  # noqa: SIM115
            "w+", prefix="celery-worker-", suffix=".log", delete=False
        )
        environment = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "IMPORT_QUEUE": queue,
            "CELERY_BROKER_URL": settings.CELERY_BROKER_URL,
            "COUNTS_STRICT": "True",
            **{k: str(v) for k, v in env.items()},
        }
        self.process = subprocess.Popen(
            [
                str(CELERY),
                "-A",
                "config",
                "worker",
                "--loglevel",
                loglevel,
                "--concurrency",
                str(concurrency),
                "--hostname",
                f"{queue}@%h",
                "--without-mingle",
                "--without-gossip",
            ],
            cwd=ROOT,
            env=environment,
            stdout=self.output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )

    def log(self) -> str:
        return Path(self.output.name).read_text(encoding="utf-8", errors="replace")

    def wait_until_ready(self, timeout: float = 120) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if " ready." in self.log():
                return
            if self.process.poll() is not None:
                raise RuntimeError(f"the worker stopped:\n{self.log()}")
            time.sleep(0.2)
        raise TimeoutError(f"the worker was not ready in {timeout} s:\n{self.log()}")

    def stop(self) -> None:
        """A warm shutdown (SIGTERM: finish the task at hand), then the queue goes."""
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self.output.close()
        os.unlink(self.output.name)
        delete_queue(self.queue)
