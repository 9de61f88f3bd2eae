"""The case's pages as a rep, a member, the local officer and the head use them: open a
case from the school's check, record the steps the ladder allows from forms built from
what each records, the members' vote through the ballot pages, the letter to the head
(page and PDF) and sharing it, the statutory ballot's entered result against the law in
force on its opening day, and closing."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fairload.core.ballots import Choice
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.services import ballot_close, ballot_vote
from fairload.web.disputes import services
from fairload.web.disputes.models import Case, CaseBallot, CaseLetter

from .dispute_helpers import (
    AFTER_VOTE,
    LATER,
    OPENED,
    dispute_people,
    entry,
    members_voted,
    open_case,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast, schools):  # type: ignore[no-untyped-def]
    return dispute_people(cast, schools)


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _day(on: datetime, prefix: str = "on") -> dict[str, str]:
    return {f"{prefix}_0": str(on.day), f"{prefix}_1": str(on.month), f"{prefix}_2": str(on.year)}


@time_machine.travel(OPENED, tick=False)
def test_a_rep_opens_a_case_from_the_schools_finding_and_it_names_its_instruction(people):
    rep = _as(people["neu-rep"])
    page = rep.get(reverse("dispute-new", args=["neu-school"]))
    finding = "weekly-lesson-plans:neu-school:neu-school:0"
    assert finding in page.content.decode()

    response = rep.post(
        reverse("dispute-new", args=["neu-school"]),
        {"title": "Weekly lesson plans", "findings": [finding]},
    )

    case = Case.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("dispute-detail", args=[case.pk])
    assert case.source == Case.Source.FINDING
    assert case.record["issues"] == [
        {"instruction": 1, "clause": "Instruction 1", "rules": ["weekly-lesson-plans"]}
    ]


def test_opening_with_no_issue_says_to_name_one(people):
    response = _as(people["neu-rep"]).post(
        reverse("dispute-new", args=["neu-school"]), {"title": "Something"}
    )

    assert "Name at least one issue" in response.content.decode()
    assert not Case.objects.exists()


def test_the_meeting_form_is_built_from_what_the_step_records_and_its_entry_is_the_cores(
    people,
):
    rep = _as(people["neu-rep"])
    case = open_case(people["neu-rep"])
    rep.post(reverse("dispute-step", args=[case.pk, "talk"]), _day(OPENED))
    url = reverse("dispute-step", args=[case.pk, "members-meeting"])

    form = rep.get(url).content.decode()
    response = rep.post(url, {**_day(LATER), "present": "3", "members": "3", "issues": ["0"]})

    assert 'name="present"' in form and 'name="issues"' in form
    assert response.status_code == 302
    case.refresh_from_db()
    meeting = case.record["steps"]["members-meeting"]
    assert meeting["attendance"] == {"present": 3, "members": 3}
    assert meeting["issues"] == [{"instruction": 1, "clause": "Instruction 1"}]
    assert meeting["by"] == [{"name": "Neu-Rep", "role": "union-rep"}]
    page = rep.get(reverse("dispute-detail", args=[case.pk])).content.decode()
    assert "3 of 3 members" in page
    assert "Step 2: members&#x27; meeting" in page


def test_a_step_the_ladder_does_not_allow_yet_shows_why_and_records_nothing(people):
    case = open_case(people["neu-rep"])
    url = reverse("dispute-step", args=[case.pk, "members-meeting"])

    page = _as(people["neu-rep"]).post(url, {**_day(LATER), "present": "1", "members": "3"})

    assert "Not now: this step waits for: Talk about the issue" in page.content.decode()
    case.refresh_from_db()
    assert "steps" not in case.record


def _to_vote(people) -> Case:  # type: ignore[no-untyped-def]
    rep = people["neu-rep"]
    case = open_case(rep)
    services.dispute_step_take(
        actor=rep, case=case, step_id="talk", entry=entry(OPENED), now=OPENED
    )
    return services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="members-meeting",
        entry=entry(OPENED, attendance={"present": 3, "members": 3}),
        now=OPENED,
    )


def test_the_members_vote_runs_on_the_ballot_pages_and_its_count_decides_the_step(people):
    case = _to_vote(people)
    url = reverse("dispute-step", args=[case.pk, "members-vote"])
    with time_machine.travel(LATER, tick=False):
        _as(people["neu-rep"]).post(url, {"question": "Ask the head?", "paper_text": "Yes or no"})
        ballot = CaseBallot.objects.get(case=case).ballot
        for who in ("neu-rep", "neu-member"):
            _as(people[who]).post(
                reverse("ballot-vote", args=["neu-school", ballot.pk]), {"choice": "yes"}
            )
        # while it is open, the head sees no such ballot
        head = _as(people["neu-head"])
        assert head.get(reverse("ballot-detail", args=["neu-school", ballot.pk])).status_code == 404
        assert (
            ballot.question
            not in head.get(reverse("ballot-list", args=["neu-school"])).content.decode()
        )
    with time_machine.travel(AFTER_VOTE, tick=False):
        _as(people["neu-rep"]).post(reverse("ballot-close", args=["neu-school", ballot.pk]))
        page = _as(people["neu-member"]).get(reverse("dispute-detail", args=[case.pk]))

    text = page.content.decode()
    assert 'data-gate="met"' in text
    assert reverse("dispute-step", args=[case.pk, "meet-head"]) not in text  # a rep's step
    assert "Meet the head teacher" in text


def test_the_letter_cites_the_instruction_in_its_words_and_the_finding(people):
    case = open_case(people["neu-rep"])
    case.record = {
        **case.record,
        "issues": [{"instruction": 1, "clause": "Instruction 1", "rules": ["weekly-lesson-plans"]}],
    }
    case.save()

    page = _as(people["neu-rep"]).get(reverse("dispute-letter", args=[case.pk])).content.decode()
    pdf = _as(people["neu-rep"]).get(reverse("dispute-letter-pdf", args=[case.pk]))

    assert "Instruction 1" in page
    assert "Members should" in page  # the instruction's own words
    assert "the school answers" in page  # the finding
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")


def _vote_passed(people) -> Case:  # type: ignore[no-untyped-def]
    return members_voted(people, open_case(people["neu-rep"]))


def test_the_letter_is_a_draft_not_shared_until_the_members_vote_has_passed(people):
    case = _to_vote(people)
    rep = _as(people["neu-rep"])

    page = rep.get(reverse("dispute-letter", args=[case.pk])).content.decode()
    rep.post(reverse("dispute-letter-share", args=[case.pk]))

    assert "data-not-yet" in page and "share it once the members&#x27; vote has passed" in page
    assert "Share it with the head teacher</a>" not in page
    assert not CaseLetter.objects.filter(case=case).exists()
    passed = rep.get(reverse("dispute-letter", args=[_vote_passed(people).pk])).content.decode()
    assert "data-not-yet" not in passed
    assert "Share it with the head teacher</a>" in passed


def test_shared_the_head_reads_the_letter_as_sent_and_nothing_else_of_the_case(people):
    case = _vote_passed(people)
    assert (
        _as(people["neu-head"])
        .get(reverse("dispute-letters-shared", args=["neu-school"]))
        .status_code
        == 200
    )

    _as(people["neu-rep"]).post(reverse("dispute-letter-share", args=[case.pk]))
    letter = CaseLetter.objects.get(case=case)
    case.title = "Renamed after sharing"
    case.save()
    head = _as(people["neu-head"])

    listed = head.get(reverse("dispute-letters-shared", args=["neu-school"])).content.decode()
    shown = head.get(reverse("dispute-letter-shared", args=["neu-school", letter.pk]))
    assert "Weekly lesson plans" in listed
    assert "Weekly lesson plans" in shown.content.decode()
    assert head.get(reverse("dispute-detail", args=[case.pk])).status_code == 404
    assert head.get(reverse("dispute-letter", args=[case.pk])).status_code == 404
    assert (
        _as(people["council"])
        .get(reverse("dispute-letter-shared", args=["neu-school", letter.pk]))
        .status_code
        == 404
    )


def _to_statutory(people) -> Case:  # type: ignore[no-untyped-def]
    rep, officer = people["neu-rep"], people["neu-officer"]
    case = _to_vote(people)
    for step, who in (("members-vote", rep), ("indicative-ballot", officer)):
        if step == "indicative-ballot":
            for s, e in (
                (
                    "meet-head",
                    entry(
                        AFTER_VOTE,
                        attendees=[{"name": "T", "role": "rep"}],
                        asked="a",
                        answer="b",
                        outcome="refused",
                    ),
                ),
                ("officer-contacted", entry(AFTER_VOTE)),
                (
                    "officer-meets-members",
                    entry(
                        AFTER_VOTE,
                        attendance={"present": 3, "members": 3},
                        feeling="f",
                        prepared_to_escalate=True,
                    ),
                ),
                (
                    "officer-meets-head",
                    entry(
                        AFTER_VOTE,
                        attendees=[{"name": "O", "role": "officer"}],
                        asked="a",
                        answer="b",
                        outcome="refused",
                    ),
                ),
                (
                    "officer-meets-members-again",
                    entry(AFTER_VOTE, attendance={"present": 3, "members": 3}, feeling="f"),
                ),
            ):
                actor = rep if s in ("meet-head", "officer-contacted") else officer
                case = services.dispute_step_take(
                    actor=actor, case=case, step_id=s, entry=e, now=AFTER_VOTE
                )
        now = LATER if step == "members-vote" else AFTER_VOTE
        ballot = services.dispute_vote_open(
            actor=who, case=case, step_id=step, question="Q?", paper_text="P", now=now
        )
        for voter in ("neu-rep", "neu-member", "neu-member-2"):
            ballot_vote(ballot=ballot, voter=people[voter], choice=Choice.YES, now=now)
        ballot_close(
            actor=who, ballot=Ballot.objects.get(pk=ballot.pk), now=now.replace(day=now.day + 8)
        )
        case.refresh_from_db()
    return case


def test_a_statutory_ballot_of_46_5_percent_turnout_fails_the_50_percent_threshold_with_its_caveat(
    people,
):
    case = _to_statutory(people)
    url = reverse("dispute-step", args=[case.pk, "statutory-ballot"])
    officer = _as(people["neu-officer"])

    response = officer.post(
        url,
        {
            **_day(datetime(2026, 9, 20, tzinfo=UTC)),
            **_day(datetime(2026, 9, 1, tzinfo=UTC), "sb_opened"),
            **_day(datetime(2026, 9, 15, tzinfo=UTC), "sb_closed"),
            "sb_entitled": "200",
            "sb_yes": "80",
            "sb_no": "13",
            "sb_public_service": "yes",
        },
    )

    assert response.status_code == 302, response.content.decode()[:3000]
    page = officer.get(reverse("dispute-detail", args=[case.pk])).content.decode()
    assert "does not meet the law in force" in page
    assert "46.5%, below 50%" in page
    assert "Provisional:" in page and "turnout threshold is to be repealed" in page
    assert 'data-gate="not-met"' in page


def test_a_rep_closes_the_case_with_a_reason_at_any_step(people):
    case = open_case(people["neu-rep"])

    _as(people["neu-rep"]).post(reverse("dispute-close", args=[case.pk]), {"reason": "Sorted"})

    case.refresh_from_db()
    assert case.record["closed"]["reason"] == "Sorted"
    page = _as(people["neu-member"]).get(reverse("dispute-detail", args=[case.pk])).content.decode()
    assert 'data-status="closed"' in page


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
def test_the_demo_has_a_case_its_rep_and_officer_see_and_its_head_does_not() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEVELOPMENT=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    case = Case.objects.get(school__slug="hollinsvale-academy")
    users = get_user_model().objects

    assert sorted(case.record["steps"]) == ["members-meeting", "talk"]
    for who, status in (("neu-rep", 200), ("neu-officer", 200), ("english-head", 404)):
        page = _as(users.get(username=who)).get(reverse("dispute-detail", args=[case.pk]))
        assert page.status_code == status


def test_a_step_files_the_schools_check_record_frozen_with_its_sha256(people):
    import hashlib

    from fairload.web.disputes.models import CaseDocument

    case = open_case(people["neu-rep"])
    rep = _as(people["neu-rep"])

    rep.post(reverse("dispute-step", args=[case.pk, "talk"]), {**_day(OPENED), "file_check": "on"})

    document = CaseDocument.objects.get(case=case)
    case.refresh_from_db()
    assert case.record["steps"]["talk"]["documents"] == [
        {"title": document.title, "kind": "check-record", "ref": document.ref}
    ]
    assert hashlib.sha256(bytes(document.content)).hexdigest() == document.ref
    download = rep.get(reverse("dispute-document", args=[case.pk, document.pk]))
    assert download.content == bytes(document.content)
    assert b"weekly-lesson-plans" in download.content
