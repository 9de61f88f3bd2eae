"""A school year's dates from a council's term-dates calendar (.ics).

Councils publish term dates as all-day VEVENTs with no fairload category: terms,
holidays and in-service days. Each is told apart by its ``CATEGORIES`` or
``X-FAIRLOAD-KIND`` (``term``, ``holiday``, ``in-service``), else by its title
(``KIND_KEYWORDS``, tried in order, so "half term" is a holiday). A term is one event
spanning it, or a pair "<name> starts" / "<name> ends" of one-day events.

The year runs from the first term or in-service day to the last; weekdays between two
terms that nothing lists become a closure, since staff are not working then. Every
problem is reported at once, located by the line of its ``BEGIN:VEVENT``.
"""

from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml
from icalendar import Calendar
from icalendar import Event as CalendarEvent

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.school_format import parse_school_year
from fairload.io.ical import ics_text
from fairload.io.school_file import load_school_document

KINDS = ("term", "holiday", "in-service")

#: Title keywords, tried in order: the first that matches gives the event's kind.
KIND_KEYWORDS: tuple[tuple[str, str], ...] = (
    (r"in[\s-]?service|\binset\b|staff\s+development", "in-service"),
    (r"holiday|half[\s-]?term|\bbreak\b|recess|\bclosed\b|closure", "holiday"),
    (r"\bterm\b", "term"),
)
_BOUNDARY = re.compile(
    r"^(?P<name>.+?)\s*[:-]?\s+(?P<edge>starts|begins|opens|ends|closes|finishes)$", re.I
)


@dataclass(frozen=True, slots=True)
class _Span:
    name: str
    start: date
    end: date
    line: int


@dataclass(frozen=True, slots=True)
class TermDates:
    """What a term-dates calendar says: the year's span, terms, holidays, in-service days."""

    source: str
    terms: tuple[_Span, ...]
    holidays: tuple[_Span, ...]
    inservice_days: tuple[date, ...]

    @property
    def start(self) -> date:
        return min([t.start for t in self.terms] + list(self.inservice_days))

    @property
    def end(self) -> date:
        return max([t.end for t in self.terms] + list(self.inservice_days))

    def year_section(self) -> dict[str, Any]:
        """The ``year`` section of a school-year document (ISO dates as text)."""
        start, end = self.start, self.end
        closures = [
            h for h in self.holidays if h.end >= start and h.start <= end
        ] + self._gaps_between_terms()
        closures.sort(key=lambda c: c.start)
        section: dict[str, Any] = {
            "label": f"{start.year}-{end.year % 100:02d}",
            "start": start.isoformat(),
            "end": end.isoformat(),
            "terms": [_span(t.name, t.start, t.end) for t in self.terms],
            "inservice_days": [d.isoformat() for d in self.inservice_days],
        }
        if closures:
            section["closures"] = [
                _span(c.name, max(c.start, start), min(c.end, end)) for c in closures
            ]
        return section

    def _gaps_between_terms(self) -> list[_Span]:
        covered = {d for h in self.holidays for d in _days(h.start, h.end)}
        covered |= set(self.inservice_days)
        gaps = []
        for before, after in itertools.pairwise(self.terms):
            days = [
                d
                for d in _days(before.end + timedelta(days=1), after.start - timedelta(days=1))
                if d.weekday() < 5 and d not in covered
            ]
            if days:
                name = f"Between {before.name} and {after.name}"
                gaps.append(_Span(name, days[0], days[-1], before.line))
        return gaps


def _span(name: str, start: date, end: date) -> dict[str, str]:
    return {"name": name, "start": start.isoformat(), "end": end.isoformat()}


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def read_term_dates(path: Path) -> TermDates:
    """Read a council's term-dates .ics file (see the module docstring)."""
    return parse_term_dates(ics_text(path), str(path))


