"""Two journeys a person takes when the agreement is broken, in a real browser.

A stale edit: two heads open the same event; the first saves, the second's save is
refused with both versions side by side, and they choose. An actionable finding: the
head opens a breach on the dashboard, follows its link to the event that caused it,
fixes it there, and sees the breach clear.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from tests.browser.helpers import DESKTOP, new_context, sign_in, watch

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser
    from pytest_django.live_server_helper import LiveServer

EVENT = "/schools/auchenlea-academy/events/pe02/edit/"
BREACH = "parents-evening-appointments"


def test_a_stale_edit_shows_both_versions_and_the_head_keeps_theirs(
    browser: Browser, demo: LiveServer
) -> None:
    contexts = [new_context(browser, demo.url, DESKTOP) for _ in range(2)]
    first, second = (context.new_page() for context in contexts)
    problems = [watch(c, p) for c, p in zip(contexts, (first, second), strict=True)]
    try:
        for page in (first, second):
            sign_in(page, "head")
            page.goto(EVENT)
            expect(page.get_by_label("Title")).to_have_value("S4 parents' evening")

        first.get_by_label("Title").fill("S4 parents' evening (first)")
        first.get_by_role("button", name="Save and check").click()
        expect(first.locator("[data-recheck]")).to_contain_text("Changed the event")

        second.get_by_label("Title").fill("S4 parents' evening (second)")
        second.get_by_role("button", name="Save and check").click()

        conflict = second.locator("[data-conflict]")
        expect(conflict.get_by_role("heading", level=1)).to_have_text(
            "Someone else changed this event while you were editing it"
        )
        title = conflict.locator("tr[data-differs]", has_text="Title")
        expect(title.locator("[data-mine]")).to_have_text("S4 parents' evening (second)")
        expect(title.locator("[data-current]")).to_have_text("S4 parents' evening (first)")

        conflict.get_by_role("button", name="Keep my version").click()
        expect(second.locator("[data-recheck]")).to_contain_text(
            "Changed the event ‘S4 parents' evening (second)’"
        )
        first.reload()
        expect(first.get_by_label("Title")).to_have_value("S4 parents' evening (second)")
    finally:
        for context in contexts:
            context.close()
    # The refused save is a 409, which Chromium logs as a console error: asked for.
    for watched in problems:
        left = [m for m in watched.all() if "status of 409" not in m]
        assert not left, left


def test_a_finding_leads_to_the_event_that_caused_it_and_fixing_it_clears_it(
    browser: Browser, demo: LiveServer
) -> None:
    context = new_context(browser, demo.url, DESKTOP)
    page = context.new_page()
    problems = watch(context, page)
    try:
        sign_in(page, "head")
        breach = page.locator(f'details[data-finding="{BREACH}"]')
        breach.locator("summary").click()
        working = breach.locator("[data-working]")
        expect(working).to_contain_text("= 2.5 hours, in force from")
        breach.get_by_role("link", name=re.compile("Change the event ‘S4 parents' evening")).click()

        expect(page).to_have_url(re.compile(re.escape(EVENT) + "$"))
        page.get_by_label("End time").fill("18:30")
        page.get_by_role("button", name="Save and check").click()
        cleared = page.locator("[data-recheck-list=cleared] [data-finding]")
        expect(cleared).to_have_attribute("data-finding", BREACH)

        page.get_by_role("link", name="See every finding on the dashboard").click()
        expect(page.locator(f'details[data-finding="{BREACH}"]')).to_have_count(0)
    finally:
        context.close()
    assert not problems.all(), problems.all()
