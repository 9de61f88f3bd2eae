"""The planner on the agreement's draft, in a real browser with the site's CSP enforced
(issue 13): Glenburnie Primary School's head starts the draft, asks the planner to
propose a calendar from the school's wishes (its staff meetings and its two parent
consultations), watches the progress indicator until the task worker has solved it,
previews the proposal (events added; the staff-meetings finding, 41.5 hours against the
40 of 7.1, cleared) and uses it: a new draft version exists, and the ordinary check of the
year as now stored has no breach of a planned rule. Then a what-if, chosen from the
school's own wishes, adds one more parent consultation: the page shows one event added
and the findings before and after. Every page on the way is scanned with axe at the
desktop and phone widths.

The task worker is the one production runs (`fairload-web notices_worker`, django-tasks-db's
db_worker) in batch mode, run in this test's thread while the browser waits on the
progress page (tests/web/notice_helpers.py's run_worker, as test_planner_flow.py runs it);
the page finds out by itself, through htmx polling its progress, that the run is done.
The live server answers one request at a time, and none while the worker runs: they
share the test's in-memory SQLite connection (test_agreement_journey.one_request_at_a_time).
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from fairload.web.accounts.models import Membership, Role
from fairload.web.agreements.models import AgreementVersion
from fairload.web.planner.models import PlanRun
from fairload.web.schools.models import School
from tests.browser.helpers import DEMO_PASSWORD, sign_in
from tests.browser.test_accessibility import AXE, assert_accessible
from tests.browser.test_agreement_journey import one_request_at_a_time
from tests.web.notice_helpers import run_worker

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

SCHOOL = "glenburnie-primary"
AGREEMENT = f"/schools/{SCHOOL}/agreement/"
HEAD = "ekelly"  # Eilidh Kelly, head teacher
#: the school's wishes: its 18 staff meetings on Tuesdays (the file holds 41.5 hours of
#: them for Ailsa Paterson, over the 40 of 7.1) and its two parent consultations
WISHES = """\
wishes:
  - id: staff-meetings
    title: Staff meeting
    category: staff-meeting
    minutes: 60
    count: 18
    weekdays: [tuesday]
    earliest_start: "15:30"
    attendees:
      posts: [head-teacher, depute-head, principal-teacher, teacher]
      exclude: [cfraser, lstewart]
  - id: parents
    title: Parent consultations
    category: parents-evening
    minutes: 150
    count: 2
    months: [10, 3]
    earliest_start: "15:30"
    attendees: {posts: [depute-head, principal-teacher, teacher], exclude: [lstewart]}
"""


@pytest.fixture
def head_login(demo: LiveServer) -> None:
    """A login for Glenburnie's head teacher (the demo has logins for Auchenlea only)."""
    school = School.objects.get(slug=SCHOOL)
    user = get_user_model().objects.create_user(username=HEAD, password=DEMO_PASSWORD)
    school.years.get().staff.filter(staff_id=HEAD).update(person=user)
    Membership.objects.create(user=user, role=Role.HEAD, school=school)


def solve(page: Page, lock: threading.Lock, monkeypatch: pytest.MonkeyPatch) -> None:
    """The page shows the progress indicator; the worker solves the run; the page, polling,
    reloads itself with the result."""
    expect(page.locator("#plan-status")).to_contain_text("Waiting for the planner")
    with lock:
        run_worker(monkeypatch)
    expect(page.get_by_role("heading", name="Findings before and after")).to_be_visible(
        timeout=15_000
    )


def breaches_of_the_stored_year() -> list[str]:
    """The ordinary check of Glenburnie's year as stored now (the dashboard's check)."""
    from fairload.core.check import run_check
    from fairload.core.packs import load_bundled
    from fairload.core.tables import tables_from_years
    from fairload.web.schools.to_core import to_core

    core = to_core(School.objects.get(slug=SCHOOL).years.get())
    result = run_check(load_bundled(core.school.pack), tables_from_years([core]))
    return sorted({f.rule for f in result.findings if f.counts_as_breach})


