"""What an uploaded file would do to a school: its problems, or the changes and the re-check.

A plan reads the upload and the stored year and writes nothing. It builds the whole
school-year document the import would store (the stored year with the file's staff or
events merged in, or the file itself for a whole year), validates it with the core
exactly as a file is validated, and compares it with what is stored.

Problems are ``InputError``s located in the uploaded file: a problem the core finds in
the merged year is moved back to the line of the file it came from, or, for a record
already stored, names that record (``event 'sm1'``).

Each job has its module: ``whole_year`` (a whole school-year file), ``merging`` (staff or
events merged into the stored year), ``database_limits`` (what the database can hold),
``changes`` (the comparison with what is stored) and ``recheck`` (the findings before and
after). This module holds the plan itself and makes one; the names other modules use
are importable from here as before.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fairload.core.errors import InputError
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.io.staff_csv import capped
from fairload.web.imports.changes import (
    OTHER_SECTIONS,
    FieldChange,
    RecordChange,
    RecordChanges,
    compare,
)
from fairload.web.imports.database_limits import database_limits
from fairload.web.imports.merging import (
    REMOVE_MISSING_STAFF,
    REPLACE_ALL_EVENTS,
    Merge,
    plan_merge,
)
from fairload.web.imports.models import ImportKind, PendingImport
from fairload.web.imports.recheck import CheckChanges, check_changes
from fairload.web.imports.whole_year import plan_whole_year
from fairload.web.schools.models import School, SchoolYear

__all__ = [
    "OTHER_SECTIONS",
    "REMOVE_MISSING_STAFF",
    "REPLACE_ALL_EVENTS",
    "CheckChanges",
    "FieldChange",
    "Plan",
    "RecordChange",
    "RecordChanges",
    "check_changes",
    "import_plan",
]


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
    #: All-day in-service events in an events file that are in-service days already.
    inservice_matched: list[date] = field(default_factory=list)
    school_changes: list[FieldChange] = field(default_factory=list)
    other_sections: list[str] = field(default_factory=list)
    #: For a new school whose id is stored already: that school.
    existing_school: School | None = None
    #: For staff or events: the merged document and the file line of each merged record.
    merge: Merge | None = None

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
        plan_whole_year(plan, pending.text)
    else:
        plan_merge(plan, pending)
    if plan.after is not None and plan.document is not None:
        plan.problems.extend(database_limits(plan))
    if not plan.problems:
        compare(plan)
    plan.problems = capped(plan.problems, plan.filename)
    return plan
