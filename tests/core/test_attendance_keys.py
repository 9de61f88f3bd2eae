"""The attendance's integer keys (issue 8, the country at 4x): each attendance row's
event and person as their rows of ``events`` and ``staff``. With them a country's
attendance is paired with its events by a gather and a teacher's attended hours are
summed by an integer; every figure must be what the joins on the text keys give, row
for row: on a synthetic country (the builder carries the keys through its joins) and
on generated schools (tables_from_years, with the country's path forced)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import replace
from datetime import date
from functools import cache
from unittest.mock import patch

import polars as pl
from bench.compare import EVENINGS_RULE, baseline, baseline_figures, representative_pack
from bench.golden import outputs
from bench.synthetic import PACK_ID, build_country
from hypothesis import given
from hypothesis import strategies as st

from fairload.core import tables as tables_module
from fairload.core.budgets import _planned_figures, teacher_budget_lines
from fairload.core.check import run_check
from fairload.core.packs import load_bundled
from fairload.core.parameters import ParameterSet
from fairload.core.tables import Tables, attendance_keys, tables_from_years

from .test_budget_reference import schools
from .test_properties import FAST, base_year, school_years

#: Enough schools that the attendance takes a country's path (over 50,000 rows).
SCHOOLS = 30
CHECK_DATE = date(2025, 8, 13)


@cache
def country() -> Tables:
    tables = build_country(load_bundled(PACK_ID), SCHOOLS)
    assert not tables.small
    return tables


def without_keys(tables: Tables) -> Tables:
    return replace(tables, attendance_keys=None)


def planned_figures() -> dict[str, pl.Expr]:
    """The budget's calendar lines as figures of an event (what the budget plans
    against a line), as the budget itself writes them."""
    budget = load_bundled(PACK_ID).budget
    assert budget is not None
    return _planned_figures(budget)


def text_totals(tables: Tables, figures: dict[str, pl.Expr], where: pl.Expr) -> pl.DataFrame:
    """attended_totals as a group-by of the attended events on the text keys, joined
    to the staff in their order (0 where a teacher attends nothing)."""
    names = list(figures)
    summed = (
        tables.attended_events()
        .filter(where)
        .with_columns(**figures)
        .group_by("school_id", "staff_id")
        .agg(pl.col(name).sum() for name in names)
    )
    return (
        tables.staff.select("school_id", "staff_id")
        .join(summed, on=["school_id", "staff_id"], how="left", maintain_order="left")
        .select(pl.col(name).fill_null(0.0) for name in names)
    )


def test_the_synthetic_countrys_keys_are_the_text_keys_rows():
    tables = country()
    made = tables.attendance_integer_keys()
    worked_out = attendance_keys(tables.events, tables.staff, tables.attendance)
    assert made is not None and worked_out is not None
    assert made.event_row.equals(worked_out.event_row)
    assert made.staff_row.equals(worked_out.staff_row)
    for key, frame, rows in (
        ("event_id", tables.events, made.event_row),
        ("staff_id", tables.staff, made.staff_row),
    ):
        assert frame["school_id"].gather(rows).equals(tables.attendance["school_id"])
        assert frame[key].gather(rows).equals(tables.attendance[key])


def test_attended_events_are_the_same_with_and_without_the_keys():
    tables = country()
    assert tables.attendance_integer_keys() is not None
    meetings = pl.col("category").is_in(["staff-meeting", "department-meeting"])
    for columns, where in [
        ((), None),
        (("category", "hours"), None),
        (("week", "date", "hours"), meetings),
        (("hours",), pl.col("role") != "observer"),
    ]:
        with_keys = replace(tables).attended_events(*columns, where=where)
        text = without_keys(tables).attended_events(*columns, where=where)
        assert with_keys.equals(text), (columns, where)


def test_attended_totals_are_the_text_keys_group_by():
    tables = country()
    figures = planned_figures()
    where = pl.col("role") != "observer"
    totals = tables.attended_totals(figures, where=where)
    assert totals is not None
    assert totals.equals(text_totals(tables, figures, where))
    # Without the keys (or for one school) there is no integer path: the caller groups.
    assert without_keys(tables).attended_totals(figures) is None


def test_a_check_of_the_country_is_the_same_with_and_without_the_keys():
    """Findings, every teacher's budget lines and the weekly hours, with the keys and
    without (the hash join of the text keys): identical, in order."""
    pack = load_bundled(PACK_ID)
    tables = country()
    found = [
        json.loads(json.dumps(outputs(run_check(pack, of, at=CHECK_DATE), full=True)))
        for of in (replace(tables), without_keys(tables))
    ]
    assert found[0] == found[1]


def test_the_evenings_cap_finds_the_same_on_the_keys_and_the_text_keys():
    """A country's evenings cap counts teacher-weeks on the integer keys; the synthetic
    country crowds no week, so the limit is lowered until it does (0: every evening
    attended; 1: the weeks of two), and the findings are the text path's, in order."""
    chosen = representative_pack(load_bundled(PACK_ID))
    name = chosen.rule(EVENINGS_RULE).settings["max"]
    parameter = chosen.parameters.parameters[name]
    tables = country()
    for limit in (0, 1):
        value = replace(parameter.values[0], value=limit)
        parameters = {**chosen.parameters.parameters, name: replace(parameter, values=(value,))}
        pack = replace(chosen, parameters=ParameterSet(parameters))
        keyed, text = (
            run_check(pack, of, at=CHECK_DATE).findings
            for of in (replace(tables), without_keys(tables))
        )
        assert sum(found.rule == EVENINGS_RULE for found in keyed) > 0, limit
        assert keyed == text, limit


