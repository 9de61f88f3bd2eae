"""What the groups and committee page reads: the rows, the committee's findings from the
year's check, and the union membership counts a viewer may see."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import Lower

from fairload.core.errors import PackError
from fairload.core.packs import load_bundled
from fairload.core.parameters import ResolvedParameter
from fairload.web.accounts.models import UnionMembership
from fairload.web.committee.models import AgreementGroup, CommitteeSeat, NegotiatingCommittee
from fairload.web.schools.models import SchoolYear

#: The pack parameter giving the smallest union membership count a page shows (16.1).
COUNT_MINIMUM = "union_membership_count_minimum"
#: The rule templates whose findings the committee page shows.
COMMITTEE_TEMPLATES = ("committee_composition",)


@dataclass(frozen=True)
class GroupRow:
    group: AgreementGroup
    members: list[str]  # names, in the record's order


@dataclass(frozen=True)
class SeatRow:
    seat: CommitteeSeat
    sitting: bool  # on the committee today


@dataclass(frozen=True)
class UnionCount:
    union: str
    #: the count, or None where it is below the minimum and withheld
    members: int | None


def groups_of(year: SchoolYear) -> list[GroupRow]:
    groups = list(AgreementGroup.objects.filter(school_year=year).order_by("pk"))
    through = AgreementGroup.members.through.objects.filter(
        agreementgroup__school_year=year
    ).order_by("pk")
    names: dict[int, list[str]] = {}
    for group_pk, name in through.values_list("agreementgroup_id", "staffpost__name"):
        names.setdefault(group_pk, []).append(name)
    return [GroupRow(group, names.get(group.pk, [])) for group in groups]


def committee_of(year: SchoolYear) -> NegotiatingCommittee | None:
    return NegotiatingCommittee.objects.filter(school_year=year).first()


def seats_of(year: SchoolYear, today: date) -> list[SeatRow]:
    seats = (
        CommitteeSeat.objects.filter(committee__school_year=year)
        .select_related("post")
        .order_by("since", "pk")
    )
    return [
        SeatRow(seat, seat.since <= today and (seat.until is None or seat.until >= today))
        for seat in seats
    ]


def count_minimum(year: SchoolYear) -> ResolvedParameter | None:
    """The pack's minimum count to show, read at the year's start; None if the pack has
    none (then no count is shown at all)."""
    try:
        return load_bundled(year.school.pack).parameters.resolve(COUNT_MINIMUM, year.start)
    except PackError:
        return None


def union_counts(*, year: SchoolYear, unions: set[str], minimum: int) -> list[UnionCount]:
    """How many of the year's staff have said they belong to each of ``unions`` (matched
    without regard to case), counting only those unions; a count below ``minimum`` is
    withheld (None)."""
    if not unions:
        return []
    people = year.staff.exclude(person=None).values("person_id")
    counted = dict(
        UnionMembership.objects.filter(user_id__in=people)
        .annotate(key=Lower("union"))
        .filter(key__in=sorted(u.lower() for u in unions))
        .values_list("key")
        .annotate(n=Count("pk"))
        .values_list("key", "n")
    )
    counts = {union: counted.get(union.lower(), 0) for union in sorted(unions)}
    return [UnionCount(union, n if n >= minimum else None) for union, n in counts.items()]


def seats_sitting(*, year: SchoolYear, on: date) -> list[CommitteeSeat]:
    """The committee's seats filled on ``on`` (from ``since`` to ``until``, inclusive), in
    the record's order: who is on the committee that day, and in which capacity."""
    return list(
        CommitteeSeat.objects.filter(committee__school_year=year, since__lte=on)
        .exclude(until__lt=on)
        .select_related("post")
        .order_by("pk")
    )


def sits_on_committee(*, user_id: int, year: SchoolYear, on: date) -> bool:
    """Whether the person (through their staff post in ``year``) sits on its committee on
    ``on``: for workflows that let the committee act (open a consultation, answer)."""
    return (
        CommitteeSeat.objects.filter(
            committee__school_year=year, post__person_id=user_id, since__lte=on
        )
        .exclude(until__lt=on)
        .exists()
    )
