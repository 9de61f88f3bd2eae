"""The main journeys, in a real browser with the site's CSP enforced.

Each test starts signed out in a fresh browser context on the demo data (Auchenlea
Academy's deliberate findings are listed in examples/README.md). The `page` fixture
fails a test that leaves a console error, an uncaught script error or a CSP violation
behind, so every journey also checks that the pages load clean under the strict policy.

Journeys still to come as their pages land, beside the ones here:
  * import a school: head signs in, uploads a file on `import-start`, previews, confirms,
    and lands on the new dashboard;
  * fix it, see it clear: head opens the breach below, edits the event it names (the S4
    parents' evening, `parents-evening-appointments`) to 2.5 hours, and the dashboard no
    longer lists that finding (`finding(page, rule)` has count 0) while the others stay.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from django.urls import NoReverseMatch

from tests.browser.helpers import SCREENS, sign_in, sign_in_quickly, tab_to

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page
    from pytest_django.live_server_helper import LiveServer

DASHBOARD = "/schools/auchenlea-academy/"
TEACHER_PAGE = "/schools/auchenlea-academy/teachers/hmuir/"


def finding(page: Page, rule: str) -> Locator:
    """The details element of one finding on a dashboard or teacher page."""
    return page.locator(f'details[data-finding="{rule}"]')


def test_a_wrong_password_shows_the_error_summary_and_the_right_one_the_dashboard(
    page: Page,
) -> None:
    sign_in(page, "head", "not-the-password")

    expect(page).to_have_title("Error: Sign in – fairload")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link")).to_have_text("Enter a correct username and password")
    # GOV.UK Frontend's error summary moves the focus to itself: its script ran under the CSP.
    expect(summary).to_be_focused()

    page.get_by_label("Password").fill("fairload-demo")
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in").click()

    expect(page).to_have_url(re.compile(re.escape(DASHBOARD) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Auchenlea Academy")
    expect(page.locator(".fl-account-nav")).to_contain_text("head")


def test_the_head_sees_a_breach_and_opens_it_with_the_keyboard(page: Page) -> None:
    sign_in(page, "head")

    expect(page.get_by_role("link", name="3 breaches")).to_be_visible()
    expect(page.get_by_role("heading", name="Breaches (3)")).to_be_visible()
    breach = finding(page, "parents-evening-appointments")
    expect(breach.locator(".govuk-tag")).to_have_text("Breach")
    details = breach.locator(".govuk-details__text")
    expect(details).to_be_hidden()

    summary = breach.locator("summary")
    tab_to(page, summary)
    page.keyboard.press("Enter")

    expect(breach).to_have_attribute("open", "")
    expect(details).to_be_visible()
    expect(details).to_contain_text("'S4 parents' evening' on 2025-11-27 lasts 3 hours")
    expect(details).to_contain_text("the limit is 2.5 hours")
    clause = details.locator(".govuk-summary-list__row", has_text="Clause")
    expect(clause).to_contain_text("South Ayrshire JNCT2.7, 6.2")
    fix = details.locator(".govuk-summary-list__row", has_text="What would fix it")
    expect(fix).to_contain_text("Shorten the appointment schedule to 2.5 hours")

    page.keyboard.press("Enter")  # and closes it again
    expect(details).to_be_hidden()


def test_the_findings_count_links_lead_to_their_sections(page: Page) -> None:
    sign_in(page, "head")

    page.get_by_role("link", name="2 warnings").click()

    expect(page).to_have_url(re.compile("#warning$"))
    expect(page.get_by_role("heading", name="Warnings (2)")).to_be_in_viewport()
    expect(finding(page, "meeting-max-duration")).to_be_visible()


def test_a_teacher_sees_their_own_page_and_nothing_else(page: Page) -> None:
    sign_in(page, "teacher")

    expect(page).to_have_url(re.compile(re.escape(TEACHER_PAGE) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Heather Muir")
    expect(page.get_by_role("heading", name="My working-time budget")).to_be_visible()
    mine = finding(page, "probationer-contact-max")
    expect(mine).to_be_visible()
    mine.locator("summary").click()
    expect(mine).to_contain_text("Heather Muir is timetabled for 19.5 hours a week")
    # Other people's findings are not on it, and the school's menu is not offered.
    expect(finding(page, "management-time-secondary")).to_have_count(0)
    expect(page.locator(".govuk-service-navigation")).to_have_count(0)

    for elsewhere in (DASHBOARD, "/schools/auchenlea-academy/teachers/istewart/"):
        response = page.goto(elsewhere)
        assert response is not None and response.status == 404, elsewhere
    # Chromium logs each 404 as a console error: those are what this test asked for (and
    # /favicon.ico, which Django's plain 404 page, having no icon link, makes it ask for).
    errors = page.problems.console_errors  # type: ignore[attr-defined]
    asked = re.compile(r"status of 404 .*\[.*(/auchenlea-academy/|/istewart/|/favicon\.ico)\]$")
    assert errors and all(asked.search(m) for m in errors), errors
    page.problems.clear()  # type: ignore[attr-defined]


def test_signing_out_ends_the_session(page: Page) -> None:
    sign_in(page, "head")
    expect(page.get_by_role("heading", level=1)).to_have_text("Auchenlea Academy")

    with page.expect_navigation():
        page.get_by_role("button", name="Sign out").click()

    expect(page).to_have_url(re.compile("/sign-in/$"))
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(DASHBOARD)
    expect(page).to_have_url(re.compile("/sign-in/\\?next=" + re.escape(DASHBOARD)))
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in")


def test_pages_are_served_with_the_strict_csp_and_load_clean(page: Page) -> None:
    response = page.goto("/sign-in/")
    assert response is not None
    policy = response.headers["content-security-policy"]
    assert re.search(r"script-src 'self' 'nonce-[^']+'", policy), policy
    assert "style-src 'self';" in policy + ";", policy
    assert "unsafe-inline" not in policy

    sign_in(page, "council")
    expect(page).to_have_url(re.compile("/councils/south-ayrshire-council/$"))
    page.get_by_role("link", name="Auchenlea Academy").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Auchenlea Academy")
    # The page fixture fails the test if any of these pages logged an error or broke the CSP.


def test_the_csp_is_enforced_and_a_violation_would_be_caught(page: Page) -> None:
    """The journeys' clean bill of health means something: the policy is live and watched."""
    sign_in(page, "head")

    blocked = page.evaluate(
        """() => {
          const script = document.createElement("script");
          script.textContent = "window.__injected = true";
          document.body.append(script);
          document.body.setAttribute("style", "background: red");
          return window.__injected === undefined
            && getComputedStyle(document.body).backgroundColor !== "rgb(255, 0, 0)";
        }"""
    )

    assert blocked, "an inline script or style ran: the CSP is not enforced"
    violations = page.problems.csp_violations  # type: ignore[attr-defined]
    for _ in range(40):  # the violation events are queued tasks: give them a moment
        if len(violations) >= 2:
            break
        page.wait_for_timeout(50)
    assert any("script-src" in v for v in violations), violations
    assert any("style-src" in v for v in violations), violations
    page.problems.clear()  # type: ignore[attr-defined]


def test_every_main_page_loads_clean_under_the_csp(page: Page, demo: LiveServer) -> None:
    """No console error, script error or CSP violation on any main page that is built."""
    dirty: dict[str, list[str]] = {}
    visited = []
    for screen in SCREENS:
        try:
            url = screen.url()
        except NoReverseMatch:
            continue  # not built yet: test_accessibility lists these as skipped
        page.context.clear_cookies()
        if screen.who:
            sign_in_quickly(page, demo.url, screen.who)
        response = page.goto(url)
        assert response is not None and response.status == 200, (
            f"{url}: {response and response.status}"
        )
        page.wait_for_timeout(50)  # let late violation reports arrive
        visited.append(url)
        problems = page.problems.all()  # type: ignore[attr-defined]
        if problems:
            dirty[url] = problems
        page.problems.clear()  # type: ignore[attr-defined]

    assert len(visited) >= 6, visited
    assert not dirty, "\n".join(f"{url}:\n  " + "\n  ".join(p) for url, p in dirty.items())
