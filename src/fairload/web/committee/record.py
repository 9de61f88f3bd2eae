"""The committee app's rows <-> the school-year format's own fields.

``record_document`` adds them to the document ``fairload.web.schools.to_core`` builds (so
a stored year checks, exports and previews edits with them); ``record_store`` writes them
from a parsed year, inside the import's transaction.
"""

from __future__ import annotations

from typing import Any

from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.web.committee.models import (
    AgreementGroup,
    CommitteeSeat,
    CycleContact,
    NegotiatingCommittee,
    TimetableCycle,
)
from fairload.web.schools.models import SchoolYear, StaffPost

#: The staff row's weekly figures that a week-by-week cycle of contact replaces.
_PER_WEEK = ("contact_hours_per_week", "contact_periods_per_week")


def record_document(year: SchoolYear, document: dict[str, Any], posts: list[StaffPost]) -> None:
    """Add the year's timetable cycle, contact by cycle week, groups and committee to its
    document, whose ``staff`` rows are those of ``posts`` in order.

    A teacher's weekly contact entered on the post form after a cycle was imported
    replaces the cycle (the format holds one or the other), so a row with a weekly figure
    carries no cycle."""
    cycle = TimetableCycle.objects.filter(school_year=year).first()
    if cycle is not None:
        document["school"]["timetable_cycle_weeks"] = cycle.weeks
    by_post = {c.post_id: c for c in CycleContact.objects.filter(post__school_year=year)}
    if by_post:
        for post, row in zip(posts, document["staff"], strict=True):
            contact = by_post.get(post.pk)
            if contact is None or any(key in row for key in _PER_WEEK):
                continue
            if contact.hours_by_week is not None:
                row["contact_hours_by_cycle_week"] = list(contact.hours_by_week)
            else:
                row["contact_periods_by_cycle_week"] = list(contact.periods_by_week or [])
    agreement: dict[str, Any] = {}
    groups = group_rows(year)
    if groups:
        agreement["groups"] = groups
    committee = committee_row(year)
    if committee is not None:
        agreement["committee"] = committee
    if agreement:
        document.setdefault("agreement", {}).update(agreement)


def group_rows(year: SchoolYear) -> list[dict[str, Any]]:
    """The year's groups as the format's ``agreement.groups``."""
    groups = list(AgreementGroup.objects.filter(school_year=year).order_by("pk"))
    through = AgreementGroup.members.through.objects.filter(
        agreementgroup__school_year=year
    ).order_by("pk")
    members: dict[int, list[str]] = {}
    for group_pk, staff_id in through.values_list("agreementgroup_id", "staffpost__staff_id"):
        members.setdefault(group_pk, []).append(staff_id)
    return [
        {
            "id": group.group_id,
            "title": group.title,
            "hours": group.hours,
            "members": members.get(group.pk, []),
        }
        for group in groups
    ]


def committee_row(year: SchoolYear) -> dict[str, Any] | None:
    """The year's committee as the format's ``agreement.committee``; None if none."""
    committee = NegotiatingCommittee.objects.filter(school_year=year).first()
    if committee is None:
        return None
    row: dict[str, Any] = {}
    if committee.accredited_unions:
        row["accredited_unions"] = list(committee.accredited_unions)
    row["members"] = [
        seat_row(seat) for seat in committee.seats.select_related("post").order_by("pk")
    ]
    return row


def seat_row(seat: CommitteeSeat) -> dict[str, Any]:
    row: dict[str, Any] = {"staff": seat.post.staff_id, "role": seat.role}
    if seat.union:
        row["union"] = seat.union
    row["from"] = seat.since.isoformat()
    if seat.until is not None:
        row["to"] = seat.until.isoformat()
    return row


def record_store(year: SchoolYear, core: CoreSchoolYear, posts: dict[str, StaffPost]) -> None:
    """Write the parsed year's cycle, contact by cycle week, groups and committee for the
    newly created ``year`` (whose posts by staff id are ``posts``)."""
    if core.school.timetable_cycle_weeks != 1:
        TimetableCycle.objects.create(school_year=year, weeks=core.school.timetable_cycle_weeks)
    CycleContact.objects.bulk_create(
        CycleContact(
            post=posts[member.id],
            hours_by_week=list(member.contact_hours_by_cycle_week)
            if member.contact_hours_by_cycle_week
            else None,
            periods_by_week=list(member.contact_periods_by_cycle_week)
            if member.contact_periods_by_cycle_week
            else None,
        )
        for member in core.staff
        if member.contact_hours_by_cycle_week or member.contact_periods_by_cycle_week
    )
    groups = AgreementGroup.objects.bulk_create(
        AgreementGroup(school_year=year, group_id=g.id, title=g.title, hours=g.hours)
        for g in core.agreement.groups
    )
    through = AgreementGroup.members.through
    through.objects.bulk_create(
        through(agreementgroup_id=stored.pk, staffpost_id=posts[staff_id].pk)
        for stored, group in zip(groups, core.agreement.groups, strict=True)
        for staff_id in group.members
    )
    recorded = core.agreement.committee
    if recorded is not None:
        committee = NegotiatingCommittee.objects.create(
            school_year=year, accredited_unions=list(recorded.accredited_unions)
        )
        CommitteeSeat.objects.bulk_create(
            CommitteeSeat(
                committee=committee,
                post=posts[m.staff_id],
                role=m.role,
                union=m.union or "",
                since=m.since,
                until=m.until,
            )
            for m in recorded.members
        )
