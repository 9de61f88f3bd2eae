"""The planner: calendars it proposes pass the check; an infeasible year is explained.

Every limit is read from the pack's parameters (the same the rules read), so the tests
sit at the limit and just over it in the sources' own figures.
"""

from __future__ import annotations

import functools
import itertools
import math
import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairload.core.calendar import school_period
from fairload.core.check import run_check
from fairload.core.findings import Severity
from fairload.core.packs import Pack
from fairload.core.planner import Planner, PlanSpec, anchors_from
from fairload.core.planner.explain import _infeasible
from fairload.core.planner.model import PlanResult
from fairload.core.planner.whatif import apply_what_if
from fairload.core.planner.wishes import DEFAULT_SPREAD_TOLERANCE
from fairload.core.school_year import SchoolYear
from fairload.core.tables import tables_from_years

sys.path.insert(0, str(Path(__file__).parent))
from planner_school import ENGLISH, MEETINGS, PRIMARY, SCOTTISH, own_plan, own_wishes, planning

HALF_TERM = date(2025, 10, 24)  # the English demo's first half term: 8 working weeks
SOLVE = {"seconds": 5.0, "workers": 1, "seed": 7}


def _value(pack: Pack, rule_id: str, setting: str, at: date) -> float:
    value = pack.parameters.resolve(pack.rule(rule_id).settings[setting], at).value
    return float(value)


def _meeting(count: int, **more: Any) -> dict[str, Any]:
    return {
        "id": "staff-meetings",
        "title": "Whole-staff meeting",
        "category": "staff-meeting",
        "minutes": 60,
        "count": count,
        "earliest_start": "15:20",
        **more,
    }


def _solve(year: SchoolYear, pack: Pack, spec: Any, **solve: Any) -> tuple[Planner, PlanResult]:
    planner = Planner(year, pack, spec)
    return planner, planner.solve(**(SOLVE | solve))


#: a whole demo school: any calendar meeting its wishes (its first, not improved), with
#: time for a shared machine
FIRST = {"seconds": 60.0, "improve": False}


def _breaches_of(result: PlanResult, rules: tuple[str, ...]) -> list[str]:
    assert result.check is not None
    return [f.rule for f in result.check.findings if f.counts_as_breach and f.rule in rules]


# After-school meetings: NUT Instruction 2, one a week on average ------------------------


def _capacity(year: SchoolYear, pack: Pack) -> int:
    limit = _value(pack, "after-school-meetings-average", "max_per_week", year.calendar.dates.start)
    weeks = school_period(year.calendar, year.school.nation).working_weeks
    return math.floor(limit * weeks + 1e-9)


def test_as_many_after_school_meetings_as_the_weekly_average_allows_are_planned() -> None:
    year, pack, spec = planning(ENGLISH, [_meeting(1)], HALF_TERM, drop=MEETINGS)
    capacity = _capacity(year, pack)
    year, pack, spec = planning(ENGLISH, [_meeting(capacity)], HALF_TERM, drop=MEETINGS)
    planner, result = _solve(year, pack, spec)
    assert result.status == "optimal"
    assert len(result.events) == capacity
    assert "after-school-meetings-average" in result.planned_rules
    assert _breaches_of(result, result.planned_rules) == []
    # Spread: at most one in any week, the busiest teacher-week one meeting long.
    weeks = [planner.period.week_of(e.date) for e in result.events]
    assert len(set(weeks)) == len(weeks)
    assert result.objective["busiest teacher-week (minutes)"] == 60


def test_one_meeting_over_the_average_is_explained_with_instruction_2() -> None:
    year, pack, spec = planning(ENGLISH, [_meeting(1)], HALF_TERM, drop=MEETINGS)
    capacity = _capacity(year, pack)
    year, pack, spec = planning(ENGLISH, [_meeting(capacity + 1)], HALF_TERM, drop=MEETINGS)
    _planner, result = _solve(year, pack, spec)
    assert result.status == "infeasible"
    explanation = result.explanation
    assert {c.id for c in explanation.conflicts} == {
        "staff-meetings",
        "after-school-meetings-average",
    }
    assert explanation.verified and explanation.minimal
    (sentence,) = explanation.sentences
    assert sentence.startswith(f"{capacity + 1} of 'Whole-staff meeting' cannot fit")
    assert "Instruction 2" in sentence
    assert f"Hold at most {capacity}, or move 1" in sentence


# What-if: move to 38 working weeks ------------------------------------------------------


