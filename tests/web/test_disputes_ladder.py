"""A case up the NUT's ladder through the services: each step is the core's to allow,
the members' vote runs through the ballot service and its count decides the gate, and
the case closes at any step."""

from __future__ import annotations

import pytest

from fairload.core.ballots import Choice
from fairload.web.ballots.services import ballot_close, ballot_vote
from fairload.web.disputes import selectors, services
from fairload.web.disputes.models import Case

from .dispute_helpers import AFTER_VOTE, LATER, OPENED, dispute_people, entry, open_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(cast, schools):  # type: ignore[no-untyped-def]
    return dispute_people(cast, schools)


def _talk_and_meet(case: Case, rep) -> Case:  # type: ignore[no-untyped-def]
    case = services.dispute_step_take(
        actor=rep, case=case, step_id="talk", entry=entry(OPENED), now=OPENED
    )
    return services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="members-meeting",
        entry=entry(LATER, attendance={"present": 3, "members": 3}),
        now=LATER,
    )


def test_a_rep_opens_a_case_whose_record_is_the_cores(people):
    case = open_case(people["neu-rep"])

    assert case.union == "NEU"
    assert case.record == {
        "opened": "2026-01-12",
        "issues": [{"instruction": 1, "clause": "Instruction 1"}],
    }
    assert selectors.case_core(case).opened.isoformat() == "2026-01-12"


def test_a_step_out_of_order_is_refused_with_what_may_follow(people):
    case = open_case(people["neu-rep"])

    with pytest.raises(services.CaseRefused) as refused:
        services.dispute_step_take(
            actor=people["neu-rep"],
            case=case,
            step_id="members-meeting",
            entry=entry(LATER, attendance={"present": 3, "members": 3}),
            now=LATER,
        )

    assert "waits for" in str(refused.value)
    assert "Talk about the issue" in str(refused.value)
    case.refresh_from_db()
    assert "steps" not in case.record


def test_more_present_than_members_is_the_cores_located_refusal(people):
    case = services.dispute_step_take(
        actor=people["neu-rep"],
        case=open_case(people["neu-rep"]),
        step_id="talk",
        entry=entry(OPENED),
        now=OPENED,
    )

    with pytest.raises(services.CaseRefused, match="4 present but only 3 members"):
        services.dispute_step_take(
            actor=people["neu-rep"],
            case=case,
            step_id="members-meeting",
            entry=entry(LATER, attendance={"present": 4, "members": 3}),
            now=LATER,
        )


def test_a_member_may_talk_but_not_open_the_members_vote(people):
    case = _talk_and_meet(open_case(people["neu-rep"]), people["neu-rep"])

    with pytest.raises(services.CaseRefused, match="taken by: union rep"):
        services.dispute_vote_open(
            actor=people["neu-member"],
            case=case,
            step_id="members-vote",
            question="Ask the head?",
            paper_text="Ask the head to address the issues",
            now=LATER,
        )


def _vote(people, choices) -> Case:  # type: ignore[no-untyped-def]
    case = _talk_and_meet(open_case(people["neu-rep"]), people["neu-rep"])
    ballot = services.dispute_vote_open(
        actor=people["neu-rep"],
        case=case,
        step_id="members-vote",
        question="Ask the head to address the issues?",
        paper_text="Ask the head to address lesson plans",
        now=LATER,
    )
    for who, choice in choices.items():
        ballot_vote(ballot=ballot, voter=people[who], choice=choice, now=LATER)
    ballot_close(actor=people["neu-rep"], ballot=ballot, now=AFTER_VOTE)
    case.refresh_from_db()
    return case


def test_the_members_vote_is_of_the_members_only_frozen_at_opening(people):
    case = _talk_and_meet(open_case(people["neu-rep"]), people["neu-rep"])

    ballot = services.dispute_vote_open(
        actor=people["neu-rep"],
        case=case,
        step_id="members-vote",
        question="Ask the head?",
        paper_text="Ask the head to address the issues",
        now=LATER,
    )

    electors = set(ballot.electors.values_list("person__username", flat=True))
    # the head declared NEU too, and is not an elector; the NASUWT member is not either
    assert electors == {"neu-rep", "neu-member", "neu-member-2"}
    assert ballot.policy == "dispute"
    assert ballot.threshold["majority_of"] == "electorate"


