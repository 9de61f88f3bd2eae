"""Working-time budgets: the school's year (Appendix 1) and each teacher's own.

A pack declares its budget as lines, each an expression over parameters with its
clause. How a line becomes a teacher's hours is one of:

- ``allocation``: the school's agreed hours for the heading (or the default), × FTE;
  with a ``column``, a teacher whose column is set gets that many hours a week × the
  line's weeks instead (their own personal time, already their pro rata share);
- ``weekly``: a staff column (hours a week) × a number of weeks;
- ``calendar``: whatever the teacher's calendar events in its categories add to;
- ``remainder``: what is left of the total (or of another line's hours) after the
  other lines, e.g. the balance of time.

Lines with ``categories`` also show the hours planned against them in the calendar.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import polars as pl

from fairload.core.calendar import DAYS_PER_WORKING_WEEK
from fairload.core.expressions import Expression, evaluate
from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.reference import Reference
from fairload.core.tables import ENGINE, Tables, engine_for


@dataclass(frozen=True, slots=True)
class BudgetLine:
    id: str
    label: str
    teacher: str = "allocation"
    hours: Expression | None = None
    reference: Reference | None = None
    categories: tuple[str, ...] = ()
    column: str | None = None
    weeks: Expression | None = None
    per_pupil_week: bool = False
    of: tuple[str, ...] = ()
    school: bool = True
    returns_unused_to: str | None = None


@dataclass(frozen=True, slots=True)
class BudgetSpec:
    title: str
    total: Expression
    reference: Reference
    lines: tuple[BudgetLine, ...]
    #: whom the budget binds, a ``where`` over staff (England's 1265 hours bind teachers
    #: other than the leadership spine); None binds everyone
    staff: Mapping[str, Any] | None = None

    def line(self, line_id: str) -> BudgetLine:
        return next(line for line in self.lines if line.id == line_id)


@dataclass(frozen=True, slots=True)
class SchoolBudgetLine:
    id: str
    label: str
    default_hours: float | None
    hours: float | None
    planned_hours: float | None
    reference: Reference | None

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "hours": _round(self.hours),
            "default_hours": _round(self.default_hours),
            "planned_hours": _round(self.planned_hours),
        }
        if self.reference:
            data["clause"] = self.reference.clause
        return data


@dataclass(frozen=True, slots=True)
class SchoolBudget:
    """The school's budget per full-time teacher: what each heading allows and what is planned."""

    school_id: str
    title: str
    total: float
    lines: tuple[SchoolBudgetLine, ...]
    reference: Reference
    parameters: tuple[ResolvedParameter, ...] = field(default=())

    @property
    def lines_total(self) -> float:
        return sum(line.hours or 0.0 for line in self.lines)

    def as_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "total": _round(self.total),
            "lines_total": _round(self.lines_total),
            "clause": self.reference.clause,
            "categories": [line.as_dict() for line in self.lines],
        }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _default_hours(spec: BudgetSpec, parameters: ParameterSet, at: date) -> dict[str, float]:
    return {
        line.id: evaluate(line.hours, parameters, at)[0]
        for line in spec.lines
        if line.hours is not None
    }


def _planned_by_line(spec: BudgetSpec, tables: Tables) -> pl.LazyFrame:
    """Hours each teacher's calendar puts against each line: school, staff, line, planned."""
    mapping = [(c, line.id) for line in spec.lines for c in line.categories]
    schema = {
        "school_id": pl.String,
        "staff_id": pl.String,
        "line": pl.String,
        "planned": pl.Float64,
    }
    if not mapping:
        return pl.LazyFrame(schema=schema)
    category_line = pl.DataFrame(mapping, schema=["category", "line"], orient="row").lazy()
    # Only the five columns needed: for a country the attendance frame has millions of rows.
    return (
        tables.attended_events("category", "hours")
        .lazy()
        .select("school_id", "staff_id", "role", "category", "hours")
        .filter(pl.col("role") != "observer")
        .join(category_line, on="category", how="inner")
        .group_by("school_id", "staff_id", "line")
        .agg(planned=pl.col("hours").sum())
    )


def _wide(
    frame: pl.LazyFrame, on: str, names: list[str], index: list[str], values: str, prefix: str
) -> pl.LazyFrame:
    """One column per line (``prefix`` + line id, null where the frame has no row for
    it), so each joins the staff frame once; lazy, so the budget is one plan."""
    prefixed = (pl.lit(prefix) + pl.col(on)).alias(on)
    return frame.with_columns(prefixed).pivot(
        on=on, on_columns=[prefix + name for name in names], index=index, values=values
    )


def _weeks(line: BudgetLine, parameters: ParameterSet, at: date) -> float:
    return evaluate(line.weeks, parameters, at)[0] if line.weeks else 0.0


