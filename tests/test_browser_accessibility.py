"""axe-core on every kind of page, at 1280 and 390 px, with screenshots of each saved
to test-artifacts/: no serious or critical violation anywhere. Also the layouts axe
cannot judge: widths at 1280 px, list numbers, chart labels."""

import datetime

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from statements.models import Article, Position, Statement
from tests.browser import DESKTOP, PHONE, axe_violations, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


@pytest.fixture
def context(browser):
    """A browser context that lets axe-core in whatever the page's CSP says."""
    context = browser.new_context(viewport=DESKTOP, bypass_csp=True)
    yield context
    context.close()


@pytest.fixture
def page(context):
    return context.new_page()


@pytest.fixture
def admin_page(page, live_server):
    User.objects.create_superuser("alice", "alice@example.com", "correct-horse")
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("correct-horse")
    page.locator("input[type=submit]").click()
    expect(page.locator("#user-tools")).to_be_visible()
    return page


def public_pages(seeded):
    leader = seeded[0]
    statement = Statement.objects.filter(speaker=leader).order_by("pk").first()
    country = leader.country.code.lower()
    return {
        "statements": "/",
        "statements-filtered": f"/?speaker={leader.slug}&country={country}&kind=direct",
        "statements-empty": f"/?speaker={leader.slug}&q=zebras",
        "speaker": f"/speakers/{leader.slug}/",
        "article": f"/articles/{statement.article_id}/",
        "statement": f"/statements/{statement.pk}/",
    }


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["1280", "390"])
def test_the_public_pages_have_no_serious_accessibility_violations(
    page, live_server, seeded, size
):
    found = {}
    for name, path in public_pages(seeded).items():
        page.set_viewport_size(size)
        page.goto(live_server.url + path)
        expect(page.locator("h1")).to_have_count(1)
        found[name] = axe_violations(page)
        shoot(page, f"{name}-{size['width']}.png", size)
    assert found == {name: [] for name in found}


def test_the_filters_with_their_options_open_have_no_serious_violations(
    page, live_server, seeded
):
    page.goto(live_server.url + "/")
    page.locator("#country-input").focus()
    page.keyboard.press("ArrowDown")
    expect(page.locator("#country-options [role=option]").first).to_be_visible()
    assert axe_violations(page) == []
    shoot(page, "statements-country-options-1280.png", DESKTOP)


def test_the_admin_pages_have_no_serious_accessibility_violations(
    admin_page, live_server, seeded
):
    page = admin_page
    leader = seeded[0]
    statement = Statement.objects.filter(speaker=leader).order_by("pk").first()
    pages = {
        "admin-statement-change": f"/admin/statements/statement/{statement.pk}/change/",
        "admin-speaker-change": f"/admin/statements/speaker/{leader.pk}/change/",
        "admin-statements": "/admin/statements/statement/",
        "admin-article-change": f"/admin/statements/article/{statement.article_id}/change/",
    }
    found = {}
    for name, path in pages.items():
        page.set_viewport_size(DESKTOP)
        page.goto(live_server.url + path)
        page.wait_for_load_state("load")
        found[name] = axe_violations(page)
        shoot(page, f"{name}-1280.png", DESKTOP)
        shoot(page, f"{name}-390.png", PHONE)
    assert found == {name: [] for name in found}


def no_horizontal_scroll(page, selector="html"):
    return page.evaluate(
        """s => [...document.querySelectorAll(s)].every(
            el => el.scrollWidth <= el.clientWidth + 1)""",
        selector,
    )


def test_the_admin_fits_1280_px_without_scrolling_sideways(
    admin_page, live_server, seeded
):
    page = admin_page
    leader = seeded[0]
    for i, title in enumerate(["Leader of the Opposition", "Shadow Secretary"]):
        Position.objects.create(
            speaker=leader,
            title=title,
            organisation="A Party With A Long Name",
            start_date=datetime.date(2010 + i, 1, 1),
            end_date=datetime.date(2015 + i, 1, 1),
            source_article=Article.objects.first(),
        )
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin/statements/statement/")
    expect(page.locator("#result_list")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert no_horizontal_scroll(page, "#changelist .results")
    list_width = page.locator("#result_list").bounding_box()["width"]
    pane = page.locator("#changelist .results").bounding_box()["width"]
    assert list_width <= pane + 1

    page.goto(f"{live_server.url}/admin/statements/speaker/{leader.pk}/change/")
    expect(page.locator("#positions-group")).to_be_visible()
    assert no_horizontal_scroll(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= DESKTOP["width"]


def test_the_search_box_is_wide_at_1280_px(page, live_server, seeded):
    page.goto(live_server.url + "/")
    assert page.locator("#id_q").bounding_box()["width"] >= 400


def test_the_article_list_shows_numbers_of_two_digits_whole(page, live_server, seeded):
    statement = Statement.objects.filter(speaker=seeded[0]).first()
    assert statement.article.statements.public().count() >= 10
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(f"{live_server.url}/articles/{statement.article_id}/")
        clipped = page.evaluate(
            """() => {
                const box = document.querySelector('.article-statements');
                const edge = box.getBoundingClientRect();
                return [...box.querySelectorAll('.numbered__n')].filter(n => {
                    const r = n.getBoundingClientRect();
                    return r.left < edge.left || r.right > edge.right || n.scrollWidth > n.clientWidth;
                }).map(n => n.textContent);
            }"""
        )
        assert clipped == []
        tenth = page.locator(".article-statements li").nth(9).locator(".numbered__n")
        expect(tenth).to_have_text("10.")


def test_statement_highlights_are_underlined_not_only_coloured(
    page, live_server, seeded
):
    statement = Statement.objects.filter(speaker=seeded[0]).first()
    page.goto(f"{live_server.url}/articles/{statement.article_id}/")
    lines = page.locator(".article-text a.said").evaluate_all(
        "els => els.map(a => getComputedStyle(a).textDecorationLine)"
    )
    assert lines and set(lines) == {"underline"}


def test_month_labels_do_not_overlap_on_a_short_range(page, live_server, seeded):
    for day in (datetime.date(2025, 3, 10), datetime.date(2025, 4, 2)):
        article = Article.objects.create(
            title=f"Talks on {day}",
            published=day,
            text="Ann Example said that talks went well.",
            content_hash=f"labels-{day}",
        )
        Statement.objects.create(
            article=article,
            speaker=seeded[0],
            kind="indirect",
            text="talks went well",
            start=22,
            end=37,
        )
    for size in (DESKTOP, PHONE):
        page.set_viewport_size(size)
        page.goto(live_server.url + "/")
        boxes = page.locator("svg.timeline text.axis").evaluate_all(
            "els => els.map(t => { const r = t.getBoundingClientRect(); return [r.left, r.right, t.textContent]; })"
        )
        assert [b[2] for b in boxes] == ["Feb 25", "Mar 25", "Apr 25"]
        for (_, right, _), (left, _, _) in zip(boxes, boxes[1:], strict=False):
            assert right < left
