"""The main journeys, in a real browser with the site's CSP enforced.

Each test starts signed out in a fresh browser context on the demo data (Auchenlea
Academy's deliberate findings are listed in examples/README.md). The `page` fixture
fails a test that leaves a console error, an uncaught script error or a CSP violation
behind, so every journey also checks that the pages load clean under the strict policy
(test_accessibility.py checks the same of every main page, one by one).

The journeys act through the pages only (typing, clicking, the keyboard, choosing a
file), as a person would; fixtures only set the scene. They are: signing in (and a wrong
password), seeing a breach and opening it, importing a new school and seeing its breach,
a file with problems that changes nothing, fixing the S4 parents' evening breach and
seeing it clear (with htmx, without a page load, and again with JavaScript off), and a
staff post change that makes a breach appear.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import (
    DESKTOP,
    new_context,
    sign_in,
    tab_to,
    watch,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Locator, Page
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

    # the demo's 2 calendar warnings and 4 pro-formas not yet agreed (JNCT2.7 9.2)
    page.get_by_role("link", name="6 warnings").click()

    expect(page).to_have_url(re.compile("#warning$"))
    expect(page.get_by_role("heading", name="Warnings (6)")).to_be_in_viewport()
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

    # Their own school's dashboard is not for their role (403, with a link home); a
    # colleague's page is 404, as for anyone.
    response = page.goto(DASHBOARD)
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", level=1)).to_have_text("This page is not for your role")
    expect(page.get_by_role("link", name="Go to your start page")).to_be_visible()
    response = page.goto("/schools/auchenlea-academy/teachers/istewart/")
    assert response is not None and response.status == 404
    # Chromium logs each 403 and 404 as a console error: those are what this test asked
    # for (and /favicon.ico, which Django's plain 404 page makes it ask for).
    errors = page.problems.console_errors  # type: ignore[attr-defined]
    asked = re.compile(r"status of 40[34] .*\[.*(/auchenlea-academy/|/istewart/|/favicon\.ico)\]$")
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


# --- import a school ------------------------------------------------------------------

PACK_SCHOOL = (
    Path(__file__).resolve().parents[2]
    / "src/fairload/packs/scotland/south-ayrshire-jnct-2.7/tests/school.yaml"
)
NEW_SCHOOL = "/schools/craigmillar-academy/"


@pytest.fixture
def new_school_file(tmp_path: Path) -> Path:
    """The pack's compliant test school, renamed, with an S4 parents' evening of 3 hours."""
    text = PACK_SCHOOL.read_text()
    for old, new in (
        ("id: test-academy", "id: craigmillar-academy"),
        ("name: Test Academy", "name: Craigmillar Academy"),
        ('date: 2025-11-06, start: "16:30", end: "19:00"', 'date: 2025-11-06, start: "16:00"'
         ', end: "19:00"'),
    ):  # fmt: skip
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "craigmillar.yaml"
    path.write_text(text)
    return path


def test_a_site_administrator_imports_a_new_school_and_sees_its_breach(
    page: Page, new_school_file: Path
) -> None:
    sign_in(page, "admin")
    expect(page.get_by_role("heading", level=1)).to_have_text("Your schools")
    expect(page.get_by_role("link", name="Craigmillar Academy")).to_have_count(0)

    page.get_by_role("link", name="Import a new school").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import a new school")
    page.get_by_label("Upload the school-year file").set_input_files(new_school_file)
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()

    # The preview: the school, what it adds, and what the check finds. Nothing saved yet.
    expect(page).to_have_url(re.compile(r"/import/[0-9a-f-]{36}/$"))
    expect(page).to_have_title("Check the import – fairload")
    school = page.locator("[data-new-school]")
    expect(school).to_contain_text("Craigmillar Academy (craigmillar-academy)")
    expect(school.locator(".govuk-summary-list__row", has_text="Council")).to_contain_text(
        "South Ayrshire Council"
    )
    for key, value in (
        ("Pack", "scotland/south-ayrshire-jnct-2.7"),
        ("Staff", "8"),
        ("Events", "7"),
    ):
        row = school.locator(".govuk-summary-list__row", has=page.locator("dt", has_text=key))
        expect(row.locator("dd")).to_have_text(value)
    breaches = page.locator("[data-check-counts] tr[data-severity=breach] td")
    expect(breaches).to_have_text(["—", "1"])
    brought = page.locator("[data-findings=appear] [data-finding=parents-evening-appointments]")
    expect(brought).to_contain_text("lasts 3 hours")
    response = page.goto(NEW_SCHOOL)
    assert response is not None and response.status == 404  # nothing is stored yet
    # Chromium logs the 404 (and Django's plain 404 page's request for /favicon.ico) as
    # console errors: those are what this test asked for.
    errors = page.problems.console_errors  # type: ignore[attr-defined]
    asked = re.compile(r"status of 404 .*\[.*(/craigmillar-academy/|/favicon\.ico)\]$")
    assert errors and all(asked.search(m) for m in errors), errors
    page.problems.clear()  # type: ignore[attr-defined]
    page.go_back()

    with page.expect_navigation():
        page.get_by_role("button", name="Apply the import").click()

    expect(page).to_have_url(re.compile(re.escape(NEW_SCHOOL) + "$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Craigmillar Academy")
    expect(page.locator(".govuk-notification-banner")).to_contain_text(
        "Imported the new school Craigmillar Academy (2025-26) from craigmillar.yaml"
    )
    expect(page.get_by_role("link", name="1 breach", exact=True)).to_be_visible()
    breach = finding(page, "parents-evening-appointments")
    breach.locator("summary").click()
    expect(breach).to_contain_text("'S4 parents' evening' on 2025-11-06 lasts 3 hours")
    page.goto("/")
    expect(page.get_by_role("link", name="Craigmillar Academy")).to_be_visible()


BAD_STAFF_CSV = "id,name,post,fte\nzcampbell,Zoe Campbell,teacher,1.5\nanew,Alan New,teachr,1\n"


def test_a_staff_file_with_problems_shows_them_by_line_and_field_and_changes_nothing(
    page: Page,
) -> None:
    sign_in(page, "head")
    page.locator(".govuk-service-navigation").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import data")

    page.get_by_label("Staff", exact=True).check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": "staff.csv", "mimeType": "text/csv", "buffer": BAD_STAFF_CSV.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()

    expect(page).to_have_title("Error: Check the import – fairload")
    expect(page.get_by_role("heading", level=1)).to_have_text("The file has problems")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()  # GOV.UK Frontend's script ran under the CSP
    expect(summary).to_contain_text("There are 2 problems with staff.csv")
    expect(summary).to_contain_text("Nothing has been imported")
    rows = page.locator("tr[data-problem]")
    expect(rows).to_have_count(2)
    for row, (line, field, message) in zip(
        rows.all(),
        [("2", "fte", "1.5 is more than 1"), ("3", "post", "'teachr' is not allowed here")],
        strict=True,
    ):
        expect(row.locator("[data-file]")).to_have_text("staff.csv")
        expect(row.locator("[data-line]")).to_have_text(line)
        expect(row.locator("[data-field]")).to_have_text(field)
        expect(row.locator("[data-message]")).to_have_text(message)
    summary.get_by_role("link", name="Line 3, post: 'teachr' is not allowed here").click()
    expect(page).to_have_url(re.compile("#problem-2$"))
    expect(page.get_by_role("button", name="Apply the import")).to_have_count(0)

    # Nothing changed: the staff list and the dashboard are as they were.
    page.locator(".govuk-service-navigation").get_by_role("link", name="Staff").click()
    expect(page.locator("table[data-staff] caption")).to_have_text("81 staff posts")
    expect(page.locator("tr[data-post=zcampbell] td").nth(1)).to_have_text("1")
    expect(page.get_by_role("link", name="Alan New")).to_have_count(0)
    page.locator(".govuk-service-navigation").get_by_role("link", name="Dashboard").click()
    expect(page.get_by_role("link", name="3 breaches")).to_be_visible()


# --- see a breach, fix it, see it clear -----------------------------------------------

BREACH = "parents-evening-appointments"
S4_EVENING = "Change S4 parents' evening on 27 November 2025"


def open_the_s4_evening(page: Page) -> None:
    """From the dashboard: the Events page, filtered to parents' evenings, then the S4 one."""
    page.locator(".govuk-service-navigation").get_by_role("link", name="Events").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Events")
    page.get_by_label("Category").select_option(label="Parents’ evening")
    with page.expect_navigation():
        page.get_by_role("button", name="Show events").click()
    row = page.locator("tr[data-event=pe02]")
    expect(row).to_contain_text("16:00–19:00")
    with page.expect_navigation():
        page.get_by_role("link", name=S4_EVENING).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the event")
    expect(page.get_by_label("Title")).to_have_value("S4 parents' evening")
    expect(page.get_by_label("End time")).to_have_value("19:00")


