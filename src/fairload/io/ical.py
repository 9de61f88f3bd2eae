"""Calendar events from iCalendar (.ics) files, and feeds of a school's or a teacher's year.

Each timed VEVENT becomes an event of the school-year format: ``title`` from SUMMARY,
``date``/``start``/``end`` from DTSTART and DTEND (or DURATION) as wall-clock times in
the school's zone (Europe/London: a time with a TZID or in UTC is converted, a floating
time is taken as written; a result outside ``SCHOOL_DAY_BOUNDS`` is refused, naming the
time as given and as converted), ``id`` from the UID (the part before ``@``, reduced to letters,
digits, dots and hyphens), and ``attendees`` from ``X-FAIRLOAD-ATTENDEES`` (staff ids,
comma-separated; everyone when absent).

The category is the first of:

1. a ``CATEGORIES`` value naming a fairload category (case does not matter, spaces
   become hyphens, so ``Parents Evening`` is ``parents-evening``);
2. an ``X-FAIRLOAD-CATEGORY`` property (which must name a fairload category);
3. a keyword in the SUMMARY (see ``SUMMARY_KEYWORDS``: "parents" → parents-evening,
   "INSET" → in-service, …), the first keyword in that list winning;

otherwise the event is reported as an error naming the file, the line of its
``BEGIN:VEVENT`` and its SUMMARY, with the accepted categories.

A VEVENT marked ``X-FAIRLOAD-DEADLINE`` (a deadline a fairload feed adds, such as a
ballot's closing time) is skipped: it asks for no directed time.

An all-day in-service VEVENT is an in-service day of the year, returned separately.
Any other all-day VEVENT is an error: it carries no hours to check. A recurring event
(RRULE, RDATE, EXDATE) becomes one event per occurrence within the school year, by
``recurring-ical-events``; without a school year to bound it, it is an error, since
counting only its first occurrence would under-count the hours a teacher is asked for.

A file the iCalendar libraries cannot read is refused with a located error, never a
crash: each RRULE is checked against RFC 5545's grammar first (a ``COUNT`` that is not a
whole number, an ``UNTIL`` with junk after it, an ``INTERVAL`` of 0, which would repeat
for ever, are errors at their line), as is a property that may appear once and appears
twice; and anything else a library raises about one VEVENT is that VEVENT's error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, tzinfo
from functools import cache
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import recurring_ical_events
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.school_format import schema
from fairload.core.school_year import SchoolYear
from fairload.io.staff_csv import capped

#: Every nation fairload knows (England, Wales, Scotland, Northern Ireland) keeps UK time.
SCHOOL_TIME_ZONE: tzinfo = ZoneInfo("Europe/London")

#: No school directs time before or after these local hours; an event there is almost
#: always a calendar exported in the wrong zone, so it is refused rather than checked.
SCHOOL_DAY_BOUNDS: tuple[time, time] = (time(6, 0), time(22, 0))

#: Summary keywords, tried in order (a "mock inspection observation" is a mock inspection).
SUMMARY_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"mock\s*inspection|mocksted", "mock-inspection"),
    (r"in[\s-]?service|\binset\b", "in-service"),
    (r"\bparent", "parents-evening"),
    (r"\bdepartment", "department-meeting"),
    (r"\bstaff\s+meeting", "staff-meeting"),
    (r"\bobservation", "observation"),
    (r"\breport", "report"),
    (r"\bunion\b", "union-meeting"),
    (r"\binvigilat", "invigilation"),
    (r"\bcover\b", "cover"),
)

PRODUCT_ID = "-//fairload//fairload calendar//EN"
_UNSAFE_ID = re.compile(r"[^A-Za-z0-9._-]+")

_DAY = r"(?:MO|TU|WE|TH|FR|SA|SU)"
#: RFC 5545 §3.3.10: each part of a recurrence rule, and the form of its value.
_RULE_PARTS: dict[str, re.Pattern[str]] = {
    "FREQ": re.compile(r"(?:SECONDLY|MINUTELY|HOURLY|DAILY|WEEKLY|MONTHLY|YEARLY)"),
    "UNTIL": re.compile(r"\d{8}(?:T\d{6}Z?)?"),
    "COUNT": re.compile(r"0*[1-9]\d{0,5}"),
    "INTERVAL": re.compile(r"0*[1-9]\d{0,3}"),
    "BYSECOND": re.compile(r"(?:[0-5]?\d|60)(?:,(?:[0-5]?\d|60))*"),
    "BYMINUTE": re.compile(r"[0-5]?\d(?:,[0-5]?\d)*"),
    "BYHOUR": re.compile(r"(?:[01]?\d|2[0-3])(?:,(?:[01]?\d|2[0-3]))*"),
    "BYDAY": re.compile(rf"[+-]?\d{{0,2}}{_DAY}(?:,[+-]?\d{{0,2}}{_DAY})*"),
    "BYMONTHDAY": re.compile(r"[+-]?\d{1,2}(?:,[+-]?\d{1,2})*"),
    "BYYEARDAY": re.compile(r"[+-]?\d{1,3}(?:,[+-]?\d{1,3})*"),
    "BYWEEKNO": re.compile(r"[+-]?\d{1,2}(?:,[+-]?\d{1,2})*"),
    "BYMONTH": re.compile(r"(?:0?[1-9]|1[0-2])(?:,(?:0?[1-9]|1[0-2]))*"),
    "BYSETPOS": re.compile(r"[+-]?\d{1,3}(?:,[+-]?\d{1,3})*"),
    "WKST": re.compile(_DAY),
}
#: What a part's value must be, for the parts people most often get wrong.
_RULE_FORMS = {
    "COUNT": "a whole number from 1",
    "INTERVAL": "a whole number from 1",
    "UNTIL": "a date (20260701) or a date and time (20260701T000000Z)",
}
#: Properties a VEVENT or a VTIMEZONE may have once only (RFC 5545 §3.6.1, §3.6.5).
_ONCE: dict[str, frozenset[str]] = {
    "VEVENT": frozenset({"UID", "DTSTART", "DTEND", "DURATION", "SUMMARY", "RRULE"}),
    "VTIMEZONE": frozenset({"TZID"}),
}


@cache
def categories() -> tuple[str, ...]:
    """The event categories of the school-year format, from its published schema."""
    enum = schema()["$defs"]["event"]["properties"]["category"]["enum"]
    return tuple(str(c) for c in enum)


@dataclass(frozen=True, slots=True)
class ImportedEvent:
    """An event in the school-year format, with the line its VEVENT begins on."""

    fields: dict[str, Any]
    line: int


@dataclass(frozen=True, slots=True)
class CalendarImport:
    """What one .ics file adds to a school year."""

    source: str
    events: tuple[ImportedEvent, ...]
    inservice_days: tuple[date, ...]


def read_ics(path: Path, window: tuple[date, date] | None = None) -> CalendarImport:
    """Read an .ics file; every problem is reported at once, located by line.

    ``window`` (first and last day of the school year) bounds recurring events.
    """
    return parse_ics(ics_text(path), str(path), window)


def ics_text(path: Path) -> str:
    """An .ics file's text (a byte-order mark dropped); unreadable files are InputErrors."""
    try:
        return path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError as exc:
        raise InputError("file not found", Location(str(path))) from exc
    except UnicodeDecodeError as exc:
        raise InputError("not UTF-8 text", Location(str(path))) from exc
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror}", Location(str(path))) from exc


