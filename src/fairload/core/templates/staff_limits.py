"""Limits on each teacher's week: contact caps, ratio floors and look-up-table minimums."""

from __future__ import annotations

from dataclasses import replace
from functools import cache
from typing import Any, ClassVar

import polars as pl

from fairload.core.errors import PackError
from fairload.core.findings import Severity, Subject, SubjectKind
from fairload.core.rules import Context, Rule, condition
from fairload.core.templates.base import (
    EXPRESSION,
    PARAMETER,
    WHERE,
    Plan,
    Planned,
    emit_later,
    school_subject,
    teacher_subject,
    week_subject,
)

EPSILON = 1e-9
#: Posts in a sentence.
POST_WORDS = {
    "head-teacher": "head teacher",
    "depute-head": "depute head",
    "principal-teacher": "principal teacher",
    "principal-teacher-guidance": "principal teacher (guidance)",
    "deputy-head": "deputy head",
    "assistant-head": "assistant head",
}
OPERAND = {
    "description": "{column: a staff column}, {value: an expression over parameters} or "
    "{allocation: a budget heading} (the school's agreed hours, else the heading's default)",
    "type": "object",
    "properties": {
        "column": {"type": "string"},
        "value": EXPRESSION,
        "allocation": {"type": "string"},
    },
    "additionalProperties": False,
    "minProperties": 1,
    "maxProperties": 1,
}


