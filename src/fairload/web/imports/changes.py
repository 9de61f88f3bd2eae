"""What an import would change: staff, events, in-service days, the school's details and
the other parts of a year, compared record by record with what is stored."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any

from fairload.core.school_year import Event as CoreEvent
from fairload.core.school_year import StaffMember
from fairload.io.school_file import dump_school_year
from fairload.io.staff_csv import format_number

if TYPE_CHECKING:
    from fairload.web.imports.plans import Plan


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
    #: For a list of people (an event's attendees): who joins and who leaves, by name.
    added: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    is_people: bool = False

    @property
    def label(self) -> str:
        """The field's name for a person: ``contact periods per week``."""
        return self.field.replace("_", " ")

    @property
    def people_counts(self) -> str:
        """``3 added, 1 removed``: what a change of attendees comes to."""
        return f"{len(self.added)} added, {len(self.removed)} removed"


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


#: Fields that hold a list of staff ids: their change is shown as who joins and who leaves.
PEOPLE_FIELDS = frozenset({"attendees"})


def _difference(name: str, old: Any, new: Any, names: Mapping[str, str]) -> FieldChange:
    before, after = _shown(old), _shown(new)
    if name not in PEOPLE_FIELDS:
        return FieldChange(name, before, after)
    kept = set(old)
    joining = [i for i in new if i not in kept]
    leaving = [i for i in old if i not in set(new)]
    return FieldChange(
        name,
        before,
        after,
        added=tuple(names.get(i, i) for i in joining),
        removed=tuple(names.get(i, i) for i in leaving),
        is_people=True,
    )


def _differences(
    old: Any, new: Any, skip: tuple[str, ...] = ("id",), names: Mapping[str, str] | None = None
) -> tuple[FieldChange, ...]:
    return tuple(
        _difference(f.name, getattr(old, f.name), getattr(new, f.name), names or {})
        for f in fields(old)
        if f.name not in skip and getattr(old, f.name) != getattr(new, f.name)
    )


def _records(
    old: Sequence[Any],
    new: Sequence[Any],
    label: Callable[[Any], str],
    names: Mapping[str, str] | None = None,
) -> RecordChanges:
    before = {r.id: r for r in old}
    after = {r.id: r for r in new}
    changes = RecordChanges()
    for record in new:
        if record.id not in before:
            changes.added.append((record.id, label(record)))
        elif record != before[record.id]:
            changes.changed.append(
                RecordChange(
                    record.id, label(record), _differences(before[record.id], record, names=names)
                )
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


def compare(plan: Plan) -> None:
    after = plan.after
    if after is None:
        return
    before = plan.before
    plan.staff = _records(before.staff if before else (), after.staff, _staff_label)
    names = {s.id: s.name for s in (*(before.staff if before else ()), *after.staff)}
    plan.events = _records(before.events if before else (), after.events, _event_label, names)
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
