"""An appeal after a failure to agree (South Ayrshire section 17), through the pages, as
the people would: the union representative reports the failure on the agreement's page
(17.2); a Joint Secretary finds it in their queue, convenes the informal meeting with a
member of each side, the head teacher and the rep (17.3), records that it failed,
convenes the formal hearing, adds a witness called by the union side (17.4), records what
it heard, and records the conclusion, final and binding (17.5). The rep reads it from the
school's menu; a council officer who is not a Joint Secretary gets 404."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

from tests.browser.helpers import SCHOOL, sign_in, sign_in_quickly
from tests.browser.test_accessibility import assert_accessible, axe_page  # noqa: F401

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer


def _day(page: Page, group: str, day: str, month: str, year: str) -> None:
    fields = page.get_by_role("group", name=group)
    fields.get_by_label("Day").fill(day)
    fields.get_by_label("Month").fill(month)
    fields.get_by_label("Year").fill(year)


def test_a_failure_to_agree_goes_through_the_informal_meeting_and_the_hearing_to_a_decision(
    page: Page, demo: LiveServer
) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    on = (str(today.day), str(today.month), str(today.year))

    sign_in(page, "rep")
    page.goto(f"/schools/{SCHOOL}/agreement/")
    page.get_by_role("button", name="Start the draft").click()
    page.get_by_role("link", name="Report a failure to agree to the joint secretaries").click()
    page.get_by_label("Where could agreement not be reached?").fill(
        "The hours for parents' meetings."
    )
    page.get_by_role("button", name="Start the report").click()
    expect(page.get_by_text("The report to the joint secretaries is started")).to_be_visible()

    sign_in_quickly(page, demo.url, "js-management")
    page.goto("/")  # a Joint Secretary's home is their queue
    expect(page.get_by_role("heading", name="The Joint Secretaries")).to_be_visible()
    page.get_by_role("link", name="Auchenlea Academy").click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "reported")

    page.get_by_role("link", name="Convene the informal meeting").click()
    _day(page, "Day of the meeting", *on)
    page.get_by_label("Member of the Management Side").fill("Catriona Boyd")
    page.get_by_label("Member of the Teachers' Side").fill("Iain Fraser")
    page.get_by_label("Head teacher").fill("Lorna Blair")
    page.get_by_role("button", name="Convene it").click()
    expect(page.get_by_text("The informal meeting is convened")).to_be_visible()

    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("No: the Joint Secretaries convene a formal hearing").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "informal")

    page.get_by_role("link", name="Convene the formal hearing").click()
    _day(page, "Day of the meeting", *on)
    expect(page.get_by_label("Joint Secretary (management side)")).to_have_value("Fiona Laird")
    page.get_by_role("button", name="Convene it").click()
    page.get_by_role("link", name="Add an attendee").click()
    page.get_by_label("Name").fill("Pat Witness")
    page.get_by_label("Witness", exact=True).check()
    page.get_by_label("A witness called by (17.4)").select_option("union-rep")
    page.get_by_role("button", name="Add them").click()
    expect(
        page.get_by_text("Pat Witness: Witness, called by the union representatives")
    ).to_be_visible()
    page.get_by_role("link", name="Record the outcome").click()
    page.get_by_label("What the hearing heard").fill(
        "Each side presented its case; the union side called one witness."
    )
    page.get_by_role("button", name="Record it").click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "heard")

    page.get_by_role("link", name="Record the conclusion").click()
    _day(page, "Day of the conclusion", *on)
    page.get_by_label("The conclusion").fill("Parents' meetings are allocated 30 hours.")
    page.get_by_label("It determines the school's working time arrangement (17.1)").check()
    page.get_by_role("button", name="Record the conclusion").click()
    expect(page.locator("[data-conclusion]")).to_contain_text("Final and binding")
    appeal_url = page.url

    sign_in_quickly(page, demo.url, "rep")
    page.goto(f"/schools/{SCHOOL}/")
    page.get_by_role("link", name="Appeal", exact=True).click()
    expect(page.locator("[data-stage]")).to_have_attribute("data-stage", "concluded")
    expect(page.get_by_text("Parents' meetings are allocated 30 hours.")).to_be_visible()

    sign_in_quickly(page, demo.url, "council")
    response = page.goto(appeal_url)
    assert response is not None and response.status == 404
    page.problems.clear()  # type: ignore[attr-defined]  # the 404's console error, on purpose


@pytest.mark.parametrize(
    ("who", "page_name"),
    [
        ("js-management", "appeal-detail"),
        ("js-management", "appeal-convene"),
        ("js-teachers", "appeal-attendee"),
        ("js-teachers", "appeal-outcome"),
        ("js-management", "appeal-document-add"),
    ],
)
def test_the_appeal_pages_have_no_serious_accessibility_violation(
    axe_page: Page,  # noqa: F811 (the fixture imported above)
    demo: LiveServer,
    who: str,
    page_name: str,
) -> None:
    from django.urls import reverse

    from fairload.web.appeals.models import Appeal

    appeal = Appeal.objects.get(school__slug="glenburnie-primary")  # the demo's
    args: tuple[object, ...] = (appeal.pk,)
    if page_name in ("appeal-convene", "appeal-attendee", "appeal-outcome"):
        args = (appeal.pk, "informal")
    sign_in_quickly(axe_page, demo.url, who)
    url = reverse(page_name, args=args)
    response = axe_page.goto(url)
    assert response is not None and response.status == 200

    assert_accessible(axe_page, url)