class WeeklyContactCap(Planned):
    """A cap on a weekly figure of each teacher, by default their class contact.

    Where a school's timetable runs in a cycle of weeks (``timetable_cycle_weeks``) and
    a teacher's contact differs week by week (``contact_hours_by_cycle_week``), every
    week of the cycle must be within ``max_hours_per_week``, unless the rule allows
    averaging (SNCT 14/43's planned, flexible approach): with ``max_hours_in_any_week``
    the cycle's average is held to ``max_hours_per_week`` and each single week to
    ``max_hours_in_any_week``, for cycles of at most ``max_cycle_weeks`` weeks (longer
    cycles are checked week by week against ``max_hours_per_week``). With
    ``flexible_approach`` (JNCT2.7 3.3: an approach "submitted to the Joint Secretaries …
    in advance of implementation for confirmation"), only a school whose agreement
    records an approach confirmed by the check's date averages, with the approach's own
    cap on a single week; every other school's weeks are each held to the weekly cap.

    ``plus_events`` (a ``where`` over events, e.g. ``{category: cover}``) counts the
    hours of those events a teacher attends on top of their timetable, school week by
    school week ("class contact including cover"); school week *n* is week
    ``(n - 1) mod cycle + 1`` of the teacher's cycle. A week over the limit only
    because of its events is reported as that week.
    """

    name: ClassVar[str] = "weekly_contact_cap"
    summary: ClassVar[str] = (
        "A teacher's weekly class contact (or another weekly figure) must not exceed a cap, "
        "chosen by post and probation status, optionally pro rata to FTE, optionally "
        "averaged over a timetable cycle with a cap on any single week, and optionally "
        "counting events such as cover on top of the timetable."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "where": {**WHERE, "description": "which teachers: a condition on staff columns"},
            "column": {
                "type": "string",
                "default": "contact_hours_per_week",
                "description": "the staff column capped",
            },
            "max_hours_per_week": {**EXPRESSION, "description": "the weekly cap"},
            "pro_rata": {"type": "boolean", "description": "scale every cap by the FTE"},
            "max_hours_in_any_week": {
                **EXPRESSION,
                "description": "allows averaging over the timetable cycle: the cap on any "
                "single week of it",
            },
            "max_cycle_weeks": {
                **EXPRESSION,
                "description": "the longest cycle that may be averaged (with "
                "max_hours_in_any_week); default: any",
            },
            "flexible_approach": {
                "type": "boolean",
                "description": "averages only in a school whose agreement records a planned, "
                "flexible approach (agreement.flexible_approach) confirmed by the check's "
                "date (agreement.process.flexible_approach.confirmed_on), with the "
                "approach's cap on any single week (within "
                "max_hours_in_any_week where given); elsewhere every week is held to "
                "max_hours_per_week",
            },
            "plus_events": {
                **WHERE,
                "description": "events whose hours count on top of the timetable, week by "
                "week, e.g. {category: cover}",
            },
        },
        "required": ["max_hours_per_week"],
    }
    figures: ClassVar[tuple[str, ...]] = (
        "max_hours_per_week",
        "max_hours_in_any_week",
        "max_cycle_weeks",
    )
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        column = settings.get("column", "contact_hours_per_week")
        if "plus_events" in settings or _has_cycles(context.tables.staff, column):
            return self._plan(rule, context)

        # Every week the same: a teacher is over only if their figure is over the cap.
        def over() -> pl.Expr:
            limit = context.number(settings["max_hours_per_week"])[0]
            where = condition(settings.get("where"), context)[0]
            scale = pl.col("fte") if settings.get("pro_rata") else pl.lit(1.0)
            return where & (pl.col(column) > pl.lit(limit) * scale + EPSILON)

        test = context.kept(rule, ("over", column), over)
        return Plan.unless_none(context.tables.staff, test, lambda: self._plan(rule, context))

    def _plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        limit, used = context.number(settings["max_hours_per_week"])
        where, filter_used = condition(settings.get("where"), context)
        used += filter_used
        column = settings.get("column", "contact_hours_per_week")
        scale = pl.col("fte") if settings.get("pro_rata") else pl.lit(1.0)
        everyone = context.tables.staff
        # Most schools timetable the same every week: then there is one pass, as before.
        # (No teacher's timetable varies: then none of those selected does, without a step.)
        cycles = _has_cycles(everyone, column) and _has_cycles(everyone.filter(where), column)
        staff = everyone.lazy().filter(where)
        any_week: pl.Expr = pl.lit(limit)
        averaging = pl.lit(False)
        flexible = bool(settings.get("flexible_approach")) and cycles
        if cycles and ("max_hours_in_any_week" in settings or flexible):
            averaging = pl.col("cycle_weeks") > 1
            if "max_hours_in_any_week" in settings:
                national, more = context.number(settings["max_hours_in_any_week"])
                used += more
                any_week = pl.lit(national)
            if flexible:
                # Only a school's own approach, once confirmed, averages (3.3); its single-week
                # cap is the approach's, within the pack's where the pack sets one.
                staff = staff.join(_flexible_approaches(context), on="school_id", how="left")
                averaging = averaging & pl.col("flexible_in_force")
                own = pl.col("flexible_max_hours_in_any_week")
                any_week = (
                    own
                    if "max_hours_in_any_week" not in settings
                    else (pl.min_horizontal(own, any_week))
                )
            if "max_cycle_weeks" in settings:
                longest, more = context.number(settings["max_cycle_weeks"])
                used += more
                averaging = averaging & (pl.col("cycle_weeks") <= longest + EPSILON)
        cap = pl.lit(limit) * scale
        extra: dict[str, pl.Expr] = {
            "week_cap": cap,
            "over": pl.lit(""),
            "cycle_weeks": pl.lit(1, dtype=pl.Int64),
        }
        if cycles:
            staff = staff.with_columns(cycle_weeks=_cycle_length())
            # The week cap: the single-week cap where averaging applies, else the weekly cap.
            extra = {
                "week_cap": pl.when(averaging).then(any_week).otherwise(pl.lit(limit)) * scale,
                "over": pl.when(averaging)
                .then(pl.format(" on average over their {}-week cycle", pl.col("cycle_weeks")))
                .otherwise(pl.lit("")),
            }
        staff = staff.with_columns(
            averaging=averaging,
            actual=pl.col(column),
            limit=cap,
            **extra,
        )
        data_columns = ["post", "fte", "probationer", column, "cycle_weeks"]
        if flexible:
            data_columns.append("flexible_confirmed")
        whole = staff.filter(
            (pl.col("averaging") | (pl.col("cycle_weeks") == 1))
            & (pl.col("actual") > pl.col("limit") + EPSILON)
        )
        findings = emit_later(
            rule,
            whole.sort("school_id", "staff_id"),
            subject=teacher_subject,
            default_message="{name} is timetabled for {actual:hours} a week{over}; "
            "the limit is {limit:hours}",
            parameters=used,
            data_columns=data_columns,
        )
        if cycles:
            weeks = _cycle_weeks(staff.filter(pl.col("cycle_weeks") > 1)).with_columns(
                actual=pl.col("week_hours"), limit=pl.col("week_cap")
            )
            findings += emit_later(
                rule,
                weeks.filter(pl.col("actual") > pl.col("limit") + EPSILON).sort(
                    "school_id", "staff_id", "cycle_week"
                ),
                subject=_cycle_week_subject,
                default_message="{name} is timetabled for {actual:hours} in week {cycle_week} "
                "of their {cycle_weeks}-week cycle; the limit in any one week is {limit:hours}",
                parameters=used,
                data_columns=[*data_columns, "cycle_week"],
            )
        if "plus_events" in settings:
            findings += self._with_events(rule, context, staff, used, data_columns, column)
        return findings

    def _with_events(
        self,
        rule: Rule,
        context: Context,
        staff: pl.LazyFrame,
        used: list[Any],
        data_columns: list[str],
        column: str,
    ) -> Plan:
        """School weeks where the timetable plus the selected events exceed the week's cap."""
        where, more = condition(rule.settings["plus_events"], context)
        rows = context.tables.attended_events_lazy(where=where).filter(
            (pl.col("role") != "observer") & pl.col("week").is_not_null()
        )
        keys = ["school_id", "staff_id", "week"]
        added = rows.group_by(keys).agg(
            added=pl.col("hours").sum(),
            events=pl.concat_str(
                [pl.col("title"), pl.lit(" ("), pl.col("date").cast(pl.String), pl.lit(")")]
            ).sort(),
        )
        weeks = added.join(staff, on=["school_id", "staff_id"], how="inner")
        cycle_week = (pl.col("week") - 1) % pl.col("cycle_weeks")
        timetable = (
            pl.when(pl.col("cycle_weeks") > 1)
            .then(pl.col("contact_hours_by_cycle_week").list.get(cycle_week, null_on_oob=True))
            .otherwise(pl.col(column))
            .fill_null(0.0)
        )
        weeks = weeks.with_columns(timetable=timetable).with_columns(
            actual=pl.col("timetable") + pl.col("added"),
            limit=pl.col("week_cap"),
            event_list=pl.col("events").list.join(", "),
        )
        # A timetable over the cap on its own is already reported above.
        violations = weeks.filter(
            (pl.col("actual") > pl.col("limit") + EPSILON)
            & (pl.col("timetable") <= pl.col("limit") + EPSILON)
        )
        return emit_later(
            rule,
            violations.sort(keys),
            subject=week_subject,
            default_message="{name} has {actual:hours} of class contact in week {week}: "
            "{timetable:hours} timetabled and {added:hours} at {event_list}; the limit is "
            "{limit:hours}",
            parameters=[*used, *more],
            data_columns=[*data_columns, "week", "timetable", "added", "events"],
        )


