"""import_articles run twice at the same time on one PostgreSQL database stores exactly
what one run stores: nothing lost, nothing twice, and summaries that add up."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection

from statements import counting
from statements.models import Article, Speaker, SpeakerAlias, Statement
from tests.counts import counts_are_exact

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = ["Jane Roe", "Rick Moe", "Ada Quill", "Tom Fenwick", "Lena Hart"]

pytestmark = pytest.mark.skipif(
    os.getenv("DATABASE_URL", "").split(":")[0] not in ("postgres", "postgresql"),
    reason="concurrent writers need PostgreSQL",
)


def write_articles(folder: Path, n: int = 16) -> None:
    """Invented articles that share their speakers, so two runs race to create them."""
    for i in range(n):
        a, b = PEOPLE[i % 5], PEOPLE[(i + 2) % 5]
        folder.joinpath(f"2025-03-{i + 1:02d}-story-{i}.txt").write_text(
            f"Story {i} of the week.\n\n"
            f"“We will act on item {i} at once,” {a} said on Monday.\n"
            f"{b} told reporters that the plan number {i} would cost more.\n"
            f"{a.split()[-1]} said later that nothing had been agreed.\n",
            encoding="utf-8",
        )


def snapshot():
    return {
        "articles": sorted(Article.objects.values_list("content_hash", "title")),
        "statements": sorted(
            Statement.objects.values_list(
                "article__content_hash", "start", "end", "speaker__name", "kind"
            )
        ),
        "speakers": sorted(Speaker.objects.values_list("name", "kind")),
        "aliases": sorted(
            SpeakerAlias.objects.values_list("normalised", "speaker__name")
        ),
    }


def database_url():
    s = connection.settings_dict
    host = s["HOST"] or "127.0.0.1"
    return f"postgres://{s['USER']}@{host}:{s['PORT'] or 5432}/{s['NAME']}"


def import_in_a_process(folder: Path):
    env = {**os.environ, "DATABASE_URL": database_url()}
    return subprocess.Popen(
        [
            sys.executable,
            "manage.py",
            "import_articles",
            str(folder),
            "--processes",
            "1",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def imported(summary: str) -> int:
    return int(re.search(r"Imported (\d+)", summary).group(1))


def test_two_overlapping_imports_store_exactly_what_one_import_stores(
    transactional_db, tmp_path
):
    write_articles(tmp_path)
    call_command("import_articles", str(tmp_path), "--processes", "1")
    one_run = snapshot()
    assert len(one_run["articles"]) == 16
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE statements_article, statements_speaker, statements_speakeralias, "
            "statements_position, statements_statement, statements_statement_topics "
            "RESTART IDENTITY CASCADE"
        )
    counting.rebuild()

    runs = [import_in_a_process(tmp_path) for _ in range(2)]
    outputs = [run.communicate(timeout=300) for run in runs]
    for run, (_, err) in zip(runs, outputs, strict=True):
        assert run.returncode == 0, err
    summaries = [out.strip().splitlines()[-1] for out, _ in outputs]

    assert snapshot() == one_run
    assert sum(imported(s) for s in summaries) == 16, summaries
    assert counts_are_exact()
