"""The load benchmark: `make bench-load [SHARED=../shared] [DURATION=60]`.

1. A PostgreSQL database of its own (BENCH_LOAD_DATABASE, default
   whosaidwhat_bench_load) with the seed article and the PolNeAR training articles
   imported (read where they are, never copied; a database that holds them already is
   reused).
2. gunicorn with the production settings (DEBUG off, a random SECRET_KEY, persistent
   database connections, CACHE_URL on the local Redis under a key prefix of its own)
   on 127.0.0.1, WEB_CONCURRENCY sync workers (default 2 per core plus one).
3. Debian's wrk drives a realistic mix of requests (benchmarks/load_mix.lua, filled
   with URLs from the database: unfiltered, by leader, country and topic, searches
   for the archive's common words, the htmx partials of those, and speaker pages) for
   DURATION seconds at 10, 50 and 100 concurrent connections (users without think
   time), after one request to each URL to warm up; then the same with the cache off
   (CACHE_URL=dummy://: neither pages nor facet counts cached).

Prints requests/s, p50/p95/p99 latency and errors (connection errors, timeouts and
non-2xx/3xx answers) for each step, and the target at 50 users: at least 200
requests/s with no error and p95 within 250 ms.
"""

import argparse
import collections
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psycopg

PG = os.getenv("BENCH_PG", "postgres://postgres@127.0.0.1:5432")
DEFAULT_DB = "whosaidwhat_bench_load"
REDIS = os.getenv("BENCH_REDIS", "redis://127.0.0.1:6379/0")
ROOT = Path(__file__).resolve().parent.parent
USERS = (10, 50, 100)
TARGET_USERS, TARGET_RPS, TARGET_P95_MS = 50, 200, 250
# The share of each kind of request in the mix.
MIX = {
    "unfiltered": 10,
    "leader": 15,
    "country": 10,
    "topic": 10,
    "search": 15,
    "htmx partial": 25,
    "speaker page": 15,
}


def ensure_database(name):
    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


def fill(shared: Path):
    """The seed and the PolNeAR training articles, unless they are there already."""
    from django.core.management import call_command

    from statements.models import Article

    call_command("migrate", verbosity=0)
    paths = [str(ROOT / "seeds")] + [
        str(p) for p in sorted((shared / "eval" / "polnear-train").glob("*.txt"))
    ]
    wanted = len(paths)  # one article a file
    # Articles already stored are skipped (their hash is looked up), so a database
    # filled before is reused as it is in a few seconds.
    print(f"Importing {wanted} articles (it holds {Article.objects.count()}) ...")
    started = time.perf_counter()
    call_command("import_articles", *paths, processes=2)
    print(f"  in {time.perf_counter() - started:.0f} s.")


def common_words(texts, n):
    """The n most common words of five letters or more, spaCy's stop words left out."""
    from spacy.lang.en.stop_words import STOP_WORDS as STOPWORDS

    counts = collections.Counter(
        w
        for text in texts
        for w in re.findall(r"[a-z]{5,}", text.lower())
        if w not in STOPWORDS
    )
    return [w for w, _ in counts.most_common(n)]


def urls():
    """[(kind, path, htmx)] in the proportions of MIX, shuffled (a fixed seed)."""
    from django.db.models import Count

    from statements.models import Country, Speaker, Statement, Topic

    public = Statement.objects.public()
    speakers = list(
        Speaker.objects.filter(merged_into=None)
        .annotate(n=Count("statements"))
        .order_by("-n")
        .values_list("slug", flat=True)[:30]
    )
    countries = list(
        Country.objects.annotate(n=Count("statements"))
        .filter(n__gt=0)
        .order_by("-n")
        .values_list("code", "slug")[:10]
    )
    topics = list(Topic.objects.values_list("slug", flat=True))
    words = common_words(public.values_list("text", flat=True)[:5000], 20)
    filters = {
        "unfiltered": ["/", "/?kind=direct", "/?kind=reported"],
        "leader": [f"/?speaker={s}" for s in speakers[:15]],
        "country": [f"/?country={c.lower()}" for c, _ in countries]
        + [f"/countries/{slug}/" for _, slug in countries],
        "topic": [f"/?topic={t}" for t in topics] + [f"/topics/{t}/" for t in topics],
        "search": [f"/?q={w}" for w in words],
        "speaker page": [f"/speakers/{s}/" for s in speakers],
    }
    filters["htmx partial"] = [
        u
        for kind in ("unfiltered", "leader", "country", "topic", "search")
        for u in filters[kind]
        if u.startswith("/?")
    ]
    rng = random.Random(14)
    mix = []
    for kind, share in MIX.items():
        for _ in range(share * 20):
            mix.append((kind, rng.choice(filters[kind]), kind == "htmx partial"))
    rng.shuffle(mix)
    return mix