def _has_cycles(staff: pl.DataFrame, column: str) -> bool:
    """Whether any selected teacher's capped figure varies over a timetable cycle.

    Only class contact is given week by week; any other column is the same every week.
    """
    lists = "contact_hours_by_cycle_week"
    return (
        column == "contact_hours_per_week"
        and lists in staff.columns
        and staff[lists].null_count() < staff.height
    )


def _flexible_approaches(context: Context) -> pl.LazyFrame:
    """Each school's recorded flexible approach: its single-week cap, the date it was
    confirmed, and whether it is in force at the check's date (confirmed by then)."""
    confirmed = pl.col("flexible_confirmed")
    return context.tables.process.lazy().select(
        "school_id",
        "flexible_max_hours_in_any_week",
        "flexible_confirmed",
        # In force: confirmed by the check's date, with a plan to average (its cap).
        flexible_in_force=(
            confirmed.is_not_null()
            & (confirmed <= context.at)
            & pl.col("flexible_max_hours_in_any_week").is_not_null()
        ).fill_null(False),
    )


def _cycle_length() -> pl.Expr:
    """``cycle_weeks``: how many weeks each teacher's timetable varies over (1: none)."""
    return pl.col("contact_hours_by_cycle_week").list.len().cast(pl.Int64).fill_null(1)


def _cycle_weeks(staff: pl.LazyFrame) -> pl.LazyFrame:
    """One row per teacher per week of their cycle: ``cycle_week`` (from 1), ``week_hours``."""
    return staff.with_columns(
        week_hours=pl.col("contact_hours_by_cycle_week"),
        cycle_week=pl.int_ranges(1, pl.col("cycle_weeks") + 1),
    ).explode("week_hours", "cycle_week")


