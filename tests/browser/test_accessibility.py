"""An axe-core scan of each main page, at a desktop width and at a 375-px phone width.

axe-core (vendored by scripts/vendor_axe.sh, MPL-2.0) is injected into the page and run
against WCAG 2.0, 2.1 and 2.2 A and AA rules; any violation axe rates serious or
critical fails the test, listing each rule, its help and the offending elements.
Closed <details> (a finding's working) are opened first so their content is scanned too.

These tests run in a browser context with `bypass_csp=True`, and only these: the site's
CSP (script-src 'self' plus a nonce) rightly blocks a script Playwright adds to the
page, and axe must run inside it. The journeys in test_journeys.py keep the CSP on.

Pages whose URL names are not built yet are skipped, with the reason, until they are:
add a page by adding a `Screen` to helpers.SCREENS.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest
from django.urls import NoReverseMatch, reverse

from tests.browser.helpers import (
    DESKTOP,
    PHONE,
    SCREENS,
    Screen,
    new_context,
    sign_in,
    sign_in_quickly,
    watch,
)

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


def serious_violations(page: Page) -> list[dict[str, Any]]:
    """Inject axe, run it, and return the serious and critical violations."""
    page.add_script_tag(path=str(AXE))
    violations: list[dict[str, Any]] = page.evaluate(RUN_AXE, AXE_OPTIONS)
    return [v for v in violations if v["impact"] in FAILING_IMPACTS]


def report(violations: list[dict[str, Any]]) -> str:
    lines = []
    for v in violations:
        lines.append(f"{v['id']} ({v['impact']}): {v['help']} — {v['helpUrl']}")
        for node in v["nodes"]:
            summary = " ".join((node["summary"] or "").split())
            lines.append(f"    {' > '.join(node['target'])}: {summary}")
    return "\n".join(lines)


@pytest.fixture
def axe_page(browser: Browser, demo: LiveServer) -> Iterator[Page]:
    """A desktop-sized page whose context bypasses the CSP so that axe can be injected."""
    context = new_context(browser, demo.url, DESKTOP, bypass_csp=True)
    page = context.new_page()
    problems = watch(context, page)
    try:
        yield page
    finally:
        context.close()
    assert not problems.page_errors, problems.page_errors


@pytest.mark.parametrize("screen", SCREENS, ids=[s.name for s in SCREENS])
def test_no_serious_or_critical_accessibility_violation(
    axe_page: Page, demo: LiveServer, screen: Screen
) -> None:
    try:
        url = screen.url()
    except NoReverseMatch:
        pytest.skip(f"the {screen.name!r} page is not built yet")
    if screen.who:
        sign_in_quickly(axe_page, demo.url, screen.who)

    found = {}
    for width, viewport in VIEWPORTS.items():
        axe_page.set_viewport_size(viewport)
        response = axe_page.goto(url)
        assert response is not None and response.status == 200, (
            f"{url}: {response and response.status}"
        )
        axe_page.evaluate("document.querySelectorAll('details').forEach((d) => { d.open = true; })")
        found[width] = serious_violations(axe_page)

    assert not any(found.values()), f"{url} has accessibility violations:\n" + "\n".join(
        f"at the {width} width ({VIEWPORTS[width]['width']} px):\n{report(violations)}"
        for width, violations in found.items()
        if violations
    )


def test_the_sign_in_error_state_has_no_serious_violation(axe_page: Page) -> None:
    sign_in(axe_page, "head", "not-the-password")
    assert axe_page.locator(".govuk-error-summary").is_visible()

    violations = serious_violations(axe_page)

    assert not violations, f"sign-in with an error:\n{report(violations)}"


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
