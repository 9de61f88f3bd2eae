"""The head types the draft's hours and sees the year re-checked under them without a
page load (htmx), nothing saved; with JavaScript off, the "Check" button shows the same.
The 35-hour week's headings must add up (Appendix 1): 100 more hours of planning than
the pack's default (25, clause 10.1) breaks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.helpers import DESKTOP, SCHOOL, new_context, sign_in_quickly, watch

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

try:
    from playwright.sync_api import expect
except ImportError:  # the directory is skipped, and says why (conftest.py)
    expect = None  # type: ignore[assignment]

AGREEMENT = f"/schools/{SCHOOL}/agreement/"
HEADLINE = "#draft-check [data-preview-headline]"


def _the_draft(page: Page, base_url: str) -> None:
    sign_in_quickly(page, base_url, "head")
    page.goto(AGREEMENT)
    page.get_by_role("button", name="Start the draft").click()
    page.goto(f"{AGREEMENT}draft/")
    expect(page.locator("[data-draft-counts]")).to_contain_text("the figures as saved")


def test_typing_the_hours_rechecks_the_year_in_place_and_saves_nothing(
    page: Page, demo: LiveServer
) -> None:
    _the_draft(page, demo.url)
    page.evaluate("window.__marker = 'still the same page'")

    page.get_by_label("Planning (hours a year)").fill("125")

    expect(page.locator(HEADLINE)).to_contain_text("would appear")
    expect(page.locator("#draft-check [data-recheck-list=appeared]")).to_be_visible()
    assert page.evaluate("window.__marker") == "still the same page"
    page.get_by_label("Planning (hours a year)").fill("25")
    expect(page.locator(HEADLINE)).to_have_text(
        "Against version 1: no finding would appear, clear or change."
    )
    page.goto(AGREEMENT)
    expect(page.locator("[data-versions] tbody tr")).to_have_count(1)


def test_with_javascript_off_the_check_button_shows_the_same(
    browser: Browser, demo: LiveServer
) -> None:
    context = new_context(browser, demo.url, DESKTOP, java_script_enabled=False)
    page = context.new_page()
    problems = watch(context, page)
    try:
        _the_draft(page, demo.url)
        page.get_by_label("Planning (hours a year)").fill("125")
        page.get_by_role("button", name="Check these figures without saving").click()

        expect(page.locator(HEADLINE)).to_contain_text("would appear")
        expect(page.get_by_label("Planning (hours a year)")).to_have_value("125")
    finally:
        context.close()
    assert problems.all() == []
