"""Who may see what. Every view asks here; nothing else decides access.

- A site administrator sees every school.
- A council officer or union local officer sees every school of their council.
- A head teacher or union rep sees their school.
- A teacher sees their own page (budget, events, findings), not the school's.

A school a person may not see is answered with 404, so its existence is not revealed.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import Lower

from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.schools.models import Council, School, StaffPost

User = AbstractBaseUser | AnonymousUser


def _memberships(user: User) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user)


@dataclass(frozen=True)
class _Held:
    role: str
    school_id: int | None
    council_id: int | None
    union: str


def _held(user: User) -> list[_Held]:
    """The user's roles, read once per user object (so once per request: Django loads
    request.user afresh for each), since every page asks several questions of them."""
    if not user.is_authenticated:
        return []
    held: list[_Held] | None = getattr(user, "_fairload_roles", None)
    if held is None:
        held = [
            _Held(*row)
            for row in Membership.objects.filter(user=user).values_list(
                "role", "school_id", "council_id", "union"
            )
        ]
        user._fairload_roles = held  # type: ignore[union-attr]
    return held


def is_site_admin(user: User) -> bool:
    return any(h.role == Role.SITE_ADMIN for h in _held(user))


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
    return any(
        h.role == Role.SITE_ADMIN
        or (h.role in (Role.HEAD, Role.UNION_REP) and h.school_id == school.pk)
        or (
            h.role in (Role.COUNCIL_OFFICER, Role.UNION_OFFICER)
            and h.council_id == school.council_id
        )
        for h in _held(user)
    )


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


def can_edit_school(user: User, school: School) -> bool:
    """Importing a year, and adding, editing or deleting its events and posts: the school's
    head teacher (or line manager) and site administrators."""
    return any(
        h.role == Role.SITE_ADMIN or (h.role == Role.HEAD and h.school_id == school.pk)
        for h in _held(user)
    )


def can_create_schools(user: User) -> bool:
    """Importing a school that is not yet stored: site administrators."""
    return is_site_admin(user)


def can_manage_school_feed(user: User, school: School) -> bool:
    """The whole school's calendar feed: those who edit the school."""
    return can_edit_school(user, school)


def can_manage_teacher_feed(user: User, post: StaffPost) -> bool:
    """A teacher's own feed: the teacher, or a site administrator."""
    if user.is_authenticated and post.person_id == user.pk:
        return True
    return is_site_admin(user)


def can_view_audit(user: User, school: School) -> bool:
    """Who changed what: anyone who may see the school's dashboard."""
    return can_view_school(user, school)


def union_membership_visible(user: User, person_id: int | None) -> str | None:
    """The union a person has said they belong to, if the user may see it; else None.

    Special-category data: the person; a rep of their union in a school where they hold a
    post; an officer of their union for a council where they hold a post. Nobody else,
    not a head, a council officer or a site administrator.

    One query whatever the answer (member or not, allowed or not), so the time a page
    takes does not tell a viewer whether someone is a member.
    """
    if not user.is_authenticated or person_id is None:
        return None
    own = UnionMembership.objects.filter(user_id=person_id)
    if person_id == user.pk:
        return own.values_list("union", flat=True).first()
    schools = StaffPost.objects.filter(person_id=person_id).values("school_year__school_id")
    councils = School.objects.filter(pk__in=schools).values("council_id")
    acts_for = Membership.objects.annotate(acts_for=Lower("union")).filter(
        Q(role=Role.UNION_REP, school_id__in=schools)
        | Q(role=Role.UNION_OFFICER, council_id__in=councils),
        user_id=user.pk,
        acts_for=Lower(OuterRef("union")),
    )
    return own.filter(Exists(acts_for)).values_list("union", flat=True).first()


def can_view_union_membership(user: User, person_id: int | None) -> bool:
    """Whether the user may see the person's union (see union_membership_visible); False
    when the person has stated none, since there is then nothing to see."""
    return union_membership_visible(user, person_id) is not None


def unions_acted_for(user: User, school: School) -> set[str]:
    """The unions the user acts for at this school: as its rep, or as an officer for its
    council. Empty for everyone else (heads, council officers, site administrators)."""
    return {
        h.union.strip()
        for h in _held(user)
        if h.union.strip()
        and (
            (h.role == Role.UNION_REP and h.school_id == school.pk)
            or (h.role == Role.UNION_OFFICER and h.council_id == school.council_id)
        )
    }


# --- managing people's logins ----------------------------------------------------------------


def schools_headed(user: User) -> set[int]:
    """The schools whose people the user manages as their head teacher."""
    return {h.school_id for h in _held(user) if h.role == Role.HEAD and h.school_id is not None}


def can_manage_school_people(user: User, school: School) -> bool:
    """A school's logins (make one, give and take its roles, link a post): its head and
    site administrators."""
    return can_edit_school(user, school)


def person_schools(person_id: int) -> set[int]:
    """The schools where a person holds a role, or a post in any year."""
    roles = Membership.objects.filter(user_id=person_id, school__isnull=False).values_list(
        "school_id", flat=True
    )
    posts = StaffPost.objects.filter(person_id=person_id).values_list(
        "school_year__school_id", flat=True
    )
    return set(roles) | set(posts)


def can_view_person(user: User, person_id: int) -> bool:
    """A person's login page: a site administrator; a head of a school where the person
    holds a role or a post (who sees only what concerns their school)."""
    if is_site_admin(user):
        return True
    headed = schools_headed(user)
    return bool(headed and headed & person_schools(person_id))


def can_disable_person(user: User, person_id: int) -> bool:
    """Disabling a login (and cutting its sessions, feeds and tokens): a site administrator;
    a head only when every role and post the person has is in a school they head, so a
    head cannot lock out a council officer or another school's staff."""
    if is_site_admin(user):
        return True
    if person_id == user.pk:
        return False
    headed = schools_headed(user)
    elsewhere = Membership.objects.filter(user_id=person_id).exclude(school_id__in=headed)
    schools = person_schools(person_id)
    return bool(headed and schools and schools <= headed and not elsewhere.exists())


def can_erase_person(user: User) -> bool:
    """Erasing a person (UK GDPR article 17): site administrators only."""
    return is_site_admin(user)


#: The roles that see special-category data, offered two-factor sign-in.
TWO_FACTOR_ROLES = {Role.UNION_REP, Role.UNION_OFFICER, Role.SITE_ADMIN}


def may_use_two_factor(user: User) -> bool:
    return any(h.role in TWO_FACTOR_ROLES for h in _held(user))