def _occurrences(vevent: CalendarEvent, window: tuple[date, date]) -> list[CalendarEvent]:
    """Each occurrence of a recurring VEVENT within the window, as its own VEVENT."""
    calendar = Calendar()
    calendar.add_component(vevent)
    first, last = window
    found = recurring_ical_events.of(calendar).between(first, last + timedelta(days=1))
    occurrences = []
    for occurrence in found:
        for key in ("RRULE", "RDATE", "EXDATE"):
            occurrence.pop(key, None)
        # Occurrences share a UID; the date keeps their ids apart and readable.
        start = occurrence.start
        occurrence["UID"] = f"{_text(vevent, 'UID').split('@')[0]}-{start:%Y%m%d}"
        occurrences.append(occurrence)
    return occurrences


def logical_lines(text: str) -> list[tuple[int, str]]:
    """iCalendar content lines with their folded continuations joined, and their first line."""
    lines: list[tuple[int, str]] = []
    for number, row in enumerate(text.splitlines(), 1):
        if row[:1] in (" ", "\t") and lines:
            first, joined = lines[-1]
            lines[-1] = (first, joined + row[1:])
        else:
            lines.append((number, row))
    return lines


def property_name(row: str) -> str:
    """``DTSTART;TZID=Europe/London:2025…`` -> ``DTSTART``."""
    return row.split(":", 1)[0].split(";", 1)[0].strip().upper()