def _cycle_week_subject(row: dict[str, Any]) -> Subject:
    who = row.get("name") or row["staff_id"]
    return Subject(
        SubjectKind.WEEK,
        f"{row['staff_id']}/cycle-week-{row['cycle_week']}",
        f"{who}, week {row['cycle_week']} of the cycle",
    )


def _operand(spec: dict[str, Any], context: Context) -> tuple[pl.Expr, list[Any]]:
    if "column" in spec:
        return pl.col(spec["column"]), []
    if "allocation" in spec:
        return pl.col(f"allocation::{spec['allocation']}"), []
    value, used = context.number(spec["value"])
    return pl.lit(value), used


def _with_allocations(
    rows: pl.LazyFrame, specs: list[dict[str, Any]], rule: Rule, context: Context
) -> tuple[pl.LazyFrame, list[Any]]:
    """Each school's agreed hours for the headings the operands name, else the default."""
    used: list[Any] = []
    for spec in specs:
        if "allocation" not in spec:
            continue
        heading = spec["allocation"]
        if context.budget is None or heading not in {line.id for line in context.budget.lines}:
            raise PackError(f"rule {rule.id}: the budget has no heading {heading!r}")
        line = context.budget.line(heading)
        default, more = context.number(line.hours) if line.hours is not None else (0.0, [])
        used += more
        agreed = (
            context.tables.allocations.lazy()
            .filter(pl.col("heading") == heading)
            .select("school_id", pl.col("hours").alias(f"allocation::{heading}"))
        )
        rows = rows.join(agreed, on="school_id", how="left", maintain_order="left").with_columns(
            pl.col(f"allocation::{heading}").fill_null(default)
        )
    return rows, used


