"""Adding, changing and deleting one event of a school year (see ``year_drafts``).

Each builds the would-be year, has the core validate the whole of it, and only then
writes, under the year's lock, bumping the year's revision (``year_touch``: cached
checks are now old) and recording who changed what in the audit log. A change the core
refuses raises ``YearInvalid`` and writes nothing.
"""

from __future__ import annotations

import copy
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from django.db import transaction
from django.utils.text import slugify

from fairload.core.check import CheckResult
from fairload.web.audit.services import audit_changes, audit_record
from fairload.web.schools.models import Event, SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import school_year_document
from fairload.web.schools.year_drafts import (
    Actor,
    Draft,
    check_version,
    check_year,
    day_text,
    locked,
    row_index,
    row_version,
    stored,
    validate,
)


@dataclass(frozen=True)
class EventValues:
    """An event as a person enters it. ``attendees`` None means the whole staff."""

    title: str
    category: str
    date: date
    start: time
    end: time
    attendees: tuple[str, ...] | None = None
    observer: str | None = None
    observed: str | None = None
    activity: str = ""
    foreseeable: bool | None = None
    during_ppa: bool = False


def _event_row(event_id: str, values: EventValues, staff_ids: Sequence[str]) -> dict[str, Any]:
    """The event as a row of the school-year format, in the shape to_core writes it."""
    row: dict[str, Any] = {
        "id": event_id,
        "title": values.title,
        "category": values.category,
        "date": values.date.isoformat(),
        "start": f"{values.start:%H:%M}",
        "end": f"{values.end:%H:%M}",
        "attendees": list(staff_ids if values.attendees is None else values.attendees),
    }
    if values.observer:
        row["observer"] = values.observer
    if values.observed:
        row["observed"] = values.observed
    if values.activity:
        row["activity"] = values.activity
    if values.foreseeable is not None:
        row["foreseeable"] = values.foreseeable
    if values.during_ppa:
        row["during_ppa"] = True
    return row


def _new_event_id(values: EventValues, taken: set[str]) -> str:
    """A readable id, unique in the year: ``staff-meeting-2025-11-12`` (then ``-2``…)."""
    base = f"{slugify(values.title)[:80] or 'event'}-{values.date.isoformat()}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}-{n}", n + 1
    return candidate


def _event_write(event: Event, values: EventValues, posts: dict[str, StaffPost]) -> None:
    event.title = values.title
    event.category = values.category
    event.date = values.date
    event.start = values.start
    event.end = values.end
    event.observer = posts.get(values.observer or "")
    event.observed = posts.get(values.observed or "")
    event.activity = values.activity
    event.foreseeable = values.foreseeable
    event.during_ppa = values.during_ppa
    event.save()
    chosen = list(posts) if values.attendees is None else values.attendees
    event.attendees.set([posts[staff_id] for staff_id in chosen])


def _posts(year: SchoolYear) -> dict[str, StaffPost]:
    return {post.staff_id: post for post in year.staff.order_by("pk")}


def event_version(year: SchoolYear, event_id: str) -> str:
    """The version of the event as stored now, for its edit form."""
    document = school_year_document(year)
    return row_version(document["events"][row_index(document, "events", event_id)])


def _event_draft(year: SchoolYear, values: EventValues, event_id: str | None) -> Draft:
    document = school_year_document(year)
    staff_ids = [row["id"] for row in document["staff"]]
    if event_id is None:
        new_id = _new_event_id(values, {row["id"] for row in document["events"]})
        after = _event_row(new_id, values, staff_ids)
        document["events"].append(copy.deepcopy(after))
        return Draft(document, len(document["events"]) - 1, new_id, {}, after)
    index = row_index(document, "events", event_id)
    before = copy.deepcopy(document["events"][index])
    after = _event_row(event_id, values, staff_ids)
    document["events"][index] = copy.deepcopy(after)
    return Draft(document, index, event_id, before, after)


def event_preview(
    *, year: SchoolYear, values: EventValues, event_id: str | None = None
) -> CheckResult:
    """The check of the year as it would be with this event added (or changed), without
    saving anything; raises YearInvalid as saving would."""
    draft = _event_draft(year, values, event_id)
    return check_year(validate(draft.document, year, "events", draft.index))


def event_create(*, actor: Actor, year: SchoolYear, values: EventValues) -> Event:
    """Add an event to the year."""
    with transaction.atomic():
        held = locked(year)
        draft = _event_draft(held, values, None)
        validate(draft.document, held, "events", draft.index)
        event = Event(school_year=held, event_id=draft.row_id)
        _event_write(event, values, _posts(held))
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.create",
            school=held.school,
            summary=f"Added the event '{values.title}' on {day_text(values.date)}",
            details={"event": draft.row_id, "changes": audit_changes({}, draft.after)},
        )
    return event


def event_update(
    *,
    actor: Actor,
    year: SchoolYear,
    event_id: str,
    values: EventValues,
    version: str | None = None,
) -> Event:
    """Change an event of the year (its id stays). With ``version`` (what the form was
    read at), refuse with StaleEdit if the event has changed since; RowGone if it has
    been deleted."""
    with transaction.atomic():
        held = locked(year)
        event = stored(Event, held, "event", event_id=event_id)
        draft = _event_draft(held, values, event_id)
        check_version(draft, version)
        validate(draft.document, held, "events", draft.index)
        _event_write(event, values, _posts(held))
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.update",
            school=held.school,
            summary=f"Changed the event '{values.title}' on {day_text(values.date)}",
            details={"event": event_id, "changes": audit_changes(draft.before, draft.after)},
        )
    return event


def event_delete(*, actor: Actor, year: SchoolYear, event_id: str) -> Event:
    """Delete an event of the year."""
    with transaction.atomic():
        held = locked(year)
        event = stored(Event, held, "event", event_id=event_id)
        document = school_year_document(held)
        before = document["events"].pop(row_index(document, "events", event_id))
        validate(document, held, "events", None)
        event.delete()
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.delete",
            school=held.school,
            summary=f"Deleted the event '{before['title']}' on {day_text(before['date'])}",
            details={"event": event_id, "changes": audit_changes(before, {})},
        )
    return event