def rule_problem(rule: str) -> str:
    """What is wrong with an RRULE value (``FREQ=WEEKLY;COUNT=3``), or '' if nothing."""
    seen: set[str] = set()
    for part in rule.strip().split(";"):
        name, equals, value = part.partition("=")
        name = name.strip().upper()
        if not equals or not name:
            return f"'{part}' is not NAME=VALUE"
        if name.startswith("X-"):
            continue
        if name not in _RULE_PARTS:
            return f"'{name}' is not a part of a recurrence rule"
        if name in seen:
            return f"{name} is given twice"
        seen.add(name)
        if not _RULE_PARTS[name].fullmatch(value.strip().upper()):
            form = _RULE_FORMS.get(name, "in the form RFC 5545 gives")
            return f"{name} '{value}' is not {form}"
    if "FREQ" not in seen:
        return "it has no FREQ"
    if {"COUNT", "UNTIL"} <= seen:
        return "it has both COUNT and UNTIL"
    return ""


def _text_problems(text: str, source: str) -> list[InputError]:
    """Lines the iCalendar libraries would misread or fail on, located by line."""
    problems = []
    components: list[tuple[str, set[str]]] = []
    for line, row in logical_lines(text):
        name = property_name(row)
        value = row.split(":", 1)[1] if ":" in row else ""
        if name == "BEGIN":
            components.append((value.strip().upper(), set()))
            continue
        if name == "END":
            if components:
                components.pop()
            continue
        if components:
            kind, seen = components[-1]
            if name in _ONCE.get(kind, ()) and name in seen:
                problems.append(
                    InputError(
                        f"{kind} has {name} twice",
                        Location(source, line, name),
                        f"A {kind} has one {name}; delete the other.",
                    )
                )
            seen.add(name)
        if name == "RRULE" and (problem := rule_problem(value)):
            problems.append(
                InputError(
                    f"the repeat rule cannot be read: {problem}",
                    Location(source, line, "RRULE"),
                    "Write it as RFC 5545 does, e.g. RRULE:FREQ=WEEKLY;COUNT=10 or "
                    "RRULE:FREQ=WEEKLY;UNTIL=20260701; or export the calendar again.",
                )
            )
    return problems


def parse_ics(text: str, source: str, window: tuple[date, date] | None = None) -> CalendarImport:
    """Events and in-service days from iCalendar text (see the module docstring)."""
    problems = _text_problems(text, source)
    if problems:
        raise InputErrors(capped(problems, source))
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except Exception as exc:  # icalendar raises ValueError, and others on odd input
        raise InputError(
            f"not valid iCalendar: {exc}",
            Location(source),
            "Export the calendar again as an .ics file.",
        ) from exc
    # VEVENTs never nest, so the n-th one walked is the n-th BEGIN:VEVENT in the text.
    lines = [n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "BEGIN:VEVENT"]
    vevents = [e for cal in calendars for e in cal.walk("VEVENT") if isinstance(e, CalendarEvent)]
    events: list[ImportedEvent] = []
    days: list[date] = []
    seen_days: set[date] = set()  # a list's `in` made a long all-day range quadratic
    errors: list[InputError] = []
    used_ids: set[str] = set()
    for index, vevent in enumerate(vevents):
        line = lines[index] if index < len(lines) else 1
        if "X-FAIRLOAD-DEADLINE" in vevent:
            continue  # a feed's deadline (web/feeds/deadlines.py): a moment, not directed time
        recurring = "RRULE" in vevent or "RDATE" in vevent
        try:
            expanded = _occurrences(vevent, window) if recurring and window else [vevent]
        except Exception as exc:  # a broken RDATE, EXDATE or rule the expansion cannot read
            errors.append(_unreadable(vevent, source, line, exc))
            continue
        for component in expanded:
            try:
                item = _read_vevent(component, source, line, used_ids)
            except InputError as error:
                errors.append(error)
                continue
            except Exception as exc:  # a property icalendar kept as broken, read late
                errors.append(_unreadable(component, source, line, exc))
                continue
            if isinstance(item, ImportedEvent):
                events.append(item)
            else:
                for day in item:
                    if day not in seen_days:
                        seen_days.add(day)
                        days.append(day)
    if errors:
        raise InputErrors(capped(errors, source))
    return CalendarImport(source, tuple(events), tuple(days))


