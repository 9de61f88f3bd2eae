"""A school's working-time agreement made in fairload, from the first draft to the
council's acceptance, in a real browser with the site's CSP enforced (issue 10).

Glenburnie Primary School (18 teaching staff, South Ayrshire JNCT2.7 section 16) makes
its 2025-26 agreement in the summer term before the session, as its year file records it
was made on paper: the head drafts and opens the consultation; two teachers comment; the
committee answers; the ballot opens; ten staff vote (one of them submitting twice at
once, from two tabs); it closes; the outcome shows; the head and the union representative
sign, re-entering their passwords; a change to the calendar voids the signatures and the
page says why; they sign again; the head submits; the council officer returns it with a
reason, then, once it is submitted again, accepts it. Each step is taken on the pages, by
typing and clicking, and checked by what the person sees; the school's dashboard then
shows the process checks passing from the live record (the file's majority-approval
breach, 9 of 18 in favour, is gone). Every page on the way is scanned with axe at the
desktop and phone widths, as test_accessibility.py scans the main pages.

Only the scene is set outside the pages: a login for every member of staff (the demo has
logins for Auchenlea Academy only), and the clock. The consultation and the ballot each
run for a window of days (consultation_window_days, approval_ballot_window_days) and the
ballot closes only once its window has ended, so the test moves the server's clock with
time-machine (the live server runs in this process) to the day each step is taken.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from fairload.web.accounts.models import Membership, Role
from fairload.web.schools.models import School
from tests.browser.helpers import DEMO_PASSWORD, sign_in, sign_in_quickly
from tests.browser.test_accessibility import AXE, assert_accessible

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Page
    from pytest_django.live_server_helper import LiveServer

SCHOOL = "glenburnie-primary"
COUNCIL = "south-ayrshire-council"
AGREEMENT = f"/schools/{SCHOOL}/agreement/"
DASHBOARD = f"/schools/{SCHOOL}/"
HEAD, REP = "ekelly", "ngray"  # Eilidh Kelly, head teacher; Neil Gray, EIS representative
COMMENTERS = ("sferguson", "hlamont")
#: ten of the eighteen vote, all in favour: more than half of the whole staff (16.4)
VOTERS = (
    "ekelly",
    "ngray",
    "pclark",
    "mgalbraith",
    "sferguson",
    "gmacleod",
    "ssutherland",
    "mmoffat",
    "hlamont",
    "apaterson",
)
TWICE = "apaterson"  # submits her vote from two tabs at once

LONDON = ZoneInfo("Europe/London")
DRAFTED = datetime(2025, 5, 12, 9, 0, tzinfo=LONDON)  # the summer term before the session
COMMENTING = datetime(2025, 5, 14, 10, 0, tzinfo=LONDON)
ANSWERING = datetime(2025, 5, 19, 16, 0, tzinfo=LONDON)
#: the consultation's ten days have ended
CONSULTED = datetime(2025, 5, 23, 9, 0, tzinfo=LONDON)
VOTING = datetime(2025, 5, 26, 12, 0, tzinfo=LONDON)
#: the ballot's ten days have ended
COUNTED = datetime(2025, 6, 3, 16, 0, tzinfo=LONDON)
SIGNED = datetime(2025, 6, 4, 9, 0, tzinfo=LONDON)
CHANGED = datetime(2025, 6, 4, 14, 0, tzinfo=LONDON)
SUBMITTED = datetime(2025, 6, 5, 9, 0, tzinfo=LONDON)
RETURNED = datetime(2025, 6, 9, 11, 0, tzinfo=LONDON)
RESUBMITTED = datetime(2025, 6, 10, 9, 0, tzinfo=LONDON)
ACCEPTED = datetime(2025, 6, 12, 11, 0, tzinfo=LONDON)


@pytest.fixture
def staff_logins(demo: LiveServer) -> None:
    """A login for each of Glenburnie's posts, named by its staff id, with the demo's
    password: the head teacher, the EIS representative, and teachers."""
    school = School.objects.get(slug=SCHOOL)
    year = school.years.get()
    for post in year.staff.all():
        user = get_user_model().objects.create_user(username=post.staff_id, password=DEMO_PASSWORD)
        post.person = user
        post.save(update_fields=["person"])
        role = {HEAD: Role.HEAD, REP: Role.UNION_REP}.get(post.staff_id, Role.TEACHER)
        Membership.objects.create(
            user=user, role=role, school=school, union="EIS" if role == Role.UNION_REP else ""
        )


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    """The server's clock (and this process's), from the day the draft is started."""
    with time_machine.travel(DRAFTED, tick=True) as traveller:
        yield traveller


@contextmanager
def one_request_at_a_time(live_server: LiveServer) -> Iterator[threading.Lock]:
    """The live server answers its requests one after another, however many arrive at once.

    Its threads share the test's one in-memory SQLite connection, on which two requests'
    transactions cannot run side by side (they would be one transaction, or fail with
    "database table is locked"): that is the test database, not the app. Two tabs
    submitting at once still send both requests before either is answered; the race
    between two database transactions is tests/web/test_ballots_concurrency.py's, on
    PostgreSQL.
    """
    server = live_server.thread.httpd
    app = server.get_app()
    lock = threading.Lock()

    def in_turn(environ: dict[str, object], start_response: object) -> object:
        with lock:
            return app(environ, start_response)

    server.set_app(in_turn)
    try:
        yield lock  # taken by a test that must run beside no request (the planner's)
    finally:
        server.set_app(app)


def look(page: Page, what: str) -> None:
    """The page as it is now has no serious accessibility violation at either width."""
    assert_accessible(page, what)


def as_person(page: Page, live_server: LiveServer, username: str) -> None:
    sign_in_quickly(page, live_server.url, username)


@pytest.mark.slow
def test_an_agreement_from_draft_to_the_councils_acceptance(
    page: Page,
    demo: LiveServer,
    staff_logins: None,
    clock: time_machine.Coordinates,
) -> None:
    page.context.add_init_script(path=str(AXE))

    # -- the head starts the draft, changes it, and opens the consultation --------------
    sign_in(page, HEAD)
    page.goto(DASHBOARD)
    expect(page.locator('details[data-finding="majority-approval"]')).to_have_count(1)
    page.get_by_role("link", name="Make this year's agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("The working time agreement")
    look(page, "the agreement page before a draft")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_text("The draft is started as version 1.")).to_be_visible()

    page.get_by_role("link", name="Edit the draft").click()
    look(page, "the draft form")
    page.get_by_label("Protocol for work outwith school premises (15.2)").fill(
        "Planning and preparation may be done at home; it is not directed."
    )
    page.get_by_label("What changed in this version").fill("The protocol for work at home")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 2.")).to_be_visible()
    look(page, "a version of the draft")

    page.goto(AGREEMENT)
    page.get_by_role("link", name="Open consultation").click()
    expect(page.get_by_text("The pack sets the window: 10 days.")).to_be_visible()
    look(page, "opening the consultation")
    page.get_by_role("button", name="Open the consultation").click()
    expect(
        page.get_by_text("The consultation is open to the whole teaching staff.")
    ).to_be_visible()
    expect(page.locator("[data-record]")).to_contain_text("opened 12 May 2025 on version 2")
    look(page, "the agreement page while consulting")

    # -- two teachers comment -------------------------------------------------------------
    clock.move_to(COMMENTING)
    as_person(page, demo, COMMENTERS[0])
    page.goto(AGREEMENT)
    next_steps = page.locator("[data-next-steps]")
    expect(next_steps).to_contain_text("Comment on the draft by Thursday 22 May")
    next_steps.get_by_role("link", name="Comment on the draft").click()
    look(page, "the comments page with its form")
    page.get_by_label("The whole draft").check()
    page.get_by_label("Your comment").fill("Please publish the calendar before the holidays.")
    page.get_by_role("button", name="Send my comment").click()
    expect(page.get_by_text("Your comment is sent to the committee.")).to_be_visible()

    as_person(page, demo, COMMENTERS[1])
    page.goto(f"{AGREEMENT}comments/")
    page.get_by_label("A heading").check()
    page.get_by_label("Which heading").select_option(index=1)
    heading = page.get_by_label("Which heading").locator("option:checked").inner_text()
    page.get_by_label("Your comment").fill("More time for planning, please.")
    page.get_by_role("button", name="Send my comment").click()
    expect(page.get_by_text("Your comment is sent to the committee.")).to_be_visible()
    cards = page.locator("[data-comment]")
    expect(cards).to_have_count(2)
    expect(cards.nth(1)).to_contain_text(f"A heading: {heading}")
    expect(cards.nth(0)).not_to_contain_text(COMMENTERS[0])  # colleagues are not named
    expect(cards.nth(1).locator("[data-author]")).to_have_text(COMMENTERS[1])  # her own is

    # -- the committee answers: one taken in a new version, one not, with a reason ------
    clock.move_to(ANSWERING)
    as_person(page, demo, HEAD)
    page.goto(AGREEMENT)
    expect(page.locator("[data-record]")).to_contain_text("2 comments to answer")
    page.goto(f"{AGREEMENT}draft/")
    page.get_by_label("Additional reporting (5.3)").fill(
        "The calendar is published to staff before the summer holidays."
    )
    page.get_by_label("What changed in this version").fill("Publish the calendar before the summer")
    page.get_by_role("button", name="Save as a new version").click()
    expect(page.get_by_text("Saved as version 3.")).to_be_visible()

    page.goto(f"{AGREEMENT}comments/")
    look(page, "the comments page to the committee")
    first, second = page.locator("[data-comment]").nth(0), page.locator("[data-comment]").nth(1)
    expect(first.locator("[data-author]")).to_have_text(COMMENTERS[0])
    first.get_by_role("link", name="Answer").click()
    look(page, "answering a comment")
    page.get_by_role("radio", name="Accepted", exact=True).check()
    page.get_by_label("The version that takes it in (if accepted)").fill("3")
    page.get_by_role("button", name="Send the answer").click()
    expect(page.get_by_text("The answer is sent; the staff can read it.")).to_be_visible()
    second.get_by_role("link", name="Answer").click()
    page.get_by_role("radio", name="Not accepted").check()
    page.get_by_label("The answer (the reason, if not accepted)").fill(
        "Planning stays at the pack's default this year: the hours are taken by moderation."
    )
    page.get_by_role("button", name="Send the answer").click()
    expect(first.locator("[data-answer]")).to_contain_text("Accepted in version 3")
    expect(second.locator("[data-answer]")).to_contain_text("Not accepted: Planning stays")

    # the teacher reads the answer to her comment
    as_person(page, demo, COMMENTERS[1])
    page.goto(f"{AGREEMENT}comments/")
    expect(page.locator("[data-comment]").nth(1)).to_contain_text("Not accepted")

    # -- the consultation closes; the final version is frozen and balloted ----------------
    clock.move_to(CONSULTED)
    as_person(page, demo, HEAD)
    page.goto(AGREEMENT)
    expect(page.locator("[data-record]")).to_contain_text("every comment answered")
    page.get_by_role("button", name="Close the consultation").click()
    expect(page.get_by_text("The consultation is closed.")).to_be_visible()
    page.get_by_role("button", name="Freeze version 3 as final").click()
    expect(page.get_by_text("The latest version is frozen as the final agreement.")).to_be_visible()
    page.get_by_role("link", name="Compare versions side by side").click()
    look(page, "comparing versions")
    page.goto(AGREEMENT)
    page.get_by_role("button", name="Open the staff ballot on version 4").click()
    expect(page.get_by_text("The ballot is open. Every elector has been told.")).to_be_visible()
    ballot_url = page.url
    page.goto(AGREEMENT)
    expect(page.locator("[data-stage]")).to_contain_text(
        "Next: the ballot is open until Monday 2 June 2025: its result is secret until then"
    )
    page.goto(ballot_url)
    expect(page.locator(".govuk-summary-list")).to_contain_text("18, fixed when the ballot opened")
    look(page, "the open ballot to the committee")

    # -- ten staff vote; one of them twice at once, from two tabs -------------------------
    clock.move_to(VOTING)
    for username in VOTERS:
        if username == TWICE:
            continue
        as_person(page, demo, username)
        page.goto(ballot_url)
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Vote").click()
        expect(page.get_by_role("heading", name="Your vote was counted")).to_be_visible()
    look(page, "a vote's receipt")

    as_person(page, demo, TWICE)
    other = page.context.new_page()
    other.on("pageerror", lambda error: page.problems.page_errors.append(str(error)))  # type: ignore[attr-defined]
    for tab in (page, other):
        tab.goto(ballot_url)
        tab.get_by_label("Yes").check()
    look(page, "the ballot paper to an elector")
    with one_request_at_a_time(demo):
        for tab in (page, other):
            tab.get_by_role("button", name="Vote").click(no_wait_after=True)
        counted = re.compile("Your vote was counted|You have already voted in this ballot.")
        for tab in (page, other):
            expect(tab.locator("main")).to_contain_text(counted)
    receipts = [tab for tab in (page, other) if "Your vote was counted" in tab.title()]
    assert len(receipts) == 1, [tab.title() for tab in (page, other)]
    other.close()
    page.goto(ballot_url)
    expect(page.get_by_text("You have voted on this paper.")).to_be_visible()

    # -- it closes, and the outcome shows ------------------------------------------------
    clock.move_to(COUNTED)
    as_person(page, demo, HEAD)
    page.goto(ballot_url)
    page.get_by_role("button", name="Close and count the ballot").click()
    expect(page.get_by_text("The ballot is closed and counted.")).to_be_visible()
    expect(page.locator(".govuk-panel__title")).to_have_text("Approved")
    result = page.locator(".govuk-summary-list").last
    expect(result).to_contain_text("Yes10")
    expect(result).to_contain_text("Turnout10 of 18")
    look(page, "the closed ballot's result")
    page.goto(AGREEMENT)
    expect(page.locator("[data-record]")).to_contain_text("Approval ballot: approved")

    # -- the head and the representative sign, re-entering their passwords ----------------
    clock.move_to(SIGNED)
    sign_as(page, demo, HEAD, look_at_it=True)
    sign_as(page, demo, REP)
    signatures = page.locator("[data-record] li", has_text="Signatures")
    expect(signatures).to_contain_text("(head teacher) 4 June 2025")
    expect(signatures).to_contain_text("(union representative) 4 June 2025")

    # -- a change to the calendar voids both; the page says why; they sign again ---------
    clock.move_to(CHANGED)
    as_person(page, demo, HEAD)
    page.goto(f"/schools/{SCHOOL}/events/sm02/edit/")
    page.get_by_label("Title").fill("Staff meeting: reporting")
    page.get_by_role("button", name="Save and check").click()
    expect(page.locator("[data-recheck]")).to_contain_text("Changed the event")
    page.goto(AGREEMENT)
    void = page.locator("[data-void-signature]")
    expect(void).to_have_count(2)
    expect(void.first).to_contain_text("is void: the calendar of events changed")
    expect(page.locator("[data-record] li", has_text="Signatures")).to_have_text(
        "Signatures: none standing."
    )
    look(page, "the agreement page with void signatures")
    sign_as(page, demo, HEAD)
    sign_as(page, demo, REP)
    expect(page.locator("[data-void-signature]")).to_have_count(2)  # the old ones stay listed
    expect(page.locator("[data-record] li", has_text="Signatures")).to_contain_text(
        "(union representative) 4 June 2025"
    )

    # -- the head submits; the council returns it with a reason ----------------------------
    clock.move_to(SUBMITTED)
    as_person(page, demo, HEAD)
    page.goto(AGREEMENT)
    page.get_by_role("button", name="Submit to South Ayrshire Council").click()
    expect(page.get_by_text("Submitted to South Ayrshire Council.")).to_be_visible()
    expect(page.locator("[data-record]")).to_contain_text("Awaiting the council")

    clock.move_to(RETURNED)
    as_person(page, demo, "council")
    page.goto(f"/councils/{COUNCIL}/")
    page.get_by_role("link", name="Submitted agreements").click()
    look(page, "the council's queue")
    page.get_by_role("link", name="Glenburnie Primary School").click()
    look(page, "a submitted agreement to the council")
    page.get_by_label("Return it to the school").check()
    page.get_by_label("Reasons (needed to return it)").fill(
        "Name the in-service days' dates in the additional reporting."
    )
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    expect(page.locator("[data-queue]")).to_contain_text("Returned")

    as_person(page, demo, HEAD)
    page.goto(AGREEMENT)
    expect(page.locator("[data-record]")).to_contain_text(
        "Returned — Name the in-service days' dates"
    )
    page.get_by_role("button", name="Submit to South Ayrshire Council").click()
    expect(
        page.get_by_text(
            "The council returned the agreement today: it can be submitted again from tomorrow."
        )
    ).to_be_visible()
    clock.move_to(RESUBMITTED)
    page.goto(AGREEMENT)
    page.get_by_role("button", name="Submit to South Ayrshire Council").click()
    expect(page.get_by_text("Submitted to South Ayrshire Council.")).to_be_visible()

    # -- submitted again, the council accepts it -------------------------------------------
    clock.move_to(ACCEPTED)
    as_person(page, demo, "council")
    page.goto(f"/councils/{COUNCIL}/agreements/")
    page.locator("[data-queue] tr", has_text="Awaiting the council").get_by_role("link").click()
    page.get_by_label("Accept the agreement").check()
    page.get_by_role("button", name="Record it").click()
    expect(page.get_by_text("The decision is recorded.")).to_be_visible()
    expect(page.locator("[data-queue] tr", has_text="Accepted")).to_have_count(1)

    # -- the school's process checks pass from the live record -----------------------------
    as_person(page, demo, HEAD)
    page.goto(AGREEMENT)
    expect(page.locator("[data-record]")).to_contain_text("Accepted")
    look(page, "the accepted agreement")
    page.goto(DASHBOARD)
    summary = page.locator("[data-agreement]")
    expect(summary.locator("[data-vote]")).to_have_text("10 of 18 in favour, 2025-06-03")
    expect(summary).to_contain_text("Submitted2025-06-10")
    for rule in PROCESS_RULES:
        expect(page.locator(f'details[data-finding="{rule}"]')).to_have_count(0)


#: The pack's checks of the process (rules.yaml's process_step rules): each step's, and
#: the order of consultation, vote and signatures.
PROCESS_RULES = (
    "negotiating-committee",
    "draft-in-summer-term",
    "consultation-then-vote-before-session",
    "signed-after-vote",
    "staff-consultation",
    "comments-considered",
    "majority-approval",
    "signed-by-head-and-union",
    "submitted-to-council",
)


def sign_as(page: Page, live_server: LiveServer, username: str, look_at_it: bool = False) -> None:
    """Sign the final version on the sign page, re-entering the password."""
    as_person(page, live_server, username)
    page.goto(AGREEMENT)
    page.locator("[data-next-steps]").get_by_role("link", name="Sign the agreement").click()
    if look_at_it:
        look(page, "the sign page")
    page.get_by_label("Your password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign the agreement").click()
    expect(page.get_by_text("You have signed the final agreement.")).to_be_visible()
