"""Pages and partials served from the cache (statements/page_cache.py): on the local
memory cache and on the local Redis (under a key prefix of this test's own), never
stale after a write, revalidated by ETag, never one user's page for another."""

import socket
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

from statements import corrections
from statements.models import Topic
from tests.browse_cast import make_cast
from tests.users import staff_user

HTMX = {"HTTP_HX_REQUEST": "true"}
REDIS = "redis://127.0.0.1:6379/0"


@pytest.fixture
def cast(db):
    cache.clear()  # the local memory cache of this process, never Redis
    return make_cast()


@pytest.fixture
def on_redis():
    """The default cache on the local Redis, under a prefix of its own, removed after."""
    prefix = f"wsw-test:{connection.settings_dict['NAME']}:{uuid.uuid4().hex[:8]}"
    caches = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS,
            "KEY_PREFIX": prefix,
        }
    }
    with override_settings(CACHES=caches):
        yield prefix
    client = redis.Redis.from_url(REDIS)
    for key in client.scan_iter(match=f"{prefix}:*"):
        client.delete(key)


def page(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, response.content[:500]
    return response


# Served from the cache.


def test_a_repeat_is_served_from_the_cache_in_one_query(
    client, cast, django_assert_num_queries
):
    first = page(client, "/?speaker=keir-starmer")
    with django_assert_num_queries(1):  # the data's version
        second = page(client, "/?speaker=keir-starmer")

    assert first["X-Page-Cache"] == "miss"
    assert second["X-Page-Cache"] == "hit"
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]


def test_every_public_page_is_cached(client, cast):
    for url in [
        "/",
        "/speakers/keir-starmer/",
        "/countries/france/",
        "/topics/trade/",
        f"/articles/{cast.paris.pk}/",
        f"/statements/{cast.troops.pk}/",
        "/speakers/autocomplete/?q=sta",
        "/speakers/keir-starmer/feed/",
        "/topics/trade/feed/",
    ]:
        assert page(client, url)["X-Page-Cache"] == "miss", url
        assert page(client, url)["X-Page-Cache"] == "hit", url


def test_the_redis_cache_serves_a_repeat_to_another_process(client, cast, on_redis):
    first = page(client, "/topics/trade/")
    cache.close()  # as another web process would: nothing but what Redis holds
    second = page(client, "/topics/trade/")

    assert (first["X-Page-Cache"], second["X-Page-Cache"]) == ("miss", "hit")
    assert second.content == first.content
    keys = redis.Redis.from_url(REDIS).keys(f"{on_redis}:*")
    assert any(b":page:" in key for key in keys)


def test_a_cache_that_is_down_costs_no_page(client, cast):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    down = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    with override_settings(CACHES=down):
        response = page(client, "/?q=troops")
    assert "Europe must step up" in response.content.decode()


# Never stale.


def test_a_correction_shows_at_once(client, cast):
    before = page(client, "/speakers/emmanuel-macron/")
    assert "Europe must step up" not in before.content.decode()

    corrections.correct(cast.troops, cast.macron)
    after = page(client, "/speakers/emmanuel-macron/")

    assert after["X-Page-Cache"] == "miss"
    assert "Europe must step up" in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_an_admin_edit_of_a_topic_shows_at_once(client, cast):
    before = page(client, "/topics/trade/")
    staff = staff_user("alice", "view_topic", "change_topic")
    other = client.__class__()
    other.force_login(staff)
    response = other.post(
        f"/admin/statements/topic/{cast.trade.pk}/change/",
        {"name": "Trade and tariffs", "slug": "trade", "description": ""},
    )
    assert response.status_code == 302, response.content[:2000]
    assert Topic.objects.get(pk=cast.trade.pk).name == "Trade and tariffs"

    after = page(client, "/topics/trade/")

    assert "Trade and tariffs" not in before.content.decode()
    assert "Trade and tariffs" in after.content.decode()


def test_an_admin_edit_of_an_article_title_shows_at_once(client, cast):
    page(client, f"/articles/{cast.paris.pk}/")
    cast.paris.title = "Backstop talks in Paris"
    corrections.update_article(cast.paris)

    after = page(client, f"/articles/{cast.paris.pk}/")

    assert "Backstop talks in Paris" in after.content.decode()