def _unreadable(vevent: CalendarEvent, source: str, line: int, exc: Exception) -> InputError:
    try:
        title = _text(vevent, "SUMMARY") or "(no title)"
    except Exception:
        title = "(no title)"
    return InputError(
        f"VEVENT '{title}': cannot read it ({exc})",
        Location(source, line),
        "Check its dates and repeat rule (RRULE, RDATE, EXDATE), or export the calendar again.",
    )


def _text(vevent: CalendarEvent, name: str) -> str:
    value = vevent.get(name)
    return str(value).strip() if value is not None else ""


def _read_vevent(
    vevent: CalendarEvent, source: str, line: int, used_ids: set[str]
) -> ImportedEvent | list[date]:
    title = _text(vevent, "SUMMARY") or "(no title)"

    def fail(message: str, hint: str = "") -> InputError:
        return InputError(f"VEVENT '{title}': {message}", Location(source, line), hint)

    if "RRULE" in vevent or "RDATE" in vevent:
        raise fail(
            "a recurring event needs the school year to expand it in",
            "Import it with a school-year file (fairload check school.yaml --events FILE), "
            "which bounds its occurrences.",
        )
    try:
        start, end = vevent.start, vevent.end
    except Exception as exc:  # icalendar raises several types for broken or missing dates
        raise fail(
            f"cannot read its dates ({exc})",
            "Give it a DTSTART and a DTEND, both dates or both dates with times.",
        ) from None
    all_day = not isinstance(start, datetime)
    category = _category(vevent, title, fail, all_day)
    if not isinstance(start, datetime):
        if category != "in-service":
            raise fail(
                "an all-day event carries no hours to check",
                "Give it start and end times; if it is an in-service day, add "
                "CATEGORIES:in-service; holidays belong in the school file's closures, and "
                "a council's term-dates calendar is read by `fairload term-dates`.",
            )
        # DTEND of an all-day event is exclusive: 17th to 18th is the 17th alone.
        whole_days = not isinstance(end, datetime) and end > start
        last = end - timedelta(days=1) if whole_days else start
        return [start + timedelta(days=n) for n in range((last - start).days + 1)]
    if not isinstance(end, datetime):  # icalendar refuses mixed types; this narrows the type
        raise fail("it starts at a time but ends on a date", "Give DTEND a time too.")
    given = _as_given(start, end)
    start, end = _wall_clock(start), _wall_clock(end)
    if end.date() != start.date():
        raise fail(
            f"runs from {start:%Y-%m-%d %H:%M} to {end:%Y-%m-%d %H:%M}{given}",
            "An event must start and end on the same day; split it into one per day.",
        )
    earliest, latest = SCHOOL_DAY_BOUNDS
    if start.time() < earliest or end.time() > latest:
        raise fail(
            f"{start:%H:%M}–{end:%H:%M} on {start:%Y-%m-%d}{given} is outside the school day "
            f"({earliest:%H:%M}–{latest:%H:%M})",
            "Times with a zone are converted to the school's (Europe/London); times with "
            "none are read as the school's. Export the calendar again in UK time, or fix "
            "the event's TZID.",
        )
    fields: dict[str, Any] = {
        "id": _event_id(_text(vevent, "UID"), line, used_ids),
        "title": title,
        "category": category,
        "date": start.date().isoformat(),
        "start": f"{start:%H:%M}",
        "end": f"{end:%H:%M}",
    }
    attendees = [a.strip() for a in _text(vevent, "X-FAIRLOAD-ATTENDEES").split(",") if a.strip()]
    if attendees and attendees != ["all"]:
        fields["attendees"] = attendees
    for role in ("observer", "observed"):
        if value := _text(vevent, f"X-FAIRLOAD-{role.upper()}"):
            fields[role] = value
    return ImportedEvent(fields, line)


def _as_given(start: datetime, end: datetime) -> str:
    """How a time in another zone was written, for messages: " (16:00–17:00 UTC as given)"."""
    if start.tzinfo is None or start.utcoffset() == _wall_offset(start):
        return ""
    return f" ({start:%H:%M}–{end:%H:%M} {start.tzname()} as given)"


def _wall_offset(moment: datetime) -> timedelta | None:
    return moment.astimezone(SCHOOL_TIME_ZONE).utcoffset()


def _wall_clock(moment: datetime) -> datetime:
    """Local time at the school; a floating (zone-less) time is already local."""
    if moment.tzinfo is None:
        return moment
    return moment.astimezone(SCHOOL_TIME_ZONE).replace(tzinfo=None)


