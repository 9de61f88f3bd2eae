"""Who may see what. Every view asks here; nothing else decides access.

- A site administrator sees every school.
- A council officer or union local officer sees every school of their council.
- A head teacher or union rep sees their school.
- A teacher sees their own page (budget, events, findings), not the school's.

A school a person may not see is answered with 404, so its existence is not revealed.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from fairload.web.accounts.models import Membership, Role
from fairload.web.schools.models import Council, School, StaffPost

User = AbstractBaseUser | AnonymousUser


def _memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


def is_site_admin(user: User) -> bool:
    return _memberships(user).filter(role=Role.SITE_ADMIN).exists()


def schools_visible(user: User) -> QuerySet[School]:
    """Schools whose dashboard the user may open."""
    memberships = _memberships(user)
    if not user.is_authenticated:
        return School.objects.none()
    if memberships.filter(role=Role.SITE_ADMIN).exists():
        return School.objects.all()
    school_ids = memberships.filter(role__in=[Role.HEAD, Role.UNION_REP]).values("school_id")
    council_ids = memberships.filter(role__in=[Role.COUNCIL_OFFICER, Role.UNION_OFFICER]).values(
        "council_id"
    )
    return School.objects.filter(Q(pk__in=school_ids) | Q(council_id__in=council_ids))


def can_view_school(user: User, school: School) -> bool:
    return schools_visible(user).filter(pk=school.pk).exists()


def can_view_teacher(user: User, post: StaffPost) -> bool:
    """A teacher's own page, or any teacher of a school the user may see."""
    if user.is_authenticated and post.person_id == user.pk:
        return True
    return can_view_school(user, post.school_year.school)


def posts_of(user: User) -> QuerySet[StaffPost]:
    """The user's own staff posts (as a teacher), newest year first."""
    if not user.is_authenticated:
        return StaffPost.objects.none()
    return (
        StaffPost.objects.filter(person=user)
        .select_related("school_year__school")
        .order_by("-school_year__start")
    )


def can_view_council(user: User, council_id: int) -> bool:
    """The council overview: its council and union officers, and site administrators."""
    memberships = _memberships(user)
    if memberships.filter(role=Role.SITE_ADMIN).exists():
        return True
    return memberships.filter(
        role__in=[Role.COUNCIL_OFFICER, Role.UNION_OFFICER], council_id=council_id
    ).exists()


def councils_visible(user: User) -> QuerySet[Council]:
    memberships = _memberships(user)
    if memberships.filter(role=Role.SITE_ADMIN).exists():
        return Council.objects.all()
    return Council.objects.filter(
        pk__in=memberships.filter(role__in=[Role.COUNCIL_OFFICER, Role.UNION_OFFICER]).values(
            "council_id"
        )
    )
