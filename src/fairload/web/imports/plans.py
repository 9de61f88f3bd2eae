"""What an uploaded file would do to a school: its problems, or the changes and the re-check.

A plan reads the upload and the stored year and writes nothing. It builds the whole
school-year document the import would store (the stored year with the file's staff or
events merged in, or the file itself for a whole year), validates it with the core
exactly as a file is validated, and compares it with what is stored.

Problems are ``InputError``s located in the uploaded file: a problem the core finds in
the merged year is moved back to the line of the file it came from, or, for a record
already stored, names that record (``event 'sm1'``).
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import Any

from django.utils.text import slugify

from fairload.core.check import run_check
from fairload.core.compare import ChangedFinding, Comparison, compare_findings
from fairload.core.errors import FairloadError, InputError, InputErrors, Location
from fairload.core.findings import Finding, Severity
from fairload.core.packs import discover, load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import Event as CoreEvent
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.school_year import StaffMember
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import field_path, line_of, load_text
from fairload.io.events_csv import parse_events_csv
from fairload.io.ical import parse_ics
from fairload.io.school_file import dump_school_year
from fairload.io.staff_csv import CsvRecord, capped, format_number, parse_staff_csv
from fairload.web.imports import limits
from fairload.web.imports.models import ImportKind, PendingImport
from fairload.web.schools.models import Council, School, SchoolYear, StaffPost
from fairload.web.schools.models import Event as EventRow
from fairload.web.schools.selectors import school_year_check, school_year_current
from fairload.web.schools.to_core import school_year_document

REMOVE_MISSING_STAFF = "remove_missing_staff"
REPLACE_ALL_EVENTS = "replace_all_events"

_RECORD_FIELD = re.compile(r"^(staff|events|proformas)\[(\d+)\](?:\.(.*))?$")
#: What a URL of the web app can name (``<slug:...>``): no dots.
_URL_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")

#: Parts of a whole-year file that replace what is stored, as the preview names them.
OTHER_SECTIONS = {
    "policy": "the answers to the workload questions",
    "agreement": "the working-time agreement",
    "proformas": "the balance-of-time pro-formas",
}


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str

    @property
    def label(self) -> str:
        """The field's name for a person: ``contact periods per week``."""
        return self.field.replace("_", " ")


@dataclass(frozen=True)
class RecordChange:
    id: str
    label: str
    changes: tuple[FieldChange, ...]


@dataclass
class RecordChanges:
    """Staff or events: which would be added, changed or removed (each id and label)."""

    added: list[tuple[str, str]] = field(default_factory=list)
    changed: list[RecordChange] = field(default_factory=list)
    removed: list[tuple[str, str]] = field(default_factory=list)
    unchanged: int = 0

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def counts(self) -> str:
        return f"{len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed"

    def as_details(self) -> dict[str, Any]:
        return {
            "added": [i for i, _ in self.added],
            "changed": {
                c.id: {f.field: [f.before, f.after] for f in c.changes} for c in self.changed
            },
            "removed": [i for i, _ in self.removed],
        }


