"""Invariants, tried on many generated cases: budgets always reconcile, an extra event never
clears a cap breach, and a pack test case survives a trip through YAML."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import date, time
from functools import cache
from unittest.mock import patch

import jsonschema
import polars as pl
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fairload.core import budgets as budgets_module
from fairload.core.budgets import teacher_budgets
from fairload.core.pack_schema import TESTS
from fairload.core.rules import Context
from fairload.core.school_format import schema as school_year_schema
from fairload.core.school_year import Event, Post, SchoolYear, StaffMember
from fairload.core.tables import Tables, tables_from_years
from fairload.core.templates import TEMPLATES
from fairload.core.yamlfile import load_text

from .conftest import School, south_ayrshire, working_days

SESSION_2025 = date(2025, 8, 13)
#: At most 40 examples (CI's slow profile), 20 by default (tests/conftest.py).
FAST = settings(max_examples=min(40, settings.default.max_examples), deadline=None)
CATEGORIES = school_year_schema()["$defs"]["event"]["properties"]["category"]["enum"]
HEADINGS = [line.id for line in south_ayrshire().budget.lines if line.teacher != "weekly"]


# --- (1) every teacher's budget adds up to 1365 hours × FTE --------------------------------


@st.composite
def teachers(draw: st.DrawFn) -> StaffMember:
    contact = draw(st.integers(0, 27))
    return StaffMember(
        id=f"s{draw(st.integers(0, 10**6))}",
        name="Generated Teacher",
        post=draw(st.sampled_from(list(Post))),
        fte=draw(st.floats(0, 1, exclude_min=True)),
        contact_periods_per_week=contact,
        management_periods_per_week=draw(st.integers(0, 27 - contact)),
        probationer=draw(st.booleans()),
    )


@cache
def base_year() -> SchoolYear:
    return School().year()


def school_years(
    schools: Iterable[tuple[Sequence[StaffMember], Mapping[str, float], Sequence[Event]]],
) -> list[SchoolYear]:
    """The base year as one school a (staff, allocations, events), ids school-0, school-1..."""
    year = base_year()
    return [
        replace(
            year,
            school=replace(year.school, id=f"school-{n}"),
            staff=tuple(staff),
            events=tuple(planned),
            agreement=replace(year.agreement, allocations=allocations),
        )
        for n, (staff, allocations, planned) in enumerate(schools)
    ]


@FAST
@given(
    staff=st.lists(teachers(), min_size=1, max_size=5, unique_by=lambda s: s.id),
    allocations=st.dictionaries(st.sampled_from(HEADINGS), st.floats(0, 200)),
)
def test_every_teachers_budget_adds_up_to_1365_hours_pro_rata(staff, allocations):
    year = base_year()
    year = replace(
        year,
        staff=tuple(staff),
        events=(),
        agreement=replace(year.agreement, allocations=allocations),
    )
    pack = south_ayrshire()

    budgets = teacher_budgets(pack.budget, tables_from_years([year]), pack.parameters, SESSION_2025)

    sums = budgets.group_by("staff_id").agg(pl.col("hours").sum(), pl.col("fte").first())
    for staff_id, hours, fte in sums.select("staff_id", "hours", "fte").iter_rows():
        assert abs(hours - 1365 * fte) < 1e-6, staff_id


@FAST
@given(
    data=st.data(),
    staff=st.lists(teachers(), min_size=1, max_size=4, unique_by=lambda s: s.id),
    allocations=st.dictionaries(st.sampled_from(HEADINGS), st.floats(0, 200)),
)
def test_a_teachers_budget_is_the_same_alone_as_beside_colleagues(data, staff, allocations):
    """The long frame is stacked from the wide one (issue 8): each row must still be its
    teacher's and its line's, line by line with the teachers in staff order, with the
    calendar's planned hours (attended events) or without (no attendance at all)."""
    staff_ids = tuple(s.id for s in staff)
    planned = data.draw(st.lists(events(staff_ids), max_size=5))
    # At least one attended event of a budget line's categories: its planned hours.
    planned.append(
        replace(data.draw(events(staff_ids)), category="staff-meeting", attendees=staff_ids[:1])
    )
    year = base_year()
    year = replace(
        year,
        staff=tuple(staff),
        events=tuple(replace(e, id=f"e{n}") for n, e in enumerate(planned)),
        agreement=replace(year.agreement, allocations=allocations),
    )
    pack = south_ayrshire()
    assert pack.budget is not None

    def budgets(of: SchoolYear) -> pl.DataFrame:
        return teacher_budgets(pack.budget, tables_from_years([of]), pack.parameters, SESSION_2025)

    together = budgets(year)

    lines = [line.id for line in pack.budget.lines]
    assert list(together.select("line", "staff_id").iter_rows()) == [
        (line, s) for line in lines for s in staff_ids
    ]
    for member in staff:
        alone = replace(
            year,
            staff=(member,),
            events=tuple(
                replace(e, attendees=tuple(a for a in e.attendees if a == member.id))
                for e in year.events
            ),
        )
        mine = together.filter(pl.col("staff_id") == member.id)
        assert mine.equals(budgets(alone)), member.id
        # Each row is its line's: the figures the line's own kind gives this teacher.
        row = {r["line"]: r for r in mine.iter_rows(named=True)}
        for line in pack.budget.lines:
            if line.categories:
                attended = [e for e in year.events if member.id in e.attendees]
                hours = sum(e.hours for e in attended if e.category in line.categories)
                assert abs(row[line.id]["planned"] - hours) < 1e-6, (member.id, line.id)
            if line.teacher == "allocation" and not line.column:
                agreed = allocations.get(line.id, pack.parameters.number(line.hours, SESSION_2025))
                assert abs(row[line.id]["hours"] - agreed * member.fte) < 1e-6, line.id
            assert abs(row[line.id]["total"] - 1365 * member.fte) < 1e-6


