"""Who may do what with a school's agreement. Every agreement view and service asks here.

- The School Negotiating Committee (16.1: the head teacher and the school's union
  representatives, until the committee itself is recorded) drafts, consults, answers
  comments, freezes the final version and opens its ballot.
- Whoever may see the school (its committee, the council's officers and union officers,
  site administrators) reads the drafts; the school's teaching staff read them once the
  consultation has opened, and comment while it is open.
- Comments' authors are named to the committee (who must answer, and may need to ask
  back) and to the author; everyone else reads the comment and its answer without the
  name, since a teacher criticising the draft need not be named to colleagues or the
  council.
- The head teacher and each union representative sign; the head teacher submits.
- The council's officers accept or return a submitted agreement.

A school the person may not see answers 404 (403 "not for your role" to its own staff),
as every school page does (schools/lookups.py).
"""

from __future__ import annotations

from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User, can_view_council, can_view_school
from fairload.web.agreements.models import Agreement, Signature
from fairload.web.ballots.policies import is_school_committee_member
from fairload.web.schools.models import Council, School, SchoolYear, StaffPost


def is_committee(user: User, school: School) -> bool:
    return is_school_committee_member(user, school)


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


def signing_roles(user: User, school: School) -> list[str]:
    """The roles in which the user signs the school's agreement (16.5)."""
    if not user.is_authenticated:
        return []
    held = set(Membership.objects.filter(user=user, school=school).values_list("role", flat=True))
    roles = []
    if Role.HEAD in held:
        roles.append(Signature.SignedAs.HEAD.value)
    if Role.UNION_REP in held:
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
