"""An axe-core scan of each main page, at a desktop width and at a 375-px phone width.

axe-core (vendored by scripts/vendor_axe.sh, MPL-2.0) is injected into the page and run
against WCAG 2.0, 2.1 and 2.2 A and AA rules; any violation axe rates serious or
critical fails the test, listing each rule, its help and the offending elements.
Closed <details> (a finding's working) are opened first so their content is scanned too.

The site's CSP stays on: axe is added to every document as an init script, which runs
outside the page's policy (a <script> added to the page would rightly be blocked), and
runs without breaking the policy. So each test also fails, as the journeys do, on any
console error, uncaught script error or CSP violation the page causes: every main page
is checked to load clean under the strict policy here, one test per page.

To keep them quick, the tests share one browser context per test process (a new one
costs more than most scans): each starts with no cookies, at the desktop width.

Each page is loaded once at the desktop width and scanned, then narrowed to the phone
width and scanned again (the layout is CSS media queries and GOV.UK Frontend's
listeners, which follow a resize; the server's work is not repeated). Add a page by
adding a `Screen` to helpers.SCREENS; pages reached only through a form (an import's
preview, a form with errors) have their own tests below, which get there through the
page as a person would. A violation found and reported but not yet mended is marked on
its test with `pytest.mark.xfail(strict=True, reason=...)`, naming the page, the rule
and the element, so the mark has to come off once the page is mended.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import reverse

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SCHOOL,
    SCREENS,
    Problems,
    Screen,
    new_context,
    sign_in,
    sign_in_quickly,
    watch,
)

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Page
    from pytest_django.live_server_helper import LiveServer

AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]},
    "resultTypes": ["violations"],  # no details of what passed: quicker
}
FAILING_IMPACTS = ("serious", "critical")
# Runs axe and keeps what a report needs (the full result is large).
RUN_AXE = """async (options) => {
  const result = await axe.run(document, options);
  return result.violations.map((v) => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map((n) => ({ target: n.target, summary: n.failureSummary })),
  }));
}"""


VIEWPORTS = {"desktop": DESKTOP, "phone": PHONE}
#: An events file that lengthens one staff meeting past the 2-hour limit and adds a
#: moderation session: a preview with changes, additions and a finding it would bring.
EVENTS_CSV = (
    "id,title,category,date,start,end,attendees\n"
    ",Moderation,moderation,03/12/2025,15:45,16:45,department:english\n"
    "sm01,Whole-staff meeting,staff-meeting,2025-08-19,15:40,18:10,all\n"
)
#: A staff file with three problems: an unknown column, an FTE above 1, an unknown post.
BAD_STAFF_CSV = (
    "id,name,post,fte,contact_hours_per_wek\n"
    "zcampbell,Zoe Campbell,teacher,1.5,\n"
    "anew,Alan New,teachr,1,\n"
)


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe on the page as it is now, and return the serious and critical violations."""
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, AXE_OPTIONS)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


#: The innermost elements that reach past the screen's right edge outside any scrolling
#: region, as short selectors: what to mend.
WIDEST_ELEMENTS = """() => {
  const edge = document.documentElement.clientWidth;
  // The page itself (html, body) does not count: GOV.UK's html scrolls, which is the fault.
  const scrolls = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
    const o = getComputedStyle(a).overflowX; if (o === 'auto' || o === 'scroll') return true; }
    return false; };
  const name = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    [...el.classList].slice(0, 2).map((c) => '.' + c).join('');
  // An element past the edge, or one whose content spills out of it (a <pre>, a long word).
  const spills = (el) => el.getBoundingClientRect().right > edge + 1 ||
    (el.scrollWidth > el.clientWidth + 1 && getComputedStyle(el).overflowX === 'visible');
  const over = [...document.body.querySelectorAll('*')].filter(
    (el) => spills(el) && !scrolls(el));
  return over.filter((el) => !over.some((o) => o !== el && el.contains(o)))
    .slice(0, 3).map((el) => name(el.parentElement) + ' > ' + name(el));
}"""


def wider_than_the_screen(page: Page) -> list[dict[str, Any]]:
    """A page that grows sideways past the screen (WCAG 1.4.10 reflow), as a violation."""
    overflow: int = page.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    if overflow <= 0:
        return []
    culprits: list[str] = page.evaluate(WIDEST_ELEMENTS)
    return [
        {
            "id": "reflow",
            "impact": "serious",
            "help": f"The page is {overflow} px wider than the screen: let the wide part "
            "wrap, or put it in a scrolling region (class fl-table-scroll)",
            "helpUrl": "https://www.w3.org/WAI/WCAG21/Understanding/reflow.html",
            "nodes": [
                {"target": [c], "summary": "reaches past the screen's edge"} for c in culprits
            ],
        }
    ]


def scan_at_each_width(page: Page) -> dict[str, list[dict[str, Any]]]:
    """The page as it is now, with every <details> opened, at the desktop then phone width."""
    page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
    found = {}
    for width, viewport in VIEWPORTS.items():
        page.set_viewport_size(viewport)
        found[width] = serious_violations(page) + wider_than_the_screen(page)
    page.set_viewport_size(DESKTOP)
    return found


def report_widths(what: str, found: dict[str, list[dict[str, Any]]]) -> str:
    return f"{what} has accessibility violations:\n" + "\n".join(
        f"at the {width} width ({VIEWPORTS[width]['width']} px):\n{report(violations)}"
        for width, violations in found.items()
        if violations
    )


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {' > '.join(node['target'])}: {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page, what: str) -> None:
    """Scan the page at each width, and fail on any serious or critical violation."""
    found = scan_at_each_width(page)
    assert not any(found.values()), report_widths(what, found)


