"""The annual evaluation through the pages, as people would: the head opens it from the
Monitoring section; the demo's teacher answers (a heading took more time than planned,
by about four hours) and five colleagues answer too; the head closes it, and the summary
shows the heading six answered and hides the one fewer than five did."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from tests.browser.helpers import SCHOOL, sign_in, sign_in_quickly

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page

COLLEAGUES = ("zcampbell", "mbell", "ccowan", "kquinn", "randerson")


def _five_colleagues_answer() -> None:
    from django.contrib.auth import get_user_model

    from fairload.web.evaluations.models import Evaluation
    from fairload.web.evaluations.services import evaluation_answer
    from fairload.web.schools.models import StaffPost

    evaluation = Evaluation.objects.get(school__slug=SCHOOL)
    for number, staff_id in enumerate(COLLEAGUES):
        person = get_user_model().objects.create_user(username=f"colleague-{staff_id}")
        StaffPost.objects.filter(school_year__school__slug=SCHOOL, staff_id=staff_id).update(
            person=person
        )
        headings = [("planning", "more", Decimal(number + 1))]
        if number < 3:  # four answers about parents' meetings in all: fewer than five
            headings.append(("parents-meetings", "less", Decimal(2)))
        evaluation_answer(evaluation=evaluation, person=person, texts={}, headings=headings)


def test_the_evaluation_is_opened_answered_and_summarised(page: Page, live_server) -> None:  # type: ignore[no-untyped-def]
    from fairload.web.evaluations.models import Evaluation

    Evaluation.objects.filter(school__slug=SCHOOL).delete()  # the demo's is closed
    sign_in(page, "head")
    page.goto(f"/schools/{SCHOOL}/")
    page.get_by_role("link", name="Monitoring").first.click()
    page.get_by_role("link", name="The annual evaluation of the agreement").click()
    page.get_by_role("button", name="Open the evaluation").click()
    page.get_by_role("button", name="Open the evaluation").click()
    expect(page.get_by_text("The evaluation is open")).to_be_visible()
    expect(page.locator("[data-summary-later]")).to_be_visible()

    sign_in_quickly(page, live_server.url, "teacher")
    page.goto(f"/schools/{SCHOOL}/evaluation/")
    page.get_by_role("button", name="Answer the evaluation").click()
    expect(
        page.get_by_label("Are any new priorities emerging that require an allocation of time?")
    ).to_be_visible()
    page.get_by_label(
        "To what extent did this year’s agreement allocate a realistic amount of time"
    ).fill("Reports took longer than planned.")
    planning = page.get_by_role("group", name="Planning", exact=True)
    planning.get_by_label("Took more time than planned").check()
    page.locator('input[name="h_planning_hours"]').fill("4")
    parents = page.get_by_role("group", name="Meetings with parents", exact=True)
    parents.get_by_label("Took less time than planned").check()
    page.locator('input[name="h_parents-meetings_hours"]').fill("1")
    page.get_by_role("button", name="Send my answers").click()
    expect(page.get_by_text("your answers are in, without your name")).to_be_visible()
    expect(page.locator("[data-you-answered]")).to_be_visible()

    _five_colleagues_answer()
    sign_in_quickly(page, live_server.url, "head")
    page.goto(f"/schools/{SCHOOL}/evaluation/")
    expect(page.locator("[data-answered-count]")).to_contain_text("6 of the")
    page.get_by_role("link", name="Close the evaluation and show the summary").click()
    page.get_by_role("button", name="Close the evaluation").click()

    planning_row = page.locator('[data-heading="planning"]')
    expect(planning_row).to_contain_text("+19 hours net, from 6 answers")  # 4 + 1+2+3+4+5
    expect(planning_row).to_contain_text("6 took more time than planned (19")
    parents_row = page.locator('[data-heading="parents-meetings"]')
    expect(parents_row).to_contain_text("Not shown: fewer than 5 answers")
    expect(page.get_by_text("Reports took longer than planned.")).to_be_visible()