def _normalised(name: str) -> str:
    return re.sub(r"[\s_]+", "-", name.strip().lower().replace("'", "").replace("’", ""))


def _category(vevent: CalendarEvent, title: str, fail: Any, all_day: bool = False) -> str:
    known = categories()
    for value in vevent.categories:
        if (name := _normalised(str(value))) in known:
            return name
    declared = _text(vevent, "X-FAIRLOAD-CATEGORY")
    if declared:
        if (name := _normalised(declared)) in known:
            return name
        raise fail(
            f"X-FAIRLOAD-CATEGORY '{declared}' is not a fairload category",
            "Use one of: " + ", ".join(known) + ".",
        )
    for pattern, name in SUMMARY_KEYWORDS:
        if re.search(pattern, title, re.IGNORECASE):
            return name
    raise fail(
        "cannot tell its category",
        "Add CATEGORIES or X-FAIRLOAD-CATEGORY with one of: "
        + ", ".join(known)
        + "; or put a keyword such as 'parents', 'INSET' or 'department' in its title."
        + (
            " A council's term-dates calendar (terms, holidays, in-service days) is read by "
            "`fairload term-dates`."
            if all_day
            else ""
        ),
    )


def _event_id(uid: str, line: int, used_ids: set[str]) -> str:
    # Calendar apps put a domain after '@'; the part before it identifies the event.
    base = _UNSAFE_ID.sub("-", uid.split("@", 1)[0]).strip("-.") or f"ics-{line}"
    candidate, n = base, 1
    while candidate in used_ids:
        n += 1
        candidate = f"{base}-{n}"
    used_ids.add(candidate)
    return candidate


def events_to_ics(
    year: SchoolYear, staff_id: str | None = None, *, stamp: datetime | None = None
) -> bytes:
    """An iCalendar feed of a school's year, or of one teacher's part of it.

    Re-importing it with ``read_ics`` gives back the events' ids, titles, dates, times
    and categories, and the in-service days. ``stamp`` (DTSTAMP) defaults to now; pass
    one to get identical bytes for an unchanged year.
    """
    school = year.school
    if staff_id is not None and staff_id not in {s.id for s in year.staff}:
        raise InputError(
            f"no staff id '{staff_id}' at {school.id}",
            hint="Staff ids: " + ", ".join(s.id for s in year.staff) + ".",
        )
    when = stamp or datetime.now(tz=ZoneInfo("UTC"))
    calendar = Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    name = school.name
    if staff_id is not None:
        name += f" — {year.staff_member(staff_id).name}"
    calendar.add("x-wr-calname", name)
    for day in year.calendar.inservice_days:
        vevent = CalendarEvent()
        vevent.add("uid", f"inservice-{day.isoformat()}@{school.id}.fairload")
        vevent.add("dtstamp", when)
        vevent.add("summary", "In-service day")
        vevent.add("dtstart", day)
        vevent.add("dtend", day + timedelta(days=1))
        vevent.add("categories", ["in-service"])
        calendar.add_component(vevent)
    for event in year.events:
        involved = {*event.attendees, event.observer, event.observed}
        if staff_id is not None and staff_id not in involved:
            continue
        calendar.add_component(_vevent(event, year, staff_id, when))
    # A zone description covering the school year only, not every rule since 1970.
    span = year.calendar.dates
    calendar.add_missing_timezones(date(span.start.year, 1, 1), date(span.end.year + 1, 1, 1))
    return bytes(calendar.to_ical())


def _vevent(event: Any, year: SchoolYear, staff_id: str | None, stamp: datetime) -> CalendarEvent:
    vevent = CalendarEvent()
    vevent.add("uid", f"{event.id}@{year.school.id}.fairload")
    vevent.add("dtstamp", stamp)
    vevent.add("summary", event.title)
    vevent.add("dtstart", datetime.combine(event.date, event.start, SCHOOL_TIME_ZONE))
    vevent.add("dtend", datetime.combine(event.date, event.end, SCHOOL_TIME_ZONE))
    vevent.add("categories", [event.category])
    vevent.add("x-fairload-category", event.category)
    # A teacher's own feed need not list colleagues; the school's feed round-trips them.
    everyone = tuple(s.id for s in year.staff)
    if staff_id is None and event.attendees != everyone:
        vevent.add("x-fairload-attendees", ",".join(event.attendees))
    for role in ("observer", "observed"):
        if getattr(event, role):
            vevent.add(f"x-fairload-{role}", getattr(event, role))
    return vevent
