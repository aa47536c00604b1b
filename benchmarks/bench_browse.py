"""The browse benchmark: `make bench-browse [N=1000000]`.

1. Creates its own PostgreSQL database (BENCH_DATABASE, default whosaidwhat_bench on
   127.0.0.1), never the one in use, and migrates it.
2. Fills it with N synthetic statements (benchmarks/synthetic.py) by COPY, rebuilds
   the indexes and the facet counts, and runs ANALYZE. A database that already holds
   N statements is reused as it is.
3. Measures the real views through Django's test client: p50, p95 and max server
   time and the number of queries, for each page and filter the issue names, and
   the CSV export in rows per second.
"""

import argparse
import os
import statistics
import sys
import time

import psycopg

PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_DB = "whosaidwhat_bench"
TARGET_MS = 100


def ensure_database(name):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"Created database {name}")


def setup_django(name):
    os.environ["DATABASE_URL"] = f"{PG}/{name}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ.setdefault("DEBUG", "False")
    # The repeats would be answered by the page cache: this measures the pages' own
    # work (make bench-load measures the cache).
    os.environ.setdefault("PAGE_CACHE_SECONDS", "0")
    import django

    django.setup()


LOADED_TABLES = [
    "statements_statement_topics",
    "statements_statement",
    "statements_article",
    "statements_speaker",
    "statements_topic",
]


