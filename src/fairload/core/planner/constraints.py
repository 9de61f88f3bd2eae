"""How each plannable rule template constrains a calendar: the registry, keyed by name.

Every constraint reads its rule's settings and the pack's parameters exactly as the
template's check does (``context.number`` of the same setting, ``condition`` of the
same ``where`` over the same events columns, built by ``tables_from_years``), so no
limit is written twice. A constraint is a set of linear bounds over the candidate
events (an event of a wish at a day and start time): ``sum(coefficient × chosen) ≤
rhs``, the rhs being what the rule allows less what the calendar's fixed events already
use. Bounds are sound: a calendar within them passes the template's check (counting
distinct days as events can only overcount).

A template not in :data:`REGISTRY` (or a rule whose ``where`` reads a column candidate
events lack) is not planned: it is checked after solving, and the result says so.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import polars as pl

from fairload.core.rules import Context, Rule, condition
from fairload.core.tables import Tables

EPSILON = 1e-6  # the check allows 1e-9 over; a bound rounds down after this much slack
DEFAULT_ROLES = ("attendee", "observed")


class Unplannable(Exception):
    """This rule cannot be turned into bounds over candidate events (checked only)."""


@dataclass(frozen=True, slots=True)
class Bound:
    """``sum(coefficient × chosen[candidate]) ≤ rhs``, and whom or when it is for."""

    terms: tuple[tuple[int, int], ...]
    rhs: int
    label: str


@dataclass(frozen=True, slots=True)
class RuleBounds:
    """A rule's bounds, and its limit in words with the figures from its parameters."""

    rule: Rule
    bounds: tuple[Bound, ...]
    #: "at most 1 a week on average over 39 working weeks: 39 in the year"
    summary: str
    #: the most matching events one teacher (or the school) may have in the year, where
    #: the rule says so directly (a yearly count, a weekly average)
    capacity: int | None
    #: the candidates the rule reads
    matching: frozenset[int]


@dataclass
class Space:
    """What a constraint reads: candidate events and the calendar's fixed events."""

    #: the candidates' rows of the events frame (column ``cand``: the candidate index)
    candidates: pl.DataFrame
    #: a context over tables holding the candidate events (for ``where``)
    candidate_context: Context
    #: a context over the fixed calendar (its tables, parameters and date)
    context: Context
    #: each candidate's wish; each wish's attendees
    wish_of: Sequence[str]
    attendees: Mapping[str, tuple[str, ...]]
    staff: pl.DataFrame
    working_weeks: float
    _name_of: dict[str, str] = field(default_factory=dict)
    _fte_of: dict[str, float] = field(default_factory=dict)

    @property
    def fixed(self) -> Tables:
        return self.context.tables

    def matching(self, where: Any, extra: pl.Expr | None = None) -> pl.DataFrame:
        """The candidates meeting a rule's ``where`` (as the check reads it)."""
        expr, _used = condition(where, self.candidate_context)
        if extra is not None:
            expr = expr & extra
        try:
            return self.candidates.filter(expr)
        except pl.exceptions.ColumnNotFoundError as exc:
            raise Unplannable(str(exc)) from None

    def fixed_attended(self, rule: Rule, extra: pl.Expr | None = None) -> pl.DataFrame:
        """The fixed events' attendance rows the rule counts (its roles and ``where``)."""
        where, _used = condition(rule.settings.get("where"), self.context)
        if extra is not None:
            where = where & extra
        roles = list(rule.settings.get("roles", DEFAULT_ROLES))
        rows = self.fixed.attended_events(
            "event_id", "date", "week", "term", "hours", "evening", where=where
        )
        return rows.filter(pl.col("role").is_in(roles))

    def counts_attendees(self, rule: Rule) -> bool:
        return "attendee" in rule.settings.get("roles", DEFAULT_ROLES)

    def per_teacher(
        self,
        rows: pl.DataFrame,
        key: str | None,
        coefficient: Callable[[dict[str, Any]], int],
        allowed: Callable[[str, Any], float],
        label: Callable[[str, Any], str],
    ) -> list[Bound]:
        """One bound per teacher and period (``key``: week, term or None for the year),
        teachers who attend the same wishes sharing the tightest of their bounds."""
        by_wish: dict[tuple[str, Any], list[tuple[int, int]]] = defaultdict(list)
        for row in rows.iter_rows(named=True):
            period = row[key] if key else None
            by_wish[(self.wish_of[row["cand"]], period)].append((row["cand"], coefficient(row)))
        periods = sorted({p for _, p in by_wish}, key=lambda p: (p is None, str(p)))
        signatures: dict[frozenset[str], list[str]] = defaultdict(list)
        for staff_id in self.staff["staff_id"]:
            wishes = frozenset(w for w, who in self.attendees.items() if staff_id in who)
            if wishes:
                signatures[wishes].append(staff_id)
        bounds = []
        for wishes, members in signatures.items():
            for period in periods:
                terms = tuple(t for w in sorted(wishes) for t in by_wish.get((w, period), ()))
                if not terms:
                    continue
                tightest = min(members, key=lambda s: allowed(s, period))
                rhs = _floor(allowed(tightest, period))
                if rhs < sum(c for _, c in terms):
                    bounds.append(Bound(terms, rhs, label(tightest, period)))
        return bounds

    def name(self, staff_id: str) -> str:
        return self._names().get(staff_id, staff_id)

    def fte(self, staff_id: str) -> float:
        return self._ftes().get(staff_id, 1.0)

    def _names(self) -> dict[str, str]:
        if not self._name_of:
            self._name_of = dict(zip(self.staff["staff_id"], self.staff["name"], strict=True))
        return self._name_of

    def _ftes(self) -> dict[str, float]:
        if not self._fte_of:
            rows = zip(self.staff["staff_id"], self.staff["fte"], strict=True)
            self._fte_of = {s: 1.0 if f is None else float(f) for s, f in rows}
        return self._fte_of


