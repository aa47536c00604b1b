"""Rendered pages and htmx partials served from the cache (CACHE_URL), never stale.

    @cached_page
    def statement_list(request): ...

A page is cached under a key made of the data's version (counting.data_version(), which
every write of the app moves on in its own transaction), the code's release (a digest of
the templates and the app's code, so a deploy never serves pages of the old code), the
host, the full path with its query string, and the htmx variant (HX-Request and
HX-History-Restore-Request: the partial and the whole page are different responses of
the same URL). So a correction or an import shows at once: the next request reads the
new version (one query) and misses.

Every cached response carries an ETag made of the same parts and Last-Modified (when
the version last changed), with `Cache-Control: no-cache` and `Vary: HX-Request,
HX-History-Restore-Request, Cookie`, so browsers and proxies may keep it but ask again
each time; a request whose If-None-Match names the current ETag gets 304 without the
page being rendered or read from the cache.

Only anonymous GET and HEAD requests are cached. A signed-in user's pages (staff see
links to the admin) are rendered for them alone and sent `Cache-Control: private,
no-cache`. A response is stored only when it is a 200 that sets no cookie and used no
CSRF token, and when the data's version did not move while it was rendered (so a page
is never filed under a version older than some of its data).

A cache that fails (Redis down) is logged and skipped: the page is rendered as if the
cache were off, never a 500. PAGE_CACHE_SECONDS=0 turns the page cache off.
"""

from __future__ import annotations

import functools
import hashlib
import logging
from pathlib import Path

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

from . import counting

log = logging.getLogger(__name__)

VARY = ("HX-Request", "HX-History-Restore-Request", "Cookie")
# Set on every response here, so not stored with the cached ones.
OWN_HEADERS = {"etag", "last-modified", "cache-control", "vary", "x-page-cache"}
APP = Path(__file__).resolve().parent


@functools.cache
def release() -> str:
    """A digest of what renders the pages: the templates, the app's Python code and
    the settings that shape a page. Computed once per process."""
    digest = hashlib.sha256(repr(settings.STATEMENTS_PER_PAGE).encode())
    roots = [Path(d) for t in settings.TEMPLATES for d in t.get("DIRS", [])] + [APP]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".py", ".html") and "migrations" not in path.parts:
                digest.update(str(path.relative_to(root)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def cache_get(key: str):
    try:
        return cache.get(key)
    except Exception as e:  # a cache that is away costs speed, never the page
        log.warning("Cache unavailable, reading %s: %s", key[:40], e)
        return None


def cache_set(key: str, value, seconds: int) -> None:
    try:
        cache.set(key, value, seconds)
    except Exception as e:
        log.warning("Cache unavailable, writing %s: %s", key[:40], e)


def _variant(request) -> str:
    return "|".join(request.headers.get(h, "") for h in VARY[:2])


def _validators(request, version: str, changed_at) -> tuple[str, str]:
    """(cache key, ETag) of this request's page at this version."""
    parts = "\n".join(
        [
            release(),
            version,
            _variant(request),
            request.get_host(),
            request.get_full_path(),
        ]
    )
    digest = hashlib.sha256(parts.encode()).hexdigest()[:32]
    return f"page:{digest}", f'W/"{digest}"'


def _headers(response, etag: str, changed_at, state: str) -> HttpResponse:
    response["ETag"] = etag
    if changed_at is not None:
        response["Last-Modified"] = http_date(changed_at.timestamp())
    response["Cache-Control"] = "no-cache"
    response["X-Page-Cache"] = state
    patch_vary_headers(response, VARY)
    return response


def _stored(response) -> tuple:
    headers = [
        (k, v) for k, v in response.headers.items() if k.lower() not in OWN_HEADERS
    ]
    return (response.status_code, response.content, headers)


def _from_stored(stored) -> HttpResponse:
    status, content, headers = stored
    response = HttpResponse(content, status=status)
    for key, value in headers:
        response[key] = value
    return response


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cached_page(view):
    """Serves the view's pages from the cache; see the module's docstring."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or settings.PAGE_CACHE_SECONDS <= 0:
            return view(request, *args, **kwargs)
        if request.user.is_authenticated:
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = "private, no-cache"
            patch_vary_headers(response, VARY)
            return response
        version, changed_at = counting.data_version_and_time()
        key, etag = _validators(request, version, changed_at)
        not_modified = get_conditional_response(
            request,
            etag=etag,
            response=_headers(HttpResponse(), etag, changed_at, "revalidated"),
        )
        if not_modified.status_code == 304:
            return not_modified
        stored = cache_get(key)
        if stored is not None:
            return _headers(_from_stored(stored), etag, changed_at, "hit")
        response = view(request, *args, **kwargs)
        if not _storable(request, response):
            return response
        if counting.data_version() == version:
            cache_set(key, _stored(response), settings.PAGE_CACHE_SECONDS)
        return _headers(response, etag, changed_at, "miss")

    return wrapper
