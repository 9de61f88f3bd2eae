"""Who may do what with a school's agreement. Every agreement view and service asks here.

- The School Negotiating Committee (16.1, 16.2) drafts, consults, answers comments,
  freezes the final version and runs its ballot: the people sitting on the year's
  recorded committee that day (web/committee, named and dated seats), and the head
  teacher always (who organises it, 16.2). A year with no committee recorded falls back
  to the roles: the head teacher and the school's union representatives.
- Whoever may see the school (its committee, the council's officers and union officers,
  site administrators) reads the drafts; the school's teaching staff read them once the
  consultation has opened, and comment while it is open.
- Comments' authors are named to the committee (who must answer, and may need to ask
  back) and to the author; everyone else reads the comment and its answer without the
  name, since a teacher criticising the draft need not be named to colleagues or the
  council.
- The head teacher and each union representative on the committee (a sitting seat as
  union representative; without a recorded committee, the role) sign; the head teacher
  submits.
- The council's officers accept or return a submitted agreement.

A school the person may not see answers 404 (403 "not for your role" to its own staff),
as every school page does (schools/lookups.py).
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import timezone

from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User, can_view_council, can_view_school
from fairload.web.agreements.models import Agreement, Signature
from fairload.web.committee.models import CommitteeRole
from fairload.web.committee.selectors import committee_of, seats_sitting
from fairload.web.schools.models import Council, School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_current


def _held(user: User, school: School) -> set[str]:
    if not user.is_authenticated:
        return set()
    return set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))


def _seat_roles(user: User, school: School, on: date | None) -> set[str] | None:
    """The capacities the user sits in on the school's recorded committee on ``on``
    (today by default); None when the school's year records no committee."""
    year = school_year_current(school=school)
    if year is None or committee_of(year) is None:
        return None
    day = on or timezone.localdate()
    return {s.role for s in seats_sitting(year=year, on=day) if s.post.person_id == user.pk}


def is_committee(user: User, school: School, on: date | None = None) -> bool:
    """On the School Negotiating Committee on ``on`` (today by default): its head teacher,
    or a sitting member of the recorded committee (a rep whose seat has ended, or who has
    none, is not); with no committee recorded, the head teacher or a union rep."""
    held = _held(user, school)
    if Role.HEAD in held:
        return True
    seats = _seat_roles(user, school, on)
    return Role.UNION_REP in held if seats is None else bool(seats)


def committee_members(year: SchoolYear, on: date | None = None) -> list[Any]:
    """The people (logins) on the committee on ``on``: who signs and hears back."""
    school = year.school
    heads = [
        m.user
        for m in Membership.objects.filter(school=school, role=Role.HEAD).select_related("user")
    ]
    if committee_of(year) is None:
        others = [
            m.user
            for m in Membership.objects.filter(school=school, role=Role.UNION_REP).select_related(
                "user"
            )
        ]
    else:
        seats = seats_sitting(year=year, on=on or timezone.localdate())
        others = [s.post.person for s in seats if s.post.person is not None]
    people: dict[int, Any] = {}
    for person in heads + others:
        people.setdefault(person.pk, person)
    return list(people.values())


def teaches_in(user: User, year: SchoolYear) -> bool:
    """A post in the year: one of "the whole teaching staff" of 16.4."""
    return (
        user.is_authenticated and StaffPost.objects.filter(school_year=year, person=user).exists()
    )


def may_view_agreement(user: User, year: SchoolYear, agreement: Agreement | None) -> bool:
    if can_view_school(user, year.school):
        return True
    opened = agreement is not None and agreement.consultation_opened_at is not None
    return opened and teaches_in(user, year)


def may_draft(user: User, school: School) -> bool:
    return is_committee(user, school)


def sees_comment_authors(user: User, school: School) -> bool:
    return is_committee(user, school)


def signing_roles(user: User, school: School, on: date | None = None) -> list[str]:
    """The roles in which the user signs the school's agreement on ``on`` (16.5): the
    head teacher, and a union representative sitting on the committee as one."""
    held = _held(user, school)
    seats = _seat_roles(user, school, on) if user.is_authenticated else set()
    rep = Role.UNION_REP in held if seats is None else CommitteeRole.UNION_REP.value in seats
    roles = []
    if Role.HEAD in held:
        roles.append(Signature.SignedAs.HEAD.value)
    if rep:
        roles.append(Signature.SignedAs.REP.value)
    return roles


def may_submit(user: User, school: School) -> bool:
    return Signature.SignedAs.HEAD.value in signing_roles(user, school)


def may_report_failure(user: User, school: School) -> bool:
    return is_committee(user, school)


def may_view_queue(user: User, council: Council) -> bool:
    return can_view_council(user, council.pk)


def may_decide(user: User, council: Council) -> bool:
    """Accepting or returning a submitted agreement: the council's own officers."""
    return (
        user.is_authenticated
        and Membership.objects.filter(
            user=user, role=Role.COUNCIL_OFFICER, council=council
        ).exists()
    )


def process_roles(user: User, year: SchoolYear) -> list[str]:
    """The user's roles in the pack's process (process.yaml's ``roles``)."""
    school = year.school
    roles = list(signing_roles(user, school))
    if is_committee(user, school):
        roles.append("committee")
    if teaches_in(user, year):
        roles.append("teaching-staff")
    if may_decide(user, school.council):
        roles.append("council")
    return roles
