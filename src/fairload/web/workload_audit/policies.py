"""Who may see and answer a union's workload audit at a school: union business.

An audit belongs to a school and a union. It is seen, and answered, by:

- the union's members at the school: people who declared that union
  (accounts.UnionMembership) and hold a post in the school's current year;
- the union's reps at the school (a ``union-rep`` role naming the union);
- the union's local officers for the school's council (a ``union-officer`` role naming
  the union).

Nobody else: not the head or another manager of the school (even one who is a member),
a council officer, a site administrator, another union's members, reps or officers, or
another school's or council's people. For them there is no audit (404). Unions are
compared without regard to case or spaces around them ("NEU" is " neu").

The same people as see the union's dispute cases (web/disputes/selectors.py), by the
same reading of membership.
"""

from __future__ import annotations

from django.db.models import Q

from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.accounts.policies import User
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.selectors import school_year_current


def union_key(union: str) -> str:
    return union.strip().casefold()


def _member_union(user: User, school: School) -> str:
    """The union the user declared, if they hold a post in the school's current year."""
    declared = UnionMembership.objects.filter(user_id=user.pk).values_list("union", flat=True)
    union = (declared.first() or "").strip()
    if not union:
        return ""
    year = school_year_current(school=school)
    if year is None or not StaffPost.objects.filter(school_year=year, person_id=user.pk).exists():
        return ""
    return union


def audit_unions(user: User, school: School) -> list[str]:
    """The unions whose workload audit at the school the user may see and answer, each
    once (by its key), as the user's role or declaration names it; sorted. Empty for the
    school's head, whatever else they are."""
    if not user.is_authenticated:
        return []
    roles = Membership.objects.filter(
        Q(role=Role.UNION_REP, school=school)
        | Q(role=Role.UNION_OFFICER, council_id=school.council_id)
        | Q(role=Role.HEAD, school=school),
        user_id=user.pk,
    ).values_list("role", "union")
    held = list(roles)
    if any(role == Role.HEAD for role, _ in held):
        return []
    names: dict[str, str] = {}
    for _, union in held:
        if union.strip():
            names.setdefault(union_key(union), union.strip())
    member = _member_union(user, school)
    if member:
        names.setdefault(union_key(member), member)
    return sorted(names.values(), key=union_key)


def may_use_audit(user: User, school: School, union: str) -> bool:
    return union_key(union) in {union_key(u) for u in audit_unions(user, school)}


def audit_sections(user: User, school: School, current: str) -> list[dict[str, object]]:
    """The school menu's entry for the workload audit (navigation.py): for those who may
    use a union's audit at the school, when its pack has one; nobody else sees it."""
    from django.urls import reverse

    from fairload.web.workload_audit.selectors import school_audit

    if not audit_unions(user, school) or school_audit(school) is None:
        return []
    url = reverse("workload-audit", args=[school.slug])
    return [
        {"label": "Workload audit", "url": url, "current": current.startswith("workload-audit")}
    ]
