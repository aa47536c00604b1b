"""The Content-Security-Policy in a real Chromium: the browse pages with their htmx
swaps and the admin work under it, and nothing on them is refused by it."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from statements.models import Article, Statement
from tests.browser import ARTIFACTS, DESKTOP

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# Every violation, enforced or not, and the console's "Refused to ..." lines.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", function (e) {
  window.cspViolations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber + " " + e.sample);
});
"""


@pytest.fixture
def watched(page):
    """The page, with every CSP violation and console error it meets recorded."""
    page.add_init_script(RECORD_VIOLATIONS)
    page.console_errors = []
    page.on(
        "console",
        lambda m: page.console_errors.append(m.text) if m.type == "error" else None,
    )
    page.set_viewport_size(DESKTOP)
    return page


def assert_nothing_refused(page, where):
    violations = page.evaluate("window.cspViolations")
    assert violations == [], where
    refused = [t for t in page.console_errors if "Content Security Policy" in t]
    assert refused == [], where


def test_the_browse_pages_and_their_htmx_swaps_break_no_rule_of_the_csp(
    watched, live_server, seeded
):
    page, leader = watched, seeded[0]
    page.goto(live_server.url + "/")
    expect(page.locator("#results .statement").first).to_be_visible()
    # The speaker bars are drawn without inline styles: the busiest is the widest.
    widths = page.locator(".bars .bars__bar").evaluate_all(
        "bars => bars.map(b => b.querySelector('rect').getBBox().width)"
    )
    assert widths[0] == 100 and 0 < widths[-1] <= 100
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "csp-statements-desktop.png"), full_page=True)
    assert_nothing_refused(page, "/")

    # The leader combobox (static/js/site.js, no inline handler) and its htmx swap.
    page.evaluate("window.notReloaded = true")
    box = page.locator("#speaker-input")
    box.click()
    box.press_sequentially(leader.name[:5], delay=30)
    option = page.locator("#speaker-options [role=option]", has_text=leader.name)
    expect(option).to_be_visible()
    option.click()
    expect(page).to_have_url(re.compile(r"\?speaker="))
    expect(page.locator("#results .statement").first).to_be_visible()
    assert page.evaluate("window.notReloaded") is True
    # A facet link, swapped in by htmx.
    page.locator(".bars a").first.click()
    expect(page.locator("#results .statement").first).to_be_visible()
    assert_nothing_refused(page, "after the htmx swaps")

    statement = Statement.objects.public().order_by("pk").first()
    for url in (
        f"/statements/{statement.pk}/",
        f"/articles/{Article.objects.get().pk}/",
        f"/speakers/{leader.slug}/",
        "/speakers/autocomplete/",
    ):
        page.goto(live_server.url + url)
        expect(page.locator("main")).to_be_visible()
        assert_nothing_refused(page, url)


def test_the_admin_works_under_the_csp(watched, live_server, seeded):
    page = watched
    wrong, right = seeded[0], seeded[1]
    statement = Statement.objects.filter(speaker=wrong).order_by("pk").first()
    User.objects.create_superuser("alice", "alice@example.com", "correct-horse")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("correct-horse")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))
    assert_nothing_refused(page, "admin index")

    page.goto(f"{live_server.url}/admin/statements/statement/?kind__exact=direct")
    expect(page.locator("#result_list")).to_be_visible()
    assert_nothing_refused(page, "statement list")

    # The change form's select2 autocomplete and its save.
    page.goto(f"{live_server.url}/admin/statements/statement/{statement.pk}/change/")
    page.locator("#select2-id_speaker-container").click()
    page.locator(".select2-search__field").fill(right.name)
    page.locator(".select2-results__option", has_text=right.name).first.click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")
    assert Statement.objects.get(pk=statement.pk).speaker == right
    assert_nothing_refused(page, "statement change form")

    page.goto(f"{live_server.url}/admin/statements/speaker/{right.pk}/change/")
    expect(page.locator("#speaker_form")).to_be_visible()
    assert_nothing_refused(page, "speaker change form")