def parse_term_dates(text: str, source: str) -> TermDates:
    """Terms, holidays and in-service days from iCalendar text; InputErrors if bad."""
    try:
        calendars = Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise InputError(
            f"not valid iCalendar: {exc}", Location(source), "Download the council's .ics again."
        ) from exc
    lines = [n for n, row in enumerate(text.splitlines(), 1) if row.strip() == "BEGIN:VEVENT"]
    vevents = [e for cal in calendars for e in cal.walk("VEVENT") if isinstance(e, CalendarEvent)]
    errors: list[InputError] = []
    terms: list[_Span] = []
    holidays: list[_Span] = []
    inservice: set[date] = set()
    edges: dict[str, dict[str, _Span]] = {}
    for index, vevent in enumerate(vevents):
        line = lines[index] if index < len(lines) else 1
        try:
            kind, span = _read(vevent, source, line)
        except InputError as error:
            errors.append(error)
            continue
        if kind == "in-service":
            inservice.update(_days(span.start, span.end))
        elif kind == "holiday":
            holidays.append(span)
        elif match := _BOUNDARY.match(span.name):
            edge = "start" if match["edge"].lower() in ("starts", "begins", "opens") else "end"
            edges.setdefault(match["name"].strip(), {})[edge] = span
        else:
            terms.append(span)
    for name, pair in edges.items():
        if "start" in pair and "end" in pair:
            terms.append(_Span(name, pair["start"].start, pair["end"].end, pair["start"].line))
        else:
            (only,) = pair.values()
            missing = "end" if "start" in pair else "start"
            errors.append(
                InputError(
                    f"VEVENT '{only.name}': no event gives the {missing} of '{name}'",
                    Location(source, only.line),
                    f"Add '{name} {'ends' if missing == 'end' else 'starts'}', or make "
                    "the term one event from its first day to its last.",
                )
            )
    terms.sort(key=lambda t: t.start)
    for before, after in itertools.pairwise(terms):
        if after.start <= before.end:
            errors.append(
                InputError(
                    f"term '{after.name}' starts on {after.start}, before '{before.name}' "
                    f"ends on {before.end}",
                    Location(source, after.line),
                    "Terms must not overlap.",
                )
            )
    if not terms and not errors:
        errors.append(
            InputError(
                "the calendar has no terms",
                Location(source),
                "A term-dates file needs all-day events for the terms, e.g. 'Autumn term'.",
            )
        )
    if errors:
        raise InputErrors(sorted(errors, key=lambda e: e.location.line or 0))
    return TermDates(source, tuple(terms), tuple(holidays), tuple(sorted(inservice)))


def _read(vevent: CalendarEvent, source: str, line: int) -> tuple[str, _Span]:
    title = str(vevent.get("SUMMARY", "")).strip() or "(no title)"

    def fail(message: str, hint: str) -> InputError:
        return InputError(f"VEVENT '{title}': {message}", Location(source, line), hint)

    if "RRULE" in vevent or "RDATE" in vevent:
        raise fail("a term date must not repeat", "Give each date its own event.")
    try:
        start, end = vevent.start, vevent.end
    except Exception as exc:  # icalendar raises several types for broken or missing dates
        raise fail(f"cannot read its dates ({exc})", "Give it a DTSTART date.") from None
    if isinstance(start, datetime) or isinstance(end, datetime):
        raise fail(
            "it has times, but a term-dates file holds whole days",
            "Make it an all-day event; meetings and other timed events belong in --events.",
        )
    # DTEND of an all-day event is exclusive: 13th to 14th is the 13th alone.
    last = end - timedelta(days=1) if end > start else start
    kind = _kind(vevent, title)
    if kind is None:
        raise fail(
            "cannot tell whether it is a term, a holiday or an in-service day",
            "Add CATEGORIES or X-FAIRLOAD-KIND with one of: " + ", ".join(KINDS) + "; or put "
            "'term', 'holiday' or 'in-service' in its title.",
        )
    return kind, _Span(title, start, last, line)


def _kind(vevent: CalendarEvent, title: str) -> str | None:
    declared = [str(v) for v in vevent.categories] + [str(vevent.get("X-FAIRLOAD-KIND", ""))]
    for value in declared:
        name = re.sub(r"[\s_]+", "-", value.strip().lower())
        if name in KINDS:
            return name
    for pattern, kind in KIND_KEYWORDS:
        if re.search(pattern, title, re.IGNORECASE):
            return kind
    return None


def school_document_with_dates(path: Path, dates: TermDates) -> dict[str, Any]:
    """The school's file with its year's dates replaced by the calendar's, checked.

    The label, span, terms, in-service days and closures come from the calendar; the
    file's ``open_on_bank_holidays`` is kept. The result is validated as a school year
    (so an event now outside the year is reported at its line in the school file) and
    returned as plain data, everything else as the file wrote it.
    """
    document = load_school_document(path)
    old = document.get("year") if isinstance(document.get("year"), dict) else {}
    kept = {k: old[k] for k in ("open_on_bank_holidays",) if k in old}
    document["year"] = {**dates.year_section(), **kept}
    parse_school_year(document, str(path))
    plain: dict[str, Any] = json.loads(json.dumps(document))  # located containers to plain
    return plain


def document_text(document: dict[str, Any], suffix: str = ".yaml") -> str:
    """A document as a school-year file's text: JSON for ``.json``, else YAML."""
    if suffix.lower() == ".json":
        return json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    return yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100)
