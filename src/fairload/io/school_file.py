"""School-year files (``fairload/school-year@1``, YAML or JSON) to and from SchoolYear.

Events from iCalendar files can be merged in: they are added to the document before
it is validated, so they pass the same checks as events written in the file, and any
problem with one is reported at its line in the .ics file rather than the school file.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import fields
from datetime import date, time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.nesting import nested, nesting_problems
from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import (
    BalanceOfTimeProforma,
    Committee,
    Event,
    SchoolYear,
    StaffMember,
)
from fairload.core.yamlfile import LocatedDict, LocatedList, load_file, load_text

if TYPE_CHECKING:  # icalendar takes a third of a second to import: only for --events
    from fairload.io.ical import CalendarImport

SUFFIXES = (".yaml", ".yml", ".json")
_EVENT_FIELD = re.compile(r"^events\[(\d+)\]\.?(.*)$")


def load_school_document(path: Path) -> Any:
    """A school-year file's document, with its lines, before it is validated; a file
    nested deeper than a school year is refused at its line before the YAML reader sees
    it (``core.nesting``, as the web import does)."""
    if path.suffix.lower() not in SUFFIXES:
        raise InputError(
            f"'{path.suffix or path.name}' is not a school-year file type",
            Location(str(path)),
            "A school year is a .yaml, .yml or .json file in the fairload/school-year@1 format.",
        )
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return load_file(path)  # which says, located, what is wrong with the file
    source = str(path)
    problems = nesting_problems(text, source)
    if problems:
        raise problems[0]
    try:
        return load_text(text, source)
    except RecursionError:
        raise nested(source) from None


def load_school_year(path: Path, extra_events: Sequence[Path] = ()) -> SchoolYear:
    """Read a school-year file, with events (and in-service days) from any .ics files."""
    document = load_school_document(path)
    imports = _read_all(extra_events, _year_window(document))
    origins = _merge(document, imports)
    try:
        return parse_school_year(document, str(path))
    except InputErrors as many:
        raise InputErrors(
            [_located(e, document, str(path), origins) for e in many.errors]
        ) from None
    except InputError as one:
        raise _located(one, document, str(path), origins) from None


def _located(
    error: InputError, document: Any, source: str, origins: dict[int, tuple[str, int]]
) -> InputError:
    return _relocated(error, source, origins)


def _year_window(document: Any) -> tuple[date, date] | None:
    """The school year's first and last days, to bound recurring calendar events."""
    try:
        year = document["year"]
        return date.fromisoformat(str(year["start"])), date.fromisoformat(str(year["end"]))
    except (KeyError, TypeError, ValueError):
        return None  # the school file's own validation will say what is wrong


def _read_all(
    paths: Sequence[Path], window: tuple[date, date] | None = None
) -> list[CalendarImport]:
    """Every .ics file read, their problems reported together."""
    if not paths:
        return []
    from fairload.io.ical import read_ics

    imports, errors = [], []
    for path in paths:
        try:
            imports.append(read_ics(path, window))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    if errors:
        raise InputErrors(errors)
    return imports


def _merge(document: Any, imports: list[CalendarImport]) -> dict[int, tuple[str, int]]:
    """Append imported events and in-service days; return where each added event came from."""
    origins: dict[int, tuple[str, int]] = {}
    if not imports or not isinstance(document, LocatedDict):
        return origins  # nothing to add, or a malformed file the parser will report
    events = document.get("events")
    if events is None:
        events = document["events"] = _located_list(document.line)
    year = document.get("year")
    days = year.get("inservice_days") if isinstance(year, dict) else None
    for item in imports:
        if isinstance(events, LocatedList):
            for imported in item.events:
                origins[len(events)] = (item.source, imported.line)
                events.append(imported.fields)
                # Keeps line look-ups in range; errors there are relocated to the .ics file.
                events.item_lines.append(events.line)
        if isinstance(days, LocatedList):
            for day in item.inservice_days:
                if day.isoformat() not in days:
                    days.append(day.isoformat())
                    days.item_lines.append(days.line)
    return origins


def _located_list(line: int) -> LocatedList:
    items = LocatedList()
    items.line = line
    items.item_lines = []
    return items


def _relocated(error: InputError, source: str, origins: dict[int, tuple[str, int]]) -> InputError:
    """An error about an imported event, pointed at its VEVENT instead of the school file."""
    location = error.location
    if location is None or location.file != source or not location.field:
        return error
    match = _EVENT_FIELD.match(location.field)
    if not match or int(match.group(1)) not in origins:
        return error
    ics_source, line = origins[int(match.group(1))]
    return type(error)(
        error.message, Location(ics_source, line, match.group(2) or None), error.hint
    )


