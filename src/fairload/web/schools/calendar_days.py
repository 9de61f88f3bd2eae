"""The days a calendar page shows, each with its events and what is special about it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Any

from fairload.core.calendar import DAYS_PER_WORKING_WEEK, school_period
from fairload.core.school_year import Event as CoreEvent
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.web.schools.calendar_scope import category_class
from fairload.web.schools.labels import category_label


@dataclass
class EventView:
    title: str
    start: time
    end: time
    category: str
    label: str
    css: str
    counted: bool
    role: str = ""


@dataclass
class DayView:
    date: date
    in_year: bool
    weekend: bool
    inservice: bool
    closures: list[str]
    bank_holiday: str | None
    today: bool
    events: list[EventView]
    column: int  # 1 (Monday) to 7 (Sunday)

    @property
    def quiet(self) -> bool:
        """Nothing to show on a phone's list: no events and nothing special about the day."""
        marked = self.inservice or self.closures or self.bank_holiday or self.today
        return not self.events and not marked

    @property
    def long_name(self) -> str:
        return f"{self.date:%A} {self.date.day} {self.date:%B}"


def _takes_part(event: CoreEvent, staff_id: str) -> str | None:
    """How a teacher is in an event (their calendar shows observing too), or None."""
    if event.observer == staff_id:
        return "observing"
    if event.observed == staff_id:
        return "observed"
    if staff_id in event.attendees:
        return ""
    return None


def day_views(
    year: CoreSchoolYear,
    first: date,
    last: date,
    staff_id: str | None,
    counted: set[str],
    today: date,
) -> list[DayView]:
    """Every day from ``first`` to ``last``; a teacher's (``staff_id``) shows only their events."""
    calendar = year.calendar
    period = school_period(calendar, year.school.nation)
    closed = {day: c.name for c in calendar.closures for day in c.dates.days()}
    bank = dict(period.bank_holidays_in_term)
    inservice = set(calendar.inservice_days)
    by_day: dict[date, list[EventView]] = defaultdict(list)
    for event in sorted(year.events, key=lambda e: (e.date, e.start, e.end, e.title)):
        if not first <= event.date <= last:
            continue
        role = _takes_part(event, staff_id) if staff_id else ""
        if role is None:
            continue
        by_day[event.date].append(
            EventView(
                event.title,
                event.start,
                event.end,
                event.category,
                category_label(event.category),
                category_class(event.category),
                event.category in counted,
                role,
            )
        )
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(
            DayView(
                date=day,
                in_year=day in calendar.dates,
                weekend=day.weekday() >= DAYS_PER_WORKING_WEEK,
                inservice=day in inservice,
                closures=[closed[day]] if day in closed else [],
                bank_holiday=bank.get(day),
                today=day == today,
                events=by_day.get(day, []),
                column=day.weekday() + 1,
            )
        )
    return days


def legend_of(days: list[DayView]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for day in days:
        for event in day.events:
            seen.setdefault(
                event.category,
                {"label": event.label, "css": event.css, "counted": event.counted},
            )
    return sorted(seen.values(), key=lambda item: item["label"])