# --- (2) adding events never clears a cap breach -------------------------------------------


@cache
def breached_year(rule_id: str) -> tuple[SchoolYear, str]:
    """The test school breaking one cap, and the subject of that breach."""
    school = School()
    if rule_id == "meeting-max-duration":
        school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00", id="long")
        return school.year(), "long"
    school.add_hours("staff-meeting", 38.25, attendees=["t1"])
    return school.year(), "t1"


def subjects_of(rule_id: str, year: SchoolYear) -> list[str]:
    pack = south_ayrshire()
    rule = pack.rule(rule_id)
    context = Context(tables_from_years([year]), pack.parameters, SESSION_2025, budget=pack.budget)
    return [f.subject.id for f in TEMPLATES[rule.template].evaluate(rule, context)]


@st.composite
def events(draw: st.DrawFn, staff_ids: tuple[str, ...]) -> Event:
    start = draw(st.integers(7 * 4, 22 * 4))
    end = draw(st.integers(start + 1, 23 * 4 + 3))
    return Event(
        id="",
        title="Generated event",
        category=draw(st.sampled_from(CATEGORIES)),
        date=draw(st.sampled_from(working_days())),
        start=time(start // 4, start % 4 * 15),
        end=time(end // 4, end % 4 * 15),
        attendees=tuple(draw(st.lists(st.sampled_from(staff_ids), unique=True))),
    )


@FAST
@given(data=st.data(), rule_id=st.sampled_from(["meeting-max-duration", "staff-meetings-hours"]))
def test_adding_events_never_clears_a_cap_breach(data, rule_id):
    year, subject = breached_year(rule_id)
    staff_ids = tuple(s.id for s in year.staff)
    extra = data.draw(st.lists(events(staff_ids), min_size=1, max_size=6))
    extra = [replace(e, id=f"extra-{n}") for n, e in enumerate(extra)]

    assert subject in subjects_of(rule_id, year)
    assert subject in subjects_of(rule_id, replace(year, events=(*year.events, *extra)))


# --- (3) a pack test case survives a trip through YAML -------------------------------------

TEXT = st.text(max_size=30)
SCALARS = st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | TEXT
JSONISH = st.recursive(
    SCALARS,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(TEXT, inner, max_size=4),
    max_leaves=12,
)


@st.composite
def pack_test_cases(draw: st.DrawFn) -> dict:
    case = {"name": draw(TEXT)}
    if draw(st.booleans()):
        case["at"] = draw(st.dates(date(2006, 1, 1), date(2040, 12, 31))).isoformat()
    if draw(st.booleans()):
        case["parameter"] = draw(TEXT)
    if draw(st.booleans()):
        case["lookup"] = draw(st.dictionaries(TEXT, SCALARS, max_size=4))
    if draw(st.booleans()):
        case["expect"] = draw(JSONISH)
    return case


@FAST
@given(cases=st.lists(pack_test_cases(), min_size=1, max_size=4))
def test_a_pack_test_case_round_trips_through_yaml(cases):
    jsonschema.validate(cases, TESTS)

    assert load_text(yaml.safe_dump(cases), "tests.yaml") == cases


@FAST
@given(day=st.dates(date(2006, 1, 1), date(2040, 12, 31)), name=TEXT)
def test_a_date_written_bare_comes_back_as_its_iso_text(day, name):
    written = yaml.safe_dump([{"name": name, "at": day}])

    assert load_text(written, "tests.yaml") == [{"name": name, "at": day.isoformat()}]


@FAST
@given(
    data=st.data(),
    schools=st.lists(
        st.tuples(
            st.lists(teachers(), min_size=1, max_size=4, unique_by=lambda s: s.id),
            st.dictionaries(st.sampled_from(HEADINGS), st.floats(0, 200)),
        ),
        min_size=1,
        max_size=3,
    ),
)
def test_budgets_are_the_same_whatever_the_order_and_the_size(data, schools):
    """The wide frame reads each teacher's school a run of rows at a time for a country
    and by a join for one school (issue 8): both give every teacher the same figures,
    whether a school's staff and allocations come together or are shuffled among the
    other schools'."""
    pack = south_ayrshire()
    assert pack.budget is not None
    tables = tables_from_years(school_years((staff, cut, ()) for staff, cut in schools))
    order = data.draw(st.permutations(range(tables.staff.height)))
    kept = data.draw(st.permutations(range(tables.allocations.height)))
    shuffled = replace(
        tables, staff=tables.staff[list(order)], allocations=tables.allocations[list(kept)]
    )
    keys = ["school_id", "staff_id", "line"]

    def budgets(of: Tables, small: int) -> pl.DataFrame:
        with patch.object(budgets_module, "SMALL", small):
            found = teacher_budgets(pack.budget, replace(of), pack.parameters, SESSION_2025)
        return found.sort(keys)

    expected = budgets(tables, 10**9)  # the join, staff in school order
    for of in (tables, shuffled):
        for small in (0, 10**9):  # the runs, then the join
            assert budgets(of, small).equals(expected), small
