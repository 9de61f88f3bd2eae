"""Every teacher's budget lines, worked out by the core's frames and integer keys (issue
8), equal a plain computation of the budget's definition, teacher by teacher and line
by line in Python, on generated schools: with the tables' integer keys, without them
(frames replaced since), for a country's path and for one school's."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from typing import Any
from unittest.mock import patch

import polars as pl
from hypothesis import given
from hypothesis import strategies as st

from fairload.core import budgets as budgets_module
from fairload.core.budgets import BudgetSpec, teacher_budget_lines
from fairload.core.calendar import DAYS_PER_WORKING_WEEK
from fairload.core.expressions import evaluate
from fairload.core.parameters import ParameterSet
from fairload.core.school_year import Event, StaffMember
from fairload.core.tables import Tables, integer_keys, tables_from_years

from .conftest import south_ayrshire
from .test_properties import FAST, HEADINGS, base_year, events, school_years, teachers

SESSION_2025 = date(2025, 8, 13)


def _rounded(hours: float | None) -> float | None:
    """Rounded to 9 places as the core rounds (the nearest of 1e-9's multiples, ties
    to even, of the float x 1e9)."""
    return None if hours is None else round(hours * 1e9) / 1e9


def _minus(left: float, others: list[float]) -> float:
    """In the order the core subtracts (budgets._minus): two or three others as
    ``sum_horizontal`` adds them, more one after another."""
    if len(others) == 2:
        return left - (others[0] + others[1])
    if len(others) == 3:
        return (left - others[0]) - (others[1] + others[2])
    for other in others:
        left -= other
    return left


def reference(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> list[dict[str, Any]]:
    """The budget's definition, a teacher at a time (budgets.py's docstring)."""
    total = evaluate(spec.total, parameters, at)[0]
    default = {
        line.id: evaluate(line.hours, parameters, at)[0] for line in spec.lines if line.hours
    }
    weeks = {
        line.id: evaluate(line.weeks, parameters, at)[0] if line.weeks else 0.0
        for line in spec.lines
    }
    agreed = {(r["school_id"], r["heading"]): r["hours"] for r in tables.allocations.to_dicts()}
    pupil_days = {r["school_id"]: r["pupil_days"] for r in tables.schools.to_dicts()}
    category = {(e["school_id"], e["event_id"]): e for e in tables.events.to_dicts()}
    planned: dict[tuple[str, str, str], float] = {}
    for attended in tables.attendance.to_dicts():
        if attended["role"] == "observer":
            continue
        event = category[attended["school_id"], attended["event_id"]]
        for line in spec.lines:
            if event["category"] in line.categories:
                key = (attended["school_id"], attended["staff_id"], line.id)
                planned[key] = planned.get(key, 0.0) + event["hours"]
    # A calendar line with no calendar planned is 0 (the core leaves it out of sums).
    calendar_line = {line.id: line.teacher == "calendar" for line in spec.lines}
    rows = []
    for teacher in tables.staff.to_dicts():
        school, fte = teacher["school_id"], teacher["fte"]
        hours: dict[str, float] = {}
        calendar = {
            line.id: planned.get((school, teacher["staff_id"], line.id), 0.0)
            for line in spec.lines
            if line.categories
        }
        for line in spec.lines:
            if line.teacher == "weekly":
                per_week = (
                    pupil_days[school] / DAYS_PER_WORKING_WEEK
                    if line.per_pupil_week
                    else weeks[line.id]
                )
                hours[line.id] = (teacher[line.column or ""] or 0.0) * per_week
            elif line.teacher == "allocation":
                own = teacher[line.column] if line.column else None
                share = agreed.get((school, line.id), default.get(line.id, 0.0)) * fte
                hours[line.id] = own * weeks[line.id] if own is not None else share
            elif line.teacher == "calendar":
                hours[line.id] = calendar[line.id]
        for line in spec.lines:
            if line.teacher != "remainder":
                continue
            if line.of:
                left, others = default[line.id] * fte, list(line.of)
            else:
                left = total * fte
                others = [o.id for o in spec.lines if o.teacher != "remainder"]
                others += [o.id for o in spec.lines if o.teacher == "remainder" and o.of]
            figures = [
                hours[o] for o in others if not (calendar_line[o] and tables.attendance.is_empty())
            ]
            hours[line.id] = _minus(left, figures)
        row: dict[str, Any] = {k: teacher[k] for k in ("school_id", "staff_id", "name", "fte")}
        for line in spec.lines:
            row[line.id] = _rounded(hours[line.id])
            if line.teacher == "remainder":
                row[f"planned::{line.id}"] = None
            elif line.categories:
                row[f"planned::{line.id}"] = _rounded(calendar[line.id])
            else:
                row[f"planned::{line.id}"] = row[line.id]
        row["total"] = total * fte
        rows.append(row)
    return rows


@st.composite
def own_time(draw: st.DrawFn) -> StaffMember:
    """A generated teacher, some with their own personal time (the allocation line's
    column) or contact given in hours."""
    member = draw(teachers())
    if draw(st.booleans()):
        member = replace(member, personal_hours_per_week=draw(st.floats(0, 12)))
    if draw(st.booleans()):
        member = replace(
            member, contact_periods_per_week=None, contact_hours_per_week=draw(st.floats(0, 22.5))
        )
    return member


@st.composite
def schools(draw: st.DrawFn) -> list[tuple[list[StaffMember], Mapping[str, float], list[Event]]]:
    found = []
    for _ in range(draw(st.integers(1, 3))):
        staff = draw(st.lists(own_time(), min_size=1, max_size=4, unique_by=lambda s: s.id))
        allocations = draw(st.dictionaries(st.sampled_from(HEADINGS), st.floats(0, 200)))
        ids = tuple(s.id for s in staff)
        planned = draw(st.lists(events(ids), max_size=4))
        found.append((staff, allocations, [replace(e, id=f"e{n}") for n, e in enumerate(planned)]))
    return found


@FAST
@given(data=st.data(), generated=schools())
def test_teacher_budget_lines_equal_the_budgets_definition(data, generated):
    pack = south_ayrshire()
    assert pack.budget is not None
    tables = tables_from_years(school_years(generated))
    if data.draw(st.booleans(), label="without a calendar"):
        tables = replace(tables, events=tables.events.head(0), attendance=tables.attendance.head(0))
    assert tables.integer_keys() is not None
    expected = reference(pack.budget, tables, pack.parameters, SESSION_2025)

    # With the keys made with the frames, and without (for a country's path and one school's).
    for of in (tables, replace(tables, keys=None)):
        for small in (0, 10**9):
            with patch.object(budgets_module, "SMALL", small):
                found = teacher_budget_lines(
                    pack.budget, replace(of), pack.parameters, SESSION_2025
                )
            assert found.to_dicts() == expected, small


def test_the_integer_keys_are_the_text_keys_places():
    """tables_from_years makes the keys as it makes the rows; worked out from the text
    keys afterwards they are the same, and they describe only their own frames."""
    year = base_year()
    years = [replace(year, school=replace(year.school, id=f"school-{n}")) for n in range(3)]
    tables = tables_from_years(years)
    made = tables.integer_keys()
    worked_out = integer_keys(tables.schools, tables.staff, tables.allocations)
    assert made is not None and worked_out is not None
    assert made.headings == worked_out.headings
    assert made.staff_school.equals(worked_out.staff_school)
    assert made.allocation_place.equals(worked_out.allocation_place)
    schools = tables.schools["school_id"]
    assert schools.gather(made.staff_school).equals(tables.staff["school_id"])
    count = tables.schools.height
    assert schools.gather(made.allocation_place % count).equals(tables.allocations["school_id"])
    headings = pl.Series(made.headings).gather(made.allocation_place // count)
    assert headings.equals(tables.allocations["heading"], check_names=False)
    # Frames replaced since: the keys are not theirs.
    assert replace(tables, staff=tables.staff.reverse()).integer_keys() is None
    assert replace(tables, events=tables.events.head(0)).integer_keys() is made


def test_no_integer_keys_where_a_school_is_missing_or_twice():
    tables = tables_from_years([base_year()])
    twice = pl.concat([tables.schools, tables.schools])
    assert integer_keys(twice, tables.staff, tables.allocations) is None
    assert integer_keys(tables.schools.head(0), tables.staff, tables.allocations) is None
