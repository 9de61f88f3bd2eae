"""Planning a staff or events file: the stored year's document with the file's records
merged in, and each record's line in the file, so a problem the core finds in the merged
year is put back on the file's line (or names the stored record it is about)."""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.school_format import parse_school_year
from fairload.io.events_csv import parse_events_csv
from fairload.io.ical import parse_ics
from fairload.io.staff_csv import CsvRecord, parse_staff_csv
from fairload.web.imports import limits
from fairload.web.imports.models import ImportKind, PendingImport
from fairload.web.schools.selectors import school_year_current
from fairload.web.schools.to_core import school_year_document

if TYPE_CHECKING:
    from fairload.web.imports.plans import Plan


REMOVE_MISSING_STAFF = "remove_missing_staff"
REPLACE_ALL_EVENTS = "replace_all_events"

_RECORD_FIELD = re.compile(r"^(staff|events|proformas)\[(\d+)\](?:\.(.*))?$")


@dataclass
class Merge:
    """The stored year's document with a file's records merged in, and where each came from."""

    document: dict[str, Any]
    filename: str
    stored_label: str
    lines: dict[tuple[str, int], int] = field(default_factory=dict)

    def relocated(self, error: InputError) -> InputError:
        """A core problem in the merged year, moved to the file's line or naming the record."""
        location = error.location
        if location is None or location.file != self.stored_label:
            return error
        match = _RECORD_FIELD.match(location.field or "")
        if not match:
            where = f"{self.stored_label} (stored)"
            return type(error)(error.message, Location(where, None, location.field), error.hint)
        section, index, rest = match.group(1), int(match.group(2)), match.group(3)
        line = self.lines.get((section, index))
        if line is not None:
            return type(error)(error.message, Location(self.filename, line, rest), error.hint)
        record = _record_name(self.document, section, index)
        named = f"{record}: {rest}" if rest else record
        where = f"{self.stored_label} (stored)"
        return type(error)(error.message, Location(where, None, named), error.hint)


def _record_name(document: dict[str, Any], section: str, index: int) -> str:
    try:
        row = document[section][index]
    except (KeyError, IndexError, TypeError):
        return f"{section}[{index}]"
    if section == "staff":
        return f"staff '{row.get('id')}'"
    if section == "events":
        return f"event '{row.get('id')}'"
    return f"pro-forma of '{row.get('staff')}'"


def plan_merge(plan: Plan, pending: PendingImport) -> None:
    assert plan.school is not None
    year = school_year_current(school=plan.school)
    if year is None:
        plan.problems.append(
            InputError(
                f"{plan.school.name} has no school year yet",
                Location(plan.filename),
                "Import a whole school year first; staff and events are added to it.",
            )
        )
        return
    plan.stored = year
    stored_document = school_year_document(year)
    merge = Merge(copy.deepcopy(stored_document), plan.filename, f"{plan.school.name} {year.label}")
    plan.merge = merge
    try:
        plan.before = parse_school_year(copy.deepcopy(stored_document), merge.stored_label)
    except InputErrors as many:  # the stored year itself: say so rather than fail
        plan.problems.extend(merge.relocated(e) for e in many.errors)
        return
    _whole_staff_events_follow_the_staff_list(merge.document)
    try:
        removed: set[str] = set()
        if pending.kind == ImportKind.STAFF_CSV:
            removed = _merge_staff(plan, merge, pending.text, pending.option(REMOVE_MISSING_STAFF))
        else:
            _merge_events(plan, merge, pending)
    except InputErrors as many:
        plan.problems.extend(many.errors)
        return
    except InputError as one:
        plan.problems.append(one)
        return
    document = merge.document
    too_big = limits.size_problems(
        len(document["staff"]), len(document.get("events", [])), plan.filename
    )
    if too_big:
        plan.problems.extend(too_big)
        return
    names = {member.id: member.name for member in plan.before.staff}
    plan.problems.extend(_named_after_removal(merge, removed, names))
    try:
        plan.after = parse_school_year(copy.deepcopy(merge.document), merge.stored_label)
    except InputErrors as many:
        plan.problems.extend(
            merge.relocated(e) for e in many.errors if not _about_removed(e, removed)
        )
    except InputError as one:
        plan.problems.append(merge.relocated(one))
    plan.document = merge.document


def _whole_staff_events_follow_the_staff_list(document: dict[str, Any]) -> None:
    """Stored events for the whole staff become ``all`` again, so they take in new staff.

    The database keeps who attends as a list; an event whose list is every member of staff
    was (or may as well have been) written ``all``."""
    everyone = [s["id"] for s in document["staff"]]
    for event in document.get("events", []):
        if event.get("observer") or event.get("observed"):
            continue
        if sorted(event.get("attendees", [])) == sorted(everyone):
            event["attendees"] = "all"


def _merge_staff(plan: Plan, merge: Merge, text: str, remove_missing: bool) -> set[str]:
    read = parse_staff_csv(text, plan.filename, most_rows=limits.MOST_STAFF)
    plan.in_file = len(read.records)
    staff: list[dict[str, Any]] = merge.document["staff"]
    where = {row["id"]: i for i, row in enumerate(staff)}
    lines: dict[str, int] = {}
    for record in read.records:
        staff_id = record.fields["id"]
        lines[staff_id] = record.line
        if staff_id in where:
            # The file's columns replace the stored values (an empty cell clears one);
            # columns the file does not have keep what is stored.
            old = staff[where[staff_id]]
            kept = {k: v for k, v in old.items() if k not in read.columns}
            staff[where[staff_id]] = {**kept, **record.fields}
        else:
            where[staff_id] = len(staff)
            staff.append(dict(record.fields))
    removed: set[str] = set()
    if remove_missing:
        removed = {row["id"] for row in staff if row["id"] not in lines}
        merge.document["staff"] = staff = [row for row in staff if row["id"] not in removed]
    for index, row in enumerate(staff):
        if row["id"] in lines:
            merge.lines[("staff", index)] = lines[row["id"]]
    return removed


