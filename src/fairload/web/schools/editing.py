"""Services that add, change or delete one event or one staff post of a school year.

Each builds the year as it would be after the change (the ``fairload/school-year@1``
document that ``to_core`` builds, changed), has the core validate the *whole* year, and
only then writes: in one transaction, with the year's row locked so two editors cannot
interleave, bumping the year's revision (``year_touch``: cached checks are now old) and
recording who changed what in the audit log. A change the core refuses raises
``YearInvalid`` (a Django ``ValidationError`` keyed by form field) and writes nothing.
"""

from __future__ import annotations

import copy
import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils.text import slugify

from fairload.core.check import CheckResult, run_check
from fairload.core.errors import InputError, InputErrors
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.tables import tables_from_years
from fairload.web.audit.services import audit_changes, audit_record
from fairload.web.schools.models import STAFF_FIGURES, Event, SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import school_year_document

Actor = AbstractBaseUser | AnonymousUser | None

#: Keys of the school-year format whose form field has another name.
FORM_FIELDS = {"id": "staff_id"}


class YearInvalid(ValidationError):
    """The year would not be valid after the change; nothing was written.

    ``error_dict`` is keyed by form field (``date``, ``attendees``, ``staff_id`` …);
    problems elsewhere in the year are non-field errors."""


class RowGone(Exception):
    """The event or post a change names is no longer in the year (someone deleted it,
    or a re-import replaced the year without it); nothing was written."""

    def __init__(self, kind: str, row_id: str) -> None:
        super().__init__(f"no {kind} '{row_id}' in this year")
        self.kind = kind
        self.row_id = row_id


class StaleEdit(Exception):
    """The row changed since the form was read: saving would overwrite someone else's
    change unseen. ``current`` is the row as it is now and ``mine`` as the save would
    have written it (both school-year format rows), and ``version`` the current row's
    version, for the page that lets the person choose."""

    def __init__(self, current: dict[str, Any], mine: dict[str, Any], version: str) -> None:
        super().__init__("changed since the form was read")
        self.current = current
        self.mine = mine
        self.version = version


def row_version(row: Mapping[str, Any]) -> str:
    """The version of one row of the school-year format: a fingerprint of its content.

    A form carries the version it was read at; a save whose version is no longer the
    row's is refused (``StaleEdit``). A content fingerprint, unlike a counter, also sees
    changes made by a re-import or by deleting a post that the event named."""
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _check_version(draft: _Draft, version: str | None) -> None:
    if version is not None and row_version(draft.before) != version:
        raise StaleEdit(draft.before, draft.after, row_version(draft.before))


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