def bound_staff(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """The staff the budget binds: its totals, headroom and checks count only them."""
    if not spec.staff:
        return tables.staff
    # rules imports this module for its budgets; its `where` language is needed here.
    from fairload.core.rules import Context, condition

    bound, _ = condition(spec.staff, Context(tables, parameters, at))
    return tables.staff.filter(bound)


def teacher_budgets(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """Every teacher's budget in long form: school_id, staff_id, name, fte, line, hours, planned.

    ``hours`` is what the line gives the teacher; ``planned`` what the calendar commits
    against it (equal to ``hours`` for timetable lines). A remainder line's ``hours`` can
    come out negative: that is an over-committed teacher, which the reconcile rule reports.
    """
    total = evaluate(spec.total, parameters, at)[0]
    defaults = _default_hours(spec, parameters, at)
    allocation = [line.id for line in spec.lines if line.teacher == "allocation"]
    calendar = [line.id for line in spec.lines if line.categories]
    weekly_columns = sorted({line.column for line in spec.lines if line.column})
    agreed = _wide(
        tables.allocations.lazy().filter(pl.col("heading").is_in(allocation)),
        "heading",
        allocation,
        ["school_id"],
        "hours",
        "agreed::",
    )
    # One lazy plan for the wide frame, collected once: for one school the fixed cost of
    # each eager step, not the data, was the time. The schools' columns and agreed
    # hours are put together first (a row a school), so the staff are joined once.
    schools = (
        tables.schools.lazy()
        .select("school_id", "pupil_days")
        .join(agreed, on="school_id", how="full", coalesce=True)
    )
    staff = (
        bound_staff(spec, tables, parameters, at)
        .lazy()
        .select("school_id", "staff_id", "name", "fte", *weekly_columns)
        .join(schools, on="school_id", how="left", maintain_order="left")
    )
    if calendar and not tables.attendance.is_empty():
        planned = _wide(
            _planned_by_line(spec, tables),
            "line",
            calendar,
            ["school_id", "staff_id"],
            "planned",
            "planned::",
        )
        if engine_for(tables.attendance.height) != ENGINE:  # a country: its own engine
            planned = planned.collect(engine=engine_for(tables.attendance.height)).lazy()
        staff = staff.join(planned, on=["school_id", "staff_id"], how="left", maintain_order="left")
        nothing_planned = [pl.col(f"planned::{i}").fill_null(0.0) for i in calendar]
    else:  # no attendance: nothing planned against any line (and no join for it)
        nothing_planned = [pl.lit(0.0, dtype=pl.Float64).alias(f"planned::{i}") for i in calendar]
    # Agreed hours: the school's allocation for the heading if it made one, else the default.
    staff = staff.with_columns(
        *[pl.col(f"agreed::{i}").fill_null(defaults.get(i, 0.0)) for i in allocation],
        *nothing_planned,
    )
    columns: dict[str, pl.Expr] = {}
    for line in spec.lines:
        if line.teacher == "weekly":
            weeks = (
                pl.col("pupil_days") / DAYS_PER_WORKING_WEEK
                if line.per_pupil_week
                else pl.lit(_weeks(line, parameters, at))
            )
            columns[line.id] = pl.col(line.column or "").fill_null(0.0) * weeks
        elif line.teacher == "allocation":
            share = pl.col(f"agreed::{line.id}") * pl.col("fte")
            if line.column:
                own = pl.col(line.column) * pl.lit(_weeks(line, parameters, at))
                share = pl.when(pl.col(line.column).is_not_null()).then(own).otherwise(share)
            columns[line.id] = share
        elif line.teacher == "calendar":
            columns[line.id] = pl.col(f"planned::{line.id}")
    staff = staff.with_columns(**columns)
    for line in spec.lines:
        if line.teacher != "remainder":
            continue
        if line.of:
            base = pl.lit(defaults[line.id]) * pl.col("fte")
            others = [pl.col(o) for o in line.of]
        else:
            base = pl.lit(total) * pl.col("fte")
            others = [pl.col(o.id) for o in spec.lines if o.teacher != "remainder"]
            others += [pl.col(o.id) for o in spec.lines if o.teacher == "remainder" and o.of]
        staff = staff.with_columns(pl.sum_horizontal(base, *[-o for o in others]).alias(line.id))
    # Hours are sums of minutes/60 and periods x 50/60: round away float dust (-1e-13),
    # here on the wide frame (a teacher a row) rather than on the long one (a line a row).
    line_ids = [line.id for line in spec.lines]
    # Planned: the calendar's hours for calendar lines, the hours themselves for timetable
    # and allocation lines without categories, nothing for a remainder.
    planned_columns = [
        (
            pl.lit(None, dtype=pl.Float64)
            if line.teacher == "remainder"
            else pl.col(f"planned::{line.id}" if line.categories else line.id)
        )
        .cast(pl.Float64)
        .round(9)
        .alias(f"long::{line.id}")
        for line in spec.lines
    ]
    staff = staff.with_columns(planned_columns).with_columns(
        *[pl.col(i).cast(pl.Float64).round(9) for i in line_ids],
        total=pl.lit(total) * pl.col("fte"),
    )
    wide = staff.collect(engine=ENGINE)
    # Long form, line by line with the teachers in staff order (the order is part of the
    # output), made by stacking the wide frame's columns: their chunks are appended, not
    # copied, and nothing is computed or joined on (school, staff, line). For a country
    # the unpivots and the join they replaced were most of the budget's time; for one
    # school each was a Polars step whose fixed cost was more than its data.
    rows = wide.height

    def stacked(name: str, columns: list[str]) -> pl.Series:
        return pl.concat([wide[c] for c in columns], rechunk=False).alias(name)

    index = [stacked(c, [c] * len(line_ids)) for c in ("school_id", "staff_id", "name", "fte")]
    lines = pl.concat(
        [pl.Series("line", [i], dtype=pl.String).new_from_index(0, rows) for i in line_ids],
        rechunk=False,
    )
    return pl.DataFrame(
        [
            *index,
            lines,
            stacked("hours", line_ids),
            stacked("planned", [f"long::{i}" for i in line_ids]),
            stacked("total", ["total"] * len(line_ids)),
        ]
    )


def _figure(hours: pl.Expr) -> pl.Expr:
    """Hours as prose writes them: 10, 4.5 (no "10.0")."""
    return hours.round(2).cast(pl.String).str.replace(r"\.0$", "")


def returned_hours(spec: BudgetSpec, budgets: pl.DataFrame, groups: pl.DataFrame) -> pl.DataFrame:
    """Appendix 2's "additional balance of time from meetings": the hours the agreement
    allocates to committees or working groups a teacher is not a member of, gained by
    the line the meetings line returns to. One row a teacher and receiving line:
    school_id, staff_id, line, returned, and ``working`` (each group and its hours).

    Meetings not yet in the calendar are not gained: only non-participation in a group
    the agreement allocates time to is (the pro-forma's footnote).
    """
    receiving = sorted({line.returns_unused_to for line in spec.lines if line.returns_unused_to})
    keys = ["school_id", "staff_id"]
    teachers = budgets.select(keys).unique(maintain_order=True)
    if not receiving:
        return teachers.head(0).with_columns(
            line=pl.lit(""), returned=pl.lit(0.0), working=pl.lit("")
        )
    not_joined = (
        teachers.join(groups, on="school_id", how="inner")
        .filter(~pl.col("members").list.contains(pl.col("staff_id")))
        .sort("school_id", "staff_id", "group_id")
        .group_by(keys, maintain_order=True)
        .agg(
            returned=pl.col("hours").sum(),
            working=pl.format("{} ({} h)", pl.col("title"), _figure(pl.col("hours"))).str.join(
                ", "
            ),
        )
    )
    gained = teachers.join(not_joined, on=keys, how="left", maintain_order="left").with_columns(
        returned=pl.col("returned").fill_null(0.0), working=pl.col("working").fill_null("")
    )
    lines = pl.DataFrame({"line": receiving})
    return gained.join(lines, how="cross").select(*keys, "line", "returned", "working")


def school_budget(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date, school_id: str
) -> SchoolBudget:
    """One school's budget for a full-time teacher: default, agreed and planned hours a line.

    Lines without a default (calendar or timetable lines) show the most any full-time
    teacher has; so does ``planned_hours``, which makes the school view err towards the
    busiest colleague rather than the average one.
    """
    total, used = evaluate(spec.total, parameters, at)
    defaults = _default_hours(spec, parameters, at)
    agreed = {
        row["heading"]: row["hours"]
        for row in tables.allocations.filter(pl.col("school_id") == school_id).iter_rows(named=True)
    }
    teachers = teacher_budgets(spec, tables, parameters, at).filter(
        (pl.col("school_id") == school_id) & (pl.col("fte") >= 1.0)
    )
    busiest = teachers.group_by("line").agg(pl.col("hours").max(), pl.col("planned").max())
    most_hours = {row["line"]: row["hours"] for row in busiest.iter_rows(named=True)}
    most_planned = {row["line"]: row["planned"] for row in busiest.iter_rows(named=True)}
    hours_by_line: dict[str, float | None] = {}
    for line in spec.lines:
        default = defaults.get(line.id)
        if line.teacher == "allocation" or line.teacher == "remainder":
            hours_by_line[line.id] = agreed.get(line.id, default)
        elif default is not None:
            hours_by_line[line.id] = default
        else:
            hours_by_line[line.id] = most_hours.get(line.id, 0.0)
    for line in spec.lines:
        if line.teacher == "remainder" and hours_by_line[line.id] is None:
            hours_by_line[line.id] = total - sum(
                hours_by_line[o.id] or 0.0 for o in spec.lines if o.school and o.id != line.id
            )
    lines = tuple(
        SchoolBudgetLine(
            id=line.id,
            label=line.label,
            default_hours=defaults.get(line.id),
            hours=hours_by_line[line.id],
            planned_hours=most_planned.get(line.id) if line.categories else None,
            reference=line.reference,
        )
        for line in spec.lines
        if line.school
    )
    return SchoolBudget(school_id, spec.title, total, lines, spec.reference, tuple(used))
