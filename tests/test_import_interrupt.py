"""Ctrl-C during `import_articles`, sent to a real process (and its spaCy workers)."""

import os
import signal
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.db import connection

from statements.models import Article, Statement

pytestmark = pytest.mark.django_db(transaction=True)

SENTENCES = [
    "Keir Starmer said on {day} that Europe must spend {n} billion more on defence.",
    "“We cannot wait any longer,” he told reporters in city number {n}.",
    "Olaf Scholz said the debate about {n} troops was premature.",
    "Emmanuel Macron warned that talks on day {n} would be hard.",
]


def _articles(tmp_path, count):
    for i in range(count):
        text = "\n".join(s.format(n=i, day=f"day {i}") for s in SENTENCES * 3)
        (tmp_path / f"{i:03}.txt").write_text(text, encoding="utf-8")


def _database_url():
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the command runs in another process, which needs a database it can see",
)
@pytest.mark.parametrize("processes", [1, 2])
def test_ctrl_c_ends_with_one_line_and_the_summary_of_what_was_committed(
    tmp_path, processes, countries
):
    _articles(tmp_path, 150)
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "PYTHONUNBUFFERED": "1",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    command = [sys.executable, "manage.py", "import_articles", str(tmp_path)]
    command += [f"--processes={processes}", "--batch-size=1", "-v", "2"]
    proc = subprocess.Popen(
        command,
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines = []
    deadline = time.monotonic() + 120
    # Wait until some articles are committed, then press Ctrl-C (the whole group
    # gets it from a terminal; here the parent does, and the workers ignore it).
    while sum("imported as article" in line for line in lines) < 3:
        line = proc.stdout.readline()
        assert line and time.monotonic() < deadline, proc.stderr.read()
        lines.append(line)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    lines += out.splitlines()

    assert proc.returncode == 130, err
    assert "Traceback" not in err + "".join(lines)
    assert err.strip().splitlines() == [
        "Interrupted: the articles committed before Ctrl-C are kept; run the same "
        "command again to import the rest (what is there is skipped)."
    ]
    summary = lines[-1].strip()
    stored = Article.objects.count()
    assert 3 <= stored < 150
    assert summary.startswith(f"Imported {stored}, skipped 0 (already there), failed 0")
    assert f"; {Statement.objects.count()} statements" in summary