class SharedPage:
    """One page, with axe in every document and its problems watched, per Chromium."""

    def __init__(self) -> None:
        self.browser: Browser | None = None
        self.page: Page | None = None
        self.problems = Problems()

    def get(self, browser: Browser, base_url: str) -> tuple[Page, Problems]:
        if self.browser is not browser or self.page is None or self.page.is_closed():
            context = new_context(browser, base_url, DESKTOP)
            context.add_init_script(path=str(AXE))
            self.page = context.new_page()
            self.problems = watch(context, self.page)
            self.browser = browser
        self.page.context.clear_cookies()
        self.page.set_viewport_size(DESKTOP)
        self.problems.clear()
        return self.page, self.problems

    def drop(self) -> None:
        if self.page is not None and not self.page.is_closed():
            self.page.context.close()
        self.page = None


SHARED = SharedPage()


@pytest.fixture
def axe_page(browser: Browser, demo: LiveServer) -> Iterator[Page]:
    """A desktop-sized page with the site's CSP enforced, no cookies, and axe loaded.

    The test fails if the page logged a console error, threw, or broke the CSP.
    """
    page, problems = SHARED.get(browser, demo.url)
    try:
        yield page
        page.wait_for_timeout(50)  # let late violation reports arrive
        left = problems.all()
        page.goto("about:blank")  # nothing of this test's page runs on into the next
    except BaseException:
        SHARED.drop()  # the next test starts afresh
        raise
    if left:
        SHARED.drop()
        pytest.fail("the browser reported problems:\n  " + "\n  ".join(left))


@pytest.mark.parametrize("screen", SCREENS, ids=[s.id for s in SCREENS])
def test_no_serious_or_critical_accessibility_violation(
    axe_page: Page, demo: LiveServer, screen: Screen
) -> None:
    if screen.setup:
        screen.setup()
    if screen.who:
        sign_in_quickly(axe_page, demo.url, screen.who)
    url = screen.url()
    response = axe_page.goto(url)
    assert response is not None and response.status == 200, f"{url}: {response and response.status}"

    assert_accessible(axe_page, url)


def test_the_event_form_with_errors_has_no_serious_violation(
    axe_page: Page, demo: LiveServer
) -> None:
    sign_in_quickly(axe_page, demo.url, "head")
    axe_page.goto(reverse("event-edit", args=[SCHOOL, "pe02"]))
    axe_page.get_by_label("Title").fill("")
    axe_page.get_by_label("End time").fill("7pm")
    axe_page.get_by_role("button", name="Save and check").click()
    summary = axe_page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter a title")
    expect(summary).to_contain_text("Enter the end time as hours and minutes")

    assert_accessible(axe_page, "the event form with errors")


def upload(page: Page, kind: str, name: str, text: str) -> None:
    """Upload a file on Auchenlea Academy's import page, as a person would."""
    page.goto(reverse("import-start", args=[SCHOOL]))
    page.get_by_label(kind, exact=True).check()
    page.get_by_label("Upload a file").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    with page.expect_navigation():
        page.get_by_role("button", name="Upload and preview").click()


def test_an_import_preview_has_no_serious_violation(axe_page: Page, demo: LiveServer) -> None:
    sign_in_quickly(axe_page, demo.url, "head")
    upload(axe_page, "Calendar events from a spreadsheet", "events.csv", EVENTS_CSV)
    expect(axe_page.get_by_role("button", name="Apply the import")).to_be_visible()
    expect(axe_page.locator("table[data-changed=events]")).to_be_visible()
    expect(axe_page.locator("[data-findings=appear] [data-finding]")).not_to_have_count(0)

    assert_accessible(axe_page, "an import's preview")


def test_an_import_preview_with_problems_has_no_serious_violation(
    axe_page: Page, demo: LiveServer
) -> None:
    sign_in_quickly(axe_page, demo.url, "head")
    upload(axe_page, "Staff", "staff.csv", BAD_STAFF_CSV)
    expect(axe_page.locator("tr[data-problem]")).to_have_count(3)

    assert_accessible(axe_page, "an import's preview with problems")


def test_the_sign_in_error_state_has_no_serious_violation(axe_page: Page) -> None:
    sign_in(axe_page, "head", "not-the-password")
    assert axe_page.locator(".govuk-error-summary").is_visible()

    assert_accessible(axe_page, "sign-in with an error")


def test_the_scan_finds_a_serious_violation_when_there_is_one(axe_page: Page) -> None:
    """The scan above is not empty-handed by construction: break a page, and it says so."""
    axe_page.goto(reverse("login"))
    axe_page.evaluate(
        """() => {
          const img = document.createElement("img");
          img.src = "data:image/gif;base64,R0lGODlhAQABAAAAACw=";
          img.width = img.height = 40;
          document.querySelector("main").append(img);
          document.querySelector("label[for=id_password]").remove();
        }"""
    )

    violations = serious_violations(axe_page)

    found = {v["id"] for v in violations}
    assert {"image-alt", "label"} <= found, report(violations)
    image_alt = next(v for v in violations if v["id"] == "image-alt")
    assert [node["target"] for node in image_alt["nodes"]] == [["img"]], report(violations)


def test_the_scan_finds_a_page_wider_than_a_phone_and_names_what_is_wide(axe_page: Page) -> None:
    axe_page.goto(reverse("login"))
    axe_page.set_viewport_size(VIEWPORTS["phone"])
    assert wider_than_the_screen(axe_page) == []

    axe_page.evaluate(
        """() => {
          const wide = document.createElement("pre");
          wide.className = "fl-too-wide";
          wide.textContent = "x".repeat(200);
          document.querySelector("main").append(wide);
        }"""
    )

    (found,) = wider_than_the_screen(axe_page)
    assert found["id"] == "reflow"
    assert any("pre.fl-too-wide" in node["target"][0] for node in found["nodes"])