def dump_school_year(year: SchoolYear) -> dict[str, Any]:
    """The school year as a ``fairload/school-year@1`` document of plain JSON types.

    ``parse_school_year(dump_school_year(y)) == y``; fields at their defaults are left out.
    """
    school = year.school
    calendar = year.calendar
    document: dict[str, Any] = {
        "format": FORMAT,
        "school": _without_none(
            {
                "id": school.id,
                "name": school.name,
                "authority": school.authority,
                "pack": school.pack,
                "sector": school.sector.value,
                "nation": school.nation.value,
                "roll": school.roll,
                "period_minutes": school.period_minutes,
                "periods_per_week": school.periods_per_week,
                "timetable_cycle_weeks": school.timetable_cycle_weeks
                if school.timetable_cycle_weeks != 1
                else None,
                "pupil_day": {
                    "start": _clock(school.pupil_day_start),
                    "end": _clock(school.pupil_day_end),
                },
            }
        ),
        "year": {
            "label": calendar.label,
            "start": calendar.dates.start.isoformat(),
            "end": calendar.dates.end.isoformat(),
            "terms": [_span(t.name, t.dates) for t in calendar.terms],
            "inservice_days": [d.isoformat() for d in calendar.inservice_days],
        },
        "staff": [_staff(member) for member in year.staff],
    }
    if school.roll_history:
        document["school"]["roll_history"] = [
            {"session": session, "roll": roll} for session, roll in school.roll_history
        ]
    if calendar.closures:
        document["year"]["closures"] = [_span(c.name, c.dates) for c in calendar.closures]
    if calendar.open_on_bank_holidays:
        document["year"]["open_on_bank_holidays"] = [
            d.isoformat() for d in calendar.open_on_bank_holidays
        ]
    everyone = tuple(s.id for s in year.staff)
    if year.events:
        document["events"] = [_event(e, everyone) for e in year.events]
    if year.policy:
        document["policy"] = dict(year.policy)
    agreement = _agreement(year)
    if agreement:
        document["agreement"] = agreement
    if year.proformas:
        document["proformas"] = [_proforma(proforma) for proforma in year.proformas]
    return document


def _proforma(proforma: BalanceOfTimeProforma) -> dict[str, Any]:
    row: dict[str, Any] = {"staff": proforma.staff_id, "activities": dict(proforma.activities)}
    if proforma.details:
        row["details"] = dict(proforma.details)
    row["signatures"] = [
        {"role": s.role, "name": s.name, "signed_on": s.signed_on.isoformat()}
        for s in proforma.signatures
    ]
    return row


def _clock(value: time) -> str:
    return f"{value:%H:%M}"


def _span(name: str, dates: Any) -> dict[str, str]:
    return {"name": name, "start": dates.start.isoformat(), "end": dates.end.isoformat()}


def _without_none(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def _staff(member: StaffMember) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for field in fields(member):
        value = getattr(member, field.name)
        if field.name in ("id", "name", "post") or value != field.default:
            data[field.name] = (
                list(value) if isinstance(value, tuple) else getattr(value, "value", value)
            )
    return data


def _event(event: Event, everyone: tuple[str, ...]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "id": event.id,
        "title": event.title,
        "category": event.category,
        "date": event.date.isoformat(),
        "start": _clock(event.start),
        "end": _clock(event.end),
    }
    # The attendees are kept in their order, so a list reads back as the same tuple. An
    # observation without a list means only its observer and observed, so it always has one.
    if event.attendees != everyone or event.observer or event.observed:
        data["attendees"] = list(event.attendees)
    optional = {
        "observer": event.observer,
        "observed": event.observed,
        "activity": event.activity,
        "foreseeable": event.foreseeable,
    }
    data.update(_without_none(optional))
    if event.during_ppa:
        data["during_ppa"] = True
    return data


def _agreement(year: SchoolYear) -> dict[str, Any]:
    agreement: dict[str, Any] = {}
    if year.agreement.allocations:
        agreement["allocations"] = dict(year.agreement.allocations)
    steps = year.agreement.process
    process: dict[str, Any] = {}
    for field in fields(steps):
        value = getattr(steps, field.name)
        if value is None or value == ():
            continue
        if isinstance(value, date):
            process[field.name] = value.isoformat()
        elif field.name == "vote":
            process["vote"] = {
                "held_on": value.held_on.isoformat(),
                "eligible": value.eligible,
                "in_favour": value.in_favour,
                "against": value.against,
                "abstained": value.abstained,
            }
        elif field.name == "signatures":
            process["signatures"] = [
                {"role": s.role, "name": s.name, "signed_on": s.signed_on.isoformat()}
                for s in value
            ]
        else:
            process[field.name] = value
    if process:
        agreement["process"] = process
    if year.agreement.groups:
        agreement["groups"] = [
            {"id": g.id, "title": g.title, "hours": g.hours, "members": list(g.members)}
            for g in year.agreement.groups
        ]
    committee = year.agreement.committee
    if committee is not None:
        agreement["committee"] = _committee(committee)
    return agreement


def _committee(committee: Committee) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if committee.accredited_unions:
        data["accredited_unions"] = list(committee.accredited_unions)
    data["members"] = []
    for member in committee.members:
        row: dict[str, Any] = {"staff": member.staff_id, "role": member.role}
        if member.union is not None:
            row["union"] = member.union
        row["from"] = member.since.isoformat()
        if member.until is not None:
            row["to"] = member.until.isoformat()
        data["members"].append(row)
    return data