@dataclass(frozen=True)
class PostValues:
    """A staff post as a person enters it; ``figures`` holds any of ``STAFF_FIGURES``."""

    staff_id: str
    name: str
    post: str
    department: str = ""
    figures: Mapping[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        unknown = set(self.figures) - set(STAFF_FIGURES)
        if unknown:
            raise ValueError(f"not a staff figure: {', '.join(sorted(unknown))}")


# --- the would-be year ---------------------------------------------------------------


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


def _staff_row(values: PostValues) -> dict[str, Any]:
    """The post as a row of the school-year format, in the shape to_core writes it."""
    row: dict[str, Any] = {"id": values.staff_id, "name": values.name, "post": values.post}
    if values.department:
        row["department"] = values.department
    defaults = {name: StaffPost._meta.get_field(name).get_default() for name in STAFF_FIGURES}
    for name in STAFF_FIGURES:
        value = values.figures.get(name, defaults[name])
        if value not in (None, ""):
            row[name] = value
    return row


def _message(error: InputError) -> str:
    text = error.message[:1].upper() + error.message[1:]
    return f"{text}. {error.hint}" if error.hint else text


def _errors_for(
    errors: Iterable[InputError], section: str, index: int | None
) -> dict[str, list[str]]:
    """Located core errors -> {form field: [messages]}; those elsewhere are non-field."""
    own = f"{section}[{index}]" if index is not None else None
    mapped: dict[str, list[str]] = {}
    for error in errors:
        where = error.location.field if error.location and error.location.field else ""
        key = NON_FIELD_ERRORS
        text = _message(error)
        if own and (where == own or where.startswith(own + ".")):
            name = where[len(own) + 1 :].split(".")[0].split("[")[0]
            if name:
                key = FORM_FIELDS.get(name, name)
        elif where:
            text = f"Elsewhere in the year ({where}): {text}"
        mapped.setdefault(key, []).append(text)
    return mapped


def _validate(
    document: dict[str, Any], year: SchoolYear, section: str, index: int | None
) -> CoreSchoolYear:
    """Have the core read the whole would-be year; raise YearInvalid if it refuses."""
    try:
        return parse_school_year(document, f"{year.school.slug} {year.label}")
    except InputErrors as exc:
        raise YearInvalid(_errors_for(exc.errors, section, index)) from exc
    except InputError as exc:
        raise YearInvalid(_errors_for([exc], section, index)) from exc


def check_year(core: CoreSchoolYear) -> CheckResult:
    """Every finding for a would-be year, as ``selectors.school_year_check`` reads a stored
    one: under its school's pack, at the year's start."""
    return run_check(load_bundled(core.school.pack), tables_from_years([core]))


def _locked(year: SchoolYear) -> SchoolYear:
    """The year's row, locked until the transaction ends (a no-op lock on SQLite, which
    writes one transaction at a time anyway)."""
    return (
        SchoolYear.objects.select_for_update(of=("self",))
        .select_related("school__council")
        .get(pk=year.pk)
    )


RowT = TypeVar("RowT", Event, StaffPost)


def _stored(model: type[RowT], year: SchoolYear, kind: str, **key: str) -> RowT:
    """The row, read after the year's lock is held; RowGone if it is no longer there."""
    row = model.objects.filter(school_year=year, **key).first()
    if row is None:
        raise RowGone(kind, next(iter(key.values())))
    return row


def _day(value: date | str) -> str:
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{day.day} {day:%b %Y}"


# --- events ---------------------------------------------------------------------------


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


def _event_index(document: dict[str, Any], event_id: str) -> int:
    for index, row in enumerate(document["events"]):
        if row["id"] == event_id:
            return index
    raise RowGone("event", event_id)


def _row_of(document: dict[str, Any], section: str, row_id: str) -> dict[str, Any]:
    index = (
        _event_index(document, row_id) if section == "events" else _staff_index(document, row_id)
    )
    row: dict[str, Any] = document[section][index]
    return row


def event_version(year: SchoolYear, event_id: str) -> str:
    """The version of the event as stored now, for its edit form."""
    return row_version(_row_of(school_year_document(year), "events", event_id))


def post_version(year: SchoolYear, staff_id: str) -> str:
    """The version of the staff post as stored now, for its edit form."""
    return row_version(_row_of(school_year_document(year), "staff", staff_id))


def event_row(year: SchoolYear, event_id: str) -> dict[str, Any]:
    """The event as stored now, as a row of the school-year format."""
    return _row_of(school_year_document(year), "events", event_id)


def post_row(year: SchoolYear, staff_id: str) -> dict[str, Any]:
    """The staff post as stored now, as a row of the school-year format."""
    return _row_of(school_year_document(year), "staff", staff_id)


@dataclass(frozen=True)
class _Draft:
    """The year's document with one row added or replaced: what the core will read."""

    document: dict[str, Any]
    index: int
    row_id: str
    before: dict[str, Any]
    after: dict[str, Any]


def _event_draft(year: SchoolYear, values: EventValues, event_id: str | None) -> _Draft:
    document = school_year_document(year)
    staff_ids = [row["id"] for row in document["staff"]]
    if event_id is None:
        new_id = _new_event_id(values, {row["id"] for row in document["events"]})
        after = _event_row(new_id, values, staff_ids)
        document["events"].append(copy.deepcopy(after))
        return _Draft(document, len(document["events"]) - 1, new_id, {}, after)
    index = _event_index(document, event_id)
    before = copy.deepcopy(document["events"][index])
    after = _event_row(event_id, values, staff_ids)
    document["events"][index] = copy.deepcopy(after)
    return _Draft(document, index, event_id, before, after)


def event_preview(
    *, year: SchoolYear, values: EventValues, event_id: str | None = None
) -> CheckResult:
    """The check of the year as it would be with this event added (or changed), without
    saving anything; raises YearInvalid as saving would."""
    draft = _event_draft(year, values, event_id)
    return check_year(_validate(draft.document, year, "events", draft.index))


def event_create(*, actor: Actor, year: SchoolYear, values: EventValues) -> Event:
    """Add an event to the year."""
    with transaction.atomic():
        locked = _locked(year)
        draft = _event_draft(locked, values, None)
        _validate(draft.document, locked, "events", draft.index)
        event = Event(school_year=locked, event_id=draft.row_id)
        _event_write(event, values, _posts(locked))
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.create",
            school=locked.school,
            summary=f"Added the event '{values.title}' on {_day(values.date)}",
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
        locked = _locked(year)
        event = _stored(Event, locked, "event", event_id=event_id)
        draft = _event_draft(locked, values, event_id)
        _check_version(draft, version)
        _validate(draft.document, locked, "events", draft.index)
        _event_write(event, values, _posts(locked))
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.update",
            school=locked.school,
            summary=f"Changed the event '{values.title}' on {_day(values.date)}",
            details={"event": event_id, "changes": audit_changes(draft.before, draft.after)},
        )
    return event


