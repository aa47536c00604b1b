import importlib
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models import Count

# live_server runs in a thread beside Playwright's event loop.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Playwright launches Debian's Chromium: it cannot download browsers here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": CHROMIUM_ARGS,
        "headless": True,
    }


@pytest.fixture(autouse=True)
def _test_settings(settings):
    """Counts that would go negative raise here (they are only logged in production),
    and passwords are hashed fast."""
    settings.COUNTS_STRICT = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def seeded(live_server):
    """The seed article imported, for the browser tests: its speakers, most quoted first."""
    from statements.models import Country, Speaker

    if not Country.objects.exists():
        # After a browser test, pytest-django's serialized rollback does not always
        # bring back the countries migration 0002 wrote (seen when a page was
        # opened): write them again, as that migration does.
        from django.apps import apps

        importlib.import_module("statements.migrations.0002_countries").add_countries(
            apps, None
        )
    call_command("import_articles", str(Path(settings.BASE_DIR) / "seeds"), verbosity=0)
    speakers = list(
        Speaker.objects.annotate(n=Count("statements"))
        .filter(n__gt=0)
        .order_by("-n", "name")
    )
    assert len(speakers) >= 2, (
        "the seed should give statements by two speakers at least"
    )
    return speakers


@pytest.fixture
def countries(transactional_db):
    """The countries migration 0002 writes, for a transactional test that runs after
    another one flushed them (a flush empties every table, data migrations' too)."""
    from statements.models import Country

    if not Country.objects.exists():
        from django.apps import apps

        importlib.import_module("statements.migrations.0002_countries").add_countries(
            apps, None
        )