def test_moving_to_38_working_weeks_lowers_instruction_2s_year_from_39_to_38() -> None:
    """weeks=38 ends the English demo's 39-week year five working days sooner: NUT
    Instruction 2's one a week on average then allows 38 after-school meetings, not 39."""
    year, pack, _ = planning(ENGLISH, [_meeting(1)], drop=MEETINGS)
    period = school_period(year.calendar, year.school.nation)
    limit = _value(pack, "after-school-meetings-average", "max_per_week", year.calendar.dates.start)
    assert period.working_weeks == 39
    at_39 = math.floor(limit * 39 + 1e-9)
    year, pack, spec = planning(ENGLISH, [_meeting(at_39)], drop=MEETINGS)
    _planner, result = _solve(year, pack, spec)
    assert result.found and len(result.events) == at_39
    shorter, spec = apply_what_if(["weeks=38"], year, spec)
    kept = school_period(shorter.calendar, shorter.school.nation)
    assert kept.working_weeks == 38
    # The dropped days are the final term's last five working days; the rest stay.
    assert (
        sorted(set(period.working_days) - set(kept.working_days))
        == sorted(period.working_days)[-5:]
    )
    assert shorter.calendar.terms[-1].dates.end == max(kept.working_days)
    assert all(e.date <= max(kept.working_days) for e in shorter.events)
    _planner, result = _solve(shorter, pack, spec)
    assert result.status == "infeasible"
    (sentence,) = result.explanation.sentences
    at_38 = math.floor(limit * 38 + 1e-9)
    assert f"over 38 working weeks: {at_38} in the year" in sentence
    assert f"Hold at most {at_38}, or move {at_39 - at_38} " in sentence
    _year, fewer = apply_what_if([f"staff-meetings.count={at_38}"], shorter, spec)
    _planner, result = _solve(shorter, pack, fewer)
    assert result.found and _breaches_of(result, result.planned_rules) == []


# An after-school meeting lasts at most an hour (Instruction 2) -------------------------


@pytest.mark.parametrize("over", [0, 15])
def test_a_meeting_longer_than_the_cap_cannot_be_planned(over: int) -> None:
    year, pack, _spec = planning(ENGLISH, [_meeting(1)], HALF_TERM, drop=MEETINGS)
    cap = _value(pack, "after-school-meeting-length", "max_hours", year.calendar.dates.start)
    minutes = round(cap * 60) + over
    year, pack, spec = planning(ENGLISH, [_meeting(1, minutes=minutes)], HALF_TERM, drop=MEETINGS)
    _planner, result = _solve(year, pack, spec)
    if not over:
        assert result.found and _breaches_of(result, result.planned_rules) == []
        return
    assert result.status == "infeasible"
    conflicts = {c.id: c for c in result.explanation.conflicts}
    assert set(conflicts) == {"staff-meetings", "after-school-meeting-length"}
    assert "Instruction 2" in (conflicts["after-school-meeting-length"].clause or "")
    assert f"at most {cap:g} hours" in conflicts["after-school-meeting-length"].text


# Evenings in a week (NUT policy, the meetings question) --------------------------------


def _evening(n: int) -> dict[str, Any]:
    # Each only in the week of 15 September: the week is the one place they can go.
    return {
        "id": f"evening-{n}",
        "title": f"Parents' evening {n}",
        "category": "parents-evening",
        "minutes": 120,
        "count": 1,
        "earliest_start": "16:30",
        "not_between": [
            {"start": "2025-09-01", "end": "2025-09-14"},
            {"start": "2025-09-20", "end": "2025-10-24"},
        ],
    }


@pytest.mark.parametrize("over", [0, 1])
def test_evenings_in_one_week_at_and_over_the_limit(over: int) -> None:
    year, pack, _spec = planning(ENGLISH, [_evening(1)], HALF_TERM, drop=MEETINGS)
    limit = round(_value(pack, "evenings-per-week", "max", year.calendar.dates.start))
    wishes = [_evening(n) for n in range(1, limit + over + 1)]
    year, pack, spec = planning(ENGLISH, wishes, HALF_TERM, drop=(*MEETINGS, "open-evening"))
    planner, result = _solve(year, pack, spec)
    if not over:
        assert result.found
        assert _breaches_of(result, result.planned_rules) == []
        assert not [f for f in result.check.findings if f.rule == "evenings-per-week"]
        return
    assert result.status == "infeasible"
    ids = {c.id for c in result.explanation.conflicts}
    assert ids == {*(w["id"] for w in wishes), "evenings-per-week"}
    assert result.explanation.verified
    _assert_minimal(planner, result)