def test_the_keys_describe_only_their_own_frames():
    tables = country()
    made = tables.attendance_integer_keys()
    assert made is not None
    assert replace(tables).attendance_integer_keys() is made
    assert replace(tables, staff=tables.staff.reverse()).attendance_integer_keys() is None
    assert replace(tables, events=tables.events.reverse()).attendance_integer_keys() is None
    assert replace(tables, attendance=tables.attendance.head(10)).attendance_integer_keys() is None


def test_no_attendance_keys_where_an_event_is_missing_or_twice():
    tables = country()
    twice = pl.concat([tables.events, tables.events.head(1)])
    assert attendance_keys(twice, tables.staff, tables.attendance) is None
    missing = tables.events.slice(1)
    assert attendance_keys(missing, tables.staff, tables.attendance) is None
    staff_twice = pl.concat([tables.staff, tables.staff.head(1)])
    assert attendance_keys(tables.events, staff_twice, tables.attendance) is None


def test_one_schools_tables_have_the_attendance_keys_a_join_would_give():
    """tables_from_years makes the keys as it makes the rows, for one school too (its
    attendance is then paired with its events by a gather): the rows a join of the
    text keys gives."""
    tables = tables_from_years([base_year()])
    assert not tables.attendance.is_empty()
    made = tables.attendance_integer_keys()
    worked_out = attendance_keys(tables.events, tables.staff, tables.attendance)
    assert made is not None and worked_out is not None
    assert made.event_row.equals(worked_out.event_row)
    assert made.staff_row.equals(worked_out.staff_row)


@FAST
@given(data=st.data(), generated=schools())
def test_attended_totals_on_generated_schools(data, generated):
    """With observers among the attendees, the country's path forced: the keys
    tables_from_years makes are the text keys' rows, and the totals the group-by's."""
    years = school_years(generated)
    years = [
        replace(
            year,
            events=tuple(
                replace(e, observer=data.draw(st.sampled_from([None, *e.attendees])))
                for e in year.events
            ),
        )
        for year in years
    ]
    with patch.object(tables_module, "_SMALL", 0):
        tables = tables_from_years(years)
        made = tables.attendance_integer_keys()
        assert made is not None
        worked_out = attendance_keys(tables.events, tables.staff, tables.attendance)
        assert worked_out is not None and made.event_row.equals(worked_out.event_row)
        figures = planned_figures()
        where = pl.col("role") != "observer"
        totals = tables.attended_totals(figures, where=where)
        assert totals is not None
        expected = text_totals(tables, figures, where)
    # And as a plain sum in Python: the hours (quarters of an hour) add up exactly.
    assert totals.to_dicts() == expected.to_dicts() == python_totals(tables)


def python_totals(tables: Tables) -> list[dict[str, float]]:
    budget = load_bundled(PACK_ID).budget
    assert budget is not None
    lines = [line for line in budget.lines if line.categories]
    events = {(r["school_id"], r["event_id"]): r for r in tables.events.iter_rows(named=True)}
    sums: dict[tuple[str, str], dict[str, float]] = defaultdict(lambda: defaultdict(float))
    for row in tables.attendance.iter_rows(named=True):
        event = events.get((row["school_id"], row["event_id"]))
        if event is None or row["role"] == "observer":
            continue
        for line in lines:
            if event["category"] in line.categories:
                sums[row["school_id"], row["staff_id"]][f"planned::{line.id}"] += event["hours"]
    return [
        {f"planned::{line.id}": sums[teacher][f"planned::{line.id}"] for line in lines}
        for teacher in tables.staff.select("school_id", "staff_id").iter_rows()
    ]


def test_the_hand_written_baseline_is_the_same_on_the_frames_keys_and_its_own():
    """bench/compare.py's query reads the attendance keys the frames carry, as fairload
    does; encoding its own from the text keys it finds the same."""
    pack = representative_pack(load_bundled(PACK_ID))
    figures = baseline_figures(pack, CHECK_DATE)
    tables = country()
    on_keys = baseline(replace(tables), figures)
    own = baseline(replace(tables), figures, own_keys=True)
    assert on_keys["counts"] == own["counts"]
    assert sum(on_keys["counts"].values()) > 0
    order = ["school_id", "staff_id"]
    # (each query numbers the teachers its own way: "t" is not compared)
    assert on_keys["budget"].drop("t").sort(order).equals(own["budget"].drop("t").sort(order))


@FAST
@given(data=st.data(), generated=schools(), pack_id=st.sampled_from([PACK_ID, "england/stpcd"]))
def test_budget_lines_are_the_same_on_the_attendance_keys(data, generated, pack_id):
    """Every teacher's budget lines (planned hours included), on the country's path with
    the attendance keys and without them, and on one school's path: identical. The
    English budget binds only some staff (the bound rows of the keys' totals)."""
    budget = load_bundled(pack_id).budget
    assert budget is not None
    parameters = load_bundled(pack_id).parameters
    years = [
        replace(
            year,
            staff=tuple(replace(s, leadership_pay=data.draw(st.booleans())) for s in year.staff),
            events=tuple(
                replace(e, observer=data.draw(st.sampled_from([None, *e.attendees])))
                for e in year.events
            ),
        )
        for year in school_years(generated)
    ]
    one_school = teacher_budget_lines(budget, tables_from_years(years), parameters, CHECK_DATE)
    with patch.object(tables_module, "_SMALL", 0):
        tables = tables_from_years(years)
        assert tables.attendance.is_empty() or tables.attendance_integer_keys() is not None
        for of in (tables, without_keys(tables)):
            found = teacher_budget_lines(budget, replace(of), parameters, CHECK_DATE)
            assert found.to_dicts() == one_school.to_dicts()
