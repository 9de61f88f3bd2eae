"""Heather Muir's balance-of-time pro-forma in the browser, as people would do it (JNCT2.7
Appendix 2, 9.2): she types hours that do not add up and sees, as she types, what is
over; fixes it, saves, signs and sends it; the head (acting as her line manager) returns
it with a comment; she sends it again; the head agrees and signs; both signatures stand,
and the PDF downloads with her name and hours. Then the pages pass an axe-core scan at
desktop and phone widths."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from django.urls import reverse

from tests.browser.helpers import DEMO_PASSWORD, SCHOOL, TEACHER, sign_in, sign_in_quickly
from tests.browser.test_accessibility import (  # noqa: F401  (axe_page is a fixture)
    axe_page,
    scan_at_each_width,
)
from tests.documents.pdfs import text_of

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

PROFORMA = reverse("proforma-page", args=[SCHOOL, TEACHER])
MARKING = "Hours for Additional time for preparation and marking"


def _as(page: Page, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)


def _sign(page: Page, button: str) -> None:
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name=button).click()


def test_a_teacher_and_her_line_manager_agree_her_pro_forma(page: Page) -> None:
    _as(page, "teacher")
    page.goto(reverse("teacher-page", args=[SCHOOL, TEACHER]))
    page.get_by_role("link", name="Fill in and agree my pro-forma").click()
    expect(page.get_by_role("heading", name="Individual use of balance of time")).to_be_visible()
    expect(page.locator("[data-returned]")).to_contain_text("induction CPD")

    # She adds her CPD: now it is over, and the totals say so as she types (htmx).
    page.get_by_label("Hours for CPD").fill("8")
    totals = page.locator("#proforma-totals")
    expect(totals).to_contain_text("8 hours more than the balance of time")
    expect(totals).to_contain_text("Does not add up")
    page.get_by_label(MARKING).fill("35")
    expect(totals).to_contain_text("The whole balance of time is accounted for.")
    page.get_by_label("Brief details of CPD").fill("Probationer induction programme")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.get_by_text("Your pro-forma is saved.")).to_be_visible()

    page.get_by_role("link", name="Sign and send to your line manager").click()
    _sign(page, "Sign and send to your line manager")
    expect(page.locator("[data-status]")).to_have_text("Sent to the line manager")

    _as(page, "head")
    page.goto(PROFORMA)
    page.get_by_role("link", name="Return it with a comment").click()
    page.get_by_label("What should the teacher change?").fill("Name the induction course.")
    page.get_by_role("button", name="Return it to the teacher").click()
    expect(page.locator("[data-status]")).to_have_text("Returned by the line manager")

    _as(page, "teacher")
    page.goto(PROFORMA)
    expect(page.locator("[data-returned]")).to_contain_text("Name the induction course.")
    page.get_by_label("Brief details of CPD").fill("GTCS induction: restorative practice")
    page.get_by_role("button", name="Save", exact=True).click()
    page.get_by_role("link", name="Sign and send to your line manager").click()
    _sign(page, "Sign and send to your line manager")

    _as(page, "head")
    page.goto(PROFORMA)
    page.get_by_role("link", name="Agree and sign").click()
    _sign(page, "Agree and sign the pro-forma")
    expect(page.locator("[data-status]")).to_have_text("Agreed")
    signatures = page.locator("[data-signatures] tbody tr")
    expect(signatures.filter(has_text="Stands")).to_have_count(2)
    expect(page.locator("[data-signatures]")).to_contain_text("Heather Muir")

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the pro-forma as a PDF").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    text = text_of(pdf)
    assert "Heather Muir" in text and "GTCS induction: restorative practice" in text


PAGES = [
    ("teacher", PROFORMA),
    ("teacher", reverse("proforma-send", args=[SCHOOL, TEACHER])),
    ("head", reverse("proforma-page", args=[SCHOOL, "lhamilton"])),
    ("head", reverse("proforma-return", args=[SCHOOL, "gmcgregor"])),
    ("head", reverse("proforma-list", args=[SCHOOL])),
]


@pytest.mark.parametrize(("who", "url"), PAGES, ids=[u for _, u in PAGES])
def test_the_pro_forma_pages_have_no_serious_accessibility_violation(
    axe_page: Page,  # noqa: F811
    demo: LiveServer,
    who: str,
    url: str,
) -> None:
    sign_in_quickly(axe_page, demo.url, who)
    response = axe_page.goto(url)

    assert response is not None and response.status == 200
    assert scan_at_each_width(axe_page) == {"desktop": [], "phone": []}
