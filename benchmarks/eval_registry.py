"""The speaker registry benchmark: `make eval-registry [SHARED=../shared]`.

1. `python SHARED/eval/registry.py --articles SHARED/eval/polnear-train` writes the
   articles as JSON lines (read where they are, never copied into the project);
2. a scratch PostgreSQL database (EVAL_REGISTRY_DATABASE, default
   wsw_eval_registry) is dropped and created again, migrated, given the known people
   of seeds/people.csv (`import_speakers`) and the articles (`import_articles`);
3. every statement is exported through the real `/export.json` view;
4. `registry.py --gold-dir` scores the export: B-cubed precision/recall/F1 of the
   speaker records, records per frequent person, name precision.

It then prints the registry's own figures: speakers per 1,000 statements, person
records whose name does not parse as given name + surname, and the share of person
statements with a country.
"""

import argparse
import io
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psycopg

PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_DB = "wsw_eval_registry"
PEOPLE = Path(__file__).resolve().parent.parent / "seeds" / "people.csv"


def fresh_database(name):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def registry_figures():
    """(speakers per 1,000 statements, person records that are not a parseable name
    (with up to ten examples), share of person statements with a country)."""
    from django.db.models import Count, Q

    from statements.models import Speaker, Statement
    from statements.names import is_parseable_name

    statements = Statement.objects.count()
    speakers = (
        Speaker.objects.filter(merged_into=None)
        .annotate(n=Count("statements"))
        .filter(n__gt=0)
    )
    people = speakers.filter(kind=Speaker.Kind.PERSON)
    unparseable = [s.name for s in people if not is_parseable_name(s.name)]
    person_statements = Statement.objects.filter(speaker__kind=Speaker.Kind.PERSON)
    counted = person_statements.aggregate(
        n=Count("pk"), with_country=Count("pk", filter=Q(country__isnull=False))
    )
    return {
        "statements": statements,
        "speakers_with_statements": speakers.count(),
        "speakers_per_1000_statements": round(
            1000 * speakers.count() / (statements or 1), 1
        ),
        "person_records": people.count(),
        "person_records_not_a_parseable_name": len(unparseable),
        "examples": unparseable[:10],
        "person_statements_with_a_country": round(
            counted["with_country"] / (counted["n"] or 1), 3
        ),
    }


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder")
    parser.add_argument(
        "--articles",
        default=None,
        help="the folder of articles and gold (default SHARED/eval/polnear-train)",
    )
    parser.add_argument("--processes", type=int, default=2)
    parser.add_argument("--verbose", action="store_true", help="registry.py's misses")
    parser.add_argument("--db", default=os.getenv("EVAL_REGISTRY_DATABASE", DEFAULT_DB))
    args = parser.parse_args(argv)
    scorer = Path(args.shared) / "eval" / "registry.py"
    folder = Path(args.articles or Path(args.shared) / "eval" / "polnear-train")
    if not scorer.is_file():
        parser.error(f"--shared {args.shared}: no {scorer}")
    if not folder.is_dir():
        parser.error(f"--articles {folder}: not a folder")
    if args.db in ("postgres", "root", "test"):
        parser.error(f"--db {args.db}: the evaluation needs a database of its own")

    work = Path(tempfile.mkdtemp(prefix=f"{args.db}-"))
    articles = work / "articles.jsonl"
    with articles.open("w", encoding="utf-8") as out:
        subprocess.run(
            [sys.executable, str(scorer), "--articles", str(folder)],
            stdout=out,
            check=True,
        )

    fresh_database(args.db)
    os.environ["DATABASE_URL"] = f"{PG}/{args.db}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    call_command("migrate", verbosity=0)
    if PEOPLE.exists():
        call_command("import_speakers", str(PEOPLE), stdout=io.StringIO())
    started = time.perf_counter()
    report = io.StringIO()
    call_command(
        "import_articles",
        str(articles),
        processes=args.processes,
        stdout=report,
        stderr=io.StringIO(),
    )
    seconds = time.perf_counter() - started
    print(f"{report.getvalue().strip()} ({seconds:.0f} s, database {args.db})")

    export = work / "export.json"
    response = Client().get("/export.json")
    with export.open("wb") as fh:
        for chunk in response.streaming_content:
            fh.write(chunk)
    command = [sys.executable, str(scorer), "--gold-dir", str(folder), str(export)]
    if args.verbose:
        command.append("--verbose")
    scored = subprocess.run(command, capture_output=True, text=True, check=True)
    print(scored.stdout.strip())
    for key, value in registry_figures().items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