@pytest.mark.slow
def test_a_head_proposes_uses_and_asks_what_if_of_a_calendar(
    page: Page, demo: LiveServer, head_login: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    page.context.add_init_script(path=str(AXE))
    assert "staff-meetings-hours" in breaches_of_the_stored_year()

    with (
        override_settings(FAIRLOAD_PLANNER_SECONDS=3.0, FAIRLOAD_PLANNER_WORKERS=1),
        one_request_at_a_time(demo) as lock,
    ):
        # -- the head starts the draft and gives the school's wishes -----------------------
        sign_in(page, HEAD)
        page.goto(AGREEMENT)
        page.get_by_role("button", name="Start the draft").click()
        expect(page.get_by_text("The draft is started as version 1.")).to_be_visible()
        page.goto(f"{AGREEMENT}draft/")
        page.get_by_role("link", name="propose a calendar, or fix yours").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("Plan the calendar")
        assert_accessible(page, "the wishes page")
        page.get_by_label("What the school wants to hold").fill(WISHES)
        page.get_by_role("button", name="Propose a calendar").click()

        # -- progress, then the preview --------------------------------------------------
        expect(page.get_by_role("heading", level=1)).to_have_text("Propose a calendar")
        assert_accessible(page, "the run while it waits for the planner")
        solve(page, lock, monkeypatch)
        changes = page.locator("table")
        expect(changes).to_contain_text("added")
        cleared = page.locator("[data-cleared]")
        expect(cleared).to_contain_text("staff-meetings-hours")
        expect(cleared).to_contain_text("Ailsa Paterson")
        before, after = (
            int(page.locator(f"[data-{when}]").inner_text().split()[0])
            for when in ("before", "after")
        )
        assert after < before, (before, after)
        assert_accessible(page, "the proposal's preview")

        # -- used as the draft's next version ---------------------------------------------
        page.get_by_role("button", name="Use this calendar").click()
        expect(page.get_by_text("The proposed calendar is version 2 of the draft.")).to_be_visible()
        version = AgreementVersion.objects.get(agreement__school__slug=SCHOOL, number=2)
        assert "Calendar from the planner" in version.note
        assert len([e for e in version.calendar if e["title"] == "Staff meeting"]) == 18
        # left: the agreement's own process (a draft not yet consulted on, voted or
        # signed), which no calendar changes; the planner only checks those rules
        report = PlanRun.objects.get(mode=PlanRun.Mode.PROPOSE).result["report"]
        left = set(breaches_of_the_stored_year())
        assert not left & set(report["planned_rules"]), left
        assert left <= {c["rule"] for c in report["checked_only"]}, left
        assert left <= {
            "consultation-then-vote-before-session",
            "majority-approval",
            "signed-by-head-and-union",
            "staff-consultation",
        }, left

        # -- what if one more parent consultation? ------------------------------------------
        proposal = PlanRun.objects.get(mode=PlanRun.Mode.PROPOSE)
        page.goto(f"{AGREEMENT}plan/{proposal.pk}/")
        expect(page.get_by_text("Used as version 2 of the draft.")).to_be_visible()
        page.get_by_role("link", name="Ask what if…").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("What if…")
        assert_accessible(page, "the what-if page")
        adding = page.locator('form[data-what-if="add"]')
        adding.get_by_label("Like which of the school's wishes").select_option("parents")
        adding.get_by_label("How many more").fill("1")
        adding.get_by_role("button", name="Re-plan with these added").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text(
            "What if: 1 more like 'Parent consultations'"
        )
        solve(page, lock, monkeypatch)
        expect(page.locator("table")).to_contain_text("0 moved")
        expect(page.locator("table")).to_contain_text("1 added")
        expect(page.locator("table")).to_contain_text("0 removed")
        expect(page.locator("table")).to_contain_text("Parent consultations: 2026-0")
        expect(page.locator("[data-before]")).to_contain_text("the calendar it started from")
        expect(page.locator("[data-after]")).to_contain_text("in the proposed calendar")
        expect(page.get_by_role("button", name="Use this calendar")).to_be_visible()
        assert_accessible(page, "the what-if's result")