def event_delete(*, actor: Actor, year: SchoolYear, event_id: str) -> Event:
    """Delete an event of the year."""
    with transaction.atomic():
        locked = _locked(year)
        event = _stored(Event, locked, "event", event_id=event_id)
        document = school_year_document(locked)
        index = _event_index(document, event_id)
        before = document["events"].pop(index)
        _validate(document, locked, "events", None)
        event.delete()
        year_touch(year)
        audit_record(
            actor=actor,
            action="event.delete",
            school=locked.school,
            summary=f"Deleted the event '{before['title']}' on {_day(before['date'])}",
            details={"event": event_id, "changes": audit_changes(before, {})},
        )
    return event


# --- staff posts ----------------------------------------------------------------------


@dataclass(frozen=True)
class PostDeletion:
    """What deleting a post takes with it: the events that name it and its pro-forma."""

    attending: tuple[Event, ...]
    observing: tuple[Event, ...]
    observed_in: tuple[Event, ...]
    proforma: dict[str, Any] | None

    def sentences(self) -> list[str]:
        """Plain-language consequences, for the confirmation page and the audit log."""
        said = []
        if self.attending:
            n = len(self.attending)
            said.append(f"they are taken off the {_count(n, 'event')} they attend")
        if self.observing:
            said.append(f"{_count(len(self.observing), 'observation')} will have no observer")
        if self.observed_in:
            n = len(self.observed_in)
            said.append(f"{_count(n, 'observation')} will have nobody observed")
        if self.proforma:
            said.append("their balance-of-time pro-forma is deleted")
        return said


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


def post_deletion(post: StaffPost) -> PostDeletion:
    """What ``post_delete`` would also change, to show before anyone confirms."""
    proforma = next(
        (p for p in post.school_year.proformas if p.get("staff") == post.staff_id), None
    )
    return PostDeletion(
        attending=tuple(post.events.order_by("date", "start")),
        observing=tuple(post.observing.order_by("date", "start")),
        observed_in=tuple(post.observed_in.order_by("date", "start")),
        proforma=proforma,
    )


def whole_staff_events(year: SchoolYear) -> list[Event]:
    """Events every current post attends (in-service days, whole-school meetings): a new
    post can be added to them, since the database keeps attendees as a list."""
    staff = set(year.staff.values_list("pk", flat=True))
    if not staff:
        return []
    through = Event.attendees.through.objects.filter(event__school_year=year)
    attending: dict[int, set[int]] = {}
    for event_pk, post_pk in through.values_list("event_id", "staffpost_id"):
        attending.setdefault(event_pk, set()).add(post_pk)
    return [
        event for event in year.events.order_by("date", "start") if attending.get(event.pk) == staff
    ]


def _post_write(post: StaffPost, values: PostValues) -> None:
    post.name = values.name
    post.post = values.post
    post.department = values.department
    for name in STAFF_FIGURES:
        setattr(
            post,
            name,
            values.figures.get(name, StaffPost._meta.get_field(name).get_default()),
        )
    post.save()


def _post_label(name: str, staff_id: str) -> str:
    return f"{name} ({staff_id})"


def _staff_index(document: dict[str, Any], staff_id: str) -> int:
    for index, row in enumerate(document["staff"]):
        if row["id"] == staff_id:
            return index
    raise RowGone("staff post", staff_id)


def _post_draft(
    year: SchoolYear, values: PostValues, staff_id: str | None, joined: Iterable[Event] = ()
) -> _Draft:
    document = school_year_document(year)
    after = _staff_row(values)
    if staff_id is None:
        document["staff"].append(copy.deepcopy(after))
        joined_ids = {event.event_id for event in joined}
        for row in document["events"]:
            if row["id"] in joined_ids:
                row["attendees"].append(values.staff_id)
        return _Draft(document, len(document["staff"]) - 1, values.staff_id, {}, after)
    if values.staff_id != staff_id:
        raise ValueError("a post's staff id does not change")
    index = _staff_index(document, staff_id)
    before = copy.deepcopy(document["staff"][index])
    document["staff"][index] = copy.deepcopy(after)
    return _Draft(document, index, staff_id, before, after)