def expect_the_breach_cleared(page: Page) -> None:
    banner = page.locator("[data-recheck]")
    expect(banner).to_contain_text("Changed the event ‘S4 parents' evening’ on 27 Nov 2025")
    expect(banner.locator("[data-recheck-headline]")).to_have_text("1 finding cleared")
    cleared = banner.locator("[data-recheck-list=cleared] [data-finding]")
    expect(cleared).to_have_count(1)
    expect(cleared).to_have_attribute("data-finding", BREACH)
    expect(cleared).to_contain_text("lasts 3 hours")
    expect(banner.locator("[data-recheck-list=appeared]")).to_have_count(0)
    expect(banner.locator("tr[data-count=breach] td")).to_have_text(["3", "2 (down 1)"])


def expect_the_dashboard_without_the_breach(page: Page) -> None:
    expect(page).to_have_url(re.compile(re.escape(DASHBOARD) + "$"))
    expect(page.get_by_role("link", name="2 breaches")).to_be_visible()
    expect(finding(page, BREACH)).to_have_count(0)
    for other in ("management-time-secondary", "probationer-contact-max"):
        expect(finding(page, other)).to_have_count(1)  # the others stay


def test_the_head_fixes_a_breach_and_sees_it_clear_without_a_page_load(page: Page) -> None:
    sign_in(page, "head")
    expect(page.get_by_role("link", name="3 breaches")).to_be_visible()
    expect(finding(page, BREACH)).to_contain_text("S4 parents' evening")
    open_the_s4_evening(page)
    edit_url = page.url
    page.evaluate("window.__marker = 'still the same page'")

    end = page.get_by_label("End time")
    end.fill("18:30")
    end.press("Tab")  # a change event: the preview says what saving would do, saving nothing
    preview = page.locator("#recheck-preview [data-preview-headline]")
    expect(preview).to_have_text("0 findings would appear, 1 would clear.")
    expect(page.locator("#recheck-preview [data-recheck-list=cleared]")).to_contain_text(
        "S4 parents' evening"
    )
    page.get_by_role("button", name="Save and check").click()

    expect_the_breach_cleared(page)
    # htmx swapped the panel in: the same document (no page load), the same address, and
    # the partial's <title> in place.
    assert page.evaluate("window.__marker") == "still the same page"
    assert page.url == edit_url
    expect(page).to_have_title("Change the event – Auchenlea Academy – fairload")
    expect(page.get_by_label("End time")).to_have_value("18:30")

    page.get_by_role("link", name="See every finding on the dashboard").click()
    expect_the_dashboard_without_the_breach(page)