def _assert_minimal(planner: Planner, result: PlanResult) -> None:
    """Each member is needed: without it the rest can be met."""
    names = [
        f"{'wish' if c.kind == 'wish' else 'rule'}:{c.id}" if c.kind != "planner" else c.id
        for c in result.explanation.conflicts
    ]
    assert _infeasible(planner, names, 5.0)[0]
    for name in names:
        assert not _infeasible(planner, [n for n in names if n != name], 5.0)[0], name


# Reports: one a session in South Ayrshire (5.3), another only by agreement --------------


def _reports(count: int) -> dict[str, Any]:
    return {
        "id": "reports",
        "title": "Full written report",
        "category": "report",
        "minutes": 60,
        "count": count,
        "earliest_start": "16:00",
        "attendees": {"posts": ["teacher"]},
    }


def test_a_second_reporting_round_needs_the_agreement_the_plan_records() -> None:
    end = date(2025, 12, 19)
    year, pack, _ = planning(SCOTTISH, [_reports(1)], end, drop=("report",))
    allowed = round(_value(pack, "one-report-per-session", "max", year.calendar.dates.start))
    year, pack, spec = planning(SCOTTISH, [_reports(allowed + 1)], end, drop=("report",))
    planner, result = _solve(year, pack, spec)
    assert result.status == "infeasible"
    conflicts = {c.id: c for c in result.explanation.conflicts}
    assert set(conflicts) == {"reports", "one-report-per-session"}
    assert (conflicts["one-report-per-session"].clause or "").endswith("5.3")
    _assert_minimal(planner, result)
    # Agreed as additional: planned, and the check reports it as needing agreement.
    year, pack, spec = planning(
        SCOTTISH,
        [_reports(allowed + 1)],
        end,
        drop=("report",),
        agreed=["one-report-per-session"],
    )
    _planner, result = _solve(year, pack, spec)
    assert result.found
    assert "one-report-per-session" in result.checked_only
    found = [f for f in result.check.findings if f.rule == "one-report-per-session"]
    assert found and all(f.severity is Severity.NEEDS_AGREEMENT for f in found)


# Preferences, spreading and keeping close ----------------------------------------------


def test_a_preference_over_the_limit_is_met_as_far_as_the_rules_allow() -> None:
    year, pack, _ = planning(ENGLISH, [_meeting(1)], HALF_TERM, drop=MEETINGS)
    capacity = _capacity(year, pack)
    wish = _meeting(capacity + 2, hard=False, weight=3)
    year, pack, spec = planning(ENGLISH, [wish], HALF_TERM, drop=MEETINGS)
    _planner, result = _solve(year, pack, spec)
    assert result.status == "optimal"
    assert len(result.events) == capacity
    assert result.objective["wishes short (weighted)"] == 2 * 3


def test_fix_my_calendar_keeps_a_compliant_calendar_as_it_is() -> None:
    year, pack, spec = planning(
        ENGLISH, [_meeting(2, latest_start="15:50")], HALF_TERM, drop=MEETINGS[1:]
    )
    current = [e for e in year.events if e.category == "staff-meeting"]
    assert len(current) == 2
    planner = Planner(year, pack, spec, anchors=anchors_from(current))
    result = planner.solve(**SOLVE)
    assert result.status == "optimal"
    assert result.objective["events away from the current or last year's days"] == 0
    assert {e.date for e in result.events} == {e.date for e in current}
    assert result.changes["added"] == [] and result.changes["removed"] == []


def test_fortnightly_department_meetings_are_at_most_one_in_any_two_weeks() -> None:
    wish = {
        "id": "maths",
        "title": "Maths department meeting",
        "category": "department-meeting",
        "minutes": 60,
        "every_weeks": 2,
        "attendees": {"departments": ["maths"]},
    }
    year, pack, spec = planning(ENGLISH, [wish], HALF_TERM, drop=MEETINGS)
    planner, result = _solve(year, pack, spec)
    assert result.found
    weeks = sorted(planner.period.week_of(e.date) for e in result.events)
    assert len(weeks) == 4  # 8 weeks, one a fortnight
    assert all(b - a >= 2 for a, b in itertools.pairwise(weeks))


