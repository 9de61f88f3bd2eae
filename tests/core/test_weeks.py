"""Week by week: the packs' own test schools and tiny hand-built years, counted per week."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, time, timedelta
from functools import cache
from itertools import pairwise
from pathlib import Path
from typing import Any

import polars as pl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.budgets import BudgetLine, BudgetSpec, teacher_budgets
from fairload.core.packs import Pack, load_bundled
from fairload.core.reference import Reference
from fairload.core.school_format import parse_school_year
from fairload.core.school_format import schema as school_year_schema
from fairload.core.school_year import Event, SchoolYear
from fairload.core.tables import tables_from_years
from fairload.core.weeks import (
    allowance_lines,
    calendar_weeks,
    counted_categories,
    heat_bands,
    heat_level,
    teacher_weeks,
    weekly_hours,
)
from fairload.core.yamlfile import load_file

from .conftest import SOUTH_AYRSHIRE, TEST_AGREEMENT, School, make_parameters, south_ayrshire

PACKS = Path(__file__).resolve().parents[2] / "src" / "fairload" / "packs"
STPCD = "england/stpcd"
CATEGORIES = school_year_schema()["$defs"]["event"]["properties"]["category"]["enum"]
# Appendix 1: in-service 30, assessment/reporting/recording 60, planning 25, staff meetings
# 40, review 3, union meetings 3, meetings with parents 30.
JNCT_COLLEGIATE_HOURS = 30 + 60 + 25 + 40 + 3 + 3 + 30


@cache
def english_year() -> SchoolYear:
    path = PACKS / "england" / "stpcd" / "tests" / "school.yaml"
    return parse_school_year(load_file(path), str(path))


def weeks_of(year: SchoolYear, pack: Pack) -> Any:
    return weekly_hours(
        pack.budget, tables_from_years([year]), pack.parameters, year.calendar.dates.start
    )


def hours_by_week(frame: pl.DataFrame) -> dict[int, float]:
    """The weeks with any hours, week number -> hours."""
    return {w: h for w, h in frame.select("week", "hours").iter_rows() if h}


def row(frame: pl.DataFrame, **where: Any) -> dict[str, Any]:
    found = frame.filter(**where)
    assert found.height == 1, found
    return found.row(0, named=True)


# --- which categories count: the pack's budget says ----------------------------------------


def test_south_ayrshire_counts_the_collegiate_headings_of_appendix_1():
    spec = south_ayrshire().budget

    assert set(counted_categories(spec)) == {
        "in-service",
        "report",
        "assessment",
        "moderation",
        "planning",
        "staff-meeting",
        "department-meeting",
        "working-group",
        "briefing",
        "review",
        "union-meeting",
        "parents-evening",
        "open-evening",
    }
    assert [line.id for line in allowance_lines(spec)] == [
        "in-service",
        "assessment-reporting-recording",
        "planning",
        "staff-meetings",
        "review",
        "union-meetings",
        "parents-meetings",
    ]


def test_the_stpcd_counts_its_directed_lines_and_the_time_not_yet_directed():
    spec = load_bundled(STPCD).budget

    assert "observation" not in counted_categories(spec)
    assert "gained-time" not in counted_categories(spec)
    assert {"in-service", "staff-meeting", "parents-evening", "mock-exam"} <= set(
        counted_categories(spec)
    )
    # calendar lines have no allowance of their own, so the contingency joins them
    assert [line.id for line in allowance_lines(spec)] == [
        "in-service",
        "meetings",
        "parents",
        "other-directed",
        "contingency",
    ]


def test_an_extending_pack_counts_what_its_parent_budget_counts():
    assert counted_categories(load_bundled("england/neu-asos-2015").budget) == counted_categories(
        load_bundled(STPCD).budget
    )


def test_without_a_budget_nothing_counts_and_there_is_no_weekly_average(school):
    year = school.year()
    hours = weekly_hours(
        None, tables_from_years([year]), south_ayrshire().parameters, date(2025, 8, 13)
    )

    assert hours.categories == ()
    assert hours.teachers["hours"].sum() == 0
    assert hours.teachers["per_week"].null_count() == hours.teachers.height
    assert not hours.teachers["over"].any()


# --- the weeks of the year ------------------------------------------------------------------


def test_every_week_of_the_south_ayrshire_year_is_there_monday_to_monday(school):
    weeks = calendar_weeks(school.tables())

    mondays = weeks["monday"].to_list()
    assert mondays[0] == date(2025, 8, 11)  # the year starts on Wednesday 13 August
    assert mondays[-1] == date(2026, 6, 22)  # and ends on Friday 26 June
    assert weeks["week"].to_list() == list(range(1, 47))
    assert all(b - a == timedelta(weeks=1) for a, b in pairwise(mondays))
    assert weeks["in_year"].all()
    # 195 working days: the 39 weeks of Appendix 1
    assert weeks["working_days"].sum() == 195
    assert weeks["inservice_days"].sum() == 5


def test_holiday_weeks_have_no_working_days_and_say_which_holiday(school):
    weeks = calendar_weeks(school.tables())

    october = row(weeks, monday=date(2025, 10, 13))
    assert october["working_days"] == 0
    assert october["closures"] == ["October break"]
    assert october["term"] == "Autumn"  # the break is inside the autumn term
    christmas = row(weeks, monday=date(2025, 12, 29))
    assert (christmas["working_days"], christmas["term"]) == (0, None)
    assert christmas["closures"] == ["Christmas"]
    # the May Day bank holiday shortens its week (the school is open on others)
    may = row(weeks, monday=date(2026, 5, 4))
    assert (may["working_days"], may["inservice_days"], may["closures"]) == (4, 1, ["May Day"])
    first = row(weeks, week=1)
    assert (first["working_days"], first["inservice_days"], first["iso_week"]) == (3, 2, 33)


# --- a teacher's weeks: the South Ayrshire test school --------------------------------------


def test_kirsty_teachers_collegiate_hours_week_by_week(school):
    hours = weeks_of(school.year(), south_ayrshire())

    kirsty = hours.teacher("test-academy", "t1")
    assert kirsty.height == 46  # every week, with or without events
    assert hours_by_week(kirsty) == {
        1: 12.0,  # two in-service days, 09:00-15:00
        4: 1.0,  # whole-school meeting, 3 September
        5: 1.0,  # maths department meeting, 10 September (she teaches maths)
        13: 2.5,  # S4 parents' evening, 6 November
        15: 1.0,  # union meeting, 17 November
        30: 1.0,  # full reports to parents, 6 March
    }


def test_an_english_teacher_does_not_have_her_colleagues_department_meeting(school):
    hours = weeks_of(school.year(), south_ayrshire())

    assert 5 not in hours_by_week(hours.teacher("test-academy", "t2"))


def test_the_year_of_weeks_adds_up_to_the_budgets_planned_hours(school):
    """The heat map and the budget table read the same calendar the same way."""
    school.add_hours("planning", 7.5)
    school.add_event("Open evening", "open-evening", "2025-11-20", "18:00", "20:00")
    pack = south_ayrshire()
    year = school.year()
    tables = tables_from_years([year])
    counted = [line.id for line in pack.budget.lines if line.categories]
    planned = (
        teacher_budgets(pack.budget, tables, pack.parameters, date(2025, 8, 13))
        .filter(pl.col("line").is_in(counted))
        .group_by("staff_id")
        .agg(pl.col("planned").sum())
    )

    weekly = weeks_of(year, pack).teachers.group_by("staff_id").agg(pl.col("hours").sum())

    joined = planned.join(weekly, on="staff_id")
    assert joined.height == len(year.staff)
    for staff_id, want, got in joined.select("staff_id", "planned", "hours").iter_rows():
        assert got == pytest.approx(want), staff_id


def test_the_weekly_average_is_appendix_1s_collegiate_headings_over_the_working_weeks(school):
    hours = weeks_of(school.year(), south_ayrshire())

    kirsty = row(hours.teacher("test-academy", "t1"), week=1)
    assert kirsty["annual_hours"] == JNCT_COLLEGIATE_HOURS == 191
    assert kirsty["per_week"] == pytest.approx(191 / 39)
    part_time = row(hours.teacher("test-academy", "pt06"), week=1)
    assert part_time["per_week"] == pytest.approx(191 * 0.6 / 39)
    assert [r.clause for r in hours.references] == [
        "Appendix 1",
        "5.1",
        "10.1",
        "7.1",
        "12.1",
        "13",
        "6.1",
    ]


def test_the_weekly_average_follows_the_schools_agreed_allocations(school):
    # ten hours of meetings moved to the balance of time, which is not calendared
    school.allocate({"staff-meetings": 30, "balance-of-time": 44})

    hours = weeks_of(school.year(), south_ayrshire())

    kirsty = row(hours.teacher("test-academy", "t1"), week=1)
    assert kirsty["annual_hours"] == 181
    assert kirsty["per_week"] == pytest.approx(181 / 39)


def test_a_week_above_the_weekly_average_is_over(school):
    hours = weeks_of(school.year(), south_ayrshire())

    kirsty = hours.teacher("test-academy", "t1")
    assert kirsty.filter(pl.col("over"))["week"].to_list() == [1]  # 12 h > 4.9 h


# --- the school's weeks ---------------------------------------------------------------------


def test_the_school_week_summarises_its_full_time_teachers(school):
    hours = weeks_of(school.year(), south_ayrshire())
    summary = hours.school("test-academy")

    assert summary.height == 46
    first = row(summary, week=1)
    # seven full-time teachers (Fiona Parttime is 0.6), all at both in-service days
    assert (first["full_time"], first["mean_hours"], first["max_hours"]) == (7, 12.0, 12.0)
    assert (first["busiest_staff_id"], first["busiest_count"], first["over"]) == ("dht6", 7, 7)
    assert first["per_week"] == pytest.approx(191 / 39)
    maths = row(summary, week=5)  # only the two maths teachers meet
    assert maths["max_hours"] == 1.0
    assert maths["mean_hours"] == pytest.approx(2 / 7)
    assert (maths["busiest_staff_id"], maths["busiest_name"], maths["busiest_count"]) == (
        "pt3",
        "Ailsa Principal",
        2,
    )
    quiet = row(summary, week=2)
    assert (quiet["max_hours"], quiet["busiest_staff_id"], quiet["over"]) == (0.0, None, 0)


def test_a_part_time_teachers_hours_do_not_make_the_school_week(school):
    school.add_event(
        "Extra planning", "planning", "2025-08-20", "15:45", "17:45", attendees=["pt06"]
    )

    summary = weeks_of(school.year(), south_ayrshire()).school("test-academy")

    assert row(summary, week=2)["max_hours"] == 0.0


# --- the English pack: directed time --------------------------------------------------------


def test_the_stpcd_weekly_average_is_1265_hours_less_the_timetable_over_the_working_weeks():
    hours = weeks_of(english_year(), load_bundled(STPCD))

    tom = hours.teacher("test-school", "t1")
    # 26 timetabled hours a week over 190 pupil days (38 weeks): 988 hours directed already
    assert row(tom, week=1)["annual_hours"] == pytest.approx(1265 - 988)
    assert row(tom, week=1)["per_week"] == pytest.approx(277 / 39)
    assert [r.clause for r in hours.references] == ["51.5"]


def test_the_stpcd_does_not_count_observations_reports_or_gained_time():
    hours = weeks_of(english_year(), load_bundled(STPCD))

    tom = hours_by_week(hours.teacher("test-school", "t1"))
    assert tom == {
        1: 14.0,  # two INSET days, 08:30-15:30
        2: 1.0,  # staff meeting
        11: 4.0,  # staff meeting and the Year 11 parents' evening
        19: 7.0,  # INSET, 5 January
        33: 7.0,  # INSET, 13 April
        47: 7.0,  # INSET, 20 July, the year's last day
    }
    # his observations (8 October, 4 March), the reports (12 June) and his gained time
    # (15 June) are not directed time under this pack
    assert not {6, 27, 41, 42} & set(tom)


# --- tiny hand-built years ------------------------------------------------------------------

TINY: dict[str, Any] = {
    "format": "fairload/school-year@1",
    "school": {
        "id": "tiny",
        "name": "Tiny Primary",
        "authority": "Test Council",
        "pack": "scotland/south-ayrshire-jnct-2.7",
        "sector": "primary",
        "nation": "scotland",
        "roll": 20,
        "pupil_day": {"start": "09:00", "end": "15:00"},
    },
    "year": {
        "label": "2025-26",
        "start": "2025-09-03",
        "end": "2025-09-30",
        "terms": [{"name": "Only term", "start": "2025-09-03", "end": "2025-09-30"}],
        "inservice_days": ["2025-09-03"],
        "closures": [{"name": "Holiday week", "start": "2025-09-15", "end": "2025-09-19"}],
    },
    "staff": [
        {"id": "a", "name": "A Teacher", "post": "teacher", "contact_hours_per_week": 22.5},
        {"id": "b", "name": "B Teacher", "post": "teacher", "contact_hours_per_week": 22.5},
    ],
    "events": [
        {
            "id": "m1",
            "title": "Staff meeting",
            "category": "staff-meeting",
            "date": "2025-09-10",
            "start": "15:15",
            "end": "16:45",
        },
        {
            "id": "x1",
            "title": "Football club",
            "category": "extra-curricular",
            "date": "2025-09-10",
            "start": "15:15",
            "end": "16:15",
        },
        {
            "id": "h1",
            "title": "Meeting in the holiday",
            "category": "working-group",
            "date": "2025-09-17",
            "start": "10:00",
            "end": "12:00",
            "attendees": ["b"],
        },
    ],
}


def tiny_year() -> SchoolYear:
    return parse_school_year(TINY, "tiny.yaml")


def test_a_tiny_year_has_its_five_weeks_and_its_holiday_week():
    weeks = calendar_weeks(tables_from_years([tiny_year()]))

    assert weeks.select("week", "monday", "working_days").rows() == [
        (1, date(2025, 9, 1), 3),
        (2, date(2025, 9, 8), 5),
        (3, date(2025, 9, 15), 0),
        (4, date(2025, 9, 22), 5),
        (5, date(2025, 9, 29), 2),
    ]
    assert row(weeks, week=3)["closures"] == ["Holiday week"]


def test_in_a_tiny_year_only_counted_categories_count_and_holiday_meetings_show():
    hours = weeks_of(tiny_year(), south_ayrshire())

    assert hours_by_week(hours.teacher("tiny", "a")) == {2: 1.5}  # not the football club
    assert hours_by_week(hours.teacher("tiny", "b")) == {2: 1.5, 3: 2.0}
    holiday = row(hours.school("tiny"), week=3)
    assert (holiday["working_days"], holiday["max_hours"], holiday["busiest_name"]) == (
        0,
        2.0,
        "B Teacher",
    )
    # 15 working days are 3 working weeks: 191 hours / 3 = 63.7 h a week, so nothing is over
    assert row(hours.teacher("tiny", "a"), week=2)["per_week"] == pytest.approx(191 / 3)
    assert not hours.teachers["over"].any()


def test_an_event_outside_the_year_gets_a_week_of_its_own_and_keeps_its_hours():
    year = tiny_year()
    stray = Event(
        "late",
        "Late meeting",
        "staff-meeting",
        date(2025, 10, 8),
        time(15, 15),
        time(16, 15),
        attendees=("a",),
    )
    year = replace(year, events=(*year.events, stray))

    hours = weeks_of(year, south_ayrshire())

    late = row(hours.school("tiny"), week=6)
    assert (late["monday"], late["in_year"], late["working_days"]) == (date(2025, 10, 6), False, 0)
    assert hours_by_week(hours.teacher("tiny", "a")) == {2: 1.5, 6: 1.0}


def test_two_schools_in_one_table_keep_their_own_weeks():
    tables = tables_from_years([tiny_year(), School().year()])

    weeks = teacher_weeks(tables, counted_categories(south_ayrshire().budget))

    assert weeks.filter(pl.col("school_id") == "tiny")["week"].max() == 5
    assert weeks.filter(pl.col("school_id") == "test-academy")["week"].max() == 46
    tiny_staff = set(weeks.filter(pl.col("school_id") == "tiny")["staff_id"])
    assert tiny_staff == {"a", "b"}


def test_an_observers_part_in_an_observation_is_not_counted_but_the_observed_teachers_is():
    spec = BudgetSpec(
        "Observations",
        "total",
        Reference(TEST_AGREEMENT, "2.1"),
        (BudgetLine("observed", "Observations", teacher="calendar", categories=("observation",)),),
    )
    year = tiny_year()
    watched = Event(
        "o1",
        "Observation",
        "observation",
        date(2025, 9, 24),
        time(10, 0),
        time(11, 0),
        observer="a",
        observed="b",
    )
    year = replace(year, events=(watched,))

    hours = weekly_hours(
        spec, tables_from_years([year]), make_parameters(total=100), date(2025, 9, 3)
    )

    assert hours_by_week(hours.teacher("tiny", "a")) == {}
    assert hours_by_week(hours.teacher("tiny", "b")) == {4: 1.0}
    assert [r.clause for r in hours.references] == ["2.1"]  # the line has none: the budget's


# --- heat levels ----------------------------------------------------------------------------


def test_heat_levels_are_bands_of_the_weekly_average():
    bands = heat_bands(4.0, peak=30.0)

    assert bands == (2.0, 4.0, 6.0, 8.0)
    assert [heat_level(h, bands) for h in (0, 0.5, 2, 2.5, 4, 4.01, 6, 8, 8.5, 30)] == [
        0,
        1,
        1,
        2,
        2,
        3,
        3,
        4,
        5,
        5,
    ]


def test_without_a_weekly_average_heat_levels_are_fifths_of_the_busiest_week():
    bands = heat_bands(None, peak=10.0)

    assert bands == (2.0, 4.0, 6.0, 8.0)
    assert heat_level(10.0, bands) == 5
    assert heat_bands(0.0, peak=0.0) == (0.2, 0.4, 0.6, 0.8)


# --- the property: the weeks add up to the year ---------------------------------------------

STAFF = ("a", "b")


@st.composite
def generated_events(draw: st.DrawFn) -> list[Event]:
    events = []
    for n in range(draw(st.integers(0, 12))):
        start = draw(st.integers(7 * 4, 20 * 4))
        end = draw(st.integers(start + 1, 23 * 4 + 3))
        role = draw(st.sampled_from(["attendees", "observation"]))
        observer, observed = draw(st.permutations(STAFF)) if role == "observation" else (None, None)
        events.append(
            Event(
                id=f"g{n}",
                title="Generated event",
                category=draw(st.sampled_from(CATEGORIES)),
                # a few days either side of the year too: no hour may be lost
                date=draw(st.dates(date(2025, 8, 25), date(2025, 10, 12))),
                start=time(start // 4, start % 4 * 15),
                end=time(end // 4, end % 4 * 15),
                attendees=tuple(draw(st.lists(st.sampled_from(STAFF), unique=True))),
                observer=observer,
                observed=observed,
            )
        )
    return events


def attended_hours(year: SchoolYear, staff_id: str, categories: tuple[str, ...]) -> float:
    """Straight from the school-year objects: every counted event the teacher takes part in,
    other than as an observer."""
    total = 0.0
    for event in year.events:
        takes_part = staff_id in event.attendees or event.observed == staff_id
        if takes_part and event.observer != staff_id and event.category in categories:
            total += event.hours
    return total


@pytest.mark.slow  # examples: the Hypothesis profile's (tests/conftest.py)
@given(events=generated_events(), pack_id=st.sampled_from([SOUTH_AYRSHIRE, STPCD]))
def test_the_weeks_of_a_year_add_up_to_every_counted_hour_a_teacher_attends(events, pack_id):
    pack = load_bundled(pack_id)
    year = replace(tiny_year(), events=tuple(events))

    hours = weeks_of(year, pack)

    for staff_id in STAFF:
        weekly = hours.teacher("tiny", staff_id)
        assert weekly["hours"].sum() == pytest.approx(
            attended_hours(year, staff_id, counted_categories(pack.budget))
        )
        assert weekly["week"].n_unique() == weekly.height  # each week once
        assert (weekly["hours"] >= 0).all()
