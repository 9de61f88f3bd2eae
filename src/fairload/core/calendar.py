"""The school year as a period: working days, weeks and terms, bank holidays removed.

Weekly and yearly limits count over this: "per week" means per school week (Monday
to Sunday) that has at least one working day; averages divide by working weeks,
i.e. working days over five.
"""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from fairload.core import diskcache
from fairload.core.school_year import Nation, YearCalendar

_SUBDIVISIONS = {
    Nation.ENGLAND: "ENG",
    Nation.WALES: "WLS",
    Nation.SCOTLAND: "SCT",
    Nation.NORTHERN_IRELAND: "NIR",
}

DAYS_PER_WORKING_WEEK = 5  # Monday to Friday: a calendar fact, not an agreement figure


@cache
def bank_holidays(nation: Nation, year: int) -> dict[date, str]:
    """Bank holidays of a UK nation in a calendar year, from the ``holidays`` package.

    Importing ``holidays`` imports every country it knows (a fifth of a second), so a
    year's holidays are kept in the cache on disk, where a shell has turned it on, under
    the release of ``holidays`` that gave them.
    """
    release = _holidays_release()
    key = f"{release} {nation.value} {year}"
    kept = diskcache.load("bank-holidays", key) if release else None
    if isinstance(kept, dict):
        return kept
    import holidays

    table = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    found = dict(table.items())
    if release:
        diskcache.store("bank-holidays", key, found)
    return found


@cache
def _holidays_release() -> str:
    """The installed ``holidays`` release (its version.py), read without importing it."""
    spec = importlib.util.find_spec("holidays")
    try:
        return (Path(str(spec.origin)).parent / "version.py").read_text("utf-8") if spec else ""
    except OSError:
        return ""


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True, slots=True)
class SchoolPeriod:
    """A school year resolved into the days teachers work."""

    calendar: YearCalendar
    nation: Nation
    working_days: tuple[date, ...]
    bank_holidays_in_term: tuple[tuple[date, str], ...]

    @property
    def working_day_count(self) -> int:
        return len(self.working_days)

    @property
    def pupil_day_count(self) -> int:
        return len(set(self.working_days) - set(self.calendar.inservice_days))

    @property
    def working_weeks(self) -> float:
        return self.working_day_count / DAYS_PER_WORKING_WEEK

    def week_of(self, day: date) -> int:
        """School week number, 1 for the week the year starts in."""
        return (monday_of(day) - monday_of(self.calendar.dates.start)).days // 7 + 1

    def term_of(self, day: date) -> str | None:
        for term in self.calendar.terms:
            if day in term.dates:
                return term.name
        return None

    def is_working_day(self, day: date) -> bool:
        return day in self._working_set()

    def _working_set(self) -> frozenset[date]:
        return frozenset(self.working_days)


def school_period(calendar: YearCalendar, nation: Nation) -> SchoolPeriod:
    """Working days: weekdays in the year, less closures and bank holidays (unless open)."""
    closed = {day for closure in calendar.closures for day in closure.dates.days()}
    years = {calendar.dates.start.year, calendar.dates.end.year}
    bank = {d: name for y in years for d, name in bank_holidays(nation, y).items()}
    working: list[date] = []
    holidays_in_term: list[tuple[date, str]] = []
    for day in calendar.dates.days():
        if day.weekday() >= DAYS_PER_WORKING_WEEK or day in closed:
            continue
        if day in bank and day not in calendar.open_on_bank_holidays:
            holidays_in_term.append((day, bank[day]))
            continue
        working.append(day)
    return SchoolPeriod(calendar, nation, tuple(working), tuple(holidays_in_term))
