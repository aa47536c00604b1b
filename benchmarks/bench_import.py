"""The import benchmark: `make bench-import [SHARED=../shared]`.

Imports a sample of the PolNeAR training articles (read where they are, never copied)
into a scratch PostgreSQL database (BENCH_IMPORT_DATABASE, default
whosaidwhat_bench_import, dropped and created again each run) with the real
`import_articles` command, and runs a bare spaCy `nlp.pipe` of the same model over the
same texts with the same processes and batch size. Prints articles/s and words/s for
both and their ratio (the target is at least 0.8). The model is loaded before either
clock starts, so neither pays for loading it.
"""

import argparse
import io
import os
import sys
import time
from pathlib import Path

import psycopg

PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_DB = "whosaidwhat_bench_import"
TARGET = 0.8


def fresh_database(name):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder")
    parser.add_argument("--articles", type=int, default=200, help="how many articles")
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=16)
    parser.add_argument("--db", default=os.getenv("BENCH_IMPORT_DATABASE", DEFAULT_DB))
    args = parser.parse_args(argv)
    folder = Path(args.shared) / "eval" / "polnear-train"
    if not folder.is_dir():
        parser.error(f"--shared {args.shared}: no folder {folder}")
    if args.db in ("postgres", "root", "test"):
        parser.error(f"--db {args.db}: the benchmark needs a database of its own")
    paths = sorted(folder.glob("*.txt"))[: args.articles]
    if not paths:
        parser.error(f"no .txt articles in {folder}")
    texts = [p.read_text(encoding="utf-8") for p in paths]
    words = sum(len(t.split()) for t in texts)

    fresh_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    from statements.importing.service import ensure_topics, get_extractor
    from statements.models import Statement

    call_command("migrate", verbosity=0)
    ensure_topics()
    get_extractor()  # the model and the topic matcher, loaded before the clock starts

    import spacy

    nlp = spacy.load(settings.SPACY_MODEL)
    print(
        f"{len(paths)} articles, {words:,} words, model {settings.SPACY_MODEL} "
        f"({', '.join(nlp.pipe_names)}), {args.processes} processes, "
        f"batch size {args.batch_size}"
    )

    started = time.perf_counter()
    for _ in nlp.pipe(texts, batch_size=args.batch_size, n_process=args.processes):
        pass
    bare = time.perf_counter() - started

    out = io.StringIO()
    started = time.perf_counter()
    call_command(
        "import_articles",
        *[str(p) for p in paths],
        processes=args.processes,
        batch_size=args.batch_size,
        stdout=out,
        stderr=io.StringIO(),
    )
    imported = time.perf_counter() - started
    statements = Statement.objects.count()

    rows = [("bare spaCy nlp.pipe", bare), ("import_articles", imported)]
    print(f"\n{'':22} {'seconds':>8} {'articles/s':>11} {'words/s':>9}")
    for label, seconds in rows:
        print(
            f"{label:22} {seconds:>8.1f} {len(paths) / seconds:>11.2f} "
            f"{words / seconds:>9,.0f}"
        )
    ratio = bare / imported
    print(f"\n{out.getvalue().strip()}")
    print(f"{statements:,} statements stored.")
    verdict = "meets" if ratio >= TARGET else "misses"
    print(f"Ratio import/bare: {ratio:.2f} ({verdict} the target of {TARGET}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