def test_the_same_fix_works_with_javascript_off(browser: Browser, demo: LiveServer) -> None:
    context = new_context(browser, demo.url, DESKTOP, java_script_enabled=False)
    page = context.new_page()
    problems = watch(context, page)
    try:
        sign_in(page, "head")
        expect(finding(page, BREACH)).to_have_count(1)
        expect(page.locator("body")).not_to_have_class(re.compile("js-enabled"))
        open_the_s4_evening(page)
        expect(page.locator("#recheck-preview")).to_be_empty()  # no script, no preview

        page.get_by_label("End time").fill("18:30")
        with page.expect_navigation():
            page.get_by_role("button", name="Save and check").click()

        expect(page).to_have_title("Change the event – Auchenlea Academy – fairload")
        expect_the_breach_cleared(page)
        with page.expect_navigation():
            page.get_by_role("link", name="See every finding on the dashboard").click()
        expect_the_dashboard_without_the_breach(page)
    finally:
        context.close()
    assert not problems.all(), problems.all()


def test_raising_a_teachers_class_contact_shows_the_breach_appear(page: Page) -> None:
    sign_in(page, "head")
    page.locator(".govuk-service-navigation").get_by_role("link", name="Staff").click()
    page.get_by_role("link", name="Change the post of Zoe Campbell").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Change the post of Zoe Campbell")
    page.evaluate("window.__marker = 'still the same page'")

    periods = page.get_by_label("Class contact, periods a week")
    expect(periods).to_have_value("27")
    periods.fill("29")
    page.get_by_role("button", name="Save and check").click()

    banner = page.locator("[data-recheck]")
    expect(banner).to_contain_text("Changed the post of Zoe Campbell (zcampbell)")
    expect(banner.locator("[data-recheck-headline]")).to_have_text("2 findings appeared")
    appeared = banner.locator("[data-recheck-list=appeared] [data-finding]")
    expect(appeared).to_have_count(2)
    expect(appeared.nth(0)).to_have_attribute("data-finding", "class-contact-max")
    expect(appeared.nth(0)).to_contain_text(
        "Zoe Campbell is timetabled for 24.17 hours a week; the limit is 22.5"
    )
    expect(appeared.nth(1)).to_have_attribute("data-finding", "within-35-hour-week")
    expect(appeared.nth(1)).to_contain_text("more than their 1365 (FTE 1)")
    expect(banner.locator("tr[data-count=breach] td")).to_have_text(["3", "5 (up 2)"])
    assert page.evaluate("window.__marker") == "still the same page"

    page.get_by_role("link", name="See their teacher page").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Zoe Campbell")
    expect(finding(page, "class-contact-max")).to_be_visible()