class RatioFloor(Planned):
    name: ClassVar[str] = "ratio_floor"
    summary: ClassVar[str] = (
        "One figure must be at least a fraction of another: PPA at least 10 % of teaching, "
        "personal allowance at least a third of class contact."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "where": WHERE,
            "numerator": OPERAND,
            "denominator": OPERAND,
            "min_ratio": EXPRESSION,
            "pro_rata": {
                "type": "boolean",
                "description": "per teacher: the denominator is scaled by the teacher's FTE",
            },
        },
        "required": ["numerator", "denominator", "min_ratio"],
    }
    figures: ClassVar[tuple[str, ...]] = ("min_ratio",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        operands = (settings["numerator"], settings["denominator"])
        per_teacher = any("column" in o for o in operands)
        if not per_teacher or any("allocation" in o for o in operands):
            return self._plan(rule, context)
        test = context.kept(rule, "below", lambda: self._below(rule, context))
        return Plan.unless_none(context.tables.staff, test, lambda: self._plan(rule, context))

    def _below(self, rule: Rule, context: Context) -> pl.Expr:
        """Whether a selected teacher's figure is below the floor."""
        settings = rule.settings
        ratio = context.number(settings["min_ratio"])[0]
        numerator = _operand(settings["numerator"], context)[0].cast(pl.Float64)
        denominator = _operand(settings["denominator"], context)[0].cast(pl.Float64)
        if settings.get("pro_rata"):
            denominator = denominator * pl.col("fte")
        where = condition(settings.get("where"), context)[0]
        return where & (numerator < denominator * ratio - EPSILON)

    def _plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        ratio, used = context.number(settings["min_ratio"])
        numerator, n_used = _operand(settings["numerator"], context)
        denominator, d_used = _operand(settings["denominator"], context)
        used += n_used + d_used
        per_teacher = "column" in settings["numerator"] or "column" in settings["denominator"]
        base = context.tables.staff if per_teacher else context.tables.schools
        where, filter_used = condition(settings.get("where") if per_teacher else None, context)
        # One plan from the staff (or schools) to the violations, collected once.
        rows, allocation_used = _with_allocations(
            base.lazy().filter(where),
            [settings["numerator"], settings["denominator"]],
            rule,
            context,
        )
        used += allocation_used
        scale = pl.col("fte") if per_teacher and settings.get("pro_rata") else pl.lit(1.0)
        rows = rows.with_columns(
            actual=numerator.cast(pl.Float64), denominator=denominator.cast(pl.Float64) * scale
        )
        rows = rows.filter(pl.col("actual").is_not_null() & pl.col("denominator").is_not_null())
        rows = rows.with_columns(limit=pl.col("denominator") * ratio)
        below = rows.filter(pl.col("actual") < pl.col("limit") - EPSILON)
        if per_teacher:
            return emit_later(
                rule,
                below.sort("school_id", "staff_id"),
                subject=teacher_subject,
                default_message="{name} has {actual:hours}; at least {limit:hours} are required",
                parameters=[*used, *filter_used],
                data_columns=[
                    *[o["column"] for o in (settings["numerator"],) if "column" in o],
                    "fte",
                    "denominator",
                ],
            )
        return emit_later(
            rule,
            below.rename({"name": "school_name"}),
            subject=school_subject,
            default_message="the agreement gives {actual:hours}; at least {limit:hours} are "
            "required",
            parameters=used,
            data_columns=["denominator"],
        )


def _named_schools(context: Context) -> pl.DataFrame:
    """The schools frame with ``name`` as ``school_name`` (no query: a rename is one)."""
    return pl.DataFrame(
        [c.alias("school_name") if c.name == "name" else c for c in context.tables.schools]
    )


@cache
def _job() -> pl.Expr:
    """A teacher's post in words, with the job size where it is recorded: "depute head,
    job size 6", "principal teacher (guidance)", "depute head, no job size recorded"."""
    words = pl.col("post").replace(POST_WORDS)
    sized = pl.concat_str(words, pl.lit(", job size "), pl.col("job_size").cast(pl.String))
    needs_size = pl.col("post").is_in(["depute-head", "principal-teacher"])
    return (
        pl.when(pl.col("job_size").is_not_null())
        .then(sized)
        .when(needs_size)
        .then(pl.concat_str(words, pl.lit(", no job size recorded")))
        .otherwise(words)
    )


class TableMinimum(Planned):
    name: ClassVar[str] = "table_minimum"
    summary: ClassVar[str] = (
        "A teacher's (or a school's) figure must be at least the value a look-up table gives "
        "for their post and job size, or the school's roll band, plus an optional base."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "table": PARAMETER,
            "subject": {"enum": ["teacher", "school"], "default": "teacher"},
            "where": WHERE,
            "match": {"type": "object", "description": "table column: subject column"},
            "band": {
                "type": "object",
                "properties": {
                    "column": {"type": "string"},
                    "settled": {
                        "type": "string",
                        "description": "a column that, where recorded, picks the band instead "
                        "(the previous session's roll: a structure changes only once the roll "
                        "has stayed in a new band)",
                    },
                    "from": {"type": "string"},
                    "to": {"type": "string"},
                },
                "required": ["column", "from", "to"],
                "additionalProperties": False,
            },
            "value": {"type": "string", "description": "the table column holding the minimum"},
            "plus": EXPRESSION,
            "actual": {
                "type": "object",
                "description": "{column: c} per teacher; for schools {count: where} or "
                "{sum: column, where: …, divide_by: expression}",
                "properties": {
                    "column": {"type": "string"},
                    "count": WHERE,
                    "sum": {"type": "string"},
                    "where": WHERE,
                    "divide_by": EXPRESSION,
                },
                "additionalProperties": False,
            },
        },
        "required": ["table", "value", "actual"],
    }
    figures: ClassVar[tuple[str, ...]] = ("plus",)
    parameter_settings: ClassVar[tuple[str, ...]] = ("table",)

    def _school_actuals(
        self, rule: Rule, context: Context, schools: pl.DataFrame
    ) -> tuple[pl.LazyFrame, list[Any]]:
        """Each selected school's figure, summed or counted over its staff."""
        spec = rule.settings["actual"]
        staff = context.tables.staff.lazy().join(
            schools.lazy().select("school_id"), on="school_id", how="semi"
        )
        used: list[Any] = []
        if "count" in spec:
            where, used = condition(spec["count"], context)
            totals = staff.group_by("school_id").agg(actual=where.sum().cast(pl.Float64))
        else:
            where, used = condition(spec.get("where"), context)
            totals = staff.group_by("school_id").agg(
                actual=pl.col(spec["sum"]).filter(where).sum().cast(pl.Float64)
            )
            totals = totals.with_columns(summed=pl.col("actual"))
            if "divide_by" in spec:
                divisor, more = context.number(spec["divide_by"])
                used += more
                totals = totals.with_columns(actual=pl.col("actual") / divisor, divisor=divisor)
        return schools.lazy().join(totals, on="school_id", how="left").with_columns(
            pl.col("actual").fill_null(0.0)
        ), used

    def plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        if settings.get("subject", "teacher") != "teacher":  # only schools it selects
            where = condition(settings.get("where"), context)[0]
            return Plan.unless_none(
                context.tables.schools, where, lambda: self._plan(rule, context)
            )
        if "band" in settings:
            return self._plan(rule, context)
        test = context.kept(rule, "test", lambda: self._teacher_test(rule, context))
        return Plan.unless_none(context.tables.staff, test, lambda: self._plan(rule, context))

    def _teacher_test(self, rule: Rule, context: Context) -> pl.Expr:
        """Whether a selected teacher may be found: their figure below the largest of the
        table's rows for them (plus the base), or no row or figure to check."""
        settings = rule.settings
        rows = list(context.value(settings["table"])[0])
        match = settings.get("match") or {}
        value = settings["value"]
        if any(value not in row or any(c not in row for c in match) for row in rows):
            return pl.lit(True)  # the rule itself says what is wrong with the table
        plus = context.number(settings["plus"])[0] if "plus" in settings else 0.0
        # Each row's key as text (a key that reads otherwise in the table finds no limit,
        # and the test passes: it is never stricter than the rule) to its largest value.
        largest: dict[str, float] = {}
        for row in rows:
            text = "\x1f".join(str(row[t]) for t in match)
            if row[value] is not None:
                largest[text] = max(float(row[value]), largest.get(text, float("-inf")))
        key = pl.concat_str([pl.col(c).cast(pl.String) for c in match.values()], separator="\x1f")
        limit = (
            key.replace_strict(largest, default=None, return_dtype=pl.Float64)
            if match
            else pl.lit(max(largest.values(), default=None), dtype=pl.Float64)
        )
        actual = pl.col(settings["actual"]["column"]).cast(pl.Float64)
        where = condition(settings.get("where"), context)[0]
        in_scope = pl.lit(True)
        if match:
            first = next(iter(match))
            in_scope = pl.col(match[first]).is_in(sorted({row[first] for row in rows}, key=str))
        # Below the limit, or no figure or limit to check it by (a null is not "at least").
        return where & in_scope & ~(actual >= limit + plus - EPSILON).fill_null(False)

    def _plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        table_rows, table_param = context.value(settings["table"])
        table = context.kept(rule, "table", lambda: pl.DataFrame(list(table_rows)))
        used: list[Any] = [table_param]
        if settings.get("subject", "teacher") == "teacher":
            where, filter_used = condition(settings.get("where"), context)
            used += filter_used
            subjects = (
                context.tables.staff.lazy()
                .filter(where)
                .with_columns(
                    actual=pl.col(settings["actual"]["column"]).cast(pl.Float64), job=_job()
                )
            )
        else:
            where, filter_used = condition(settings.get("where"), context)
            schools = context.selected(
                "schools", lambda: _named_schools(context), settings.get("where")
            )
            if schools.is_empty():
                return Plan()  # e.g. primary roll-band rules over a secondary
            subjects, actual_used = self._school_actuals(rule, context, schools)
            used += actual_used + filter_used
        # The subjects (teachers with their figure and post in words, or schools with
        # theirs) are collected first, with the other rules' frames: the three frames
        # compared with the table below then read them, rather than each computing them.
        return Plan((subjects,), lambda found: self._against(rule, context, table, used, found[0]))

    def _against(
        self,
        rule: Rule,
        context: Context,
        table: pl.DataFrame,
        used: list[Any],
        chosen: pl.DataFrame,
    ) -> Plan:
        """The subjects against the table: breaches, and subjects it cannot check."""
        settings = rule.settings
        match = settings.get("match") or {}
        for table_column in [*match, settings["value"]]:
            # A subject with no teachers or schools to check is no finding, not an error.
            if table_column not in table.columns and not chosen.is_empty():
                raise PackError(f"rule {rule.id}: table has no column '{table_column}'")
            if table_column not in table.columns:
                return Plan()
        subjects = chosen.lazy()
        columns = set(chosen.columns)
        # No subjects (e.g. roll-band rules over a country's secondaries only): each of the
        # three results below is empty, so no finding.
        renamed = context.kept(rule, "renamed", lambda: table.rename(dict(match)))
        joined = subjects.join(
            renamed.lazy(),
            on=list(match.values()) or None,
            how="inner" if match else "cross",
        )
        joined_columns = {*columns, *renamed.columns}
        if band := settings.get("band"):
            by = pl.col(band["column"])
            if "settled" in band and band["settled"] in joined_columns:
                by = pl.coalesce(pl.col(band["settled"]), by)
            if "settled" in band and band["settled"] in joined_columns:
                settled_roll = pl.col(band["settled"]).cast(pl.String)
                joined = joined.with_columns(
                    settled_note=pl.when(pl.col(band["settled"]).is_null())
                    .then(pl.lit("no earlier roll is recorded"))
                    .otherwise(
                        pl.concat_str(
                            pl.lit("banded by last session's roll of "),
                            settled_roll,
                            pl.lit(": a post structure changes once the roll stays in a new band"),
                        )
                    )
                )
            joined = joined.with_columns(band_by=by).filter(
                (pl.col("band_by") >= pl.col(band["from"]))
                & (pl.col("band_by") <= pl.col(band["to"]))
            )
        plus = 0.0
        if "plus" in settings:
            plus, plus_used = context.number(settings["plus"])
            used += plus_used
        joined = joined.with_columns(limit=pl.col(settings["value"]).cast(pl.Float64) + plus)
        # A teacher whose figure is not recorded (a timetable in hours, not periods) cannot
        # be checked; reporting "0 periods" would be a false breach. School sums count 0.
        joined = joined.filter(pl.col("actual").is_not_null())
        column = str(settings["actual"].get("column", "figure"))
        column_words = column.removesuffix("_per_week").replace("non_contact", "non-contact")
        column_words = column_words.replace("_", " ")
        teacher = settings.get("subject", "teacher") == "teacher"
        settled = [b["settled"] for b in [settings.get("band") or {}] if "settled" in b]
        keys = ["school_id", "staff_id"] if teacher else ["school_id"]
        # A subject the table has no row for (a roll above the last band, a job size not
        # listed) cannot be checked; say so rather than pass it in silence.
        in_scope = subjects
        if match:
            # Only subjects the table is meant for: a head teacher is not "missing" from a
            # table of depute heads and principal teachers, but a PT of job size 9 is.
            first = next(iter(match))
            listed = context.kept(rule, "in-scope", lambda: table[first].implode())
            in_scope = in_scope.filter(pl.col(match[first]).is_in(listed))
        unchecked = {"actual": pl.lit(None), "limit": pl.lit(None)}
        violations = joined.filter(pl.col("actual") < pl.col("limit") - EPSILON).sort(keys)
        unmatched = (
            in_scope.filter(pl.col("actual").is_not_null())
            .join(joined.select(keys), on=keys, how="anti")
            .with_columns(**unchecked)
            .sort(keys)
        )
        unknown = in_scope.filter(pl.col("actual").is_null()).with_columns(**unchecked).sort(keys)
        plain = replace(rule, message=None)  # the rule's own message describes a breach
        if teacher:
            found = emit_later(
                rule,
                violations,
                subject=teacher_subject,
                default_message="{name} has {actual}; the table requires at least {limit}",
                parameters=used,
                data_columns=[*match.values(), settings["value"]],
            )
            missing = emit_later(
                plain,
                unmatched,
                subject=teacher_subject,
                default_message="{name} ({job}) has no row in the table, so this could not be "
                "checked",
                parameters=used,
                data_columns=[*match.values()],
            ) + emit_later(
                plain,
                unknown,
                subject=teacher_subject,
                default_message=f"{{name}} ({{job}}) has no {column_words} recorded, so this "
                "could not be checked (a timetable in hours needs the school's period length)",
                parameters=used,
                data_columns=[*match.values()],
            )
        else:
            found = emit_later(
                rule,
                violations,
                subject=school_subject,
                default_message="the school has {actual}; for its roll of {roll} the table "
                "requires at least {limit}",
                parameters=used,
                data_columns=["roll", *settled, settings["value"]],
            )
            missing = emit_later(
                plain,
                unmatched,
                subject=school_subject,
                default_message="the table has no band for a roll of {roll}, so this could not "
                "be checked",
                parameters=used,
                data_columns=["roll"],
            )
        return found + missing.then(
            lambda found: [replace(f, severity=Severity.INFO, refuse=None, fix=None) for f in found]
        )
