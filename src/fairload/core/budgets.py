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

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from typing import Any

import polars as pl

from fairload.core.calendar import DAYS_PER_WORKING_WEEK
from fairload.core.expressions import Expression, evaluate
from fairload.core.keep import kept
from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.reference import Reference
from fairload.core.tables import ENGINE, PLAIN, Keys, Tables, engine_for

#: Fewer staff than this are one school or a few: see :func:`_with_school_columns`.
SMALL = 2_000


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


def _planned_by_line(spec: BudgetSpec, tables: Tables, keys: list[str]) -> pl.LazyFrame:
    """Hours each teacher's calendar puts against each calendar line: ``keys`` (the
    teacher's) and ``planned::`` + line, a row a teacher who attends anything (one
    grouping, a sum a line of its categories' hours: no join of categories to lines and
    no pivot, which for one school took longer than the rest of the budget)."""
    # Only the five columns needed: for a country the attendance frame has millions of rows.
    return (
        tables.attended_events("category", "hours")
        .lazy()
        .select("school_id", "staff_id", "role", "category", "hours")
        .filter(pl.col("role") != "observer")
        .group_by(keys)
        .agg(kept((spec,), "planned-by-line", lambda: _planned_sums(spec)))
    )


def _planned_figures(spec: BudgetSpec) -> dict[str, pl.Expr]:
    """An event's hours a calendar line: its hours where its category is the line's."""
    return {
        f"planned::{line.id}": pl.when(pl.col("category").is_in(line.categories))
        .then(pl.col("hours"))
        .otherwise(0.0)
        for line in spec.lines
        if line.categories
    }


def _planned_sums(spec: BudgetSpec) -> list[pl.Expr]:
    """A calendar line's planned hours: its categories' hours summed (built once a spec:
    each list of categories is a Series to make)."""
    return [
        pl.col("hours")
        .filter(pl.col("category").is_in(line.categories))
        .sum()
        .alias(f"planned::{line.id}")
        for line in spec.lines
        if line.categories
    ]


def _weeks(line: BudgetLine, parameters: ParameterSet, at: date) -> float:
    return evaluate(line.weeks, parameters, at)[0] if line.weeks else 0.0