def test_a_rename_saved_by_hand_in_the_shell_shows_at_once(client, cast):
    page(client, "/speakers/olaf-scholz/")
    cast.scholz.name = "Olaf Scholz (SPD)"
    cast.scholz.save()  # the safety net moves the data version on

    after = page(client, "/speakers/olaf-scholz/")

    assert after["X-Page-Cache"] == "miss"
    assert "Olaf Scholz (SPD)" in after.content.decode()


# Revalidation.


def test_a_browser_revalidates_with_the_etag_and_gets_304_until_the_data_changes(
    client, cast, django_assert_num_queries
):
    first = page(client, "/countries/france/")
    assert first["Cache-Control"] == "no-cache"
    assert first["Last-Modified"]

    with django_assert_num_queries(1):
        again = client.get("/countries/france/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304
    assert again["ETag"] == first["ETag"]
    assert again.content == b""

    corrections.set_status([cast.spend], "rejected")
    changed = client.get("/countries/france/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200
    assert "Europe would spend more" not in changed.content.decode()


# htmx: the partial and the whole page of one URL.


def test_the_htmx_partial_and_the_whole_page_are_cached_apart(client, cast):
    partial = page(client, "/?topic=trade", **HTMX)
    whole = page(client, "/?topic=trade")
    partial_again = page(client, "/?topic=trade", **HTMX)

    assert "<html" not in partial.content.decode()
    assert "<html" in whole.content.decode()
    assert partial_again["X-Page-Cache"] == "hit"
    assert partial_again.content == partial.content
    assert partial_again["HX-Push-Url"] == partial["HX-Push-Url"]
    assert partial["ETag"] != whole["ETag"]
    vary = {v.strip() for v in whole["Vary"].split(",")}
    assert {"HX-Request", "HX-History-Restore-Request", "Cookie"} <= vary


def test_a_history_restore_gets_the_whole_page_not_the_cached_partial(client, cast):
    page(client, "/?topic=trade", **HTMX)
    restore = page(
        client, "/?topic=trade", **HTMX, HTTP_HX_HISTORY_RESTORE_REQUEST="true"
    )
    assert "<html" in restore.content.decode()


# Per user.


def test_a_staff_page_is_neither_cached_nor_served_to_others(client, cast):
    anonymous = page(client, f"/statements/{cast.troops.pk}/")
    staff = client.__class__()
    staff.force_login(staff_user("alice"))
    theirs = page(staff, f"/statements/{cast.troops.pk}/")
    anonymous_again = page(client, f"/statements/{cast.troops.pk}/")

    assert "/admin/" in theirs.content.decode()
    assert theirs["Cache-Control"] == "private, no-cache"
    assert "X-Page-Cache" not in theirs
    assert "/admin/" not in anonymous.content.decode()
    assert "/admin/" not in anonymous_again.content.decode()
    assert anonymous_again["X-Page-Cache"] == "hit"


def test_a_public_page_carries_no_csrf_token_or_cookie(client, cast):
    response = page(client, "/")
    assert "csrftoken" not in response.content.decode()
    assert not response.cookies


def test_errors_and_redirects_are_not_cached(client, cast):
    assert client.get("/?since=yesterday").status_code == 400
    again = client.get("/?since=yesterday")
    assert again.status_code == 400
    assert "X-Page-Cache" not in again


def test_a_page_cache_of_zero_seconds_turns_it_off(client, cast):
    with override_settings(PAGE_CACHE_SECONDS=0):
        page(client, "/")
        assert "X-Page-Cache" not in page(client, "/")


def test_the_cache_key_changes_with_the_release(client, cast, monkeypatch):
    from statements import page_cache

    first = page(client, "/")
    monkeypatch.setattr(page_cache, "release", lambda: "another-release")
    after_deploy = page(client, "/")

    assert after_deploy["X-Page-Cache"] == "miss"
    assert after_deploy["ETag"] != first["ETag"]
    assert settings.PAGE_CACHE_SECONDS > 0