def _floor(value: float) -> int:
    """What is left, rounded down; never below none: where the calendar's fixed events
    already break a limit, that period gets no planned event (the check reports the
    breach as the school's own, not the plan's)."""
    return max(0, math.floor(value + EPSILON))


def _fixed_by(
    rows: pl.DataFrame, keys: list[str], measure: pl.Expr
) -> dict[tuple[Any, ...], float]:
    if rows.is_empty():
        return {}
    totals = rows.group_by(keys).agg(value=measure)
    return {tuple(r[k] for k in keys): float(r["value"]) for r in totals.iter_rows(named=True)}


def _when(key: str | None, period: Any) -> str:
    return "" if key is None else f", {key} {period}"


# The registry ------------------------------------------------------------------------


def event_duration_cap(rule: Rule, space: Space) -> RuleBounds:
    limit, _ = space.context.number(rule.settings["max_hours"])
    too_long = space.matching(rule.settings["where"], pl.col("hours") > limit + 1e-9)
    chosen = space.matching(rule.settings["where"])
    bounds = tuple(Bound(((c, 1),), 0, f"candidate {c}") for c in too_long["cand"])
    return RuleBounds(
        rule, bounds, f"each lasts at most {limit:g} hours", None, frozenset(chosen["cand"])
    )


_PERIOD = {"week": "week", "term": "term", "year": None}


def period_cap(rule: Rule, space: Space) -> RuleBounds:
    settings = rule.settings
    limit, _ = space.context.number(settings["max"])
    measure, per = settings["measure"], settings["per"]
    key = _PERIOD[per]
    rows = space.matching(settings["where"])
    minutes = measure == "hours"
    scale = 60 if minutes else 1

    def coefficient(row: dict[str, Any]) -> int:
        return round(row["hours"] * 60) if minutes else 1

    fixed_measure = {
        "count": pl.col("event_id").n_unique().cast(pl.Float64),
        "hours": pl.col("hours").sum() * 60,
        "days": pl.col("date").n_unique().cast(pl.Float64),
    }[measure]
    unit = {"count": "", "hours": " hours", "days": " days"}[measure]
    per_words = "in the year" if per == "year" else f"a {per}"
    if settings.get("subject", "teacher") == "school":
        where, _ = condition(settings["where"], space.context)
        fixed_rows = space.fixed.events.filter(where).with_columns(school=pl.lit(1))
        fixed = _fixed_by(fixed_rows, [key] if key else ["school"], fixed_measure)
        grouped: dict[Any, list[tuple[int, int]]] = defaultdict(list)
        for row in rows.iter_rows(named=True):
            grouped[row[key] if key else None].append((row["cand"], coefficient(row)))
        bounds = []
        for period, terms in grouped.items():
            used = fixed.get((period if key else 1,), 0.0)
            rhs = _floor(limit * scale - used)
            if rhs < sum(c for _, c in terms):
                bounds.append(Bound(tuple(terms), rhs, f"the school{_when(key, period)}"))
        capacity = _floor(limit - fixed.get((1,), 0.0)) if per == "year" and not minutes else None
        summary = f"the school holds at most {limit:g}{unit} {per_words}"
        return RuleBounds(rule, tuple(bounds), summary, capacity, frozenset(rows["cand"]))
    if not space.counts_attendees(rule):
        return RuleBounds(rule, (), "", None, frozenset())
    fixed_rows = space.fixed_attended(rule)
    fixed = _fixed_by(fixed_rows, ["staff_id", *([key] if key else [])], fixed_measure)
    pro_rata = bool(settings.get("pro_rata"))

    def allowed(staff_id: str, period: Any) -> float:
        cap = limit * (space.fte(staff_id) if pro_rata else 1.0) * scale
        return cap - fixed.get((staff_id, *([period] if key else [])), 0.0)

    def label(staff_id: str, period: Any) -> str:
        return f"{space.name(staff_id)}{_when(key, period)}"

    bounds = space.per_teacher(rows, key, coefficient, allowed, label)
    capacity = None
    if per == "year" and not minutes:
        capacity = min((_floor(allowed(s, None)) for s in space.staff["staff_id"]), default=None)
    fte = " (pro rata to FTE)" if pro_rata else ""
    summary = f"a teacher has at most {limit:g}{unit} {per_words}{fte}"
    return RuleBounds(rule, tuple(bounds), summary, capacity, frozenset(rows["cand"]))