def test_the_spread_costs_only_the_load_above_the_mean_times_the_tolerance() -> None:
    """The thresholds are the mean over the working weeks × (1 + spread_tolerance), never
    below the longest single event: 39 one-hour meetings in 39 weeks cost nothing at one
    a week; a tolerance of 1 lets a week hold two (twice the mean) before it costs."""
    year, pack, _ = planning(ENGLISH, [_meeting(1)], drop=MEETINGS)
    capacity = _capacity(year, pack)
    weeks = school_period(year.calendar, year.school.nation).working_weeks
    for tolerance, allowed in ((0.25, 1), (1.0, 2)):
        year, pack, spec = planning(
            ENGLISH, [_meeting(capacity)], drop=MEETINGS, spread_tolerance=tolerance
        )
        planner = Planner(year, pack, spec)
        counts = planner.build(guarded=False, objective=False)[1].counts
        events, minutes = planner.thresholds(counts)
        assert events == max(1, math.floor(capacity / weeks * (1 + tolerance) + 1e-9)) == allowed
        assert set(minutes.values()) == {
            max(60, math.floor(60 * capacity / weeks * (1 + tolerance)))
        }
        result = planner.solve(**SOLVE)
        assert result.status == "optimal"
        assert result.objective["week events above the spread threshold"] == 0
        assert result.objective["teacher-week minutes above the spread threshold"] == 0
        assert result.objective["spread threshold (events a week)"] == allowed
        assert result.objective["busiest week (events)"] <= allowed


def test_a_week_far_above_the_mean_costs_its_load_over_the_thresholds() -> None:
    """Two meetings that can only fall in the half term's first week (8 working weeks):
    the mean is a quarter of a meeting a week, so each threshold is the longest single
    event (one event; 60 minutes), and the second meeting costs one event and its 60
    minutes for every teacher who attends; the busiest figures say so."""
    later = {"name": "the rest of the half term", "start": "2025-09-06", "end": "2025-10-24"}
    wish = _meeting(2, not_between=[later])
    year, pack, spec = planning(ENGLISH, [wish], HALF_TERM, drop=MEETINGS)
    planner = Planner(year, pack, spec)
    result = planner.solve(**SOLVE)
    assert result.status == "optimal"
    assert len({planner.period.week_of(e.date) for e in result.events}) == 1
    teachers = len(spec.wishes[0].attendees)
    assert result.objective["spread threshold (events a week)"] == 1
    assert result.objective["its spread threshold (minutes)"] == 60
    assert result.objective["week events above the spread threshold"] == 1
    assert result.objective["teacher-week minutes above the spread threshold"] == 60 * teachers
    assert result.objective["busiest week (events)"] == 2
    assert result.objective["busiest teacher-week (minutes)"] == 120


# The demo schools, planned from their own plan sections ----------------------------------


@functools.cache
def _demo_planned(name: str) -> tuple[SchoolYear, Pack, PlanSpec, Planner, PlanResult]:
    """A demo school planned from its own ``plan`` section (its first calendar), solved
    once for the module: the tests below only read the year, the planner and the result."""
    year, pack, spec = planning(name, own_wishes(name), agreed=own_plan(name).get("agreed", []))
    planner, result = _solve(year, pack, spec, **FIRST)
    return year, pack, spec, planner, result


@pytest.mark.parametrize("name", [ENGLISH, PRIMARY, SCOTTISH])
def test_planning_a_demo_school_adds_no_breach(name: str) -> None:
    """Each example's own ``plan`` section (examples/*.yaml, as scripts/make_examples.py
    writes it): every hard wish met, and no breach that the school's data without the
    planned events does not already have."""
    _year, pack, spec, planner, result = _demo_planned(name)
    assert result.found, result.status
    assert {w.category for w in spec.wishes} >= {"staff-meeting", "parents-evening"}
    assert len(result.events) == sum(_counts(planner).values())
    assert result.added_breaches == ()
    planned_ids = {e.id for e in result.events}
    assert not [
        f for f in result.check.findings if f.counts_as_breach and f.subject.id in planned_ids
    ]
    # Any breach left is one the school's own data already has without the plan's events.
    without = run_check(pack, tables_from_years([planner_year(planner)]))
    assert {(f.rule, f.subject.id) for f in result.check.findings if f.counts_as_breach} <= {
        (f.rule, f.subject.id) for f in without.findings if f.counts_as_breach
    }


