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
from typing import Any

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

    Importing ``holidays`` imports every country it knows (a fifth of a second), so the
    years most school years fall in are kept, as the installed release gives them, in
    a file shipped with fairload (``SNAPSHOT``, written by ``make docs``), read where it
    was made by that release; any other year is kept in the cache on disk, where a shell
    has turned it on, under the release of ``holidays`` that gave it.
    """
    release = _holidays_release()
    kept_by_release = _snapshot(release).get(nation.value, {}).get(str(year))
    if kept_by_release is not None:
        return {date.fromisoformat(day): name for day, name in kept_by_release.items()}
    key = f"{release} {nation.value} {year}"
    kept = diskcache.load("bank-holidays", key) if release else None
    if isinstance(kept, dict):
        return kept
    found = _from_holidays(nation, year)
    if release:
        diskcache.store("bank-holidays", key, found)
    return found


def _from_holidays(nation: Nation, year: int) -> dict[date, str]:
    import holidays

    table = holidays.country_holidays("GB", subdiv=_SUBDIVISIONS[nation], years=year)
    return dict(table.items())


#: The bank holidays of every nation in ``SNAPSHOT_YEARS``, as one ``holidays`` release
#: gives them: ``{"holidays": its version, "nations": {nation: {year: {day: name}}}}``.
SNAPSHOT = Path(__file__).parent / "data" / "bank-holidays.json"
SNAPSHOT_YEARS = range(2015, 2046)


def snapshot_document() -> dict[str, Any]:
    """What ``SNAPSHOT`` holds, worked out with the installed ``holidays``."""
    return {
        "holidays": _holidays_release(),
        "nations": {
            nation.value: {
                str(year): {
                    day.isoformat(): name for day, name in _from_holidays(nation, year).items()
                }
                for year in SNAPSHOT_YEARS
            }
            for nation in Nation
        },
    }


@cache
def _snapshot(release: str) -> dict[str, dict[str, dict[str, str]]]:
    """``SNAPSHOT``'s holidays by nation and year, if the installed release made it."""
    import json

    try:
        document = json.loads(SNAPSHOT.read_text("utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(document, dict) or document.get("holidays") != release:
        return {}
    nations = document.get("nations")
    return nations if isinstance(nations, dict) and release else {}


@cache
def _holidays_release() -> str:
    """The installed ``holidays`` release, as its distribution's folder names it
    (``holidays-0.109.dist-info``), found without importing it; "" where none is found
    (then nothing is kept: neither the cache on disk nor ``SNAPSHOT`` is read)."""
    spec = importlib.util.find_spec("holidays")
    if spec is None or spec.origin is None:
        return ""
    site = Path(spec.origin).parent.parent
    found = sorted(site.glob("holidays-*.dist-info"))
    return " ".join(f.name.removeprefix("holidays-").removesuffix(".dist-info") for f in found)


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