def weekly_average_cap(rule: Rule, space: Space) -> RuleBounds:
    limit, _ = space.context.number(rule.settings["max_per_week"])
    rows = space.matching(rule.settings["where"])
    if not space.counts_attendees(rule):
        return RuleBounds(rule, (), "", None, frozenset())
    weeks = space.working_weeks
    fixed = _fixed_by(space.fixed_attended(rule), ["staff_id"], pl.col("event_id").n_unique())

    def allowed(staff_id: str, _period: Any) -> float:
        return limit * weeks - fixed.get((staff_id,), 0.0)

    bounds = space.per_teacher(rows, None, lambda _row: 1, allowed, lambda s, _p: space.name(s))
    year = _floor(limit * weeks)
    capacity = min((_floor(allowed(s, None)) for s in space.staff["staff_id"]), default=year)
    summary = (
        f"at most {limit:g} a week on average over {weeks:g} working weeks: "
        f"{year} in the year for each teacher"
    )
    if capacity < year:
        summary += f", of which the calendar's other events already take {year - capacity}"
    return RuleBounds(rule, tuple(bounds), summary, capacity, frozenset(rows["cand"]))


def evenings_per_week_cap(rule: Rule, space: Space) -> RuleBounds:
    limit, _ = space.context.number(rule.settings["max"])
    rows = space.matching(rule.settings["where"], pl.col("evening"))
    if not space.counts_attendees(rule):
        return RuleBounds(rule, (), "", None, frozenset())
    fixed = _fixed_by(
        space.fixed_attended(rule, pl.col("evening")),
        ["staff_id", "week"],
        pl.col("date").n_unique(),
    )

    def allowed(staff_id: str, week: Any) -> float:
        return limit - fixed.get((staff_id, week), 0.0)

    bounds = space.per_teacher(
        rows, "week", lambda _row: 1, allowed, lambda s, w: f"{space.name(s)}, week {w}"
    )
    summary = f"a teacher is directed on at most {limit:g} evenings in any week"
    return RuleBounds(rule, tuple(bounds), summary, None, frozenset(rows["cand"]))


def budget_reconciles(rule: Rule, space: Space) -> RuleBounds:
    """``scope: line``: each teacher's calendar within one heading's hours (the budget's
    own figure for the teacher, as the check computes it, less what the fixed events
    already put against it). Other scopes do not read the calendar: checked only."""
    budget = space.context.budget
    if rule.settings.get("scope") != "line" or budget is None:
        raise Unplannable("only a budget line's hours (scope: line) read the calendar")
    line = budget.line(str(rule.settings.get("line")))
    if not line.categories:
        raise Unplannable(f"the budget line {line.id} has no calendar categories")
    rows = space.matching({"category": list(line.categories)})
    budgets = space.context.teacher_budgets().filter(pl.col("line") == line.id)
    left = {
        r["staff_id"]: (r["hours"] - (r["planned"] or 0.0)) * 60
        for r in budgets.iter_rows(named=True)
    }
    hours = [float(r["hours"]) for r in budgets.iter_rows(named=True)]
    bounds = space.per_teacher(
        rows,
        None,
        lambda row: round(row["hours"] * 60),
        lambda staff_id, _period: left.get(staff_id, 0.0),
        lambda s, _p: space.name(s),
    )
    most = max(hours, default=0.0)
    summary = (
        f"each teacher's {line.label.lower()} within the hours the agreement gives them "
        f"(at most {most:g} hours in the year, pro rata to FTE)"
    )
    if bounds:
        tight = min(bounds, key=lambda b: b.rhs)
        summary += (
            f"; {tight.label} has {tight.rhs / 60:g} hours of it left after the calendar's "
            "other events"
        )
    return RuleBounds(rule, tuple(bounds), summary, None, frozenset(rows["cand"]))


#: template name -> how its rules constrain a calendar
REGISTRY: dict[str, Callable[[Rule, Space], RuleBounds]] = {
    "event_duration_cap": event_duration_cap,
    "period_cap": period_cap,
    "weekly_average_cap": weekly_average_cap,
    "evenings_per_week_cap": evenings_per_week_cap,
    "budget_reconciles": budget_reconciles,
}
