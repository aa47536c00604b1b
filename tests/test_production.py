"""The production settings (DEBUG off) and gunicorn, as the README's deployment section
documents them: each check runs the real manage.py or gunicorn in a process of its own,
with the environment an operator would give it."""

import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.db import connection

from tests.browse_cast import make_cast

BASE = settings.BASE_DIR
GUNICORN = os.path.join(os.path.dirname(sys.executable), "gunicorn")


def production_env(**more):
    """The environment of a production run: no DEBUG (so off), a real key."""
    # Nor the test suite's own switches (DJANGO_ALLOW_ASYNC_UNSAFE, for Playwright).
    unset = ("DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="whosaidwhat.example,127.0.0.1",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    env.update(more)
    return env


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


# Settings.


def test_the_production_settings_pass_check_deploy():
    r = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert r.returncode == 0, r.stdout + r.stderr
    assert "System check identified no issues" in r.stdout


@pytest.mark.parametrize("debug", [None, "False"])
def test_it_refuses_to_start_on_the_development_key_without_debug(debug):
    env = production_env()
    del env["SECRET_KEY"]
    if debug:
        env["DEBUG"] = debug
    r = manage("check", env=env)
    assert r.returncode != 0
    assert "SECRET_KEY is not set, and DEBUG is off" in r.stderr


def test_extract_runs_with_no_environment_at_all():
    env = production_env()
    del env["SECRET_KEY"]
    r = manage("extract", "seeds/2025-02-17-paris-summit-ukraine.txt", env=env)
    assert r.returncode == 0, r.stderr
    assert '"statements"' in r.stdout


def test_the_web_application_refuses_the_development_key_without_debug():
    env = production_env()
    del env["SECRET_KEY"]
    r = subprocess.run(
        [sys.executable, "-c", "import config.wsgi"],
        cwd=BASE,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert r.returncode != 0
    assert "SECRET_KEY is not set, and DEBUG is off" in r.stderr


def test_debug_is_off_unless_asked_for():
    show = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.DATABASES['default']['CONN_MAX_AGE'])"
    )
    r = manage("shell", "--no-imports", "-c", show, env=production_env())
    assert r.stdout.split() == ["False", "60"], r.stderr
    r = manage("shell", "--no-imports", "-c", show, env=production_env(DEBUG="True"))
    assert r.stdout.split() == ["True", "0"], r.stderr


def test_admins_come_from_the_environment():
    show = "from django.conf import settings as s; print(s.ADMINS)"
    env = production_env(ADMINS="Jane Roe <jane@news.example>, ops@news.example")
    r = manage("shell", "--no-imports", "-c", show, env=env)
    assert r.stdout.strip() == (
        "[('Jane Roe', 'jane@news.example'), ('ops@news.example', 'ops@news.example')]"
    ), r.stderr


# What every page sends, in process.


class _Inline(HTMLParser):
    """Inline script and style a strict CSP would block."""

    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and "src" not in attrs:
            self.found.append(f"<script> without src: {attrs}")
        if tag == "style":
            self.found.append("<style>")
        for name in attrs:
            if name == "style" or name.startswith(("on", "hx-on")):
                self.found.append(f"{name}= on <{tag}>")


PUBLIC_PAGES = [
    "/",
    "/?speaker=keir-starmer&q=troops",
    "/speakers/keir-starmer/",
    "/countries/france/",
    "/topics/defence/",
    "/speakers/autocomplete/",
    "/speakers/autocomplete/?q=sta",
]


