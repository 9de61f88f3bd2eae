"""The head records a new member of the School Negotiating Committee through the pages,
as a person would: from the school's menu, the form (with its error for a representative
without a union), to the member on the committee's list, and the school-year file."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.browser.helpers import SCHOOL, sign_in

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page


def test_the_head_adds_a_union_representative_to_the_committee(page: Page) -> None:
    from fairload.web.schools.models import SchoolYear
    from fairload.web.schools.to_core import to_core

    sign_in(page, "head")
    page.goto(f"/schools/{SCHOOL}/")
    page.get_by_role("link", name="Committee and groups").click()
    expect(page.get_by_role("heading", name="School Negotiating Committee")).to_be_visible()
    page.get_by_role("button", name="Add a committee member").click()

    page.get_by_label("Who").select_option("kgray")
    page.get_by_label("Union representative").check()
    page.get_by_role("group", name="On the committee from").get_by_label("Day").fill("1")
    page.get_by_role("group", name="On the committee from").get_by_label("Month").fill("9")
    page.get_by_role("group", name="On the committee from").get_by_label("Year").fill("2025")
    page.get_by_role("button", name="Add to the committee").click()

    # Refused: a union representative represents a union.
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Enter the union they represent")
    summary.get_by_role("link", name="Enter the union they represent").click()
    expect(page.get_by_label("Union they represent")).to_be_focused()
    page.get_by_label("Union they represent").fill("SSTA")
    page.get_by_role("button", name="Add to the committee").click()

    row = page.locator('tr[data-seat="kgray"]')
    expect(row).to_contain_text("Union representative (SSTA)")
    expect(row).to_contain_text("1 Sep 2025")
    expect(page.get_by_text("Added")).to_be_visible()
    year = SchoolYear.objects.get(school__slug=SCHOOL)
    members = to_core(year).agreement.committee.members  # type: ignore[union-attr]
    assert ("kgray", "union-rep", "SSTA") in [(m.staff_id, m.role, m.union) for m in members]
