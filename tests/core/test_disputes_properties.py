"""Invariants of the ladder over any walk a case can take: whatever members and officers
record, in whatever order the ladder allows, the stage never goes back, no step is
offered twice, nothing follows a closed or resolved case, and the record reads back."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fairload.core.dispute_case import Case, Entry, case_checked, case_to_dict
from fairload.core.dispute_ladder import ladder_of
from fairload.core.disputes import (
    StepRefused,
    allowed_steps,
    close,
    done_steps,
    stage,
    take,
    timeline,
)
from fairload.core.packs import load_bundled

LADDER = ladder_of(load_bundled("england/neu-asos-2015"))
assert LADDER is not None


@st.composite
def entry_for(draw: st.DrawFn, step_id: str, on: date) -> Entry:
    """A plausible entry for the step on ``on``: counts drawn so gates pass or fail."""
    step = LADDER.step(step_id)
    fields: dict[str, Any] = {}
    for name in step.records:
        if name in ("ballot", "statutory_ballot"):
            top, days = (30, 7) if name == "ballot" else (500, 28)
            electorate = draw(st.integers(min_value=1, max_value=top))
            yes = draw(st.integers(min_value=0, max_value=electorate))
            no = draw(st.integers(min_value=0, max_value=electorate - yes))
            counted = "electorate" if name == "ballot" else "entitled"
            fields[name] = {
                "opened": on - timedelta(days=days),
                "closed": on,
                counted: electorate,
                "yes": yes,
                "no": no,
            }
        elif name == "notice_received":
            fields[name] = on
        elif name == "action_days":
            fields[name] = (on + timedelta(days=draw(st.integers(min_value=0, max_value=20))),)
        elif name == "attendance":
            members = draw(st.integers(min_value=1, max_value=30))
            fields[name] = {"present": draw(st.integers(0, members)), "members": members}
    outcome = draw(st.sampled_from(sorted(step.outcomes))) if step.outcomes else None
    return Entry(on, fields=fields, outcome=outcome)


@given(data=st.data())
def test_any_walk_up_the_ladder_keeps_its_invariants(data: st.DataObject) -> None:
    case = Case(date(2026, 3, 2))
    day = case.opened
    rank = 0
    for _ in range(20):
        allowed = allowed_steps(LADDER, case)
        done = set(done_steps(LADDER, case))
        assert not done & set(allowed)  # a done step is never offered again
        if not allowed or data.draw(st.integers(0, 9)) == 0:
            break
        step_id = data.draw(st.sampled_from(allowed))
        day += timedelta(days=data.draw(st.integers(min_value=0, max_value=10)))
        case = take(LADDER, case, step_id, data.draw(entry_for(step_id, day)))
        now = stage(LADDER, case)
        assert now.rank >= rank  # the stage never goes back
        rank = now.rank
        for step in LADDER.steps:  # every done step's predecessors are done
            if step.id in done_steps(LADDER, case):
                assert all(a.step in done_steps(LADDER, case) for a in step.after)
    assert case_checked(LADDER, case_to_dict(case)) == case
    if stage(LADDER, case).status == "resolved":
        assert allowed_steps(LADDER, case) == ()
    closed = close(case, day, "Closed by the rep")
    assert allowed_steps(LADDER, closed) == ()
    assert timeline(LADDER, closed)[-1].step_id == "closed"
    for step in LADDER.steps:
        try:
            take(LADDER, closed, step.id, Entry(day))
        except StepRefused as refused:
            assert refused.allowed == ()
        else:  # pragma: no cover - a closed case takes no step
            raise AssertionError(f"{step.id} was taken on a closed case")


def test_a_step_refuses_what_it_does_not_record() -> None:
    try:
        take(LADDER, Case(date(2026, 3, 2)), "talk", Entry(date(2026, 3, 2), fields={"ballot": {}}))
    except StepRefused as refused:
        assert refused.reason == "it does not record ballot (it records: issues)"
    else:  # pragma: no cover
        raise AssertionError("the stray field was taken")
