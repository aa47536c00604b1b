"""The browse pages in a real Chromium, on a live server against the database, with
the seed article imported. Screenshots go to test-artifacts/ (git-ignored)."""

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from statements.models import Statement
from tests.browser import DESKTOP, PHONE, shoot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def result_speakers(page):
    return set(
        page.locator("#results .statement .statement__who .speaker").all_inner_texts()
    )


def pick_leader(page, speaker):
    box = page.locator("#speaker-input")
    box.click()
    box.press_sequentially(speaker.name[:4], delay=30)
    option = page.locator("#speaker-options [role=option]", has_text=speaker.name)
    expect(option).to_be_visible()
    option.click()


def test_picking_a_leader_updates_the_results_and_the_url_without_a_reload(
    page, live_server, seeded
):
    leader = seeded[0]
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.locator("#results .statement").first).to_be_visible()
    assert len(result_speakers(page)) >= 2
    page.evaluate("window.notReloaded = true")

    pick_leader(page, leader)

    expect(page).to_have_url(f"{live_server.url}/?speaker={leader.slug}")
    expect(page.locator("#filters .chip", has_text=leader.name)).to_be_visible()
    expect(page.locator("#results .statement").first).to_be_visible()
    assert result_speakers(page) == {leader.name}
    assert page.evaluate("window.notReloaded") is True
    total = Statement.objects.public().filter(speaker=leader).count()
    expect(page.locator(".total strong")).to_have_text(str(total))
    shoot(page, "statements-filtered-desktop.png", DESKTOP)


def test_back_restores_the_earlier_filter(page, live_server, seeded):
    leader, other = seeded[0], seeded[1]
    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/?speaker={leader.slug}")
    page.evaluate("window.notReloaded = true")

    pick_leader(page, other)
    expect(page).to_have_url(re.compile(rf"speaker={other.slug}"))
    page.locator("#filters input[name=kind][value=direct]").check()
    expect(page).to_have_url(re.compile(r"kind=direct"))

    page.go_back()
    expect(page).not_to_have_url(re.compile(r"kind=direct"))
    expect(page.locator("#filters input[name=kind][value=direct]")).not_to_be_checked()
    expect(page.locator("#filters .chip", has_text=other.name)).to_be_visible()

    page.go_back()
    expect(page).to_have_url(re.compile(rf"\?speaker={leader.slug}$"))
    expect(page.locator("#filters .chip", has_text=other.name)).to_have_count(0)
    expect(page.locator("#filters .chip", has_text=leader.name)).to_be_visible()
    assert result_speakers(page) == {leader.name}
    assert page.evaluate("window.notReloaded") is True

    page.go_forward()
    expect(page.locator("#filters .chip", has_text=other.name)).to_be_visible()


def test_search_highlights_the_words(page, live_server, seeded):
    statement = Statement.objects.public().filter(kind="direct").order_by("pk").first()
    word = max(re.findall(r"[A-Za-z]{5,}", statement.text), key=len)
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    page.locator("#id_q").fill(word)
    page.locator("#id_q").press("Enter")
    expect(page).to_have_url(re.compile(rf"q={word}"))
    mark = page.locator("#results .statement mark").first
    expect(mark).to_be_visible()
    assert mark.inner_text().lower().startswith(word.lower()[:4])
    expect(page.locator("#id_q")).to_have_value(word)
    shoot(page, "statements-search-desktop.png", DESKTOP)


def test_a_speaker_corrected_in_the_admin_shows_on_the_browse_page(
    page, live_server, seeded
):
    wrong, right = seeded[0], seeded[1]
    page.goto(f"{live_server.url}/?speaker={right.slug}")  # counts cached before
    statement = Statement.objects.filter(speaker=wrong).order_by("pk").first()
    User.objects.create_superuser("alice", "alice@example.com", "correct-horse")

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/admin/login/?next=/admin/")
    page.locator("#id_username").fill("alice")
    page.locator("#id_password").fill("correct-horse")
    page.locator("input[type=submit]").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))

    page.goto(f"{live_server.url}/admin/statements/statement/{statement.pk}/change/")
    page.locator("#select2-id_speaker-container").click()
    page.locator(".select2-search__field").fill(right.name)
    page.locator(".select2-results__option", has_text=right.name).first.click()
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_contain_text("changed successfully")

    page.goto(f"{live_server.url}/statements/{statement.pk}/")
    expect(page.locator(".statement__who .speaker")).to_have_text(right.name)
    page.goto(f"{live_server.url}/?speaker={right.slug}")
    expect(page.locator(f"#s{statement.pk} .speaker")).to_have_text(right.name)
    # The counts follow the correction at once.
    now = Statement.objects.public().filter(speaker=right).count()
    expect(page.locator(".total strong")).to_have_text(str(now))
    page.goto(f"{live_server.url}/?speaker={wrong.slug}")
    expect(page.locator(f"#s{statement.pk}")).to_have_count(0)


def test_screenshots_of_the_statements_and_speaker_pages(page, live_server, seeded):
    leader = seeded[0]
    page.set_viewport_size(DESKTOP)
    page.goto(live_server.url + "/")
    expect(page.locator("#results .statement").first).to_be_visible()
    shoot(page, "statements-desktop.png", DESKTOP)
    shoot(page, "statements-phone.png", PHONE)

    page.set_viewport_size(DESKTOP)
    page.goto(f"{live_server.url}/speakers/{leader.slug}/")
    expect(page.locator("h1")).to_have_text(leader.name)
    shoot(page, "speaker-desktop.png", DESKTOP)
    shoot(page, "speaker-phone.png", PHONE)

    statement = Statement.objects.filter(speaker=leader).order_by("pk").first()
    page.goto(f"{live_server.url}/articles/{statement.article_id}/")
    shoot(page, "article-desktop.png", DESKTOP)
    page.goto(f"{live_server.url}/statements/{statement.pk}/")
    shoot(page, "statement-phone.png", PHONE)


def test_without_javascript_the_filters_are_a_plain_form(browser, live_server, seeded):
    context = browser.new_context(java_script_enabled=False, viewport=DESKTOP)
    page = context.new_page()
    leader = seeded[0]
    page.goto(live_server.url + "/")
    page.locator("#filters input[name=speaker]").fill(leader.name)
    page.locator("#filters button", has_text="Apply filters").click()
    expect(page).to_have_url(f"{live_server.url}/?speaker={leader.slug}")
    assert result_speakers(page) == {leader.name}
    older = page.locator(".pager__older")
    if older.count():
        older.click()
        expect(page).to_have_url(re.compile(rf"speaker={leader.slug}&before="))
        assert result_speakers(page) == {leader.name}
    context.close()
