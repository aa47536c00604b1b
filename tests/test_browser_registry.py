"""The registry in a real Chromium: finding a person, and a merge suggestion done in
the admin showing at once on the browse page. Invented texts; the known people of
seeds/people.csv."""

import importlib
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import expect

from statements.models import Country, Speaker
from tests.test_browser_browse import DESKTOP, shoot
from tests.test_speaker_registry import import_text

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _countries():
    """After another browser test, the serialized rollback does not always bring back
    the countries the migrations wrote (see tests/conftest.py): write them again."""
    from django.apps import apps

    if not Country.objects.exists():
        importlib.import_module("statements.migrations.0002_countries").add_countries(
            apps, None
        )
    importlib.import_module(
        "statements.migrations.0006_speaker_name_parts_position_seen"
    ).add_kosovo(apps, None)


@pytest.fixture
def registry(live_server):
    _countries()
    call_command(
        "import_speakers",
        str(Path(settings.BASE_DIR) / "seeds" / "people.csv"),
        verbosity=0,
    )
    import_text(
        "We will win.\nWe will build.\nWe will see.\n",
        [
            ("Donald Trump", "Trump", "person", None, None),
            ("Donald J. Trump", "Donald J. Trump", "person", None, None),
            ("Donald Trump", "Mr. Trump", "person", None, None),
        ],
    )
    import_text(
        "Fans cheered.\nThe tower is tall.\n",
        [
            ("Trumpton Fans", "Trumpton Fans", "group", None, None),
            ("Trump Tower Example", "Trump Tower Example", "organisation", None, None),
        ],
    )
    import_text(
        "Taxes must fall.\nSchools need money.\nRoads need repair.\n",
        # A spelling variant: a merge suggestion, never merged by the import.
        ["Reynold Priebe", "Renold Priebe", "Renold Priebe"],
    )


def login(page, live_server):
    User.objects.create_superuser("alice", "alice@example.com", "correct-horse")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("correct-horse")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_typing_trump_offers_donald_trump_first(page, live_server, registry):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    box = page.locator("#speaker-input")
    box.click()
    box.press_sequentially("Trump", delay=30)
    first = page.locator("#speaker-options [role=option]").first
    expect(first).to_contain_text("Donald Trump")
    expect(first).to_contain_text("Person · United States · President · 3 statements")
    expect(page.locator("#speaker-options")).not_to_contain_text("Trumpton Fans")
    shoot(page, "leader-autocomplete-desktop.png", DESKTOP)
    first.click()
    expect(page).to_have_url(f"{live_server.url}/?speaker=donald-trump")
    expect(page.locator(".total strong")).to_have_text("3")


def test_a_suggested_merge_in_the_admin_shows_at_once_on_the_browse_page(
    page, live_server, registry
):
    reynold = Speaker.objects.get(name="Reynold Priebe")
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/?speaker={reynold.slug}")  # counts cached before
    expect(page.locator(".total strong")).to_have_text("1")
    renold = Speaker.objects.get(name="Renold Priebe")

    login(page, live_server)
    page.goto(f"{live_server.url}/admin/statements/speaker/")
    page.locator("a", has_text="Merge suggestions").click()
    row = page.locator("tr", has_text="Renold Priebe")
    expect(row).to_contain_text("Reynold Priebe")
    shoot(page, "admin-merge-suggestions.png", DESKTOP)
    row.locator("input[type=checkbox]").check()
    page.locator("input[type=submit]").click()
    expect(page.locator(".messagelist")).to_contain_text("Merged 1 suggestion")

    # The record kept is the most quoted; the merged one's link leads to it.
    page.goto(f"{live_server.url}/speakers/{reynold.slug}/")
    expect(page).to_have_url(f"{live_server.url}/speakers/{renold.slug}/")
    page.goto(f"{live_server.url}/?speaker={renold.slug}")
    expect(page.locator(".total strong")).to_have_text("3")
    assert set(page.locator("#results .statement .speaker").all_inner_texts()) == {
        "Renold Priebe"
    }
