"""Property: any calendar the planner accepts passes the check of every planned rule."""

from __future__ import annotations

import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairload.core.check import run_check
from fairload.core.planner import Planner
from fairload.core.tables import tables_from_years

sys.path.insert(0, str(Path(__file__).parent))
from planner_school import ENGLISH, MEETINGS, SCOTTISH, planning
from test_planner import HALF_TERM

CATEGORIES = [*MEETINGS, "parents-evening", "report", "observation"]
SCOTTISH_AUTUMN = date(2025, 10, 10)  # the Scottish demo's first eight weeks
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


@st.composite
def wishes(draw: Any) -> list[dict[str, Any]]:
    found = []
    for n in range(draw(st.integers(1, 3))):
        found.append(
            {
                "id": f"wish-{n}",
                "category": draw(st.sampled_from(CATEGORIES)),
                "minutes": draw(st.sampled_from([30, 45, 60, 75, 90, 120, 150, 180])),
                "count": draw(st.integers(1, 10)),
                "weekdays": draw(
                    st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True)
                ),
                "earliest_start": draw(st.sampled_from(["14:30", "15:10", "15:20", "16:00"])),
                "attendees": draw(
                    st.sampled_from(["all", {"posts": ["teacher"]}, {"departments": ["maths"]}])
                ),
                "hard": draw(st.booleans()),
            }
        )
    return found


@settings(
    max_examples=min(8, settings.default.max_examples),  # each example is a CP-SAT solve
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(wishes(), st.sampled_from([ENGLISH, SCOTTISH]))
def test_any_calendar_the_solver_accepts_passes_the_planned_rules(
    wanted: list[dict[str, Any]], school: str
) -> None:
    end = HALF_TERM if school == ENGLISH else SCOTTISH_AUTUMN
    drop = tuple({w["category"] for w in wanted})
    year, pack, spec = planning(school, wanted, end, drop=drop)
    planner = Planner(year, pack, spec)
    result = planner.solve(seconds=3.0, workers=1, seed=7)
    if not result.found:
        assert result.status == "infeasible"
        assert result.explanation.verified
        return
    assert result.added_breaches == ()
    planned = {e.id for e in result.events}
    assert not [
        f
        for f in result.check.findings
        if f.counts_as_breach and (f.rule in result.planned_rules and f.subject.id in planned)
    ]


@st.composite
def calendars(draw: Any) -> tuple[list[dict[str, Any]], Any]:
    """Wishes, and a random choice among their candidates (a seed for it)."""
    return draw(wishes()), draw(st.randoms(use_true_random=False))


@settings(
    max_examples=min(10, settings.default.max_examples),
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(calendars())
def test_the_bounds_break_exactly_where_the_check_finds(drawn: Any) -> None:
    """For a small instance, any calendar of candidates (one event a day for the same
    staff, as the planner holds) breaks a rule's bounds if and only if the ordinary
    check finds something new under that rule: the model accepts every calendar the
    check passes, and none it fails. Evenings the school already holds are taken out,
    so that distinct evenings are the planned events (the bounds count events)."""
    wanted, rng = drawn
    drop = (*MEETINGS, "parents-evening", "open-evening", "report", "observation")
    year, pack, spec = planning(ENGLISH, wanted, HALF_TERM, drop=drop)
    planner = Planner(year, pack, spec)
    taken_days: dict[Any, set[str]] = {}
    chosen = []
    for wish in spec.wishes:
        options = [c for c in planner.candidates if c.wish == wish.id]
        rng.shuffle(options)
        for candidate in options[: rng.randint(0, 12)]:
            staff = set(wish.attendees)
            if any(staff & set(spec.wish(w).attendees) for w in taken_days.get(candidate.day, ())):
                continue
            if wish.id in taken_days.get(candidate.day, set()):
                continue
            taken_days.setdefault(candidate.day, set()).add(wish.id)
            chosen.append(candidate)
    picked = {c.index for c in chosen}
    broken = {
        bounds.rule.id
        for bounds in planner.rule_bounds
        for bound in bounds.bounds
        if sum(c for i, c in bound.terms if i in picked) > bound.rhs
    }
    proposal = replace(year, events=(*planner.fixed, *planner._events(chosen)))
    without = run_check(pack, tables_from_years([replace(year, events=planner.fixed)]))
    before = {(f.rule, f.subject.id) for f in without.findings}
    found = run_check(pack, tables_from_years([proposal]))
    planned = {b.rule.id for b in planner.rule_bounds}
    new = {f.rule for f in found.findings if f.rule in planned} - {rule for rule, subject in before}
    assert broken == new