@dataclass
class Plan:
    kind: str
    filename: str
    school: School | None
    #: The stored year the import replaces, if any (the current year, or for a whole-year
    #: file the stored year with the file's label).
    stored: SchoolYear | None = None
    problems: list[InputError] = field(default_factory=list)
    #: The whole school-year document the import would store.
    document: dict[str, Any] | None = None
    before: CoreSchoolYear | None = None
    after: CoreSchoolYear | None = None
    in_file: int = 0
    staff: RecordChanges = field(default_factory=RecordChanges)
    events: RecordChanges = field(default_factory=RecordChanges)
    inservice_added: list[date] = field(default_factory=list)
    inservice_removed: list[date] = field(default_factory=list)
    school_changes: list[FieldChange] = field(default_factory=list)
    other_sections: list[str] = field(default_factory=list)
    #: For a new school whose id is stored already: that school.
    existing_school: School | None = None
    #: For staff or events: the merged document and the file line of each merged record.
    merge: _Merge | None = None

    @property
    def revision(self) -> str:
        """The stored year's version this plan was made from; applying checks it again."""
        if self.stored is None:
            return "new"
        return f"{self.stored.pk}:{self.stored.revision}"

    @property
    def new_school(self) -> bool:
        return self.school is None

    def summary(self) -> str:
        """The sentence for the audit log and the success banner."""
        if self.kind == ImportKind.STAFF_CSV:
            return f"Imported {self.in_file} staff from {self.filename}: {self.staff.counts()}"
        if self.kind in (ImportKind.EVENTS_CSV, ImportKind.EVENTS_ICS):
            text = (
                f"Imported {_count(self.in_file, 'event')} from {self.filename}: "
                f"{self.events.counts()}"
            )
            if self.inservice_added:
                text += f"; {_count(len(self.inservice_added), 'in-service day')} added"
            return text
        assert self.after is not None
        label = self.after.calendar.label
        if self.new_school:
            return (
                f"Imported the new school {self.after.school.name} ({label}) from "
                f"{self.filename}: {len(self.after.staff)} staff, "
                f"{_count(len(self.after.events), 'event')}"
            )
        return (
            f"Imported the school year {label} from {self.filename}: staff "
            f"{self.staff.counts()}; events {self.events.counts()}"
        )

    def audit_details(self) -> dict[str, Any]:
        details: dict[str, Any] = {
            "file": self.filename,
            "kind": str(self.kind),
            "staff": self.staff.as_details(),
            "events": self.events.as_details(),
        }
        if self.after is not None:
            details["year"] = self.after.calendar.label
        if self.inservice_added or self.inservice_removed:
            details["inservice_days"] = {
                "added": [d.isoformat() for d in self.inservice_added],
                "removed": [d.isoformat() for d in self.inservice_removed],
            }
        if self.school_changes:
            details["school"] = {c.field: [c.before, c.after] for c in self.school_changes}
        if self.other_sections:
            details["replaced"] = list(self.other_sections)
        return details


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def import_plan(pending: PendingImport) -> Plan:
    """The plan for a pending import, read against the school as stored now."""
    plan = Plan(kind=pending.kind, filename=pending.filename, school=pending.school)
    if pending.kind == ImportKind.SCHOOL_YEAR:
        _plan_whole_year(plan, pending.text)
    else:
        _plan_merge(plan, pending)
    if plan.after is not None and plan.document is not None:
        plan.problems.extend(_database_limits(plan))
    if not plan.problems:
        _compare(plan)
    plan.problems = capped(plan.problems, plan.filename)
    return plan


# ------------------------------------------------------------------ a whole school year


def _plan_whole_year(plan: Plan, text: str) -> None:
    source = plan.filename
    plan.problems.extend(
        limits.nesting_problems(text, source) or limits.yaml_problems(text, source)
    )
    if plan.problems:
        return
    try:
        document = load_text(text, source)
    except InputError as error:
        plan.problems.append(error)
        return
    except RecursionError:
        plan.problems.append(limits.nested(source))
        return
    if not isinstance(document, dict):
        plan.problems.append(
            InputError(
                "this is not a school-year file",
                Location(source, 1),
                "A school year is a YAML or JSON file starting 'format: fairload/school-year@1'.",
            )
        )
        return
    staff, events = document.get("staff"), document.get("events")
    too_big = limits.size_problems(
        len(staff) if isinstance(staff, list) else 0,
        len(events) if isinstance(events, list) else 0,
        source,
    )
    if too_big:
        plan.problems.extend(too_big)
        return
    school_part = document.get("school")
    file_school = school_part.get("id") if isinstance(school_part, dict) else None
    try:
        plan.after = parse_school_year(document, source)
    except InputErrors as many:
        plan.problems.extend(many.errors)
    except InputError as one:
        plan.problems.append(one)
    except RecursionError:
        plan.problems.append(limits.nested(source))
        return
    where = Location(source, line_of(document, ["school", "id"]), "school.id")
    if plan.school is not None:
        if file_school is not None and file_school != plan.school.slug:
            plan.problems.append(
                InputError(
                    f"this file is for the school '{file_school}', not {plan.school.name} "
                    f"('{plan.school.slug}')",
                    where,
                    "Import it from that school's page, or correct the school id in the file.",
                )
            )
    elif isinstance(file_school, str):
        existing = School.objects.filter(slug=file_school).first()
        if existing is not None:
            plan.existing_school = existing
            plan.problems.append(
                InputError(
                    f"a school with the id '{file_school}' is stored already ({existing.name})",
                    where,
                    "To replace its year, import the file from that school's own import page.",
                )
            )
        elif not _URL_SLUG.match(file_school):
            plan.problems.append(
                InputError(
                    f"the school id '{file_school}' cannot be used in a web address",
                    where,
                    "Use only letters, digits, hyphens and underscores.",
                )
            )
    if plan.after is None:
        return
    pack = plan.after.school.pack
    if pack not in discover():
        plan.problems.append(
            InputError(
                f"no pack '{pack}'",
                Location(source, line_of(document, ["school", "pack"]), "school.pack"),
                "Packs: " + ", ".join(sorted(discover())) + ".",
            )
        )
    if plan.school is not None:
        plan.stored = plan.school.years.filter(label=plan.after.calendar.label).first()
        plan.before = _core(plan.stored)
    plan.document = document
    plan.in_file = len(plan.after.staff) + len(plan.after.events)


