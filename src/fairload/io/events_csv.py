"""Calendar events as CSV: read into the school-year format's ``events``, and written back.

The columns are the fields of an event in ``fairload/school-year@1`` (see
docs/import-formats.md): ``title``, ``category``, ``date``, ``start`` and ``end`` are
required; ``id``, ``attendees``, ``observer``, ``observed``, ``activity``,
``foreseeable`` and ``during_ppa`` are optional. Dates are ``YYYY-MM-DD`` (or
``DD/MM/YYYY``, as a UK spreadsheet saves them), times ``HH:MM`` on the 24-hour clock.

``attendees`` is ``all`` (or ``everyone``, or empty: the format's default, which for an
observation is only its observer and observed), ``none``, or staff ids separated by
``;``. An item ``post:<post>`` or ``department:<name>`` stands for everyone in that post
or department (the format's ``{posts: [...], departments: [...], include: [...]}``).

Every problem is reported at once, located by line and column; problems that need the
staff list (an unknown staff id) are found when the events are put into a school year.
``events_to_csv`` writes what ``parse_events_csv`` reads.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, time
from typing import Any

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.school_year import Event, Post
from fairload.io.staff_csv import (
    CsvRecord,
    by_line,
    capped,
    check_value,
    id_checker,
    properties,
    read_table,
    record_reader,
    required_fields,
    write_table,
)

EVERYONE_WORDS = ("all", "everyone")
NOBODY_WORDS = ("none", "nobody")
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_CLOCK = re.compile(r"^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$")
_ITEM = re.compile(r"^(post|department)\s*:\s*(.+)$", re.IGNORECASE)


def event_columns() -> tuple[str, ...]:
    """Every event column, in the order of the core's Event fields."""
    names = [f.name for f in fields(Event)]
    return tuple(n for n in names if n in properties("event"))


@dataclass(frozen=True, slots=True)
class EventsCsv:
    source: str
    columns: tuple[str, ...]
    records: tuple[CsvRecord, ...]

    @property
    def events(self) -> list[dict[str, Any]]:
        """The ``events`` of a school-year document."""
        return [dict(r.fields) for r in self.records]


def _date(text: str) -> tuple[Any, str, str]:
    hint = "Write the date as YYYY-MM-DD (2025-09-03) or DD/MM/YYYY (03/09/2025)."
    try:
        if match := _UK_DATE.match(text):
            day, month, year = (int(g) for g in match.groups())
            return date(year, month, day).isoformat(), "", ""
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            return date.fromisoformat(text).isoformat(), "", ""
    except ValueError:
        return None, f"'{text}' is not a date in the calendar", hint
    return None, f"'{text}' is not a date", hint


def _clock(text: str) -> tuple[Any, str, str]:
    hint = "Write the time as HH:MM on the 24-hour clock (15:45)."
    match = _CLOCK.match(text)
    if match is None:
        return None, f"'{text}' is not a time", hint
    hours, minutes, seconds = int(match[1]), int(match[2]), int(match[3] or 0)
    if hours > 23 or minutes > 59 or seconds > 59:
        return None, f"'{text}' is not a time of day", hint
    if seconds:
        return None, f"'{text}' has seconds", "Give the time to the minute: HH:MM."
    return f"{hours:02d}:{minutes:02d}", "", ""


def _attendees(text: str) -> tuple[Any, str, str]:
    word = text.strip().lower()
    if word in EVERYONE_WORDS:
        return "all", "", ""
    if word in NOBODY_WORDS:
        return [], "", ""
    ids: list[str] = []
    posts: list[str] = []
    departments: list[str] = []
    staff_id = properties("staff")["id"]
    for item in (i.strip() for i in re.split(r"[;,]", text)):
        if not item:
            continue
        if match := _ITEM.match(item):
            kind, name = match[1].lower(), match[2].strip()
            if kind == "department":
                departments.append(name)
                continue
            post = re.sub(r"[\s_]+", "-", name.lower())
            if post not in {p.value for p in Post}:
                return (
                    None,
                    f"'{name}' is not a post",
                    "Posts: " + ", ".join(p.value for p in Post) + ".",
                )
            posts.append(post)
            continue
        problem, _ = check_value(staff_id, item)
        if problem:
            return (
                None,
                f"'{item}' is not a staff id",
                "Write staff ids separated by ';', or all, or none; "
                "post:<post> or department:<name> for a whole post or department.",
            )
        ids.append(item)
    if not posts and not departments:
        return ids, "", ""
    spec: dict[str, Any] = {}
    if posts:
        spec["posts"] = posts
    if departments:
        spec["departments"] = departments
    if ids:
        spec["include"] = ids
    return spec, "", ""


_READERS = {"date": _date, "start": _clock, "end": _clock, "attendees": _attendees}


def _times(source: str, line: int, cells: dict[str, str]) -> list[InputError]:
    start, _, _ = _clock(cells.get("start", ""))
    end, _, _ = _clock(cells.get("end", ""))
    if start and end and end <= start:
        return [
            InputError(
                f"it ends at {end}, not after it starts at {start}",
                Location(source, line, "end"),
                "An event starts and ends on the same day; check the two times.",
            )
        ]
    return []


def parse_events_csv(text: str, source: str, most_rows: int | None = None) -> EventsCsv:
    """Events from CSV text; every problem at once (up to ``MOST_ERRORS``, then reading
    stops), located by line and column.

    ``most_rows`` bounds the work: a file with more rows is refused before they are read."""
    errors: list[InputError] = []
    records: list[CsvRecord] = []
    read = record_reader("event", source, records, _READERS)
    repeated = id_checker(source, "event")

    def check_row(line: int, cells: dict[str, str], columns: tuple[str, ...]) -> list[InputError]:
        return read(line, cells, columns) + _times(source, line, cells) + repeated(line, cells)

    table = read_table(
        text, source, event_columns(), required_fields("event"), errors, most_rows, check_row
    )
    if table is None:
        raise InputErrors(errors)
    if errors:
        raise InputErrors(capped(by_line(errors), source))
    return EventsCsv(source, table.columns, tuple(records))


def _attendee_cell(event: Event, everyone: tuple[str, ...]) -> str:
    if event.attendees == everyone:
        return "all"
    if not event.attendees:
        # Left empty, an observation involves only its observer and observed.
        return "" if event.observer or event.observed else "none"
    return ";".join(event.attendees)


def events_to_csv(events: Sequence[Event], staff_ids: Sequence[str]) -> str:
    """An events CSV that ``parse_events_csv`` reads back as the same events.

    ``staff_ids`` is the school's whole staff list (in order), so an event for everyone
    is written ``all``. The optional columns appear when some event uses them.
    """
    everyone = tuple(staff_ids)
    always = ("id", *required_fields("event"), "attendees")
    defaults: dict[str, Any] = {f.name: f.default for f in fields(Event) if f.name not in always}
    columns = [
        name
        for name in event_columns()
        if name in always or any(getattr(e, name) != defaults[name] for e in events)
    ]

    def row(event: Event) -> dict[str, Any]:
        values: dict[str, Any] = {name: getattr(event, name) for name in columns}
        values["date"] = event.date.isoformat()
        values["start"] = _hhmm(event.start)
        values["end"] = _hhmm(event.end)
        values["attendees"] = _attendee_cell(event, everyone)
        return values

    return write_table(columns, (row(e) for e in events))


def _hhmm(value: time) -> str:
    return f"{value:%H:%M}"
