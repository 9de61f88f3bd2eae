"""Who may see and do what with an appeal (section 17) or a flexible approach (3.3).

- An appeal is seen by its parties (the school's head teacher and union representatives)
  and the Joint Secretaries of the school's council, and nobody else: not the council's
  other officers, not the union's local officers, not the school's teachers, not a site
  administrator. To everyone else it answers 404, so its existence is not revealed.
- The Joint Secretaries appoint the informal meeting's members, convene the meeting and
  the hearing, record who attended and what came of it, and record the conclusion.
- The parties and the Joint Secretaries file documents.
- A school's planned flexible approach is submitted by its head teacher, read by whoever
  may see the school and by the Joint Secretaries, and confirmed (or not) by a Joint
  Secretary.
"""

from __future__ import annotations

from django.db.models import QuerySet

from fairload.web.accounts.models import JOINT_SECRETARY_SIDES, Membership, Role
from fairload.web.accounts.policies import User, can_view_school
from fairload.web.appeals.models import Appeal
from fairload.web.schools.models import Council, School


def _roles(user: User) -> list[tuple[str, int | None, int | None]]:
    if not user.is_authenticated:
        return []
    held: list[tuple[str, int | None, int | None]] | None = getattr(
        user, "_fairload_appeal_roles", None
    )
    if held is None:
        held = list(
            Membership.objects.filter(user=user).values_list("role", "school_id", "council_id")
        )
        user._fairload_appeal_roles = held  # type: ignore[union-attr]
    return held


def joint_secretary_sides(user: User, council_id: int) -> list[str]:
    """The sides the user is a Joint Secretary for in the council, as the appeal's record
    names them (``joint-secretary-management``, ``joint-secretary-teachers``)."""
    return [
        JOINT_SECRETARY_SIDES[Role(role)]
        for role, _, council in _roles(user)
        if council == council_id and role in (Role.JNCT_MANAGEMENT, Role.JNCT_TEACHERS)
    ]


def is_joint_secretary(user: User, council_id: int) -> bool:
    return bool(joint_secretary_sides(user, council_id))


def joint_secretary_councils(user: User) -> QuerySet[Council]:
    ids = {
        council
        for role, _, council in _roles(user)
        if role in (Role.JNCT_MANAGEMENT, Role.JNCT_TEACHERS) and council is not None
    }
    return Council.objects.filter(pk__in=ids).order_by("name")


def party_roles(user: User, school: School) -> list[str]:
    """The user's parts in the school's appeal: ``head-teacher``, ``union-rep``."""
    held = {role for role, school_id, _ in _roles(user) if school_id == school.pk}
    return [
        name
        for role, name in ((Role.HEAD, "head-teacher"), (Role.UNION_REP, "union-rep"))
        if role in held
    ]


def may_view_appeal(user: User, appeal: Appeal) -> bool:
    return bool(party_roles(user, appeal.school)) or is_joint_secretary(
        user, appeal.school.council_id
    )


def may_act(user: User, appeal: Appeal) -> bool:
    """Convening, recording attendance and outcomes, the conclusion: the Joint
    Secretaries (17.3-17.5)."""
    return is_joint_secretary(user, appeal.school.council_id)


def may_file(user: User, appeal: Appeal) -> bool:
    return may_view_appeal(user, appeal)


def appeal_roles(user: User, appeal: Appeal) -> list[str]:
    """The user's roles in the pack's appeal.yaml (its steps' ``roles``)."""
    return [
        *party_roles(user, appeal.school),
        *joint_secretary_sides(user, appeal.school.council_id),
    ]


def may_view_flexible(user: User, school: School) -> bool:
    return can_view_school(user, school) or is_joint_secretary(user, school.council_id)


def may_submit_flexible(user: User, school: School) -> bool:
    """3.3: the school submits its planned approach; its head teacher does so."""
    return "head-teacher" in party_roles(user, school)


def may_decide_flexible(user: User, school: School) -> bool:
    return is_joint_secretary(user, school.council_id)


def may_view_queue(user: User, council: Council) -> bool:
    return is_joint_secretary(user, council.pk)
