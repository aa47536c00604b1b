"""Every filter of the statements page driven by the keyboard alone, in Chromium.

Nothing applies before the user chooses, and after each htmx swap the focus is on the
control the user used (or, when it is gone, on its filter's box), never back at the
top of the page."""

import datetime
import re

import pytest
from playwright.sync_api import expect

from statements.models import Article, Country, Statement, Topic
from tests.browser import DESKTOP, tab_to

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SKIP_LINK = "a.skip"


@pytest.fixture
def statements_page(page, live_server, seeded):
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.locator("#results .statement").first).to_be_visible()
    page.evaluate("window.notReloaded = true")
    return page


def wait_for_swap(page):
    page.wait_for_load_state("networkidle")
    expect(page.locator("#results.htmx-request")).to_have_count(0)


def assert_focus_on(page, element_id):
    """Focus is on `element_id`, and the next Tab goes on from there, not to the top."""
    expect(page.locator(f"#{element_id}")).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
    page.keyboard.press("Tab")
    assert not page.evaluate(
        "s => document.activeElement.matches(s) || document.activeElement === document.body",
        SKIP_LINK,
    ), "the next Tab went back to the top of the page"
    page.keyboard.press("Shift+Tab")


def test_typing_a_country_applies_nothing_until_enter(statements_page, live_server):
    page = statements_page
    country = (
        Country.objects.filter(statements__isnull=False, name__contains=" ")
        .order_by("name")
        .last()
    )
    tab_to(page, "#country-input")
    page.keyboard.type(country.name, delay=120)  # a person typing
    expect(page.locator("#country-options [role=option]").first).to_have_text(
        country.name
    )
    assert page.url == live_server.url + "/"
    expect(page.locator("#filters .chip")).to_have_count(0)

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?country={country.code.lower()}")
    wait_for_swap(page)
    expect(page.locator("#filters .chip", has_text=country.name)).to_be_visible()
    assert_focus_on(page, "country-input")


def test_arrowing_through_topics_applies_only_the_one_chosen(
    statements_page, live_server
):
    page = statements_page
    tab_to(page, "#topic-input")
    page.keyboard.press("ArrowDown")
    options = page.locator("#topic-options [role=option]")
    expect(options.first).to_have_attribute("aria-selected", "true")
    assert page.url == live_server.url + "/"  # the first arrow applies nothing
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    chosen = options.nth(2)
    expect(chosen).to_have_attribute("aria-selected", "true")
    expect(page.locator("#topic-input")).to_have_attribute(
        "aria-activedescendant", chosen.get_attribute("id")
    )
    assert page.url == live_server.url + "/"
    slug = chosen.get_attribute("data-value")

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?topic={slug}")
    wait_for_swap(page)
    name = Topic.objects.get(slug=slug).name
    expect(page.locator("#filters .chip", has_text=name)).to_be_visible()
    assert_focus_on(page, "topic-input")


def test_a_leader_is_picked_with_arrows_and_enter(statements_page, live_server, seeded):
    page = statements_page
    leader = seeded[0]
    tab_to(page, "#speaker-input")
    page.keyboard.type(leader.name[:5], delay=80)
    expect(page.locator("#speaker-options [role=option]").first).to_be_visible()
    page.keyboard.press("ArrowDown")
    option = page.locator(f"#speaker-options [data-value='{leader.slug}']")
    expect(option).to_have_attribute("aria-selected", "true")
    assert page.url == live_server.url + "/"

    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?speaker={leader.slug}")
    wait_for_swap(page)
    expect(page.locator("#filters .chip", has_text=leader.name)).to_be_visible()
    assert_focus_on(page, "speaker-input")


def test_escape_closes_the_options_and_applies_nothing(statements_page, live_server):
    page = statements_page
    tab_to(page, "#country-input")
    page.keyboard.press("ArrowDown")
    expect(page.locator("#country-options")).to_be_visible()
    expect(page.locator("#country-input")).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(page.locator("#country-options")).to_be_hidden()
    expect(page.locator("#country-input")).to_have_attribute("aria-expanded", "false")
    page.keyboard.press("Tab")  # leaving the box picks nothing either
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"


def test_a_kind_checkbox_applies_with_space_and_keeps_the_focus(
    statements_page, live_server
):
    page = statements_page
    tab_to(page, "#kind-direct")
    page.keyboard.press("Space")
    expect(page).to_have_url(f"{live_server.url}/?kind=direct")
    wait_for_swap(page)
    expect(page.locator("#kind-direct")).to_be_checked()
    assert_focus_on(page, "kind-direct")
    kinds = set(
        page.locator("#results .statement").evaluate_all(
            "els => els.map(e => e.className)"
        )
    )
    assert kinds == {"statement statement--direct"}