def _core(year: SchoolYear | None) -> CoreSchoolYear | None:
    if year is None:
        return None
    return parse_school_year(school_year_document(year), f"{year.school.slug} {year.label}")


# ------------------------------------------------------------------ staff and events


@dataclass
class _Merge:
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


def _plan_merge(plan: Plan, pending: PendingImport) -> None:
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
    merge = _Merge(
        copy.deepcopy(stored_document), plan.filename, f"{plan.school.name} {year.label}"
    )
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


def _merge_staff(plan: Plan, merge: _Merge, text: str, remove_missing: bool) -> set[str]:
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


def _merge_events(plan: Plan, merge: _Merge, pending: PendingImport) -> None:
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
        elif day.isoformat() not in listed:
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
    merge: _Merge, removed: set[str], names: dict[str, str]
) -> list[InputError]:
    """Staff the file leaves out, who events or pro-formas still name: one problem each."""
    problems = []
    document = merge.document
    for staff_id in sorted(removed):
        events = [e for e in document.get("events", []) if staff_id in _names_in(e)]
        proformas = [p for p in document.get("proformas", []) if p.get("staff") == staff_id]
        if not events and not proformas:
            continue
        named = [f"'{e['id']}' ({e['title']})" for e in events]
        if proformas:
            named.append("their balance-of-time pro-forma")
        problems.append(
            InputError(
                f"staff '{staff_id}'{_name_of(names, staff_id)} is not in this file and would "
                f"be removed, but these still name them: {', '.join(named)}",
                Location(merge.filename, None, "id"),
                "Add them back to the file, untick 'Remove staff who are not in this file', "
                "or change those events first.",
            )
        )
    return problems


def _name_of(names: dict[str, str], staff_id: str) -> str:
    return f" ({names[staff_id]})" if staff_id in names else ""


def _about_removed(error: InputError, removed: set[str]) -> bool:
    """A core problem that ``_named_after_removal`` has already said, better."""
    return any(error.message == f"unknown staff id '{i}'" for i in removed)


# ------------------------------------------------------------------ what the database holds


