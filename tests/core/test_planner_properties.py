"""Property: any calendar the planner accepts passes the check of every planned rule."""

from __future__ import annotations

import itertools
import sys
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ortools.sat.python import cp_model

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


@st.composite
def spread_wishes(draw: Any) -> list[dict[str, Any]]:
    """Wishes that crowd a few weeks: fortnightly or every third week, or bunched in a
    span, for staff that overlap (so one wish's event holds another's day)."""
    found = []
    for n in range(draw(st.integers(1, 3))):
        wish: dict[str, Any] = {
            "id": f"wish-{n}",
            "category": draw(st.sampled_from(CATEGORIES)),
            "minutes": draw(st.sampled_from([60, 90, 150])),
            "count": draw(st.integers(1, 5)),
            "weekdays": draw(
                st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=3, unique=True)
            ),
            "earliest_start": "16:00",
            "attendees": draw(
                st.sampled_from(["all", {"posts": ["teacher"]}, {"departments": ["maths"]}])
            ),
            "hard": draw(st.booleans()),
        }
        spacing = draw(st.sampled_from([None, 2, 3]))
        if spacing:
            wish["every_weeks"] = spacing
        if draw(st.booleans()):
            wish["not_between"] = [{"name": "later", "start": "2025-10-01", "end": "2025-10-24"}]
        found.append(wish)
    return found


def _value(planner: Planner, chosen: list[bool] | None) -> tuple[str, float]:
    """The objective's optimum (``chosen`` None: CP-SAT from nothing, no hint, to a
    proven optimum), or the value of the calendar ``chosen``."""
    model, handles = planner.build(guarded=False, objective=True)
    if chosen is not None:
        for variable, held in zip(handles.x, chosen, strict=True):
            model.add(variable == held)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 60.0
    status = solver.solve(model)
    return solver.status_name(status), solver.objective_value


@settings(
    max_examples=min(10, settings.default.max_examples),  # each example is a CP-SAT solve
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(spread_wishes())
def test_the_greedy_first_calendar_meets_the_model_and_a_zero_score_is_the_optimum(
    wanted: list[dict[str, Any]],
) -> None:
    """The planner's proof of optimality without a search rests on two things: the
    greedy calendar (``spread_hint``) keeps every constraint of the model, and a
    calendar scoring 0 (``_scores_nothing``) is optimal. For small instances CP-SAT
    checks both against an independent solve from nothing: the greedy calendar is
    feasible in the model, its value is never below the true optimum, it scores 0
    exactly when its value is 0, and a result reported optimal has the optimum's value."""
    drop = (*MEETINGS, "parents-evening", "open-evening", "report", "observation")
    year, pack, spec = planning(ENGLISH, wanted, HALF_TERM, drop=drop)
    planner = Planner(year, pack, spec)
    counts = planner.build(guarded=False, objective=False)[1].counts
    optimum_status, optimum = _value(planner, None)
    if optimum_status == "INFEASIBLE":
        assert planner.solve(seconds=3.0, workers=1, seed=7).status == "infeasible"
        return
    assert optimum_status == "OPTIMAL"
    hint = planner.spread_hint(counts)
    if hint:
        status, value = _value(planner, hint)
        assert status == "OPTIMAL"  # feasible: every variable is fixed
        assert value >= optimum
        assert planner._scores_nothing(hint, counts) == (value == 0)
    result = planner.solve(seconds=10.0, workers=1, seed=7)
    assert result.found
    # One planned event a day for the same staff (one constraint a day for each set of
    # wishes a teacher attends).
    for a, b in itertools.combinations(result.events, 2):
        assert a.date != b.date or not set(a.attendees) & set(b.attendees)
    index = {(c.wish, c.day, c.start): c.index for c in planner.candidates}
    picked = {index[(e.id.rsplit("-", 1)[0], e.date, e.start)] for e in result.events}
    status, value = _value(planner, [c.index in picked for c in planner.candidates])
    assert status == "OPTIMAL"
    if result.status == "optimal":
        assert value == optimum
