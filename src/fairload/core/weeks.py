"""Week by week: each teacher's directed or collegiate hours in every week of the school year.

Which events count is the pack's, not this module's: a category counts when a line of the
pack's budget takes it (South Ayrshire's collegiate headings: in-service days, meetings,
parents' evenings, planning, …; the STPCD's directed-time lines). A teacher's hours in a
week are those of the events of counted categories they attend (an observer's part in an
observation is not theirs, as in the budget), so summed over the year they are the
calendar's planned hours against those lines.

Weeks are the school year's own: Monday to Sunday, numbered from 1 for the week the year
starts in (``SchoolPeriod.week_of``, the events frame's ``week``), every week of the year
whether or not it has events, with its working days, in-service days, term and the
holidays and closures that fall in it. An event outside the year (possible only for
frames built without the school-format's validation) gets a week of its own, marked as
outside the year, so no hour is lost.

The weekly average is what the pack allows those lines in a year, spread evenly over the
year's working weeks (working days / 5): for South Ayrshire, the agreed hours of the
collegiate headings; where some counted lines are only "whatever the calendar plans"
(the STPCD), those lines together with the time not yet directed, i.e. the year's total
less the timetable. Heat-map levels are bands of that average.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import polars as pl

from fairload.core.budgets import BudgetLine, BudgetSpec, teacher_budgets
from fairload.core.calendar import DAYS_PER_WORKING_WEEK, monday_of, school_period
from fairload.core.parameters import ParameterSet
from fairload.core.reference import Reference
from fairload.core.school_year import SchoolYear
from fairload.core.tables import Tables

WEEK_SCHEMA: dict[str, pl.DataType | type[pl.DataType]] = {
    "school_id": pl.String,
    "week": pl.Int64,
    "monday": pl.Date,
    "iso_year": pl.Int64,
    "iso_week": pl.Int64,
    "working_days": pl.Int64,
    "inservice_days": pl.Int64,
    "term": pl.String,
    "closures": pl.List(pl.String),
    "in_year": pl.Boolean,
}

#: Heat-map levels above "no hours": 1 … HEAT_LEVELS.
HEAT_LEVELS = 5
#: Upper bounds of levels 1-4 as multiples of the weekly average (level 5 is above 2×).
HEAT_BAND_FACTORS = (0.5, 1.0, 1.5, 2.0)

#: Hours are sums of minutes/60: compare them with this much slack.
_EPSILON = 1e-9


def counted_categories(spec: BudgetSpec | None) -> tuple[str, ...]:
    """The event categories the pack's budget counts against a heading, in the budget's order."""
    if spec is None:
        return ()
    seen: dict[str, None] = {}
    for line in spec.lines:
        for category in line.categories:
            seen.setdefault(category, None)
    return tuple(seen)


def allowance_lines(spec: BudgetSpec | None) -> tuple[BudgetLine, ...]:
    """The budget lines whose hours the counted categories may use in a year.

    The lines that take categories; and when one of them has no allowance of its own (a
    ``calendar`` line: "whatever the calendar directs"), also the plain remainder lines
    (the total's time not yet directed), since that is where such hours come from.
    """
    if spec is None:
        return ()
    counted = [line for line in spec.lines if line.categories]
    if any(line.teacher == "calendar" for line in counted):
        counted += [line for line in spec.lines if line.teacher == "remainder" and not line.of]
    return tuple(counted)


def _year_weeks(year: SchoolYear) -> list[dict[str, object]]:
    calendar = year.calendar
    period = school_period(calendar, year.school.nation)
    working = set(period.working_days)
    inservice = set(calendar.inservice_days)
    bank = dict(period.bank_holidays_in_term)
    first_monday = monday_of(calendar.dates.start)
    rows: list[dict[str, object]] = []
    for number in range(1, period.week_of(calendar.dates.end) + 1):
        monday = first_monday + timedelta(weeks=number - 1)
        weekdays = [monday + timedelta(days=n) for n in range(DAYS_PER_WORKING_WEEK)]
        in_dates = [day for day in weekdays if day in calendar.dates]
        term = next(
            (t.name for t in calendar.terms if any(day in t.dates for day in weekdays)), None
        )
        closures = [c.name for c in calendar.closures if any(day in c.dates for day in in_dates)]
        closures += [bank[day] for day in in_dates if day in bank]
        iso = monday.isocalendar()
        rows.append(
            {
                "school_id": year.school.id,
                "week": number,
                "monday": monday,
                "iso_year": iso.year,
                "iso_week": iso.week,
                "working_days": sum(day in working for day in weekdays),
                "inservice_days": sum(day in inservice for day in weekdays),
                "term": term,
                "closures": list(dict.fromkeys(closures)),
                "in_year": True,
            }
        )
    return rows


def calendar_weeks(tables: Tables) -> pl.DataFrame:
    """Every week of every school's year (see the module docstring), one row a week:
    school_id, week, monday, iso_year, iso_week, working_days, inservice_days, term,
    closures (names of holidays and closures on its weekdays), in_year.

    A week with no working days is a holiday week. Weeks with events outside the year are
    added with ``in_year`` false; a school without a school-year object (frames built
    directly) has only those.
    """
    rows = [row for year in tables.years.values() for row in _year_weeks(year)]
    weeks = pl.DataFrame(rows, schema=WEEK_SCHEMA, orient="row")
    outside = (
        tables.events.select("school_id", "week", "date")
        .join(weeks.select("school_id", "week"), on=["school_id", "week"], how="anti")
        .group_by("school_id", "week")
        .agg(monday=pl.col("date").min().dt.truncate("1w"))
        .with_columns(
            iso_year=pl.col("monday").dt.iso_year().cast(pl.Int64),
            iso_week=pl.col("monday").dt.week().cast(pl.Int64),
            working_days=pl.lit(0, dtype=pl.Int64),
            inservice_days=pl.lit(0, dtype=pl.Int64),
            term=pl.lit(None, dtype=pl.String),
            closures=pl.lit([], dtype=pl.List(pl.String)),
            in_year=pl.lit(False),
        )
        .select(list(WEEK_SCHEMA))
    )
    return pl.concat([weeks, outside.cast(WEEK_SCHEMA)]).sort("school_id", "week")  # type: ignore[arg-type]


def counted_attendance(tables: Tables, categories: tuple[str, ...]) -> pl.DataFrame:
    """One row per teacher per counted event they take part in (not as observer):
    school_id, staff_id, event_id, week, date, category, hours."""
    return (
        tables.attended_events(
            "week", "date", "category", "hours", where=pl.col("category").is_in(list(categories))
        )
        .filter(pl.col("role") != "observer")
        .select("school_id", "staff_id", "event_id", "week", "date", "category", "hours")
    )


def teacher_weeks(tables: Tables, categories: tuple[str, ...]) -> pl.DataFrame:
    """Every teacher's counted hours in every week, zero where they have none:
    the columns of ``calendar_weeks`` and staff_id, name, fte, hours, events."""
    weeks = calendar_weeks(tables)
    staff = tables.staff.select("school_id", "staff_id", "name", "fte")
    hours = (
        counted_attendance(tables, categories)
        .group_by("school_id", "staff_id", "week")
        .agg(hours=pl.col("hours").sum(), events=pl.len().cast(pl.Int64))
    )
    return (
        staff.join(weeks, on="school_id", how="inner")
        .join(hours, on=["school_id", "staff_id", "week"], how="left")
        .with_columns(pl.col("hours").fill_null(0.0), pl.col("events").fill_null(0))
        .sort("school_id", "staff_id", "week")
    )


def weekly_allowance(
    spec: BudgetSpec | None, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """Each teacher's weekly average: school_id, staff_id, annual_hours, working_weeks,
    per_week (null without a budget or without working weeks). Pro rata, since the
    budget's lines are; a negative remainder (an over-committed teacher) allows nothing."""
    lines = allowance_lines(spec)
    staff = tables.staff.select("school_id", "staff_id").join(
        tables.schools.select("school_id", "working_weeks"), on="school_id", how="left"
    )
    if spec is None or not lines:
        return staff.with_columns(
            annual_hours=pl.lit(None, dtype=pl.Float64), per_week=pl.lit(None, dtype=pl.Float64)
        ).select("school_id", "staff_id", "annual_hours", "working_weeks", "per_week")
    annual = (
        teacher_budgets(spec, tables, parameters, at)
        .filter(pl.col("line").is_in([line.id for line in lines]))
        .group_by("school_id", "staff_id")
        .agg(annual_hours=pl.col("hours").sum().round(9))
    )
    return (
        staff.join(annual, on=["school_id", "staff_id"], how="left")
        .with_columns(
            per_week=pl.when(pl.col("working_weeks") > 0)
            .then(pl.col("annual_hours").clip(lower_bound=0.0) / pl.col("working_weeks"))
            .otherwise(None)
        )
        .select("school_id", "staff_id", "annual_hours", "working_weeks", "per_week")
    )


@dataclass(frozen=True)
class WeeklyHours:
    """The year week by week, for every school and teacher of the tables.

    ``teachers``: the columns of ``teacher_weeks`` and annual_hours, per_week and over
    (more hours that week than the teacher's weekly average).
    ``schools``: per school and week, over its full-time teachers (FTE 1): full_time,
    mean_hours, max_hours, busiest_staff_id and busiest_name (the first by staff id of
    those with the most hours, none when nobody has any), busiest_count (how many share
    the most), per_week (the full-time teachers' mean weekly average) and over (how many
    full-time teachers are above their own weekly average).
    """

    categories: tuple[str, ...]
    lines: tuple[BudgetLine, ...]
    reference: Reference | None
    weeks: pl.DataFrame
    teachers: pl.DataFrame
    schools: pl.DataFrame

    @property
    def references(self) -> tuple[Reference, ...]:
        """The clauses behind the weekly average: each line's own, else the budget's."""
        found: dict[tuple[str, str], Reference] = {}
        for line in self.lines:
            reference = line.reference or self.reference
            if reference is not None:
                found.setdefault((reference.document.id, reference.clause), reference)
        return tuple(found.values())

    def school(self, school_id: str) -> pl.DataFrame:
        return self.schools.filter(pl.col("school_id") == school_id)

    def teacher(self, school_id: str, staff_id: str) -> pl.DataFrame:
        return self.teachers.filter(
            (pl.col("school_id") == school_id) & (pl.col("staff_id") == staff_id)
        )


def _school_summary(teachers: pl.DataFrame, weeks: pl.DataFrame) -> pl.DataFrame:
    full_time = teachers.filter(pl.col("fte") >= 1.0)
    busiest = (
        full_time.filter(pl.col("hours") > _EPSILON)
        .sort("school_id", "week", "hours", "staff_id", descending=[False, False, True, False])
        .group_by("school_id", "week", maintain_order=True)
        .agg(
            busiest_staff_id=pl.col("staff_id").first(),
            busiest_name=pl.col("name").first(),
            busiest_count=(pl.col("hours") >= pl.col("hours").max() - _EPSILON).sum(),
        )
    )
    summary = full_time.group_by("school_id", "week").agg(
        full_time=pl.len().cast(pl.Int64),
        mean_hours=pl.col("hours").mean(),
        max_hours=pl.col("hours").max(),
        per_week=pl.col("per_week").mean(),
        over=pl.col("over").sum().cast(pl.Int64),
    )
    return (
        weeks.join(summary, on=["school_id", "week"], how="left")
        .join(busiest, on=["school_id", "week"], how="left")
        .with_columns(
            pl.col("full_time").fill_null(0),
            pl.col("over").fill_null(0),
            pl.col("busiest_count").fill_null(0).cast(pl.Int64),
        )
        .sort("school_id", "week")
    )


def weekly_hours(
    spec: BudgetSpec | None, tables: Tables, parameters: ParameterSet, at: date
) -> WeeklyHours:
    """Teachers' and schools' counted hours week by week, with the pack's weekly average
    (parameters read at ``at``, normally the first day of the year)."""
    categories = counted_categories(spec)
    weeks = calendar_weeks(tables)
    allowance = weekly_allowance(spec, tables, parameters, at)
    teachers = (
        teacher_weeks(tables, categories)
        .join(
            allowance.select("school_id", "staff_id", "annual_hours", "per_week"),
            on=["school_id", "staff_id"],
            how="left",
        )
        .with_columns(
            over=pl.col("per_week").is_not_null()
            & (pl.col("hours") > pl.col("per_week") + _EPSILON)
        )
    )
    return WeeklyHours(
        categories=categories,
        lines=allowance_lines(spec),
        reference=spec.reference if spec else None,
        weeks=weeks,
        teachers=teachers,
        schools=_school_summary(teachers, weeks),
    )


def heat_bands(per_week: float | None, peak: float) -> tuple[float, ...]:
    """Upper bounds of heat levels 1-4 (level 5 is above the last): halves of the weekly
    average up to twice it; without an average, fifths of the busiest week."""
    if per_week is not None and per_week > 0:
        return tuple(per_week * factor for factor in HEAT_BAND_FACTORS)
    top = peak if peak > 0 else 1.0
    return tuple(top * n / HEAT_LEVELS for n in range(1, HEAT_LEVELS))


def heat_level(hours: float, bands: tuple[float, ...]) -> int:
    """0 for no hours, else 1 + the number of band bounds the hours are above."""
    if hours <= _EPSILON:
        return 0
    return 1 + sum(hours > bound + _EPSILON for bound in bands)
