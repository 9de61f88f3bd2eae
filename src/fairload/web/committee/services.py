"""Services that write the groups and the committee: each change is checked as the whole
would-be year by the core (the same validation a file gets), written in one transaction
with the year's revision bumped, and recorded in the audit log. A refused change writes
nothing."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from fairload.core.errors import InputError, InputErrors
from fairload.web.audit.services import audit_record
from fairload.web.committee.models import AgreementGroup, CommitteeSeat, NegotiatingCommittee
from fairload.web.committee.record import seat_row
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import to_core

Actor = AbstractBaseUser | AnonymousUser
T = TypeVar("T")


class RecordRefused(Exception):
    """The change would make the year one the core refuses, or names a row that is gone;
    nothing was written. ``messages`` say why, each as a sentence."""

    def __init__(self, messages: Sequence[str]) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class GroupValues:
    group_id: str
    title: str
    hours: float
    members: tuple[str, ...]  # staff ids


@dataclass(frozen=True)
class SeatValues:
    staff_id: str
    role: str
    union: str
    since: date
    until: date | None


def _sentence(error: InputError) -> str:
    text = error.message[:1].upper() + error.message[1:]
    where = f" ({error.location.field})" if error.location and error.location.field else ""
    return f"{text}{where}. {error.hint}" if error.hint else f"{text}{where}."


def _checked(year: SchoolYear, change: Callable[[SchoolYear], T]) -> T:
    """Make ``change`` to the locked year, then have the core read the whole year; if it
    refuses it, undo everything (the transaction) and say why."""
    with transaction.atomic():
        locked = SchoolYear.objects.select_for_update().select_related("school").get(pk=year.pk)
        result = change(locked)
        try:
            to_core(locked)
        except InputErrors as many:
            raise RecordRefused([_sentence(e) for e in many.errors]) from None
        except InputError as one:
            raise RecordRefused([_sentence(one)]) from None
        year_touch(year)
    return result


def _posts(year: SchoolYear, staff_ids: Sequence[str]) -> list[StaffPost]:
    posts = {p.staff_id: p for p in year.staff.filter(staff_id__in=staff_ids)}
    missing = [s for s in staff_ids if s not in posts]
    if missing:
        raise RecordRefused([f"There is no staff post '{s}' in {year.label}." for s in missing])
    return [posts[s] for s in staff_ids]


def _group_details(group: AgreementGroup | None, values: GroupValues | None) -> dict[str, Any]:
    if group is not None:
        return {
            "id": group.group_id,
            "title": group.title,
            "hours": group.hours,
            "members": _member_ids(group),
        }
    assert values is not None
    return {
        "id": values.group_id,
        "title": values.title,
        "hours": values.hours,
        "members": list(values.members),
    }


def _member_ids(group: AgreementGroup) -> list[str]:
    through = AgreementGroup.members.through.objects.filter(agreementgroup=group).order_by("pk")
    return list(through.values_list("staffpost__staff_id", flat=True))


def _audit(actor: Actor, year: SchoolYear, action: str, summary: str, **details: Any) -> None:
    audit_record(actor=actor, action=action, school=year.school, summary=summary, details=details)


def group_save(
    *, actor: Actor, year: SchoolYear, values: GroupValues, group_id: str | None = None
) -> AgreementGroup:
    """Add a group (``group_id`` None) or change the group ``group_id``."""

    def change(locked: SchoolYear) -> AgreementGroup:
        posts = _posts(locked, values.members)
        before: dict[str, Any] = {}
        if group_id is None:
            if AgreementGroup.objects.filter(school_year=locked, group_id=values.group_id).exists():
                raise RecordRefused([f"There is a group with the id '{values.group_id}' already."])
            group = AgreementGroup(school_year=locked)
        else:
            found = AgreementGroup.objects.filter(school_year=locked, group_id=group_id).first()
            if found is None:
                raise RecordRefused([f"The group '{group_id}' has been deleted."])
            group = found
            before = _group_details(group, None)
        group.group_id, group.title, group.hours = values.group_id, values.title, values.hours
        group.save()
        through = AgreementGroup.members.through
        through.objects.filter(agreementgroup=group).delete()
        through.objects.bulk_create(
            through(agreementgroup_id=group.pk, staffpost_id=post.pk) for post in posts
        )
        verb = "Added" if group_id is None else "Changed"
        _audit(
            actor,
            locked,
            "group.add" if group_id is None else "group.edit",
            f"{verb} the group {values.title} ({values.hours:g} hours, "
            f"{len(posts)} member{'s' if len(posts) != 1 else ''})",
            before=before,
            after=_group_details(None, values),
        )
        return group

    return _checked(year, change)


def group_delete(*, actor: Actor, year: SchoolYear, group_id: str) -> None:
    def change(locked: SchoolYear) -> None:
        group = AgreementGroup.objects.filter(school_year=locked, group_id=group_id).first()
        if group is None:
            raise RecordRefused([f"The group '{group_id}' has been deleted already."])
        before = _group_details(group, None)
        group.delete()
        _audit(actor, locked, "group.delete", f"Deleted the group {before['title']}", before=before)

    _checked(year, change)


def _committee(year: SchoolYear) -> NegotiatingCommittee:
    committee, _ = NegotiatingCommittee.objects.get_or_create(school_year=year)
    return committee


def _seat_label(seat: CommitteeSeat) -> str:
    capacity = seat.get_role_display()
    if seat.union:
        capacity += f" ({seat.union})"
    return f"{seat.post.name} as {capacity.lower()}"


def seat_save(
    *, actor: Actor, year: SchoolYear, values: SeatValues, pk: int | None = None
) -> CommitteeSeat:
    """Seat someone on the committee (``pk`` None; records the committee if it was not),
    or change the seat ``pk``."""

    def change(locked: SchoolYear) -> CommitteeSeat:
        (post,) = _posts(locked, [values.staff_id])
        before: dict[str, Any] = {}
        if pk is None:
            seat = CommitteeSeat(committee=_committee(locked))
        else:
            found = CommitteeSeat.objects.filter(committee__school_year=locked, pk=pk).first()
            if found is None:
                raise RecordRefused(["That committee member has been removed."])
            seat = found
            before = seat_row(seat)
        seat.post = post
        seat.role = values.role
        seat.union = values.union if values.role == "union-rep" else ""
        seat.since, seat.until = values.since, values.until
        if seat.until is not None and seat.until < seat.since:
            raise RecordRefused(["The last day on the committee must be on or after the first."])
        seat.save()
        verb = "Added" if pk is None else "Changed"
        _audit(
            actor,
            locked,
            "committee.add" if pk is None else "committee.edit",
            f"{verb} {_seat_label(seat)} on the School Negotiating Committee",
            before=before,
            after=seat_row(seat),
        )
        return seat

    return _checked(year, change)


def seat_remove(*, actor: Actor, year: SchoolYear, pk: int) -> None:
    """Take a seat off the record (someone who leaves the committee keeps their seat with
    a last day: ``seat_save`` with ``until``)."""

    def change(locked: SchoolYear) -> None:
        seat = (
            CommitteeSeat.objects.filter(committee__school_year=locked, pk=pk)
            .select_related("post")
            .first()
        )
        if seat is None:
            raise RecordRefused(["That committee member has been removed already."])
        before = seat_row(seat)
        label = _seat_label(seat)
        seat.delete()
        _audit(
            actor,
            locked,
            "committee.remove",
            f"Removed {label} from the School Negotiating Committee record",
            before=before,
        )

    _checked(year, change)


def accredited_unions_set(*, actor: Actor, year: SchoolYear, unions: Sequence[str]) -> None:
    """The unions with an accredited representative in the school (records the committee
    if it was not). None: the head teacher organises the committee (16.2)."""

    def change(locked: SchoolYear) -> None:
        committee = _committee(locked)
        before = list(committee.accredited_unions)
        committee.accredited_unions = list(unions)
        committee.save()
        _audit(
            actor,
            locked,
            "committee.unions",
            "Recorded the unions with an accredited representative: "
            + (", ".join(unions) if unions else "none"),
            before=before,
            after=list(unions),
        )

    _checked(year, change)