def test_the_demo_schools_deliberate_calendar_breaches_are_planned_away() -> None:
    """The primary's keen teacher (41.5 hours of staff meetings, JNCT 7.1: 40) and the
    secondary's three-hour S4 parents' evening (6.2: 2.5) are in categories the plans
    re-plan: the proposed calendars clear both."""
    for name, rule in (
        (PRIMARY, "staff-meetings-hours"),
        (SCOTTISH, "parents-evening-appointments"),
    ):
        year, pack, _spec, _planner, result = _demo_planned(name)
        before = run_check(pack, tables_from_years([year]))
        assert rule in {f.rule for f in before.findings if f.counts_as_breach}
        assert result.found
        assert rule not in {f.rule for f in result.check.findings if f.counts_as_breach}


def _counts(planner: Planner) -> dict[str, int]:
    return planner.build(guarded=False, objective=False)[1].counts


def planner_year(planner: Planner) -> SchoolYear:
    from dataclasses import replace

    return replace(planner.year, events=planner.fixed)


def test_staff_meetings_over_a_teachers_budget_line_name_clause_7_1() -> None:
    meetings = own_wishes(SCOTTISH)[0]
    year, pack, _ = planning(SCOTTISH, [meetings])
    line = pack.budget.line(pack.rule("staff-meetings-hours").settings["line"])
    hours = pack.parameters.resolve(str(line.hours), year.calendar.dates.start).value
    wish = {**meetings, "hours": hours, "latest_start": "16:45"}
    del wish["weekdays"], wish["not_between"]
    year, pack, spec = planning(SCOTTISH, [wish])
    planner, result = _solve(year, pack, spec)
    assert result.status == "infeasible"
    conflicts = {c.id: c for c in result.explanation.conflicts}
    assert set(conflicts) == {"staff-meetings", "staff-meetings-hours"}
    assert conflicts["staff-meetings-hours"].clause.endswith("7.1")
    assert (
        "hours of it left after the calendar's other events"
        in conflicts["staff-meetings-hours"].text
    )
    _assert_minimal(planner, result)


def test_the_issues_case_45_after_school_meetings_in_a_39_week_year() -> None:
    """The English demo's whole year: 45 after-school meetings cannot fit one a week on
    average; the explanation gives the year's figures, less the meetings already held."""
    year, pack, _ = planning(ENGLISH, [_meeting(1)])
    limit = _value(pack, "after-school-meetings-average", "max_per_week", year.calendar.dates.start)
    weeks = school_period(year.calendar, year.school.nation).working_weeks
    year, pack, spec = planning(ENGLISH, [_meeting(45)])
    planner, result = _solve(year, pack, spec)
    assert result.status == "infeasible"
    assert {c.id for c in result.explanation.conflicts} == {
        "staff-meetings",
        "after-school-meetings-average",
    }
    (sentence,) = result.explanation.sentences
    assert sentence.startswith("45 of 'Whole-staff meeting' cannot fit")
    assert f"over {weeks:g} working weeks: {math.floor(limit * weeks + 1e-9)} in the year" in (
        sentence
    )
    assert "Instruction 2" in sentence
    capacity = next(
        b.capacity for b in planner.rule_bounds if b.rule.id == "after-school-meetings-average"
    )
    assert f"Hold at most {capacity}, or move {45 - capacity} " in sentence
    _assert_minimal(planner, result)


def test_the_largest_demo_school_is_planned_to_a_proven_optimum() -> None:
    """The bench's largest school (bench/plan.py): its own plan at the default spread
    tolerance (81 PRD reviews in term 2), one solver thread, a generous time limit so the
    machine's load does not matter: proven optimal, with nothing above the spread's
    thresholds and the busiest figures reported beside them."""
    plan = own_plan(SCOTTISH)
    assert "spread_tolerance" not in plan
    year, pack, spec = planning(SCOTTISH, plan["wishes"], agreed=plan["agreed"])
    assert spec.spread_tolerance == DEFAULT_SPREAD_TOLERANCE
    planner = Planner(year, pack, spec)
    result = planner.solve(seconds=20.0, workers=1, seed=2026)
    assert result.status == "optimal"
    assert result.gap == 0.0
    assert len(result.events) == sum(_counts(planner).values())
    assert result.objective["wishes short (weighted)"] == 0
    assert result.objective["week events above the spread threshold"] == 0
    assert result.objective["teacher-week minutes above the spread threshold"] == 0
    assert (
        result.objective["busiest week (events)"]
        <= result.objective["spread threshold (events a week)"]
    )
    assert (
        result.objective["busiest teacher-week (minutes)"]
        <= result.objective["its spread threshold (minutes)"]
    )
    assert result.added_breaches == ()