def post_preview(
    *,
    year: SchoolYear,
    values: PostValues,
    staff_id: str | None = None,
    join_whole_staff_events: bool = False,
) -> CheckResult:
    """The check of the year as it would be with this post added (or changed), without
    saving anything; raises YearInvalid as saving would."""
    joined = whole_staff_events(year) if join_whole_staff_events and staff_id is None else []
    draft = _post_draft(year, values, staff_id, joined)
    return check_year(_validate(draft.document, year, "staff", draft.index))


def post_create(
    *,
    actor: Actor,
    year: SchoolYear,
    values: PostValues,
    join_whole_staff_events: bool = False,
) -> StaffPost:
    """Add a staff post; optionally to every event the whole staff attends."""
    with transaction.atomic():
        locked = _locked(year)
        joined = whole_staff_events(locked) if join_whole_staff_events else []
        draft = _post_draft(locked, values, None, joined)
        _validate(draft.document, locked, "staff", draft.index)
        post = StaffPost(school_year=locked, staff_id=values.staff_id)
        _post_write(post, values)
        for event in joined:
            event.attendees.add(post)
        year_touch(year)
        summary = f"Added the post of {_post_label(values.name, values.staff_id)}"
        if joined:
            n = len(joined)
            summary += f" and added them to {n} whole-staff event{'s' if n != 1 else ''}"
        audit_record(
            actor=actor,
            action="post.create",
            school=locked.school,
            summary=summary,
            details={
                "staff": values.staff_id,
                "changes": audit_changes({}, draft.after),
                "added_to_events": [event.event_id for event in joined],
            },
        )
    return post


def post_update(
    *,
    actor: Actor,
    year: SchoolYear,
    staff_id: str,
    values: PostValues,
    version: str | None = None,
) -> StaffPost:
    """Change a staff post (its id, and the login linked to it, stay); ``version`` as
    for ``event_update``."""
    with transaction.atomic():
        locked = _locked(year)
        post = _stored(StaffPost, locked, "staff post", staff_id=staff_id)
        draft = _post_draft(locked, values, staff_id)
        _check_version(draft, version)
        _validate(draft.document, locked, "staff", draft.index)
        _post_write(post, values)
        year_touch(year)
        audit_record(
            actor=actor,
            action="post.update",
            school=locked.school,
            summary=f"Changed the post of {_post_label(values.name, staff_id)}",
            details={"staff": staff_id, "changes": audit_changes(draft.before, draft.after)},
        )
    return post


def post_delete(*, actor: Actor, year: SchoolYear, staff_id: str) -> PostDeletion:
    """Delete a staff post: it leaves the events that name it (as attendee, observer or
    observed) and its balance-of-time pro-forma goes with it, all recorded in the log."""
    with transaction.atomic():
        locked = _locked(year)
        post = _stored(StaffPost, locked, "staff post", staff_id=staff_id)
        post.school_year = locked
        effects = post_deletion(post)
        document = school_year_document(locked)
        before = document["staff"].pop(_staff_index(document, staff_id))
        for row in document["events"]:
            row["attendees"] = [i for i in row["attendees"] if i != staff_id]
            for role in ("observer", "observed"):
                if row.get(role) == staff_id:
                    del row[role]
        proformas = [p for p in locked.proformas if p.get("staff") != staff_id]
        if "proformas" in document:
            document["proformas"] = copy.deepcopy(proformas)
        _validate(document, locked, "staff", None)
        # The attendee rows go with the post (cascade); observer and observed are set to
        # none by their foreign keys.
        post.delete()
        if effects.proforma is not None:
            locked.proformas = proformas
            locked.save(update_fields=["proformas"])
            year.proformas = proformas  # the caller's copy, read again by its next check
        year_touch(year)
        label = _post_label(before["name"], staff_id)
        consequences = effects.sentences()
        summary = f"Deleted the post of {label}"
        if consequences:
            summary += ": " + "; ".join(consequences)
        audit_record(
            actor=actor,
            action="post.delete",
            school=locked.school,
            summary=summary,
            details={
                "staff": staff_id,
                "changes": audit_changes(before, {}),
                "removed_from_events": [e.event_id for e in effects.attending],
                "observer_cleared": [e.event_id for e in effects.observing],
                "observed_cleared": [e.event_id for e in effects.observed_in],
                "proforma": effects.proforma,
            },
        )
    return effects