@pytest.mark.django_db
def test_public_pages_have_a_strict_csp_and_nothing_inline_it_would_block(client):
    cast = make_cast()
    pages = PUBLIC_PAGES + [
        f"/articles/{cast.paris.pk}/",
        f"/statements/{cast.troops.pk}/",
        "/nowhere/",
    ]
    for url in pages:
        r = client.get(url)
        csp = r["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "style-src 'self'" in csp, url
        assert "default-src 'none'" in csp and "unsafe" not in csp, url
        parser = _Inline()
        parser.feed(r.content.decode())
        assert parser.found == [], url


@pytest.mark.django_db
def test_public_pages_set_no_csrf_cookie(client):
    cast = make_cast()
    pages = PUBLIC_PAGES + [
        f"/articles/{cast.paris.pk}/",
        f"/statements/{cast.troops.pk}/",
        "/export.csv",
        "/export.json",
        "/speakers/keir-starmer/feed/",
    ]
    for url in pages:
        r = client.get(url)
        assert r.status_code == 200, url
        assert "csrftoken" not in r.cookies, url
        assert not r.cookies, (url, r.cookies)


@pytest.mark.django_db
def test_the_admin_login_still_gets_its_csrf_token(client):
    r = client.get("/admin/login/")
    assert "csrftoken" in r.cookies
    assert 'name="csrfmiddlewaretoken"' in r.content.decode()


# gunicorn, as `make serve` runs it.


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url(name=None):
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{name or db['NAME']}"


def _get(url, headers):
    try:
        with urllib.request.urlopen(urllib.request.Request(url, headers=headers)) as r:
            return r.status, dict(r.headers), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, dict(e.headers), e.read().decode()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture
def gunicorn(tmp_path):
    """Starts gunicorn with the production settings and the given database, as
    `make serve` does; returns (base URL, the file of its stderr and stdout)."""
    procs, outputs = [], []

    def start(database_url):
        port = _free_port()
        log = tmp_path / f"gunicorn-{port}.log"
        out = log.open("w")  # noqa: SIM115 (closed after the test)
        outputs.append(out)
        env = production_env(
            DATABASE_URL=database_url,
            HOST="127.0.0.1",
            PORT=str(port),
            WEB_CONCURRENCY="1",
        )
        cmd = [GUNICORN, "--config", "config/gunicorn.conf.py", "config.wsgi"]
        procs.append(subprocess.Popen(cmd, cwd=BASE, env=env, stdout=out, stderr=out))
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return f"http://127.0.0.1:{port}", log
            except OSError:
                assert procs[-1].poll() is None, log.read_text()
                time.sleep(0.2)
        raise AssertionError("gunicorn did not start")

    yield start
    for proc in procs:
        proc.terminate()
        proc.wait(timeout=30)
    for out in outputs:
        out.close()


needs_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="gunicorn runs in another process, which needs a database it can see",
)


@needs_postgresql
@pytest.mark.django_db(transaction=True)
def test_gunicorn_serves_https_only_with_hsts_and_the_csp(gunicorn, countries):
    make_cast()
    base, _ = gunicorn(_database_url())
    # Through a proxy that terminated TLS (gunicorn trusts 127.0.0.1's header).
    status, headers, body = _get(base + "/", {"X-Forwarded-Proto": "https"})
    assert status == 200
    assert "Europe must step up and send troops" in body
    assert headers["Strict-Transport-Security"] == (
        "max-age=31536000; includeSubDomains; preload"
    )
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert "Set-Cookie" not in headers
    # Plain HTTP is sent to HTTPS.
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.error.HTTPError) as info:
        opener.open(base + "/speakers/keir-starmer/")
    assert info.value.code == 301
    https = base.replace("http://", "https://")
    assert info.value.headers["Location"] == https + "/speakers/keir-starmer/"


@needs_postgresql
def test_a_server_error_under_gunicorn_is_logged_on_stderr_with_its_traceback(
    gunicorn,
):
    # A database that is not there: every page that reads it fails.
    base, log = gunicorn(_database_url("wsw_no_such_database_at_all"))
    status, _, body = _get(base + "/topics/defence/", {"X-Forwarded-Proto": "https"})
    assert status == 500
    assert "The error has been logged" in body
    deadline = time.monotonic() + 10
    while "Traceback" not in log.read_text() and time.monotonic() < deadline:
        time.sleep(0.2)
    text = log.read_text()
    assert "ERROR django.request [pid " in text
    assert "Internal Server Error: /topics/defence/" in text
    assert "Traceback (most recent call last):" in text
    assert 'database "wsw_no_such_database_at_all" does not exist' in text