def load(n):
    from django.core.management import call_command
    from django.db import connection

    from benchmarks import synthetic
    from statements import counting

    call_command("migrate", verbosity=0)
    with connection.cursor() as cur:
        cur.execute("SELECT count(*) FROM statements_statement")
        have = cur.fetchone()[0]
    if have == n:
        print(f"Reusing the filled database: it already holds {n:,} statements.")
        return
    print(f"Filling with {n:,} statements (was {have:,}) ...")
    started = time.perf_counter()
    raw = connection.cursor().connection  # psycopg connection, for COPY
    with connection.cursor() as cur:
        cur.execute(
            "TRUNCATE statements_position, statements_speakeralias, "
            + ", ".join(LOADED_TABLES)
            + " RESTART IDENTITY CASCADE"
        )
        # Plain indexes (not those behind constraints) go, and come back after the load.
        cur.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE tablename = ANY(%s) AND indexname NOT IN (
                SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))
            """,
            [LOADED_TABLES],
        )
        indexes = cur.fetchall()
        for name, _ in indexes:
            cur.execute(f'DROP INDEX "{name}"')
    synthetic.fill(raw, n)
    print(f"  loaded in {time.perf_counter() - started:.0f} s; building indexes ...")
    with connection.cursor() as cur:
        for _, definition in indexes:
            cur.execute(definition)
    print(f"  indexed at {time.perf_counter() - started:.0f} s; counting facets ...")
    counting.rebuild()
    with connection.cursor() as cur:
        # What autovacuum does on a live database: statistics and the visibility map
        # (index-only scans).
        cur.execute("VACUUM ANALYZE")
    print(f"Filled in {time.perf_counter() - started:.0f} s.")


def measure(client, url, headers, repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, queries, status = [], None, None
    for i in range(repeat + 1):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get(url, headers=headers)
            if response.streaming:
                b"".join(response.streaming_content)
            elapsed = (time.perf_counter() - started) * 1000
        status = response.status_code
        if i == 0:
            first = elapsed  # a cold cache, where there is one
            continue
        times.append(elapsed)
        queries = len(ctx.captured_queries)
    times.sort()
    p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
    return {
        "status": status,
        "first": first,
        "p50": statistics.median(times),
        "p95": p95,
        "max": times[-1],
        "queries": queries,
    }


def pages():
    """(label, url, extra headers) for each page and filter the issue names."""
    from django.db.models import Count

    from statements.models import Speaker, Statement, Topic

    leader = Speaker.objects.annotate(n=Count("statements")).order_by("-n").first()
    topic = Topic.objects.annotate(n=Count("statements")).order_by("-n").first()
    subtopic = (
        Topic.objects.filter(parent__isnull=False)
        .annotate(n=Count("statements"))
        .order_by("-n")
        .first()
    )
    country = (
        Statement.objects.values_list("country__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()[0]
    )
    lc = leader.country.code
    word, rare, pair, counts = search_words()
    filters = [
        ("unfiltered", ""),
        ("by leader", f"speaker={leader.slug}"),
        ("by country", f"country={country}"),
        ("by topic", f"topic={topic.slug}"),
        ("by subtopic", f"topic={subtopic.slug}"),
        (
            "leader+country+topic",
            f"speaker={leader.slug}&country={lc}&topic={topic.slug}",
        ),
        ("dates cutting months", "since=2024-03-17&until=2025-11-20"),
        ("dates + leader", f"since=2024-03-17&until=2025-11-20&speaker={leader.slug}"),
        ("search", f"q={word}"),
        ("search, rarer word", f"q={rare}"),
        ("search, two words", f"q={pair.replace(' ', '+')}"),
        ("search+country", f"q={word}&country={country}"),
        ("search+leader+topic", f"q={word}&speaker={leader.slug}&topic={topic.slug}"),
    ]
    out = []
    for label, query in filters:
        out.append((f"/ {label}", f"/?{query}", {}))
    for label, query in filters:
        out.append((f"/ {label} (htmx)", f"/?{query}", {"HX-Request": "true"}))
    out.append(("speaker page", f"/speakers/{leader.slug}/", {}))
    out.append(("topic page", f"/topics/{topic.slug}/", {}))
    out.append(("subtopic page", f"/topics/{subtopic.slug}/", {}))
    print(
        f"Leader {leader.name} ({leader.n:,} statements, {lc}), "
        f"country {country}, topic {topic.name} ({topic.n:,}), "
        f"subtopic {subtopic.name} ({subtopic.n:,})"
    )
    print(
        f"Search: {word!r} ({counts[word]:,} matches), rarer {rare!r} "
        f"({counts[rare]:,}), pair {pair!r} ({counts[pair]:,})"
    )
    return out


def search_words():
    """The search terms, from the data: the commonest word of the synthetic vocabulary
    (the busiest topics' words), a word about a tenth as common, and the pair of the
    commonest word with another that matches most often together."""
    from django.db import connection

    from benchmarks.synthetic import load_taxonomy

    topics, vocabulary = load_taxonomy()
    with connection.cursor() as cur:
        cur.execute(
            "SELECT t.slug, count(*) FROM statements_statement_topics st "
            "JOIN statements_topic t ON t.id = st.topic_id "
            "GROUP BY t.slug ORDER BY 2 DESC LIMIT 4"
        )
        busiest = [slug for slug, _ in cur.fetchall()]
        by_slug = {
            t["slug"]: words for t, words in zip(topics, vocabulary, strict=True)
        }
        candidates = list(
            dict.fromkeys(w for slug in busiest for w in by_slug.get(slug, [])[:4])
        )

        def matches(terms):
            cur.execute(
                "SELECT count(*) FROM statements_statement "
                "WHERE search_document @@ plainto_tsquery('english', %s)",
                [terms],
            )
            return cur.fetchone()[0]

        # one word a stem: "economy", "economic" and "economically" are one search
        stems = {}
        for w in candidates:
            cur.execute("SELECT plainto_tsquery('english', %s)::text", [w])
            stems.setdefault(cur.fetchone()[0], w)
        candidates = list(stems.values())
        counts = {w: matches(w) for w in candidates}
        word = max(candidates, key=counts.get)
        rare = min(
            (w for w in candidates if counts[w]),
            key=lambda w: abs(counts[w] - counts[word] / 10),
        )
        pairs = {
            f"{word} {w}": matches(f"{word} {w}") for w in candidates[1:] if w != word
        }
        pair = max(pairs, key=pairs.get)
        counts.update(pairs)
    return word, rare, pair, counts


def bench_export(client, rows):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        started = time.perf_counter()
        response = client.get(f"/export.csv?limit={rows}")
        body = (
            b"".join(response.streaming_content)
            if response.streaming
            else response.content
        )
        elapsed = time.perf_counter() - started
    got = max(0, body.count(b"\n") - 1)
    return response.status_code, got, elapsed, len(ctx.captured_queries)


def bench_correction():
    """An admin's correction: the busiest leader's statement given to another speaker,
    through corrections.correct() (so the counts are recounted), then rolled back."""
    from django.db import transaction
    from django.db.models import Count

    from statements import corrections
    from statements.models import Speaker, Statement

    first, second = Speaker.objects.annotate(n=Count("statements")).order_by("-n")[:2]
    times = []
    for statement in Statement.objects.filter(speaker=first).order_by("-id")[:5]:
        with transaction.atomic():
            started = time.perf_counter()
            corrections.correct(statement, second)
            times.append((time.perf_counter() - started) * 1000)
            transaction.set_rollback(True)
    print(
        f"A correction (speaker changed, counts recounted): "
        f"median {statistics.median(times):.0f} ms, max {max(times):.0f} ms"
    )


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1_000_000, help="statements")
    parser.add_argument("--db", default=os.getenv("BENCH_DATABASE", DEFAULT_DB))
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per page")
    parser.add_argument("--export-rows", type=int, default=10_000)
    args = parser.parse_args(argv)
    if args.n < 1000:
        parser.error(f"--n {args.n}: use at least 1000 statements")
    if args.db in ("postgres", "root", "test"):
        parser.error(f"--db {args.db}: the benchmark needs a database of its own")

    ensure_database(args.db)
    setup_django(args.db)
    load(args.n)

    from django.test import Client

    client = Client()
    print(
        f"\n{args.n:,} statements, {args.repeat} timed runs per page after one cold run"
    )
    header = f"{'page':34} {'status':>6} {'cold':>8} {'p50':>8} {'p95':>8} {'max':>8} {'queries':>7}"
    print(header)
    print("-" * len(header))
    failed = []
    for label, url, headers in pages():
        r = measure(client, url, headers, args.repeat)
        print(
            f"{label:34} {r['status']:>6} {r['first']:>6.1f}ms {r['p50']:>6.1f}ms "
            f"{r['p95']:>6.1f}ms {r['max']:>6.1f}ms {r['queries']:>7}"
        )
        if r["status"] != 200 or r["p95"] > TARGET_MS:
            failed.append(label)
    status, rows, seconds, queries = bench_export(client, args.export_rows)
    bench_correction()
    print(
        f"\nCSV export: status {status}, {rows:,} rows in {seconds:.2f} s = "
        f"{rows / seconds:,.0f} rows/s, {queries} queries"
    )
    if failed:
        print(f"\nOver {TARGET_MS} ms at p95 (or not 200): {', '.join(failed)}")
    else:
        print(f"\nEvery page at p95 <= {TARGET_MS} ms.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