def bound_staff(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """The staff the budget binds: its totals, headroom and checks count only them."""
    return _bound(spec, tables, parameters, at)[0]


def _bound(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> tuple[pl.DataFrame, pl.Series | None]:
    """:func:`bound_staff`, and which staff rows they are (None: every one)."""
    if not spec.staff:
        return tables.staff, None
    # rules imports this module for its budgets; its `where` language is needed here.
    from fairload.core.rules import Context, condition

    bound, _ = condition(spec.staff, Context(tables, parameters, at))
    chosen = tables.staff.with_columns(bound.alias("_bound"))["_bound"].fill_null(False)
    return tables.staff.filter(chosen), chosen


def _runs(keys: pl.Series) -> tuple[pl.Series, pl.Series]:
    """Each row's place in a list of the distinct keys, and that list (in order of first
    appearance). The rows of a school come together, so the keys are found a run of
    consecutive equal keys at a time, comparing neighbours rather than hashing every
    row's text key; in any other order they are as right, only longer."""
    run = keys.rle_id()
    firsts = keys.filter(run.ne_missing(run.shift(1)))
    if firsts.n_unique() == firsts.len():  # a run a key: the run is the place
        return run, firsts
    distinct = firsts.unique(maintain_order=True)
    return _places(firsts, distinct).gather(run), distinct


def _places(keys: pl.Series, among: pl.Series) -> pl.Series:
    """Each key's place in ``among`` (distinct keys), null where it is not there."""
    return (
        pl.DataFrame({"key": keys})
        .join(
            pl.DataFrame({"key": among}).with_row_index("place"),
            on="key",
            how="left",
            maintain_order="left",
        )
        .get_column("place")
    )


def _agreed_by_school(
    allocations: pl.DataFrame, schools: pl.Series, defaults: Mapping[str, float]
) -> list[pl.Series]:
    """Each heading's agreed hours for each school of ``schools`` (distinct), its
    default where the school made no allocation for it, a Series a heading of
    ``defaults``: the allocations' schools are matched to ``schools`` a run at a time
    and their hours scattered into place, where a pivot and a join on text keys took
    several times as long."""
    headings = list(defaults)
    width = len(headings)
    if not width:
        return []
    place, keys = _runs(allocations["school_id"])
    if not keys.equals(schools):  # else the allocations' schools are the staff's, in order
        place = _places(keys, schools).gather(place)
    # A heading's place among the headings (null for no line's): an enum's codes.
    heading = allocations["heading"].cast(pl.Enum(headings), strict=False).to_physical()
    position = place * width + heading
    chosen = position.is_not_null()
    flat = pl.repeat(None, schools.len() * width, dtype=pl.Float64, eager=True).scatter(
        position.filter(chosen), allocations["hours"].filter(chosen)
    )
    return pl.select(
        pl.lit(flat).gather_every(width, offset).fill_null(defaults[name]).alias(name)
        for offset, name in enumerate(headings)
    ).get_columns()


def _keyed_school_columns(
    tables: Tables,
    keys: Keys,
    chosen: pl.Series | None,
    defaults: Mapping[str, float],
    pupils: bool,
) -> tuple[list[pl.Series], dict[str, float]]:
    """What :func:`_with_school_columns` adds, read through the tables' integer keys:
    each heading's agreed hours (its default where the school made no allocation) and
    the pupil days, a Series each, in the bound staff's order; and the headings every
    school agrees alike, as that one figure (no column: most of a council's headings
    are the agreement's defaults everywhere). A few steps over integers whatever the
    number of schools: the allocations' hours are scattered into a table of a block a
    heading (a school a place), first filled with each heading's default, and each
    teacher's figure gathered from their school's place."""
    school = keys.staff_school if chosen is None else keys.staff_school.filter(chosen)
    count = tables.schools.height
    if count == 1:  # every teacher's school is the one: its figures are the same for all
        return _one_school_columns(tables, keys, school.len(), defaults, pupils)
    columns: list[pl.Series] = []
    block = {name: place for place, name in enumerate(keys.headings)}
    table = pl.Series(dtype=pl.Float64)
    if any(name in block for name in defaults):
        # Each of the allocations' headings' default; none for a heading no line reads.
        figures = _figures(tuple(defaults.get(h) for h in keys.headings))
        hours = tables.allocations.get_column("hours")
        if hours.null_count():  # an allocation without hours is the default, as none is
            hours = hours.fill_null(figures[keys.allocation_place // count])
        table = pl.concat(
            [figures.new_from_index(place, count) for place in range(len(keys.headings))]
        ).scatter(keys.allocation_place, hours)
    same = {name: default for name, default in defaults.items() if name not in block}
    for name, default in defaults.items():
        if name in same:
            continue
        agreed = table.slice(block[name] * count, count)
        if _all_of(agreed, figures, block[name]):  # no school agreed other than the default
            same[name] = default
        else:
            columns.append(agreed[school].alias(f"agreed::{name}"))
    if pupils:
        columns.append(tables.schools.get_column("pupil_days")[school])
    return columns, same


def _all_of(agreed: pl.Series, figures: pl.Series, place: int) -> bool:
    """Whether every one of ``agreed`` is ``figures[place]``, bit for bit: a comparison
    of the two, where a query (the lowest and highest) cost as much as the gathers it
    spares. Never for a 0 (its sign might differ) or a NaN."""
    figure = figures[place]
    if figure is None or figure == 0 or math.isnan(figure):
        return False
    return agreed.equals(figures.new_from_index(place, agreed.len()))


@cache
def _figures(values: tuple[float | None, ...]) -> pl.Series:
    """``values`` as a Series (made once: a Series from Python values costs tens of
    microseconds; it is never changed)."""
    return pl.Series(values, dtype=pl.Float64)


def _one_school_columns(
    tables: Tables, keys: Keys, rows: int, defaults: Mapping[str, float], pupils: bool
) -> tuple[list[pl.Series], dict[str, float]]:
    """:func:`_keyed_school_columns` for the one school of the tables: each heading's
    agreed hours (its last allocation, as the scatter keeps; its default for none, or
    for one without hours), every one a figure for all its teachers, and the pupil
    days, the same figure down its column."""
    agreed = dict(defaults)
    for place, hours in zip(keys.allocation_place, tables.allocations["hours"], strict=True):
        name = keys.headings[place]
        if name in agreed:
            agreed[name] = defaults[name] if hours is None else hours
    if not pupils:
        return [], agreed
    return [tables.schools.get_column("pupil_days").head(1).new_from_index(0, rows)], agreed


def _with_school_columns(
    spec: BudgetSpec,
    tables: Tables,
    staff: pl.DataFrame,
    chosen: pl.Series | None,
    made: _Lines,
) -> tuple[pl.DataFrame, dict[str, float]]:
    """The staff with what each teacher reads of their school: its pupil days (only if
    a line reads them) and its agreed hours a heading (``agreed::`` + heading: its
    default where the school made no allocation); and the headings whose agreed hours
    are one figure for every teacher, by that figure (then no column).

    Through the tables' integer keys where they have them (:class:`Keys`, made with the
    frames): gathers of integers, no text key compared. Without them, for a country,
    worked out a school at a time and handed to its teachers by a gather: no pivot and
    no join on the teachers' text keys, which were most of the budget's time. For one
    school (or a few), a join in one lazy plan.
    """
    headings = [line.id for line in spec.lines if line.teacher == "allocation"]
    pupils = any(line.per_pupil_week for line in spec.lines)  # else no line reads them
    defaults = {h: made.defaults.get(h, 0.0) for h in headings}
    keys = tables.integer_keys()
    if keys is not None:
        keyed, same = _keyed_school_columns(tables, keys, chosen, defaults, pupils)
        return staff.hstack(keyed), same
    if staff.height < SMALL:
        schools = (
            tables.schools.lazy()
            .select("school_id", "pupil_days")
            .unique("school_id", keep="first", maintain_order=True)
        )
        agreed = (
            tables.allocations.lazy()
            .filter(pl.col("heading").is_in(headings))
            .with_columns((pl.lit("agreed::") + pl.col("heading")).alias("heading"))
            .pivot(
                on="heading",
                on_columns=[f"agreed::{h}" for h in headings],
                index="school_id",
                values="hours",
            )
        )
        by_school = schools.join(agreed, on="school_id", how="full", coalesce=True)
        return (
            staff.lazy()
            .join(by_school, on="school_id", how="left", maintain_order="left")
            .with_columns(pl.col(f"agreed::{h}").fill_null(d) for h, d in defaults.items())
            .collect(engine=ENGINE, optimizations=PLAIN)
        ), {}
    place, distinct = _runs(staff["school_id"])
    columns = {
        f"agreed::{name}": hours
        for name, hours in zip(
            headings, _agreed_by_school(tables.allocations, distinct, defaults), strict=True
        )
    }
    if pupils:
        pupil_days = pl.DataFrame({"school_id": distinct}).join(
            tables.schools.select("school_id", "pupil_days").unique(
                "school_id", keep="first", maintain_order=True
            ),
            on="school_id",
            how="left",
            maintain_order="left",
        )
        columns["pupil_days"] = pupil_days.get_column("pupil_days")
    return staff.hstack([hours[place].alias(name) for name, hours in columns.items()]), {}


def _with_planned(
    spec: BudgetSpec, tables: Tables, frame: pl.DataFrame, chosen: pl.Series | None = None
) -> pl.LazyFrame:
    """The frame with the hours each teacher's calendar plans against each calendar
    line (``planned::`` + line, 0 where nothing is planned), as the start of the
    budget's plan; none where there is no attendance (the lines then read 0). ``chosen``:
    which staff rows ``frame``'s are (None: every one)."""
    calendar = [line.id for line in spec.lines if line.categories]
    if not calendar or tables.attendance.is_empty():
        return frame.lazy()
    # A country: each teacher's hours a line summed by the tables' integer keys.
    totals = tables.attended_totals(
        kept((spec,), "planned-figures", lambda: _planned_figures(spec)),
        where=pl.col("role") != "observer",
    )
    if totals is not None:
        return frame.hstack(
            (totals if chosen is None else totals.filter(chosen)).get_columns()
        ).lazy()
    keys = tables.teacher_keys
    planned = _planned_by_line(spec, tables, keys)
    engine = engine_for(tables.attendance.height)
    if engine != ENGINE:  # a country: the attendance's own engine
        planned = planned.collect(engine=engine).lazy()
    filled = kept(
        (spec,),
        "planned-filled",
        lambda: [pl.col(f"planned::{i}").fill_null(0.0) for i in calendar],
    )
    return (
        frame.lazy().join(planned, on=keys, how="left", maintain_order="left").with_columns(filled)
    )


@dataclass(frozen=True, slots=True)
class _Lines:
    """The budget's figures from the pack alone (its total, each line's default and
    weeks), worked out once per pack and date."""

    total: float
    defaults: Mapping[str, float]
    weeks: Mapping[str, float]
    weekly_columns: tuple[str, ...]


def _lines(spec: BudgetSpec, parameters: ParameterSet, at: date) -> _Lines:
    return _Lines(
        total=evaluate(spec.total, parameters, at)[0],
        defaults=_default_hours(spec, parameters, at),
        weeks={line.id: _weeks(line, parameters, at) for line in spec.lines},
        weekly_columns=tuple(sorted({line.column for line in spec.lines if line.column})),
    )


#: How a teacher's own column reads for a line (see :func:`_shape`).
_NONE_SET, _SOME_SET, _ALL_SET = "none", "some", "all"


@dataclass(frozen=True, slots=True)
class _Shape:
    """What of the frame decides the budget's expressions, beyond the pack: whether a
    calendar is planned, each own column's nulls (a line whose column no teacher has
    set is its allocation alone) and whether any figure a remainder reads can be null
    (then it is a sum ignoring them; else one line subtracted after another)."""

    attendance: bool
    own: tuple[tuple[str, str], ...]
    nullable: bool
    #: the allocation headings whose agreed hours are one figure for every teacher
    same: tuple[tuple[str, float], ...] = ()


def _shape(
    spec: BudgetSpec, frame: pl.DataFrame, attendance: bool, same: Mapping[str, float]
) -> _Shape:
    rows = frame.height

    def setting(column: str) -> str:
        missing = frame.get_column(column).null_count()
        return _ALL_SET if not missing else _NONE_SET if missing == rows else _SOME_SET

    own = tuple(
        (line.id, setting(line.column))
        for line in spec.lines
        if line.teacher == "allocation" and line.column
    )
    read = ["fte", *(["pupil_days"] if "pupil_days" in frame.columns else [])]
    nullable = any(frame.get_column(c).null_count() for c in read)
    return _Shape(attendance, own, nullable, tuple(sorted(same.items())))


@dataclass(frozen=True, slots=True)
class _Plan:
    """The budget's steps over the staff with their school's columns: the lines and the
    total, then the remainders a step each (a later one reads an earlier one), then
    every line rounded (``last``)."""

    steps: tuple[tuple[pl.Expr, ...], ...]
    last: tuple[pl.Expr, ...]


def _plan(spec: BudgetSpec, made: _Lines, shape: _Shape) -> _Plan:
    """The expressions of :func:`teacher_budget_lines`, built once per pack, date and
    :class:`_Shape`: building them cost as long as running them for one school."""
    fte = pl.col("fte")
    # The lines the first step works out; a line that is 0 (a calendar line with no
    # calendar planned) is none of the steps' columns.
    first: list[pl.Expr] = [(fte * made.total).alias("total")]
    zero: set[str] = set()
    own, same = dict(shape.own), dict(shape.same)
    for line in spec.lines:
        weeks = made.weeks[line.id]
        if line.teacher == "weekly":
            per_week = (
                pl.col("pupil_days") / DAYS_PER_WORKING_WEEK if line.per_pupil_week else weeks
            )
            first.append((pl.col(line.column or "").fill_null(0.0) * per_week).alias(line.id))
        elif line.teacher == "allocation":
            # The school's allocation for the heading (else the default) x FTE...
            if line.id in same:  # (the one figure x FTE: the same product, bit for bit)
                share = pl.lit(same[line.id], dtype=pl.Float64) * fte
            else:
                share = pl.col(f"agreed::{line.id}") * fte
            if line.column and own[line.id] != _NONE_SET:  # ... or the teacher's own column
                hours = pl.col(line.column) * weeks  # (where set: null x weeks is null)
                share = hours if own[line.id] == _ALL_SET else hours.fill_null(share)
            first.append(share.alias(line.id))
        elif line.teacher == "calendar" and shape.attendance:
            first.append(pl.col(f"planned::{line.id}").alias(line.id))
        elif line.teacher == "calendar":
            zero.add(line.id)
    steps = [tuple(first)]
    for line in spec.lines:
        if line.teacher != "remainder":
            continue
        if line.of:
            base = fte * made.defaults[line.id]
            others = list(line.of)
        else:
            base = pl.col("total")  # the total x FTE
            others = [o.id for o in spec.lines if o.teacher != "remainder"]
            others += [o.id for o in spec.lines if o.teacher == "remainder" and o.of]
        present = [pl.col(o) for o in others if o not in zero]
        if shape.nullable:  # a sum ignoring the missing figures
            left = pl.sum_horizontal(base, *(-o for o in present))
        else:  # (subtracting a 0 changes nothing)
            left = _minus(base, present)
        steps.append((left.alias(line.id),))
    # Hours are sums of minutes/60 and periods x 50/60: round away float dust (-1e-13).
    last = [pl.col(line.id).cast(pl.Float64).round(9) for line in spec.lines if line.id not in zero]
    if shape.attendance:
        last += [
            pl.col(f"planned::{line.id}").cast(pl.Float64).round(9)
            for line in spec.lines
            if line.categories
        ]
    last.append(pl.col("total"))
    return _Plan(tuple(steps), tuple(last))


def _minus(base: pl.Expr, others: list[pl.Expr]) -> pl.Expr:
    """``base`` less ``others``: ``pl.sum_horizontal(base, -others...)`` without the
    negations and Polars' threads. Up to three others in the order ``sum_horizontal``
    adds four or fewer terms, whatever the threads (``(a + b) + (c + d)``, ``a + (b + c)``):
    a remainder that is 0 less float dust (a teacher with all their 22.5 hours as class
    contact and management) then has the same sign of 0 as it always had. More than
    that, ``sum_horizontal``'s order depends on how many threads Polars has (rayon's
    splitting): one line after another, as good an order as any and the same on every
    machine (the figures are rounded to 9 places after).
    """
    if len(others) == 2:
        return base - (others[0] + others[1])
    if len(others) == 3:
        return (base - others[0]) - (others[1] + others[2])
    for other in others:
        base = base - other
    return base


def _teacher_lines(spec: BudgetSpec, started: _Started) -> pl.DataFrame:
    """:func:`teacher_budget_lines`' frame from the staff with their school's columns
    and the plan that adds their planned hours (:class:`_Started`): the lines' steps in
    that one plan, then the columns in order. Each expression is one pass over the
    teachers; a column without a figure of its own (a remainder's planned hours, a
    calendar line's without a calendar) is one Series shared by name.
    """
    frame, attendance = started.frame, started.attendance
    steps, last, _ = _stepped(spec, started)
    # One school: Polars' query optimisations cost more than they save.
    optimizations = PLAIN if frame.height < SMALL else pl.QueryOptFlags()
    worked = steps.select(last).collect(engine=ENGINE, optimizations=optimizations)

    def constant(value: float | None) -> pl.Series:
        return _figures((value,)).new_from_index(0, frame.height)

    columns = [frame.get_column(c) for c in _WHO]
    lines = _line_columns(
        spec, attendance, set(worked.columns), worked.get_column, constant(0.0), constant(None)
    )
    return pl.DataFrame([*columns, *lines, worked.get_column("total")])


_WHO = ("school_id", "staff_id", "name", "fte")


def _stepped(
    spec: BudgetSpec, started: _Started
) -> tuple[pl.LazyFrame, tuple[pl.Expr, ...], _Shape]:
    """The start's plan with the lines' steps, in its one plan, the expressions of their
    worked columns, and the frame's shape that chose them."""
    made = started.made
    shape = _shape(spec, started.frame, started.attendance, started.same)
    plan = kept((spec, made), shape, lambda: _plan(spec, made, shape))
    steps = started.start
    for step in plan.steps:
        steps = steps.with_columns(step)
    return steps, plan.last, shape


def _line_columns(
    spec: BudgetSpec,
    attendance: bool,
    worked: set[str],
    column: Callable[[str], Any],
    zero: Any,
    nothing: Any,
) -> list[Any]:
    """Each line's hours and planned hours, in order, from the ``worked`` columns (Series
    of a made budget, or expressions over its plan): a column without a figure of its
    own (a remainder's planned hours, a calendar line's without a calendar) is the
    shared ``zero`` or ``nothing``."""
    columns = []
    for line in spec.lines:
        hours = column(line.id) if line.id in worked else zero
        if line.teacher == "remainder":
            planned = nothing
        elif line.categories:
            planned = column(f"planned::{line.id}") if attendance else zero
        else:
            planned = hours
        columns += [hours.alias(line.id), planned.alias(f"planned::{line.id}")]
    return columns


def teacher_budget_lines(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """Every teacher's budget, a teacher a row in staff order: school_id, staff_id,
    name, fte, then for each line its hours (a column named by the line's id) and its
    planned hours (``planned::`` + id), and the teacher's total.

    The figures of :func:`teacher_budgets`, which is this frame a line a row. Each
    teacher's school's figures come by the tables' integer keys (no text key compared
    where the tables have them), and each line is a few passes over the teachers.
    """
    return _teacher_lines(spec, _started(spec, tables, parameters, at))


def teacher_budget_columns(spec: BudgetSpec) -> tuple[str, ...]:
    """The columns of :func:`teacher_budget_lines` (and its plan), in order."""
    lines = (name for line in spec.lines for name in (line.id, f"planned::{line.id}"))
    return (*_WHO, *lines, "total")


def teacher_budget_plan(
    spec: BudgetSpec,
    tables: Tables,
    parameters: ParameterSet,
    at: date,
    *,
    planned: bool = True,
) -> pl.LazyFrame:
    """:func:`teacher_budget_lines`' frame as a lazy plan, its columns in order, for one
    school's tests of the budget's rules: collected with the other rules' tests, and
    the budget itself made only for a rule whose test passes (most checks, none).

    ``planned=False``: without the planned hours (no ``planned::`` column), for a test
    that reads only the lines' hours: a budget whose lines are none of them the
    calendar's (whose hours are what it plans) then never reads the attendance, which
    was most of the plan's time. A budget with a calendar line has them all."""
    planned = planned or any(line.teacher == "calendar" for line in spec.lines)
    started = _started(spec, tables, parameters, at, planned=planned)
    steps, last, shape = _stepped(spec, started)
    made, attendance = started.made, started.attendance

    def columns() -> list[pl.Expr]:
        worked = {e.meta.output_name() for e in last}
        zero, nothing = pl.lit(0.0, dtype=pl.Float64), pl.lit(None, dtype=pl.Float64)
        lines = _line_columns(spec, attendance, worked, pl.col, zero, nothing)
        if not planned:
            lines = [c for c in lines if not c.meta.output_name().startswith("planned::")]
        return [*map(pl.col, _WHO), *lines, pl.col("total")]

    return steps.with_columns(last).select(kept((spec, made), (shape, "columns", planned), columns))


@dataclass(frozen=True, slots=True)
class _Started:
    """What the budget's lines are worked from: the budget's figures from the pack, the
    bound staff with their school's columns (``frame``), the plan that adds their
    planned hours (``start``), whether there is attendance, and the headings whose
    agreed hours are one figure for every teacher (``same``: no column of the frame)."""

    made: _Lines
    frame: pl.DataFrame
    start: pl.LazyFrame
    attendance: bool
    same: Mapping[str, float]


def _started(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date, *, planned: bool = True
) -> _Started:
    """:class:`_Started` for these tables; without the planned hours (and no attendance
    read) with ``planned=False``."""
    attendance = planned and not tables.attendance.is_empty()
    made = kept((spec, parameters), at, lambda: _lines(spec, parameters, at))
    bound, chosen = _bound(spec, tables, parameters, at)
    # The columns as they are, without a query (a step's fixed cost was the time).
    wanted = ("school_id", "staff_id", "name", "fte", *made.weekly_columns)
    staff = pl.DataFrame([bound.get_column(c) for c in wanted])
    frame, same = _with_school_columns(spec, tables, staff, chosen, made)
    start = _with_planned(spec, tables, frame, chosen) if attendance else frame.lazy()
    return _Started(made, frame, start, attendance, same)


def teacher_budgets(
    spec: BudgetSpec, tables: Tables, parameters: ParameterSet, at: date
) -> pl.DataFrame:
    """Every teacher's budget in long form: school_id, staff_id, name, fte, line, hours, planned.

    ``hours`` is what the line gives the teacher; ``planned`` what the calendar commits
    against it (equal to ``hours`` for timetable lines). A remainder line's ``hours`` can
    come out negative: that is an over-committed teacher, which the reconcile rule reports.
    Line by line, with the teachers in staff order (the order is part of the output).
    """
    return long_budgets(spec, teacher_budget_lines(spec, tables, parameters, at))


def long_budgets(spec: BudgetSpec, wide: pl.DataFrame) -> pl.DataFrame:
    """:func:`teacher_budget_lines`' frame a line a row, made by stacking its columns:
    their chunks are appended, not copied, and nothing is computed or joined on
    (school, staff, line)."""
    line_ids = [line.id for line in spec.lines]
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
            stacked("planned", [f"planned::{i}" for i in line_ids]),
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