def _merge_events(plan: Plan, merge: Merge, pending: PendingImport) -> None:
    document = merge.document
    records: Sequence[CsvRecord]
    if pending.kind == ImportKind.EVENTS_ICS:
        window = (
            date.fromisoformat(document["year"]["start"]),
            date.fromisoformat(document["year"]["end"]),
        )
        too_much = limits.ics_problems(pending.text, plan.filename)
        if too_much:
            raise InputErrors(too_much)
        calendar = parse_ics(pending.text, plan.filename, window)
        records = [CsvRecord(e.fields, e.line) for e in calendar.events]
        _add_inservice_days(plan, document, calendar.inservice_days)
    else:
        read = parse_events_csv(pending.text, plan.filename, most_rows=limits.MOST_EVENTS)
        records = _with_ids(read.records)
    plan.in_file = len(records)
    events: list[dict[str, Any]] = (
        [] if pending.option(REPLACE_ALL_EVENTS) else document.setdefault("events", [])
    )
    document["events"] = events
    where = {row["id"]: i for i, row in enumerate(events)}
    lines: dict[str, int] = {}
    for record in records:
        event_id = record.fields["id"]
        lines[event_id] = record.line
        if event_id in where:
            events[where[event_id]] = dict(record.fields)
        else:
            where[event_id] = len(events)
            events.append(dict(record.fields))
    for index, row in enumerate(events):
        if row["id"] in lines:
            merge.lines[("events", index)] = lines[row["id"]]


def _with_ids(records: Sequence[CsvRecord]) -> list[CsvRecord]:
    """Events without an id get one from their title and date, the same on every import,
    so importing a file again replaces its events rather than adding them twice."""
    taken = {r.fields["id"] for r in records if "id" in r.fields}
    named = []
    for record in records:
        if "id" in record.fields:
            named.append(record)
            continue
        base = f"{slugify(record.fields['title'])[:80] or 'event'}-{record.fields['date']}"
        candidate, n = base, 1
        while candidate in taken:
            n += 1
            candidate = f"{base}-{n}"
        taken.add(candidate)
        named.append(CsvRecord({"id": candidate, **record.fields}, record.line))
    return named


def _add_inservice_days(plan: Plan, document: dict[str, Any], days: Sequence[date]) -> None:
    year = document["year"]
    first, last = date.fromisoformat(year["start"]), date.fromisoformat(year["end"])
    listed = set(year.get("inservice_days", []))
    stored = frozenset(listed)
    for day in days:
        if not first <= day <= last:
            plan.problems.append(
                InputError(
                    f"the in-service day {day.isoformat()} is outside the school year "
                    f"({first.isoformat()} to {last.isoformat()})",
                    Location(plan.filename),
                    "Take it out of the calendar, or import it into the year it belongs to.",
                )
            )
        elif day.isoformat() in stored:
            if day not in plan.inservice_matched:
                plan.inservice_matched.append(day)
        else:
            listed.add(day.isoformat())
    year["inservice_days"] = sorted(listed)


def _names_in(event: dict[str, Any]) -> set[str]:
    spec = event.get("attendees", "all")
    names = {event.get("observer"), event.get("observed")} - {None}
    if isinstance(spec, list):
        names |= set(spec)
    elif isinstance(spec, dict):
        names |= set(spec.get("include", [])) | set(spec.get("exclude", []))
    return {str(n) for n in names}


def _named_after_removal(
    merge: Merge, removed: set[str], names: dict[str, str]
) -> list[InputError]:
    """Staff the file leaves out, who events, pro-formas, groups or the committee still
    name: one problem each."""
    problems = []
    document = merge.document
    for staff_id in sorted(removed):
        events = [e for e in document.get("events", []) if staff_id in _names_in(e)]
        proformas = [p for p in document.get("proformas", []) if p.get("staff") == staff_id]
        agreement = document.get("agreement", {})
        groups = [g for g in agreement.get("groups", []) if staff_id in g.get("members", [])]
        committee = agreement.get("committee", {}).get("members", [])
        seated = any(m.get("staff") == staff_id for m in committee)
        if not events and not proformas and not groups and not seated:
            continue
        named = [f"'{e['id']}' ({e['title']})" for e in events]
        if proformas:
            named.append("their balance-of-time pro-forma")
        named.extend(f"the group '{g['id']}' ({g['title']})" for g in groups)
        if seated:
            named.append("the School Negotiating Committee")
        problems.append(
            InputError(
                f"staff '{staff_id}'{_name_of(names, staff_id)} is not in this file and would "
                f"be removed, but these still name them: {', '.join(named)}",
                Location(merge.filename, None, "id"),
                "Add them back to the file, untick 'Remove staff who are not in this file', "
                "or change those first.",
            )
        )
    return problems


def _name_of(names: dict[str, str], staff_id: str) -> str:
    return f" ({names[staff_id]})" if staff_id in names else ""


def _about_removed(error: InputError, removed: set[str]) -> bool:
    """A core problem that ``_named_after_removal`` has already said, better."""
    return any(error.message == f"unknown staff id '{i}'" for i in removed)
