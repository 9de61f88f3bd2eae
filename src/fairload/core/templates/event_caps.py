"""Limits on calendar events: their length, how many or how long per period, per teacher."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

import polars as pl

from fairload.core.rules import Context, Rule, condition
from fairload.core.templates.base import (
    EXPRESSION,
    WHERE,
    Listing,
    Plan,
    Planned,
    emit_later,
    event_subject,
    school_subject,
    teacher_subject,
    week_subject,
)

EPSILON = 1e-9  # hours are sums of minutes/60; never report 3.0000000001 > 3
ROLES = {
    "type": "array",
    "items": {"enum": ["attendee", "observed", "observer"]},
    "default": ["attendee", "observed"],
    "description": "whose part in an event counts: an observer's time is not the observed's",
}
_PERIOD_COLUMN = {"week": "week", "term": "term", "year": None}


def _event_list() -> pl.Expr:
    return pl.concat_str(
        [pl.col("title"), pl.lit(" ("), pl.col("date").cast(pl.String), pl.lit(")")]
    )


#: The events columns these templates read besides those a rule's ``where`` names.
_READ = ("title", "date", "week", "term", "hours", "evening")


def _roles(rule: Rule) -> list[str]:
    """Whose attendance a cap counts: its ``roles``, by default attendees and the observed."""
    return list(rule.settings.get("roles", ["attendee", "observed"]))


def _attended(
    context: Context, rule: Rule, also: pl.Expr | None = None
) -> tuple[pl.LazyFrame, list[Any]]:
    """Attendance rows joined to events, filtered by the rule's roles and ``where`` (and
    ``also``, over the events' columns)."""
    roles = _roles(rule)
    where, used = condition(rule.settings.get("where"), context)
    rows = context.tables.attended_events_lazy(*_READ, where=where, event_rows=True)
    rows = rows.filter(pl.col("role").is_in(roles))
    return (rows if also is None else rows.filter(also)), used


def _attended_by_staff_row(
    context: Context, rule: Rule, also: pl.Expr | None, *columns: str
) -> pl.LazyFrame | None:
    """:func:`_attended`'s rows as :meth:`Tables.attended_by_staff_row` keys them (a
    country's), with the events' ``columns``; None where the tables cannot."""
    roles = _roles(rule)
    where, _ = condition(rule.settings.get("where"), context)
    chosen = where if also is None else where & also
    return context.tables.attended_by_staff_row(chosen, roles, *columns)


def _unless_no_events(
    rule: Rule, context: Context, also: pl.Expr | None, plan: Callable[[], Plan]
) -> Plan:
    """``plan()``, for one school only if some event of the calendar meets the rule's
    ``where`` (and ``also``): every finding of these templates counts such events."""

    def chosen() -> pl.Expr:
        where, _ = condition(rule.settings.get("where"), context)
        return where if also is None else where & also

    return Plan.unless_none(context.tables.events, context.kept(rule, "events", chosen), plan)


def _staff(context: Context, *columns: str) -> pl.LazyFrame:
    """The staff's ``columns`` by :meth:`Context.teacher_keys`."""
    return context.tables.staff.lazy().select(*context.teacher_keys(), *columns)


def _with_events(
    rows: pl.LazyFrame | Callable[[], pl.LazyFrame], keys: list[str]
) -> Callable[[pl.LazyFrame], pl.LazyFrame]:
    """What attaches the list of events behind each violation, for its working, sorted by
    ``keys`` (``emit_later``'s ``details``: built only for a rule that found some). The
    rows may be given as what makes them: then they are made only for such a rule."""

    def details(violations: pl.LazyFrame) -> pl.LazyFrame:
        lists = (
            (rows if isinstance(rows, pl.LazyFrame) else rows())
            .join(violations.select(keys), on=keys, how="semi")
            .sort("date")
            .group_by(keys)
            .agg(events=_event_list())
        )
        return violations.join(lists, on=keys, how="left", maintain_order="left").sort(keys)

    return details


def _listing(
    context: Context, rows: pl.LazyFrame | Callable[[], pl.LazyFrame], keys: list[str]
) -> tuple[list[pl.Expr], dict[str, Any]]:
    """How a grouping of attendance rows by ``keys`` lists the events behind each
    violation, for its working: what its aggregation adds, and ``emit_later``'s
    arguments. For one school each group carries its rows' events (``_event``, their
    rows of ``events``: a list of integers), and the few found are listed from them in
    Python, where a plan of their own was another ``collect`` of a fixed cost; for a
    country, :func:`_with_events` (planned only for a rule that found some)."""
    if not context.tables.small:
        return [], {"details": _with_events(rows, keys)}
    listing = Listing(tuple(keys), _listed(context.tables.events))
    return [pl.col("_event").alias("_events")], {"listing": listing}