def test_two_yes_of_three_members_passes_the_vote_and_the_head_meeting_may_follow(people):
    case = _vote(people, {"neu-rep": Choice.YES, "neu-member": Choice.YES})

    vote = case.record["steps"]["members-vote"]["ballot"]
    assert (vote["electorate"], vote["yes"], vote["no"]) == (3, 2, 0)
    summary = selectors.case_summary(case, AFTER_VOTE.date())
    assert [s.step_id for s in summary.next_steps] == ["meet-head"]


def test_one_yes_of_three_members_is_no_majority_of_members_and_the_vote_may_be_run_again(
    people,
):
    # a majority of the votes cast (1 of 1), not of the members (1 of 3)
    case = _vote(people, {"neu-rep": Choice.YES})

    summary = selectors.case_summary(case, AFTER_VOTE.date())
    assert [s.step_id for s in summary.next_steps] == ["members-vote"]
    assert summary.stage.reason  # the core's reason the gate failed


def test_the_head_refuses_and_the_local_officer_takes_the_next_steps(people):
    case = _vote(people, {"neu-rep": Choice.YES, "neu-member": Choice.YES})
    day = AFTER_VOTE

    case = services.dispute_step_take(
        actor=people["neu-rep"],
        case=case,
        step_id="meet-head",
        entry=entry(
            day,
            attendees=[{"name": "Tom Teacher", "role": "rep"}],
            asked="Stop requiring weekly plans",
            answer="No",
            outcome="refused",
        ),
        now=day,
    )
    case = services.dispute_step_take(
        actor=people["neu-rep"], case=case, step_id="officer-contacted", entry=entry(day), now=day
    )
    with pytest.raises(services.CaseRefused, match="local officer"):
        services.dispute_step_take(
            actor=people["neu-rep"],
            case=case,
            step_id="officer-meets-members",
            entry=entry(day, attendance={"present": 3, "members": 3}),
            now=day,
        )
    case = services.dispute_step_take(
        actor=people["neu-officer"],
        case=case,
        step_id="officer-meets-members",
        entry=entry(
            day,
            attendance={"present": 3, "members": 3},
            feeling="Strongly",
            prepared_to_escalate=True,
        ),
        now=day,
    )

    assert selectors.case_summary(case, day.date()).stage.label.startswith("Step 5")


def test_a_case_closes_at_any_step_with_its_reason_and_then_takes_no_step(people):
    case = open_case(people["neu-rep"])

    case = services.dispute_case_close(
        actor=people["neu-rep"], case=case, reason="Resolved informally", on=LATER.date(), now=LATER
    )

    assert case.record["closed"] == {"on": "2026-01-13", "reason": "Resolved informally"}
    with pytest.raises(services.CaseRefused, match="closed"):
        services.dispute_step_take(
            actor=people["neu-rep"], case=case, step_id="talk", entry=entry(LATER), now=LATER
        )


def test_a_member_may_not_close_a_case(people):
    with pytest.raises(services.CaseRefused, match="rep or a local officer"):
        services.dispute_case_close(
            actor=people["neu-member"],
            case=open_case(people["neu-rep"]),
            reason="x",
            on=LATER.date(),
            now=LATER,
        )


def test_every_step_is_in_the_audit_log_but_not_on_the_schools_changes_page(people):
    from fairload.web.audit.models import AuditEntry
    from fairload.web.audit.selectors import audit_entries_for

    case = _vote(people, {"neu-rep": Choice.YES, "neu-member": Choice.YES})

    actions = list(
        AuditEntry.objects.filter(details__case=case.pk).values_list("action", flat=True)
    )
    assert sorted(set(actions)) == [
        "dispute.open",
        "dispute.step",
        "dispute.vote-count",
        "dispute.vote-open",
    ]
    assert AuditEntry.objects.filter(action__startswith="ballot.", school=case.school).exists()
    shown = set(audit_entries_for(school=case.school).values_list("action", flat=True))
    assert not {a for a in shown if a.startswith(("dispute.", "ballot."))}
