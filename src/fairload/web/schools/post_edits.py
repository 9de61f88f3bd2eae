"""Adding, changing and deleting one staff post of a school year (see ``year_drafts``).

As for events, each builds the would-be year, has the core validate the whole of it, and
only then writes under the year's lock, with the audit log. A new post may join the
events the whole staff attends; a deleted one leaves the events that name it and takes
its balance-of-time pro-forma with it (``PostDeletion`` says so before anyone confirms).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction

from fairload.core.check import CheckResult
from fairload.web.audit.services import audit_changes, audit_record
from fairload.web.schools.models import STAFF_FIGURES, Event, SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import school_year_document
from fairload.web.schools.year_drafts import (
    Actor,
    Draft,
    YearInvalid,
    check_version,
    check_year,
    locked,
    row_index,
    row_version,
    stored,
    validate,
)


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


def _default(name: str) -> Any:
    return StaffPost._meta.get_field(name).get_default()


def _staff_row(values: PostValues) -> dict[str, Any]:
    """The post as a row of the school-year format, in the shape to_core writes it."""
    row: dict[str, Any] = {"id": values.staff_id, "name": values.name, "post": values.post}
    if values.department:
        row["department"] = values.department
    for name in STAFF_FIGURES:
        value = values.figures.get(name, _default(name))
        if value not in (None, ""):
            row[name] = value
    return row


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


def _refuse_while_in_the_agreement(document: dict[str, Any], name: str, staff_id: str) -> None:
    """A post the agreement's groups or committee name is not deleted from under them:
    the person leaves those on their own page first, so the record says when they left."""
    agreement = document.get("agreement", {})
    places = [
        (f"the group ‘{group['title']}’", f"agreement.groups[{g}].members[{m}]")
        for g, group in enumerate(agreement.get("groups", ()))
        for m, member in enumerate(group.get("members", ()))
        if member == staff_id
    ] + [
        ("the School Negotiating Committee", f"agreement.committee.members[{m}]")
        for m, member in enumerate((agreement.get("committee") or {}).get("members", ()))
        if member.get("staff") == staff_id
    ]
    if places:
        where = "; ".join(f"{what} ({field})" for what, field in places)
        text = (
            f"{name} is still in {where}. Take them off it on the Committee and groups "
            "page first (a committee seat can be given an end date), then delete the post."
        )
        raise YearInvalid({NON_FIELD_ERRORS: [text]})


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
        setattr(post, name, values.figures.get(name, _default(name)))
    post.save()


def _post_label(name: str, staff_id: str) -> str:
    return f"{name} ({staff_id})"


def post_version(year: SchoolYear, staff_id: str) -> str:
    """The version of the staff post as stored now, for its edit form."""
    document = school_year_document(year)
    return row_version(document["staff"][row_index(document, "staff", staff_id)])


def _post_draft(
    year: SchoolYear, values: PostValues, staff_id: str | None, joined: Iterable[Event] = ()
) -> Draft:
    document = school_year_document(year)
    after = _staff_row(values)
    if staff_id is None:
        document["staff"].append(copy.deepcopy(after))
        joined_ids = {event.event_id for event in joined}
        for row in document["events"]:
            if row["id"] in joined_ids:
                row["attendees"].append(values.staff_id)
        return Draft(document, len(document["staff"]) - 1, values.staff_id, {}, after)
    if values.staff_id != staff_id:
        raise ValueError("a post's staff id does not change")
    index = row_index(document, "staff", staff_id)
    before = copy.deepcopy(document["staff"][index])
    document["staff"][index] = copy.deepcopy(after)
    return Draft(document, index, staff_id, before, after)


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
    return check_year(validate(draft.document, year, "staff", draft.index))


def post_create(
    *,
    actor: Actor,
    year: SchoolYear,
    values: PostValues,
    join_whole_staff_events: bool = False,
) -> StaffPost:
    """Add a staff post; optionally to every event the whole staff attends."""
    with transaction.atomic():
        held = locked(year)
        joined = whole_staff_events(held) if join_whole_staff_events else []
        draft = _post_draft(held, values, None, joined)
        validate(draft.document, held, "staff", draft.index)
        post = StaffPost(school_year=held, staff_id=values.staff_id)
        _post_write(post, values)
        for event in joined:
            event.attendees.add(post)
        year_touch(year)
        summary = f"Added the post of {_post_label(values.name, values.staff_id)}"
        if joined:
            summary += f" and added them to {_count(len(joined), 'whole-staff event')}"
        audit_record(
            actor=actor,
            action="post.create",
            school=held.school,
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
    for ``event_edits.event_update``."""
    with transaction.atomic():
        held = locked(year)
        post = stored(StaffPost, held, "staff post", staff_id=staff_id)
        draft = _post_draft(held, values, staff_id)
        check_version(draft, version)
        validate(draft.document, held, "staff", draft.index)
        _post_write(post, values)
        year_touch(year)
        audit_record(
            actor=actor,
            action="post.update",
            school=held.school,
            summary=f"Changed the post of {_post_label(values.name, staff_id)}",
            details={"staff": staff_id, "changes": audit_changes(draft.before, draft.after)},
        )
    return post


def post_delete(*, actor: Actor, year: SchoolYear, staff_id: str) -> PostDeletion:
    """Delete a staff post: it leaves the events that name it (as attendee, observer or
    observed) and its balance-of-time pro-forma goes with it, all recorded in the log."""
    with transaction.atomic():
        held = locked(year)
        post = stored(StaffPost, held, "staff post", staff_id=staff_id)
        post.school_year = held
        effects = post_deletion(post)
        document = school_year_document(held)
        before = document["staff"].pop(row_index(document, "staff", staff_id))
        for row in document["events"]:
            row["attendees"] = [i for i in row["attendees"] if i != staff_id]
            for role in ("observer", "observed"):
                if row.get(role) == staff_id:
                    del row[role]
        _refuse_while_in_the_agreement(document, before["name"], staff_id)
        proformas = [p for p in held.proformas if p.get("staff") != staff_id]
        if "proformas" in document:
            document["proformas"] = copy.deepcopy(proformas)
        validate(document, held, "staff", None)
        # The attendee rows go with the post (cascade); observer and observed are set to
        # none by their foreign keys.
        post.delete()
        if effects.proforma is not None:
            held.proformas = proformas
            held.save(update_fields=["proformas"])
            year.proformas = proformas  # the caller's copy, read again by its next check
        year_touch(year)
        consequences = effects.sentences()
        summary = f"Deleted the post of {_post_label(before['name'], staff_id)}"
        if consequences:
            summary += ": " + "; ".join(consequences)
        audit_record(
            actor=actor,
            action="post.delete",
            school=held.school,
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