def _listed(events: pl.DataFrame) -> Callable[[pl.DataFrame], dict[str, list[Any]]]:
    """What lists each violation's events (``_events``, rows of ``events``) as
    :func:`_event_list` writes them, by date (one date's in attendance order):
    :func:`_with_events`' ``events``."""

    def listed(found: pl.DataFrame) -> dict[str, list[Any]]:
        titles, dates = events.get_column("title").to_list(), events.get_column("date").to_list()
        lists = []
        for chosen in found.get_column("_events").to_list():
            ordered = sorted(chosen, key=dates.__getitem__)
            lists.append(
                [
                    None if titles[row] is None else f"{titles[row]} ({dates[row].isoformat()})"
                    for row in ordered
                ]
            )
        return {"events": lists}

    return listed


class EventDurationCap(Planned):
    name: ClassVar[str] = "event_duration_cap"
    summary: ClassVar[str] = "No single event of the selected kinds may last longer than a limit."
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {"where": WHERE, "max_hours": EXPRESSION},
        "required": ["where", "max_hours"],
    }
    figures: ClassVar[tuple[str, ...]] = ("max_hours",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        limit, used = context.number(rule.settings["max_hours"])
        where, filter_used = condition(rule.settings["where"], context)
        longer = context.kept(rule, "longer", lambda: where & (pl.col("hours") > limit + EPSILON))
        return Plan.unless_none(
            context.tables.events,
            longer,
            lambda: self._plan(rule, context, longer, limit, [*used, *filter_used]),
        )

    def _plan(
        self, rule: Rule, context: Context, longer: pl.Expr, limit: float, used: list[Any]
    ) -> Plan:
        violations = context.tables.events.lazy().filter(longer)
        violations = violations.with_columns(actual=pl.col("hours"), limit=pl.lit(limit))
        return emit_later(
            rule,
            violations,
            subject=event_subject,
            default_message="'{title}' on {date} lasts {actual:hours}; the limit is {limit:hours}",
            parameters=used,
            data_columns=["event_id", "title", "category", "date", "hours"],
        )


class PeriodCap(Planned):
    name: ClassVar[str] = "period_cap"
    summary: ClassVar[str] = (
        "A teacher (or the school) may have at most a number of events, hours or distinct days "
        "of the selected kinds per week, term or year, optionally pro rata to FTE."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "where": WHERE,
            "roles": ROLES,
            "measure": {"enum": ["count", "hours", "days"], "description": "what is counted"},
            "per": {"enum": ["week", "term", "year"], "description": "the period it is counted in"},
            "subject": {"enum": ["teacher", "school"], "default": "teacher"},
            "max": EXPRESSION,
            "pro_rata": {"type": "boolean", "description": "scale the cap by the FTE"},
        },
        "required": ["where", "measure", "per", "max"],
    }
    figures: ClassVar[tuple[str, ...]] = ("max",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    _MEASURES: ClassVar[dict[str, pl.Expr]] = {
        "count": pl.col("event_id").n_unique().cast(pl.Float64),
        "hours": pl.col("hours").sum(),
        "days": pl.col("date").n_unique().cast(pl.Float64),
    }
    _UNITS: ClassVar[dict[str, str]] = {"count": "events", "hours": "hours", "days": "days"}

    def plan(self, rule: Rule, context: Context) -> Plan:
        return _unless_no_events(rule, context, None, lambda: self._plan(rule, context))

    def _plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        limit, used = context.number(settings["max"])
        measure, per = settings["measure"], settings["per"]
        period = _PERIOD_COLUMN[per]
        unit = self._UNITS[measure]
        when = "" if per == "year" else f" in {per} {{{period}}}"
        if settings.get("subject", "teacher") == "school":
            where, filter_used = condition(settings["where"], context)
            rows = context.tables.events.lazy().filter(where)
            keys = ["school_id"] + ([period] if period else [])
            totals = rows.group_by(keys).agg(actual=self._MEASURES[measure])
            over = totals.filter(pl.col("actual") > limit + EPSILON).with_columns(
                limit=pl.lit(limit)
            )
            message = (
                f"the school calendar has {{actual:{unit}}}{when}; the limit is {{limit:{unit}}}"
            )
            return emit_later(
                rule,
                over,
                details=_with_events(rows, keys),
                subject=school_subject,
                default_message=message,
                parameters=[*used, *filter_used],
                data_columns=[*keys[1:], "events"],
            )
        rows, filter_used = _attended(context, rule)
        who = context.teacher_keys()
        keys = who + ([period] if period else [])
        listing, listed = _listing(context, rows, keys)
        totals = rows.group_by(keys).agg(*listing, actual=self._MEASURES[measure])
        totals = totals.with_columns(context.school_column())
        totals = totals.join(_staff(context, "name", "fte"), on=who, how="left")
        scale = pl.col("fte").fill_null(1.0) if settings.get("pro_rata") else pl.lit(1.0)
        totals = totals.with_columns(limit=pl.lit(limit) * scale)
        over = totals.filter(pl.col("actual") > pl.col("limit") + EPSILON)
        pro_rata = " (pro rata to FTE {fte})" if settings.get("pro_rata") else ""
        message = f"{{name}} has {{actual:{unit}}}{when}; the limit is {{limit:{unit}}}{pro_rata}"
        return emit_later(
            rule,
            over,
            **listed,
            subject=week_subject if per == "week" else teacher_subject,
            default_message=message,
            parameters=[*used, *filter_used],
            data_columns=[*keys[len(who) :], "fte", "events"],
        )


class WeeklyAverageCap(Planned):
    name: ClassVar[str] = "weekly_average_cap"
    summary: ClassVar[str] = (
        "On average over the school's working weeks, a teacher may have at most a number "
        "of the selected events per week."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {"where": WHERE, "roles": ROLES, "max_per_week": EXPRESSION},
        "required": ["where", "max_per_week"],
    }
    figures: ClassVar[tuple[str, ...]] = ("max_per_week",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        return _unless_no_events(rule, context, None, lambda: self._plan(rule, context))

    def _plan(self, rule: Rule, context: Context) -> Plan:
        limit, used = context.number(rule.settings["max_per_week"])
        rows, filter_used = _attended(context, rule)
        keys = context.teacher_keys()
        listing, listed = _listing(context, rows, keys)
        totals = rows.group_by(keys).agg(*listing, count=pl.col("event_id").n_unique())
        weeks = context.tables.schools.lazy().select("school_id", "working_weeks")
        totals = (
            totals.with_columns(context.school_column())
            .join(weeks, on="school_id", how="left")
            .join(_staff(context, "name"), on=keys, how="left")
            .with_columns(actual=pl.col("count") / pl.col("working_weeks"), limit=pl.lit(limit))
        )
        over = totals.filter(pl.col("actual") > pl.col("limit") + EPSILON)
        return emit_later(
            rule,
            over,
            **listed,
            subject=teacher_subject,
            default_message=(
                "{name} has {count} of these in {working_weeks} working weeks, "
                "an average of {actual} a week; the limit is {limit} a week on average"
            ),
            parameters=[*used, *filter_used],
            data_columns=["count", "working_weeks", "events"],
        )


class EveningsPerWeekCap(Planned):
    name: ClassVar[str] = "evenings_per_week_cap"
    summary: ClassVar[str] = (
        "A teacher may be directed on at most a number of distinct evenings in any week, "
        "counting every selected category together."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {"where": WHERE, "roles": ROLES, "max": EXPRESSION},
        "required": ["where", "max"],
    }
    figures: ClassVar[tuple[str, ...]] = ("max",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        return _unless_no_events(
            rule, context, pl.col("evening"), lambda: self._plan(rule, context)
        )

    def _plan(self, rule: Rule, context: Context) -> Plan:
        limit, used = context.number(rule.settings["max"])
        _, filter_used = condition(rule.settings["where"], context)
        evenings = pl.col("date").n_unique().cast(pl.Float64)
        who = context.teacher_keys()
        keys = [*who, "week"]
        keyed = _attended_by_staff_row(context, rule, pl.col("evening"))
        if keyed is not None:  # a country: grouped by integers, the few found named after
            # A week of no more rows than the limit has no more evenings: counting rows
            # first, by one integer a teacher-week, leaves the distinct dates of a sliver
            # of the weeks to count (a teacher-week is their staff row and the week's
            # place among the events' weeks, 0 for none).
            events = context.tables.events
            place = events.get_column("week").rank("dense").fill_null(0).cast(pl.UInt64)

            def of_event(column: pl.Series) -> pl.Expr:
                return pl.lit(column).gather(pl.col("_event"))

            teacher_week = pl.col("_staff").cast(pl.UInt64) * 2**32 + of_event(place)
            crowded = (
                keyed.with_columns(_week=teacher_week)
                .filter(pl.len().over("_week") > limit + EPSILON)
                .select("_staff", of_event(events["week"]), of_event(events["date"]))
            )
            totals = crowded.group_by("_staff", "week").agg(actual=evenings)
            over = context.tables.staff_by_row(
                totals.filter(pl.col("actual") > limit + EPSILON), "name"
            ).with_columns(limit=pl.lit(limit))
        else:
            rows, _ = _attended(context, rule, pl.col("evening"))
            listing, listed = _listing(context, rows, keys)
            totals = rows.group_by(keys).agg(*listing, actual=evenings)
            over = (
                totals.filter(pl.col("actual") > limit + EPSILON)
                .with_columns(context.school_column())
                .join(_staff(context, "name"), on=who, how="left")
                .with_columns(limit=pl.lit(limit))
            )
        if keyed is not None:  # the working's events planned only for a rule that found some
            listed = {
                "details": _with_events(
                    lambda: _attended(context, rule, pl.col("evening"))[0], keys
                )
            }
        return emit_later(
            rule,
            over,
            **listed,
            subject=week_subject,
            default_message="{name} is directed on {actual} evenings in week {week}; "
            "the limit is {limit}",
            parameters=[*used, *filter_used],
            data_columns=["week", "events"],
        )