def _limit(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def _database_limits(plan: Plan) -> list[InputError]:
    """Values the format allows but the database or the web addresses cannot hold.

    For staff or events merged into a stored year, only the file's own records are looked
    at: what is stored already was stored."""
    after = plan.after
    assert after is not None and plan.document is not None
    problems: list[InputError] = []
    document = plan.document
    merge = plan.merge

    def locate(path: list[Any]) -> Location:
        if merge is None:  # a whole-year file: its own lines
            return Location(plan.filename, line_of(document, path), field_path(path))
        error = merge.relocated(
            InputError("", Location(merge.stored_label, None, field_path(path)))
        )
        assert error.location is not None
        return error.location

    def mine(section: str, index: int) -> bool:
        return merge is None or (section, index) in merge.lines

    def too_long(value: str | None, limit: int, path: list[Any], what: str) -> None:
        if value is not None and len(value) > limit:
            problems.append(
                InputError(
                    f"the {what} is {len(value)} characters long; the most is {limit}",
                    locate(path),
                    "Shorten it.",
                )
            )

    if merge is None:
        school = after.school
        too_long(school.name, _limit(School, "name"), ["school", "name"], "school name")
        too_long(school.authority, _limit(Council, "name"), ["school", "authority"], "authority")
        too_long(school.id, _limit(School, "slug"), ["school", "id"], "school id")
        too_long(
            slugify(school.authority),
            _limit(Council, "slug"),
            ["school", "authority"],
            "authority's short name (its name in lower case, with hyphens)",
        )
        if not slugify(school.authority):
            problems.append(
                InputError(
                    "the authority's name has no letters or digits",
                    locate(["school", "authority"]),
                    "Write the council's (or trust's) name.",
                )
            )
        label = after.calendar.label
        too_long(label, _limit(SchoolYear, "label"), ["year", "label"], "year label")
    for i, member in enumerate(after.staff):
        if not mine("staff", i):
            continue
        too_long(member.id, _limit(StaffPost, "staff_id"), ["staff", i, "id"], "staff id")
        too_long(member.name, _limit(StaffPost, "name"), ["staff", i, "name"], "name")
        too_long(
            member.department,
            _limit(StaffPost, "department"),
            ["staff", i, "department"],
            "department",
        )
        if not _URL_SLUG.match(member.id):
            problems.append(
                InputError(
                    f"the staff id '{member.id}' cannot be used in a web address",
                    locate(["staff", i, "id"]),
                    "Use only letters, digits, hyphens and underscores (no dots).",
                )
            )
    for i, event in enumerate(after.events):
        if not mine("events", i):
            continue
        too_long(event.id, _limit(EventRow, "event_id"), ["events", i, "id"], "event id")
        too_long(event.title, _limit(EventRow, "title"), ["events", i, "title"], "title")
        too_long(
            event.activity, _limit(EventRow, "activity"), ["events", i, "activity"], "activity"
        )
    return problems


# ------------------------------------------------------------------ comparing


def _shown(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, tuple):
        return ", ".join(_shown(v) for v in value) or "nobody"
    if isinstance(value, date):
        return value.isoformat()
    if hasattr(value, "strftime"):
        return f"{value:%H:%M}"
    return str(getattr(value, "value", value))


def _differences(old: Any, new: Any, skip: tuple[str, ...] = ("id",)) -> tuple[FieldChange, ...]:
    return tuple(
        FieldChange(f.name, _shown(getattr(old, f.name)), _shown(getattr(new, f.name)))
        for f in fields(old)
        if f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    )


def _records(old: Sequence[Any], new: Sequence[Any], label: Callable[[Any], str]) -> RecordChanges:
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    changes = RecordChanges()
    for record in new:
        if record.id not in before:
            changes.added.append((record.id, label(record)))
        elif record != before[record.id]:
            changes.changed.append(
                RecordChange(record.id, label(record), _differences(before[record.id], record))
            )
        else:
            changes.unchanged += 1
    changes.removed = [(r.id, label(r)) for r in old if r.id not in after]
    return changes


def _staff_label(member: StaffMember) -> str:
    return member.name


def _event_label(event: CoreEvent) -> str:
    when = f"{event.date.day} {event.date:%B %Y}, {event.start:%H:%M} to {event.end:%H:%M}"
    return f"{event.title} ({when})"


def _compare(plan: Plan) -> None:
    after = plan.after
    if after is None:
        return
    before = plan.before
    plan.staff = _records(before.staff if before else (), after.staff, _staff_label)
    plan.events = _records(before.events if before else (), after.events, _event_label)
    old_days = set(before.calendar.inservice_days) if before else set()
    new_days = set(after.calendar.inservice_days)
    plan.inservice_added = sorted(new_days - old_days)
    plan.inservice_removed = sorted(old_days - new_days)
    if before is None:
        return
    plan.school_changes = list(_differences(before.school, after.school, skip=()))
    old_document, new_document = dump_school_year(before), dump_school_year(after)
    plan.other_sections = [
        text
        for key, text in OTHER_SECTIONS.items()
        if old_document.get(key) != new_document.get(key)
    ]
    old_year = {k: v for k, v in old_document["year"].items() if k != "inservice_days"}
    new_year = {k: v for k, v in new_document["year"].items() if k != "inservice_days"}
    if old_year != new_year:
        plan.other_sections.insert(0, "the calendar: dates, terms and closures")


# ------------------------------------------------------------------ the check, before and after


@dataclass
class CheckChanges:
    """The check of the stored year against the check of the year after the import."""

    comparison: Comparison
    pack_title: str

    @property
    def rows(self) -> list[dict[str, Any]]:
        before, after = self.comparison.counts_before, self.comparison.counts_after
        return [
            {"severity": s.value, "before": before[s.value], "after": after[s.value]}
            for s in Severity
        ]

    @property
    def appear(self) -> tuple[Finding, ...]:
        return self.comparison.appeared

    @property
    def clear(self) -> tuple[Finding, ...]:
        return self.comparison.cleared

    @property
    def changed(self) -> tuple[ChangedFinding, ...]:
        return self.comparison.changed


def check_changes(plan: Plan) -> CheckChanges | InputError:
    """Findings that the import would bring, clear or change, with counts by severity;
    or the problem that stops the year being checked at all."""
    assert plan.after is not None
    try:
        pack = load_bundled(plan.after.school.pack)
        after = run_check(pack, tables_from_years([plan.after]))
        before = school_year_check(year=plan.stored) if plan.stored is not None else None
    except InputError as error:
        return error
    except FairloadError as error:
        return InputError(str(error), Location(plan.filename))
    comparison = compare_findings(before.findings if before else (), after.findings)
    return CheckChanges(comparison=comparison, pack_title=pack.title)
