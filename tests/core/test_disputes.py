"""The dispute ladder (NUT 2015, "How can ASOS be used?", 8 steps) over a case: order,
gates, the head's answer, the local officer, the law at step 8, closing, the timeline."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.dispute_case import Case, Entry, case_checked, case_to_dict
from fairload.core.dispute_ladder import ladder_of
from fairload.core.disputes import (
    StepRefused,
    allowed_steps,
    close,
    done_steps,
    gate,
    mandate_last_day,
    may_take,
    members_decision,
    next_steps,
    overdue,
    stage,
    take,
    timeline,
)
from fairload.core.errors import InputErrors
from fairload.core.packs import load_bundled

LADDER = ladder_of(load_bundled("england/neu-asos-2015"))
assert LADDER is not None
OPENED = date(2026, 1, 12)


def vote(yes: int, no: int, members: int = 12, opened: date = date(2026, 1, 20)) -> Entry:
    """A closed members' vote (the ballot service's counts, once closed)."""
    ballot = {
        "opened": opened,
        "closed": opened + timedelta(days=7),
        "electorate": members,
        "yes": yes,
        "no": no,
    }
    return Entry(opened + timedelta(days=7), fields={"ballot": ballot})


def to_the_vote(yes: int = 7, no: int = 2) -> Case:
    case = Case(OPENED, issues=({"instruction": 14, "rules": ["cover"]},))
    case = take(LADDER, case, "talk", Entry(OPENED))
    attendance = {"attendance": {"present": 10, "members": 12}}
    case = take(LADDER, case, "members-meeting", Entry(date(2026, 1, 15), fields=attendance))
    return take(LADDER, case, "members-vote", vote(yes, no))


def head_answers(answer: str) -> Case:
    return take(
        LADDER, to_the_vote(), "meet-head", Entry(date(2026, 2, 2), outcome=answer, fields={})
    )


def to_the_officer() -> Case:
    case = head_answers("refused")
    case = take(LADDER, case, "officer-contacted", Entry(date(2026, 2, 3)))
    fields = {"attendance": {"present": 11, "members": 12}, "prepared_to_escalate": True}
    case = take(LADDER, case, "officer-meets-members", Entry(date(2026, 2, 10), fields=fields))
    return take(LADDER, case, "officer-meets-head", Entry(date(2026, 2, 12), outcome="refused"))


def statutory(
    entitled: int, yes: int, no: int, opened: date, closed: date, **more: Any
) -> dict[str, Any]:
    return {
        "opened": opened,
        "closed": closed,
        "entitled": entitled,
        "yes": yes,
        "no": no,
        **more,
    }


def to_the_statutory_ballot(ballot: dict[str, Any]) -> Case:
    case = take(LADDER, to_the_officer(), "officer-meets-members-again", Entry(date(2026, 2, 16)))
    case = take(LADDER, case, "indicative-ballot", vote(9, 1, opened=date(2026, 2, 17)))
    return take(
        LADDER,
        case,
        "statutory-ballot",
        Entry(ballot["closed"], fields={"statutory_ballot": ballot}),
    )


PASSING = statutory(40, 25, 3, date(2026, 3, 2), date(2026, 3, 30))


# --- the ladder as the pack gives it ------------------------------------------------------------


def test_the_ladder_has_the_sources_8_steps_as_its_stages() -> None:
    assert [s.label.split(":")[0] for s in LADDER.stages] == [f"Step {n}" for n in range(1, 9)]
    for spec in LADDER.stages:
        number = spec.id.removeprefix("step-")
        assert all(LADDER.step(s).reference.clause == f"Step {number}" for s in spec.steps)


def test_the_ladder_reads_the_uk_law_pack() -> None:
    assert LADDER.law_pack == "uk/industrial-action" and LADDER.law is not None


# --- order -----------------------------------------------------------------------------------


def test_a_meeting_of_members_waits_for_members_to_talk_and_says_what_may_follow() -> None:
    with pytest.raises(StepRefused) as refused:
        take(LADDER, Case(OPENED), "members-meeting", Entry(OPENED))
    assert refused.value.reason == (
        "this step waits for: Talk about the issue with colleagues and share concerns"
    )
    assert refused.value.allowed == ("talk",)


def test_a_step_dated_before_the_step_it_follows_is_refused() -> None:
    case = take(LADDER, Case(OPENED), "talk", Entry(date(2026, 1, 14)))
    with pytest.raises(StepRefused, match="before 'talk'"):
        take(LADDER, case, "members-meeting", Entry(date(2026, 1, 13)))


def test_an_unknown_step_is_refused() -> None:
    with pytest.raises(StepRefused, match="no such step"):
        take(LADDER, Case(OPENED), "picket", Entry(OPENED))


# --- step 3: a majority of members ------------------------------------------------------------


@pytest.mark.parametrize(
    ("yes", "no", "met"),
    [(7, 0, True), (6, 0, False), (6, 1, False)],
    ids=["7-of-12-members-is-a-majority", "6-of-12-is-not", "6-yes-1-no-of-12-is-not"],
)
def test_the_members_vote_needs_a_majority_of_members_not_of_votes(
    yes: int, no: int, met: bool
) -> None:
    result = gate(LADDER, to_the_vote(yes, no), "members-vote")
    assert result.met is met
    assert f"{yes} yes of 12 electors" in result.reason


def test_meeting_the_head_waits_for_the_members_majority() -> None:
    case = to_the_vote(6, 0)
    assert may_take(LADDER, case, "meet-head") == (
        "this step waits for: Members vote on asking the head teacher to address the issues"
    )
    assert "members-vote" in allowed_steps(LADDER, case)  # a failed vote may be held again
    again = take(LADDER, case, "members-vote", vote(8, 0, opened=date(2026, 1, 27)))
    assert may_take(LADDER, again, "meet-head") is None


def test_the_members_decide_once_a_majority_of_members_vote_yes_in_the_first_ballot() -> None:
    before = Case(OPENED)
    undecided, decided = to_the_vote(6, 0), to_the_vote(7, 0)

    assert members_decision(LADDER, before) == gate(LADDER, before, "members-vote")
    assert members_decision(LADDER, before).met is False  # type: ignore[union-attr]
    assert members_decision(LADDER, undecided).met is False  # type: ignore[union-attr]
    assert members_decision(LADDER, decided).met is True  # type: ignore[union-attr]


def test_an_open_members_vote_is_secret_and_not_done() -> None:
    case = to_the_vote()
    open_vote = Entry(date(2026, 1, 20), fields={"ballot": {"opened": date(2026, 1, 20)}})
    case = Case(case.opened, case.issues, {**case.entries, "members-vote": open_vote})
    assert gate(LADDER, case, "members-vote").reason.startswith("the ballot is open")
    assert "members-vote" not in done_steps(LADDER, case)


@given(
    members=st.integers(min_value=1, max_value=200),
    data=st.data(),
)
def test_the_members_vote_passes_exactly_when_more_than_half_the_members_vote_yes(
    members: int, data: st.DataObject
) -> None:
    yes = data.draw(st.integers(min_value=0, max_value=members))
    no = data.draw(st.integers(min_value=0, max_value=members - yes))
    case = Case(OPENED, entries={"members-vote": vote(yes, no, members)})
    assert gate(LADDER, case, "members-vote").met is (2 * yes > members)


# --- steps 4 to 7: the head's answer and the local officer ---------------------------------------


def test_the_head_accepting_resolves_the_case_and_nothing_follows() -> None:
    case = take(
        LADDER,
        head_answers("accepted"),
        "head-accepts",
        Entry(date(2026, 2, 5), fields={"changes": "Cover is arranged with supply staff."}),
    )
    found = stage(LADDER, case)
    assert (found.stage, found.status) == ("step-4", "resolved")
    assert allowed_steps(LADDER, case) == ()


def test_the_officer_is_brought_in_only_when_the_head_refused() -> None:
    case = head_answers("accepted")
    assert may_take(LADDER, case, "officer-contacted") == (
        "this step follows only when the head teacher insisted members continue the work; "
        "recorded: the head teacher accepted"
    )
    assert allowed_steps(LADDER, head_answers("refused")) == ("officer-contacted",)


def test_the_heads_answer_must_be_recorded_as_an_outcome() -> None:
    with pytest.raises(StepRefused, match="one of accepted, refused"):
        take(LADDER, to_the_vote(), "meet-head", Entry(date(2026, 2, 2)))


def test_after_the_officer_meets_the_head_the_case_resolves_or_goes_to_step_7() -> None:
    case = to_the_officer()
    assert stage(LADDER, case).stage == "step-5"
    assert allowed_steps(LADDER, case) == ("officer-meets-members-again",)
    assert [s.step_id for s in next_steps(LADDER, case, "local-officer")] == [
        "officer-meets-members-again"
    ]
    assert next_steps(LADDER, case, "member") == []


def test_the_indicative_ballot_of_12_members_passes_and_says_a_formal_ballot_would_succeed() -> (
    None
):
    case = take(LADDER, to_the_officer(), "officer-meets-members-again", Entry(date(2026, 2, 16)))
    case = take(LADDER, case, "indicative-ballot", vote(9, 1, opened=date(2026, 2, 17)))
    result = gate(LADDER, case, "indicative-ballot")
    assert result.met
    assert result.figures["outlook"]["likely"]
    assert "would likely meet the law" in result.reason
    assert stage(LADDER, case).stage == "step-7"


# --- step 8: the law ------------------------------------------------------------------------------


def test_a_statutory_ballot_like_the_eiss_fails_and_no_notice_may_follow() -> None:
    eis = statutory(10_000, 3_994, 656, date(2026, 3, 2), date(2026, 3, 30))
    case = to_the_statutory_ballot(eis)
    result = gate(LADDER, case, "statutory-ballot")
    assert not result.met and "46.5%, below 50%" in result.reason
    assert may_take(LADDER, case, "notice-to-employer") == (
        "this step waits for: Enter the statutory ballot's result from the independent scrutineer"
    )


def test_a_passing_statutory_ballot_opening_from_18_february_2026_gives_12_months() -> None:
    case = to_the_statutory_ballot(PASSING)
    assert gate(LADDER, case, "statutory-ballot").met
    assert mandate_last_day(LADDER, case) == date(2027, 3, 29)


def test_a_statutory_ballot_opening_17_february_2026_gives_6_months() -> None:
    ballot = statutory(40, 25, 3, date(2026, 2, 17), date(2026, 3, 30))
    assert mandate_last_day(LADDER, to_the_statutory_ballot(ballot)) == date(2026, 9, 29)


@pytest.mark.parametrize(
    ("first_day", "met"),
    [(date(2026, 4, 11), True), (date(2026, 4, 10), False)],
    ids=["10-days-after-the-notice", "9-days-after"],
)
def test_strike_action_starts_no_sooner_than_the_notice_allows(first_day: date, met: bool) -> None:
    case = to_the_statutory_ballot(PASSING)
    case = take(
        LADDER,
        case,
        "notice-to-employer",
        Entry(date(2026, 4, 1), fields={"notice_received": date(2026, 4, 1)}),
    )
    assert gate(LADDER, case, "notice-to-employer").met
    case = take(
        LADDER, case, "strike-action", Entry(first_day, fields={"action_days": (first_day,)})
    )
    assert gate(LADDER, case, "strike-action").met is met
    if met:
        case = take(
            LADDER,
            case,
            "pay-reimbursed",
            Entry(date(2026, 4, 30), fields={"reimbursed": ("t1", "t2")}),
        )
        assert stage(LADDER, case).stage == "step-8"


def test_the_notice_is_overdue_the_day_after_the_mandate_ends() -> None:
    case = to_the_statutory_ballot(PASSING)
    last = date(2027, 3, 29)
    assert [s.due for s in next_steps(LADDER, case)] == [last]
    assert overdue(LADDER, case, last) == []
    late = overdue(LADDER, case, last + timedelta(days=1))
    assert [(o.step_id, o.reason) for o in late] == [
        ("notice-to-employer", "the mandate ended on Monday 29 March 2027")
    ]


def test_a_ballot_opening_under_the_provisional_turnout_repeal_carries_its_caveat() -> None:
    ballot = statutory(40, 15, 3, date(2026, 9, 1), date(2026, 9, 29))  # 45 % turnout
    case = to_the_statutory_ballot(ballot)
    result = gate(LADDER, case, "statutory-ballot")
    assert not result.met
    assert result.caveats and "not confirmed" in result.caveats[0]
    assert stage(LADDER, case).caveats == result.caveats


# --- closing, the timeline and the record ---------------------------------------------


def test_a_case_closes_at_any_step_with_a_reason_and_nothing_follows() -> None:
    case = close(to_the_vote(), date(2026, 2, 1), "  The head withdrew the cover rota.  ")
    assert case.closed is not None and case.closed.reason == "The head withdrew the cover rota."
    assert stage(LADDER, case).status == "closed"
    assert allowed_steps(LADDER, case) == ()
    with pytest.raises(StepRefused, match="the case was closed on Sunday 1 February 2026"):
        take(LADDER, case, "meet-head", Entry(date(2026, 2, 2), outcome="refused"))


@pytest.mark.parametrize(
    ("on", "reason", "problem"),
    [
        (date(2026, 2, 1), " ", "say why"),
        (date(2026, 1, 26), "Withdrawn", "before its last step"),
    ],
    ids=["no-reason", "before-the-last-step"],
)
def test_a_case_cannot_close_without_a_reason_or_before_its_last_step(
    on: date, reason: str, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        close(to_the_vote(), on, reason)


def test_a_closed_case_cannot_close_again() -> None:
    case = close(to_the_vote(), date(2026, 2, 1), "Withdrawn")
    with pytest.raises(ValueError, match="already closed"):
        close(case, date(2026, 2, 2), "Again")


def test_the_timeline_lists_the_steps_in_order_then_the_closure() -> None:
    case = close(head_answers("refused"), date(2026, 2, 20), "Members chose to stop")
    rows = timeline(LADDER, case)
    assert [r.step_id for r in rows] == [
        "talk",
        "members-meeting",
        "members-vote",
        "meet-head",
        "closed",
    ]
    assert rows[3].outcome == "the head teacher insisted members continue the work"
    assert rows[-1].outcome == "Members chose to stop"


def test_a_case_reads_back_equal_from_its_plain_form() -> None:
    case = close(to_the_statutory_ballot(PASSING), date(2026, 4, 2), "Settled")
    assert case_checked(LADDER, case_to_dict(case)) == case


def _problems(raw: dict[str, Any]) -> list[tuple[str | None, str]]:
    with pytest.raises(InputErrors) as raised:
        case_checked(LADDER, raw)
    return [(e.location.field if e.location else None, e.message) for e in raised.value.errors]


def test_a_step_recording_what_it_does_not_record_is_a_located_error() -> None:
    raw = {
        "opened": "2026-01-12",
        "steps": {"talk": {"on": "2026-01-12", "ballot": {"opened": "2026-01-12"}}},
    }
    assert _problems(raw) == [("steps.talk.ballot", "unknown key 'ballot'")]


def test_an_outcome_not_of_the_step_is_a_located_error() -> None:
    raw = {"opened": "2026-01-12", "steps": {"meet-head": {"on": "2026-02-02", "outcome": "maybe"}}}
    assert _problems(raw) == [("steps.meet-head.outcome", "'maybe' is not allowed here")]


def test_impossible_counts_and_dates_are_located_errors() -> None:
    raw = {
        "opened": "2026-01-12",
        "steps": {
            "talk": {"on": "2026-01-11"},
            "members-meeting": {"on": "2026-01-15", "attendance": {"present": 13, "members": 12}},
            "members-vote": {
                "on": "2026-01-27",
                "ballot": {
                    "opened": "2026-01-20",
                    "closed": "2026-01-27",
                    "electorate": 12,
                    "yes": 9,
                    "no": 4,
                },
            },
        },
    }
    assert _problems(raw) == [
        ("steps.talk.on", "dated before the case was opened (Monday 12 January 2026)"),
        ("steps.members-meeting.attendance", "13 present but only 12 members"),
        ("steps.members-vote.ballot", "13 votes cast but only 12 electors"),
    ]


def test_a_case_closed_before_its_last_step_is_a_located_error() -> None:
    raw = {
        "opened": "2026-01-12",
        "steps": {"talk": {"on": "2026-01-20"}},
        "closed": {"on": "2026-01-19", "reason": "Withdrawn"},
    }
    assert _problems(raw) == [
        ("closed.on", "closed before its last step (Tuesday 20 January 2026)")
    ]