def lua_script(mix) -> str:
    paths = ", ".join(f'"{p}"' for _, p, _ in mix)
    htmx = ", ".join("true" if h else "false" for _, _, h in mix)
    return (
        Path(__file__)
        .with_name("load_mix.lua")
        .read_text(encoding="utf-8")
        .replace("--PATHS--", paths)
        .replace("--HTMX--", htmx)
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Gunicorn:
    def __init__(self, env, port, workers, threads=1):
        self.port = port
        self.log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (open while it runs)
            "w+", prefix="gunicorn-", suffix=".log", delete=False
        )
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "config.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--worker-class",
                "sync" if threads == 1 else "gthread",
                "--threads",
                str(threads),
                "--timeout",
                "60",
                "--backlog",
                "2048",
            ],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(
                    f"http://127.0.0.1:{port}/speakers/autocomplete/", timeout=10
                )
                return
            except OSError:
                if self.process.poll() is not None:
                    break
                time.sleep(0.5)
        log = Path(self.log.name).read_text()
        self.stop()
        sys.exit(f"gunicorn did not start:\n{log}")

    def get(self, path, htmx=False):
        request = urllib.request.Request(
            f"http://127.0.0.1:{self.port}{path}",
            headers={"HX-Request": "true"} if htmx else {},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    def stop(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
        self.log.close()
        os.unlink(self.log.name)


def wrk(port, users, seconds, script) -> dict:
    out = subprocess.run(
        [
            "wrk",
            "--threads",
            "2",
            "--connections",
            str(users),
            "--duration",
            f"{seconds}s",
            "--timeout",
            "30s",
            "--script",
            script,
            f"http://127.0.0.1:{port}",
        ],
        capture_output=True,
        text=True,
        timeout=seconds + 120,
    )
    line = next((x for x in out.stdout.splitlines() if x.startswith("RESULT ")), None)
    if line is None:
        sys.exit(f"wrk printed no result:\n{out.stdout}\n{out.stderr}")
    n, duration_us, p50, p95, p99, top, *errors = (int(v) for v in line.split()[1:])
    return {
        "requests": n,
        "rps": n / (duration_us / 1e6),
        "p50": p50 / 1000,
        "p95": p95 / 1000,
        "p99": p99 / 1000,
        "max": top / 1000,
        "errors": sum(errors),
    }


def delete_redis_keys(prefix):
    import redis

    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=f"{prefix}:*", count=1000):
        client.delete(key)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", default="../shared", help="the shared folder")
    parser.add_argument("--duration", type=int, default=60, help="seconds per step")
    parser.add_argument(
        "--users", default=",".join(map(str, USERS)), help="comma-separated steps"
    )
    parser.add_argument(
        "--workers",
        type=int,
        default=int(os.getenv("WEB_CONCURRENCY", os.cpu_count() or 1)),
        help="gunicorn workers (default: WEB_CONCURRENCY, or one per core)",
    )
    parser.add_argument(
        "--threads",
        type=int,
        default=8,
        help="threads per gunicorn worker: gthread workers with psycopg's "
        "connection pool; 1 for sync workers with persistent connections",
    )
    parser.add_argument("--db", default=os.getenv("BENCH_LOAD_DATABASE", DEFAULT_DB))
    parser.add_argument(
        "--only", choices=["on", "off"], help="only with the cache on, or off"
    )
    args = parser.parse_args(argv)
    shared = Path(args.shared)
    if not (shared / "eval" / "polnear-train").is_dir():
        parser.error(f"--shared {args.shared}: no eval/polnear-train in it")
    if args.db in ("postgres", "root", "test"):
        parser.error(f"--db {args.db}: the benchmark needs a database of its own")
    if subprocess.run(["which", "wrk"], capture_output=True).returncode:
        sys.exit("wrk is not installed: apt-get install wrk (make bench-load does)")
    steps = [int(u) for u in args.users.split(",")]
    pool = args.threads > 1

    ensure_database(args.db)
    database_url = f"{PG}/{args.db}"
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    fill(shared)
    from statements.models import Article, Statement

    mix = urls()
    distinct = sorted({(p, h) for _, p, h in mix})
    with tempfile.NamedTemporaryFile(
        "w", suffix=".lua", prefix="load-mix-", delete=False
    ) as f:
        f.write(lua_script(mix))
        script = f.name
    shares = ", ".join(f"{k} {v}%" for k, v in MIX.items())
    print(
        f"{Article.objects.count()} articles, {Statement.objects.count()} statements; "
        f"{len(distinct)} distinct URLs in a mix of {shares}; gunicorn with "
        f"{args.workers} workers x {args.threads} thread(s), "
        f"{'a connection pool' if pool else 'persistent connections'}; "
        f"wrk, {args.duration} s a step; "
        f"{os.cpu_count()} cores"
    )
    prefix = f"wsw-bench-load:{args.db}:{uuid.uuid4().hex[:8]}"
    production = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url,
        "DEBUG": "False",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on 127.0.0.1 here; behind a TLS proxy in production.
        "SECURE_SSL_REDIRECT": "False",
        "LOG_LEVEL": "WARNING",
        **({"DATABASE_POOL": "True"} if pool else {"CONN_MAX_AGE": "60"}),
    }
    modes = {
        "on": {"CACHE_URL": REDIS, "CACHE_KEY_PREFIX": prefix},
        "off": {"CACHE_URL": "dummy://"},
    }
    rows = []
    try:
        for mode, env in modes.items():
            if args.only and mode != args.only:
                continue
            server = Gunicorn(
                {**production, **env}, free_port(), args.workers, args.threads
            )
            try:
                bad = [p for p, h in distinct if server.get(p, h) != 200]
                if bad:
                    sys.exit(f"These URLs do not answer 200: {bad}")
                for users in steps:
                    load = os.getloadavg()[0]
                    result = wrk(server.port, users, args.duration, script)
                    rows.append((mode, users, load, result))
                    print(
                        f"  cache {mode:3} {users:>4} users: {result['rps']:7.1f} req/s, "
                        f"p50 {result['p50']:6.0f} ms, p95 {result['p95']:6.0f} ms, "
                        f"p99 {result['p99']:6.0f} ms, {result['errors']} errors "
                        f"(load average before: {load:.1f})"
                    )
            finally:
                server.stop()
    finally:
        delete_redis_keys(prefix)
        os.unlink(script)

    print(
        f"\n{'cache':6} {'users':>5} {'req/s':>8} {'p50 ms':>7} {'p95 ms':>7} "
        f"{'p99 ms':>7} {'max ms':>7} {'requests':>9} {'errors':>6}"
    )
    for mode, users, _, r in rows:
        print(
            f"{mode:6} {users:>5} {r['rps']:>8.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} "
            f"{r['p99']:>7.0f} {r['max']:>7.0f} {r['requests']:>9} {r['errors']:>6}"
        )
    target = [r for mode, users, _, r in rows if mode == "on" and users == TARGET_USERS]
    if target:
        r = target[0]
        met = r["rps"] >= TARGET_RPS and r["errors"] == 0 and r["p95"] <= TARGET_P95_MS
        print(
            f"\nAt {TARGET_USERS} users with the cache: {r['rps']:.0f} req/s, "
            f"{r['errors']} errors, p95 {r['p95']:.0f} ms: "
            f"{'meets' if met else 'misses'} the target (>= {TARGET_RPS} req/s, "
            f"0 errors, p95 <= {TARGET_P95_MS} ms)."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
