"""Which month or week a calendar page shows, read from its query.

Query parameters are forgiving: a month or week that cannot be read, or falls outside
the school year, shows the nearest sensible one with a note saying so, never an error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.http import HttpRequest

from fairload.core.calendar import monday_of
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.web.schools.calendar_scope import first_of_month, month_name

VIEWS = ("month", "week")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def day_name(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def _parse_month(text: str) -> date | None:
    match = _MONTH.match(text)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1 <= year <= 9998:
        return None
    return date(year, month, 1)


def _parse_day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if date.min + timedelta(days=7) < day < date.max - timedelta(days=7) else None


@dataclass
class Position:
    """The month or week a page shows, and what it had to say about the request."""

    view: str
    start: date  # the first of the month, or the Monday of the week
    notes: list[str] = field(default_factory=list)


def read_position(request: HttpRequest, year: CoreSchoolYear, today: date) -> Position:
    """The month or week asked for, kept inside the school year."""
    first, last = year.calendar.dates.start, year.calendar.dates.end
    label = year.calendar.label
    view = request.GET.get("view", "month")
    notes = []
    if view not in VIEWS:
        notes.append(f"There is no '{view}' view: showing the month.")
        view = "month"
    in_year = first <= today <= last
    if view == "month":
        lowest, highest = first_of_month(first), first_of_month(last)
        default = first_of_month(today) if in_year else lowest
        raw = request.GET.get("month")
        wanted = default
        if raw is not None:
            parsed = _parse_month(raw)
            if parsed is None:
                notes.append(f"'{raw}' is not a month written as year-month, e.g. 2025-11.")
            else:
                wanted = parsed
        clamped = min(max(wanted, lowest), highest)
        if clamped != wanted:
            notes.append(
                f"{month_name(wanted)} is outside the {label} school year "
                f"({day_name(first)} to {day_name(last)})."
            )
        return Position("month", clamped, notes)
    lowest, highest = monday_of(first), monday_of(last)
    default = monday_of(today) if in_year else lowest
    raw = request.GET.get("week")
    if raw is None and request.GET.get("month"):
        # switching from a month to its weeks: the first week of that month
        month = _parse_month(request.GET["month"])
        raw = monday_of(month + timedelta(days=6)).isoformat() if month else None
    wanted = default
    if raw is not None:
        parsed = _parse_day(raw)
        if parsed is None:
            notes.append(f"'{raw}' is not a date written as year-month-day, e.g. 2025-11-10.")
        else:
            wanted = monday_of(parsed)
    clamped = min(max(wanted, lowest), highest)
    if clamped != wanted:
        notes.append(
            f"The week of {day_name(wanted)} is outside the {label} school year "
            f"({day_name(first)} to {day_name(last)})."
        )
    return Position("week", clamped, notes)
