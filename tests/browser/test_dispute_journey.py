"""A workload dispute at an NEU school, through the pages, as its people would (issue 12).

The rep runs the union's workload audit and sees the two instructions their answers bring
in ("what you may refuse"); opens a case from them; records that members talked and then
met (with the meeting's minutes attached); opens the members' vote, which the members
cast in the browser (a secret ballot) and which passes; downloads the letter to the head
(a real PDF that names no member) and shares it. The head signs in and reads the letter
as sent, and nothing else of the case (its page is 404 to them). The rep records the
meeting with the head, who refused (their reply letter attached), and contacts the local
officer, who meets the members, then the head with the rep (refused again), then the
members again, and runs an indicative ballot of the school's 12 members, which closes.
The officer finds the case in the council's view; a council officer gets 404 there.

Only the scene is set outside the pages: "Brookfield School" (the NEU pack's test
school, compliant as it stands, with teachers added so that 12 union members hold
posts), its people's logins, and the clock. Each ballot closes only once its window
(members_vote_window_days) has ended, so the test moves the server's clock with
time-machine, as test_agreement_journey.py does.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth import get_user_model

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.services import school_year_import
from tests.browser.helpers import DEMO_PASSWORD, sign_in, sign_in_quickly
from tests.browser.test_accessibility import AXE, assert_accessible
from tests.documents.pdfs import text_of

try:
    from playwright.sync_api import expect
except ImportError:  # the conftest skips every test here, and says why
    expect = None  # type: ignore[assignment]

if TYPE_CHECKING:
    from playwright.sync_api import Locator, Page
    from pytest_django.live_server_helper import LiveServer

SCHOOL_YAML = (
    Path(__file__).resolve().parents[2]
    / "src/fairload/packs/england/neu-asos-2015/tests/school.yaml"
)
SCHOOL, NAME = "brookfield-school", "Brookfield School"
UNION = "NEU"
#: The rep (on Tom Teacher's post) and eleven members: twelve NEU members hold posts.
REP = ("bf-rep", "t1")
MEMBERS = (
    ("bf-tess", "t2"),
    ("bf-pat", "p5"),
    *((f"bf-m{n}", f"m{n}") for n in range(1, 10)),
)
MEMBER_NAMES = ("Tess Teacher", "Pat Parttime", *(f"Morgan Member{n}" for n in range(1, 10)))
HEAD, OFFICER, COUNCIL_OFFICER = "bf-head", "bf-officer", "bf-council"
#: Who votes yes and no in the members' vote: 8 of 12 say yes, more than half of all.
VOTE_NO = {"bf-m8", "bf-m9"}
VOTE_NONE = {"bf-m7"}

LONDON = ZoneInfo("Europe/London")
OPENED = datetime(2026, 1, 12, 9, 0, tzinfo=LONDON)
#: the pack's members_vote_window_days is 7: the vote closes once they have passed
VOTE_COUNTED = OPENED + timedelta(days=8)
MET_HEAD = VOTE_COUNTED + timedelta(days=2)
OFFICER_IN = MET_HEAD + timedelta(days=3)
INDICATIVE_COUNTED = OFFICER_IN + timedelta(days=9)

PLANS = "Is there too much interference from management in weekly individual lesson planning?"
EMAILS = "Are there unreasonable expectations in relation to emails?"
PLANS_WORDS = "Members should not submit weekly lesson plans to members of the senior management"
MINUTES = b"%PDF-1.4\n% minutes: 10 of 12 members present; both issues discussed\n"
REPLY = b"\x89PNG\r\n\x1a\n a photo of the head's reply"
EMAILS_WORDS = "Members should send and respond to work-related emails only during directed time."


@pytest.fixture
def brookfield(demo: LiveServer) -> School:
    """The NEU pack's test school as Brookfield School, with nine more teachers, and its
    people: the NEU rep, eleven NEU members, the head, the council's NEU local officer and
    a council officer (logins with the demo's password)."""
    document = copy.deepcopy(load_file(SCHOOL_YAML))
    document["school"] = {**document["school"], "id": SCHOOL, "name": NAME}
    teacher = next(s for s in document["staff"] if s["id"] == "t2")
    document["staff"] += [
        {**teacher, "id": f"m{n}", "name": f"Morgan Member{n}"} for n in range(1, 10)
    ]
    school_year_import(document=document, source="brookfield.yaml")
    school = School.objects.select_related("council").get(slug=SCHOOL)
    users = get_user_model().objects

    def login(username: str, role: Role, *, union: str = "", staff_id: str = "") -> None:
        user = users.create_user(username=username, password=DEMO_PASSWORD)
        where = (
            {"council": school.council}
            if role in (Role.UNION_OFFICER, Role.COUNCIL_OFFICER)
            else {"school": school}
        )
        Membership.objects.create(user=user, role=role, union=union, **where)
        if staff_id:
            post = StaffPost.objects.get(school_year__school=school, staff_id=staff_id)
            user.first_name, _, user.last_name = post.name.partition(" ")
            user.save(update_fields=["first_name", "last_name"])
            post.person = user
            post.save(update_fields=["person"])
            UnionMembership.objects.create(user=user, union=UNION)

    login(REP[0], Role.UNION_REP, union=UNION, staff_id=REP[1])
    for username, staff_id in MEMBERS:
        login(username, Role.TEACHER, staff_id=staff_id)
    login(HEAD, Role.HEAD, staff_id="head")  # a declared member too: still sees nothing
    login(OFFICER, Role.UNION_OFFICER, union=UNION)
    login(COUNCIL_OFFICER, Role.COUNCIL_OFFICER)
    return school


@pytest.fixture
def clock() -> Iterator[time_machine.Coordinates]:
    with time_machine.travel(OPENED, tick=True) as traveller:
        yield traveller


def _today(page: Page, group: Locator | None = None) -> None:
    from django.utils import timezone

    today = timezone.localdate()
    fields = group if group is not None else page.get_by_role("group", name="Day")
    fields.get_by_label("Day").fill(str(today.day))
    fields.get_by_label("Month").fill(str(today.month))
    fields.get_by_label("Year").fill(str(today.year))


def _step(page: Page, label: str) -> None:
    """Follow the case page's link to the step, as the person who takes it."""
    page.get_by_role("link", name=label).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(label[:20])
    _today(page)


def _record(page: Page, label: str) -> None:
    page.get_by_role("button", name="Record this step").click()
    expect(page.get_by_text(f"Recorded: {label}")).to_be_visible()


def _vote(page: Page, live_server: LiveServer, ballot_url: str, who: str, choice: str) -> None:
    sign_in_quickly(page, live_server.url, who)
    page.goto(ballot_url)
    page.get_by_label(choice, exact=True).check()
    page.get_by_role("button", name="Vote").click()
    expect(page.get_by_role("heading", name="Your vote was counted")).to_be_visible()


def _voters(page: Page, live_server: LiveServer, ballot_url: str) -> None:
    for username, _ in (REP, *MEMBERS):
        if username in VOTE_NONE:
            continue
        _vote(page, live_server, ballot_url, username, "No" if username in VOTE_NO else "Yes")


def _not_found(page: Page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 404, url


@pytest.mark.slow
def test_a_dispute_from_the_workload_audit_to_the_indicative_ballot_and_the_council_view(
    page: Page,
    demo: LiveServer,
    brookfield: School,
    clock: time_machine.Coordinates,
) -> None:
    council = brookfield.council.slug
    page.context.add_init_script(path=str(AXE))

    # -- the rep runs the audit: two answers bring in two instructions ------------------
    sign_in(page, REP[0])
    page.goto(f"/schools/{SCHOOL}/")
    page.get_by_role("link", name="Workload audit").click()
    expect(page.get_by_role("heading", name="Workload audit")).to_be_visible()
    for question in (PLANS, EMAILS):
        page.get_by_role("link", name=f"Answer {question}").click()
        page.get_by_label("Yes", exact=True).check()
        page.get_by_label("Note (optional)").fill("Asked for every week by the deputy head.")
        page.get_by_role("button", name="Save the answer").click()
        expect(page.get_by_text("Your answer is saved.")).to_be_visible()
    page.get_by_role("link", name="What you may refuse, and why").click()
    instructions = page.locator("[data-instruction]")
    expect(instructions).to_have_count(2)
    expect(instructions.nth(0)).to_contain_text(PLANS_WORDS)
    expect(instructions.nth(1)).to_contain_text(EMAILS_WORDS)

    # -- opens a case from them -----------------------------------------------------------
    page.get_by_role("button", name="Open a dispute case from these").click()
    page.get_by_label("Case title").fill("Weekly plans and evening emails")
    expect(page.get_by_label("Instruction 1:", exact=False)).to_be_checked()
    expect(page.get_by_label("Instruction 4:", exact=False)).to_be_checked()
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_text("The case is open.")).to_be_visible()
    case_url = page.url
    expect(page.locator("[data-issues] li")).to_have_count(2)

    # -- members talk, then meet -------------------------------------------------------
    _step(page, "Talk about the issue with colleagues and share concerns")
    _record(page, "Talk about the issue with colleagues and share concerns")
    _step(page, "Hold a meeting of members to discuss the issues")
    expect(page.get_by_label("Members in the school")).to_have_value("12")
    page.get_by_label("Members present").fill("10")
    page.get_by_label("Attach documents (optional)").set_input_files(
        {
            "name": "Minutes of the members meeting.pdf",
            "mimeType": "application/pdf",
            "buffer": MINUTES,
        }
    )
    assert_accessible(page, "a step's form, with its files")
    _record(page, "Hold a meeting of members to discuss the issues")
    meeting = page.locator('[data-step="members-meeting"]')
    expect(meeting).to_contain_text("10 of 12 members")
    minutes = meeting.get_by_role("link", name="Minutes of the members meeting.pdf")
    with page.expect_download() as download:
        minutes.click()
    assert Path(download.value.path()).read_bytes() == MINUTES
    minutes_url = minutes.get_attribute("href")
    assert minutes_url

    # -- the members' vote opens; the members vote, in secret -----------------------------
    page.get_by_role("link", name="Open the members' vote on asking the head teacher").click()
    page.get_by_role("button", name="Open the members' ballot").click()
    expect(page.get_by_text("The members' ballot is open.")).to_be_visible()
    page.get_by_role("link", name="The members' ballot").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "12, fixed when the ballot opened"
    )
    vote_url = page.url
    _voters(page, demo, vote_url)
    page.goto(vote_url)
    expect(page.get_by_text("You have voted on this paper.")).to_be_visible()
    expect(page.get_by_role("heading", name="Result")).to_have_count(0)  # secret till closed

    # -- the window ends; the rep closes and counts it: it passes -----------------------
    clock.move_to(VOTE_COUNTED)
    sign_in_quickly(page, demo.url, REP[0])
    page.goto(vote_url)
    page.get_by_role("button", name="Close and count the ballot").click()
    expect(page.get_by_text("The ballot is closed and counted.")).to_be_visible()
    expect(page.locator(".govuk-panel__title")).to_have_text("Approved")
    page.goto(case_url)
    expect(page.locator('[data-step="members-vote"] [data-gate]')).to_have_attribute(
        "data-gate", "met"
    )

    # -- the letter to the head downloads: a real PDF naming no member; the rep shares it
    page.get_by_role("link", name="Read the letter").click()
    expect(page.locator("[data-not-yet]")).to_have_count(0)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the letter (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    letter_text = text_of(pdf)
    assert NAME in letter_text and "Instruction 1" in letter_text
    named = [n for n in MEMBER_NAMES if n in letter_text]
    assert not named, f"the letter names members: {named}"
    page.get_by_role("link", name="Share it with the head teacher").click()
    page.get_by_role("button", name="Share it with the head teacher").click()
    expect(page.get_by_text("The letter is shared with the head teacher.")).to_be_visible()
    expect(page.locator("[data-letters-shared]")).to_contain_text("Shared with the head teacher")

    # -- the head reads it as sent, and nothing else of the case -------------------------
    sign_in(page, HEAD)
    page.goto(f"/schools/{SCHOOL}/")
    expect(page.get_by_role("link", name="Dispute cases")).to_have_count(0)
    page.get_by_role("link", name="Letters from the union").click()
    page.get_by_role("link", name="Weekly plans and evening emails", exact=True).click()
    expect(page.locator("[data-shared]")).to_contain_text("Shared with the head teacher on")
    expect(page.locator("[data-letter]")).to_contain_text(PLANS_WORDS)
    expect(page.get_by_role("link", name="Back to the case")).to_have_count(0)
    for url in (case_url, f"/schools/{SCHOOL}/disputes/", f"{case_url}letter/", minutes_url):
        _not_found(page, url)
    page.problems.clear()  # type: ignore[attr-defined]  # the 404s' console errors, on purpose

    # -- the rep records the meeting with the head, who refused; contacts the officer ---
    clock.move_to(MET_HEAD)
    sign_in_quickly(page, demo.url, REP[0])
    page.goto(case_url)
    met = "Meet the head teacher and explain that members do not want to continue the work"
    _step(page, met)
    page.get_by_label("Who went").fill("Tom Teacher, union rep\nTess Teacher, member")
    page.get_by_label("What was asked").fill("To stop collecting weekly plans and evening emails.")
    page.get_by_label("The answer given").fill("The head insists both continue.")
    page.get_by_label("the head teacher insisted members continue the work").check()
    page.get_by_label("Attach documents (optional)").set_input_files(
        {"name": "Reply from the head.png", "mimeType": "image/png", "buffer": REPLY}
    )
    _record(page, met)
    at_the_head = page.locator('[data-step="meet-head"]')
    expect(at_the_head).to_contain_text("the head teacher insisted members continue the work")
    expect(at_the_head.locator("[data-step-documents]")).to_contain_text(
        "Reply from the head.png (file)"
    )
    assert_accessible(page, "the case page, with its steps' documents")
    _step(page, "Contact the local association or division")
    _record(page, "Contact the local association or division")

    # -- the local officer joins: meets the members, the head, the members again -------
    clock.move_to(OFFICER_IN)
    sign_in(page, OFFICER)
    page.goto(f"/councils/{council}/")
    page.get_by_role("link", name="Your union's dispute cases across the council").click()
    page.locator("[data-cases]").get_by_role(
        "link", name="Weekly plans and evening emails", exact=True
    ).click()
    assert page.url.endswith(case_url.removeprefix(demo.url))
    expect(page.get_by_text("You act here as: local-officer")).to_be_visible()

    _step(page, "The local officer meets the members")
    page.get_by_label("Members present").fill("11")
    page.get_by_label("How strongly the members feel").fill("Very strongly: both must stop.")
    page.get_by_role("group", name="Are the members prepared to escalate").get_by_label(
        "Yes"
    ).check()
    _record(page, "The local officer meets the members")

    _step(page, "The local officer and the rep meet the head teacher")
    page.get_by_label("Who went").fill("Nadia Officer, local officer\nTom Teacher, union rep")
    page.get_by_label("What was asked").fill("To respect the members' concerns.")
    page.get_by_label("The answer given").fill("Still no.")
    page.get_by_label("the head teacher still insisted on the work").check()
    _record(page, "The local officer and the rep meet the head teacher")

    _step(page, "The local officer meets the members again")
    page.get_by_label("Members present").fill("12")
    page.get_by_label("How strongly the members feel").fill("A majority wish to escalate.")
    _record(page, "The local officer meets the members again")

    # -- an indicative ballot of the 12 members runs and closes ------------------------
    page.get_by_role("link", name="Open the indicative ballot").click()
    page.get_by_role("button", name="Open the members' ballot").click()
    expect(page.get_by_text("The members' ballot is open.")).to_be_visible()
    page.locator('[data-step="indicative-ballot"]').get_by_role(
        "link", name="The members' ballot"
    ).click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text(
        "12, fixed when the ballot opened"
    )
    indicative_url = page.url
    _voters(page, demo, indicative_url)
    clock.move_to(INDICATIVE_COUNTED)
    sign_in_quickly(page, demo.url, OFFICER)
    page.goto(indicative_url)
    page.get_by_role("button", name="Close and count the ballot").click()
    expect(page.get_by_text("The ballot is closed and counted.")).to_be_visible()
    result = page.locator(".govuk-summary-list").last
    expect(result).to_contain_text("Turnout11 of 12")
    page.goto(case_url)
    indicative = page.locator('[data-step="indicative-ballot"]')
    expect(indicative).to_have_attribute("data-done", "yes")
    expect(indicative.locator("[data-gate]")).to_have_attribute("data-gate", "met")

    # -- the officer sees the case in the council's view; a council officer gets 404 ---
    page.goto(f"/councils/{council}/union-cases/")
    cases = page.locator("[data-cases]")
    expect(cases).to_contain_text("Weekly plans and evening emails")
    expect(cases).to_contain_text("Step 7")
    expect(page.locator("[data-by-instruction]")).to_contain_text("Instruction 4")
    assert_accessible(page, "the council's union cases")

    sign_in(page, COUNCIL_OFFICER)
    _not_found(page, f"/councils/{council}/union-cases/")
    _not_found(page, case_url)
    page.problems.clear()  # type: ignore[attr-defined]  # the 404s' console errors, on purpose