def test_a_date_applies_when_the_user_is_done_typing_it(statements_page, live_server):
    page = statements_page
    tab_to(page, "#filter-since")
    # Chromium's date field takes month, day and year in the en-US locale.
    page.keyboard.type("02172025", delay=80)
    page.wait_for_timeout(400)
    assert page.url == live_server.url + "/"  # not at every digit
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?since=2025-02-17")
    wait_for_swap(page)
    assert_focus_on(page, "filter-since")


def test_a_date_applies_when_the_user_leaves_the_field(statements_page, live_server):
    page = statements_page
    tab_to(page, "#filter-until")
    page.keyboard.type("12312025", delay=60)
    page.wait_for_timeout(300)
    assert page.url == live_server.url + "/"
    tab_to(page, "#export-csv")  # on to the next control
    expect(page).to_have_url(f"{live_server.url}/?until=2025-12-31")
    wait_for_swap(page)
    assert_focus_on(page, "export-csv")


def test_removing_a_chip_moves_the_focus_to_its_filters_box(page, live_server, seeded):
    leader = seeded[0]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/?speaker={leader.slug}&kind=direct")
    page.evaluate("window.notReloaded = true")
    tab_to(page, f"#chip-speaker-{leader.slug}")
    page.keyboard.press("Space")
    expect(page).to_have_url(f"{live_server.url}/?kind=direct")
    wait_for_swap(page)
    assert_focus_on(page, "speaker-input")


def test_the_search_applies_on_enter_and_keeps_the_focus(statements_page, live_server):
    page = statements_page
    tab_to(page, "#id_q")
    page.keyboard.type("Ukraine", delay=40)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?q=Ukraine")
    wait_for_swap(page)
    assert_focus_on(page, "id_q")


def test_a_facet_followed_by_keyboard_keeps_the_focus_on_it(
    statements_page, live_server, seeded
):
    page = statements_page
    leader = seeded[0]
    facet = f"#facet-speaker-{leader.slug}"
    tab_to(page, facet, limit=200)
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?speaker={leader.slug}")
    wait_for_swap(page)
    assert_focus_on(page, f"facet-speaker-{leader.slug}")


def test_older_lands_at_the_top_of_the_results_saying_which_they_are(
    page, live_server, seeded, settings
):
    settings.STATEMENTS_PER_PAGE = 5
    total = Statement.objects.public().count()
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.locator("#results-status")).to_contain_text(f"1–5 of {total}")
    page.evaluate("window.notReloaded = true")
    tab_to(page, "#pager-older", limit=200)
    assert page.evaluate("scrollY") > 300  # the pager is at the bottom
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"\?before="))
    wait_for_swap(page)
    expect(page.locator("#results-status")).to_contain_text(f"6–10 of {total}")
    expect(page.locator("#results-status")).to_be_focused()
    top = page.evaluate(
        "document.getElementById('statements').getBoundingClientRect().top"
    )
    assert -2 <= top <= 50, f"the results start {top}px from the top of the window"
    page.keyboard.press("Tab")
    inside = page.evaluate(
        "document.getElementById('statements').contains(document.activeElement)"
    )
    assert inside, "the next Tab goes on into the results"


def test_the_month_chart_is_one_tab_stop_with_arrows_between_months(
    page, live_server, seeded
):
    # Two more months of statements beside the seed's February 2025.
    for day in (datetime.date(2025, 3, 10), datetime.date(2025, 4, 2)):
        article = Article.objects.create(
            title=f"Talks on {day}",
            published=day,
            text="Ann Example said that talks went well.",
            content_hash=f"chart-{day}",
        )
        Statement.objects.create(
            article=article,
            speaker=seeded[0],
            kind="indirect",
            cue="said",
            text="talks went well",
            start=22,
            end=37,
        )
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    bars = page.locator("svg.timeline a")
    expect(bars).to_have_count(3)
    assert bars.evaluate_all("els => els.map(a => a.getAttribute('tabindex'))") == [
        "-1",
        "-1",
        "0",
    ]
    tab_to(page, "svg.timeline a", limit=200)
    expect(page.locator("#month-2025-04")).to_be_focused()
    page.keyboard.press("ArrowLeft")
    expect(page.locator("#month-2025-03")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{live_server.url}/?since=2025-03-01&until=2025-03-31")
    wait_for_swap(page)
    expect(page.locator("#month-2025-03")).to_be_focused()
