"""Reading dispute cases: who may see them, who acts on them, and the core's view of one.

A case is union business (issue 12, section 4). It is seen by, and only by:

- the members of its union at its school: people who declared that union
  (accounts.UnionMembership) and hold a post in the school's current year;
- that union's reps at the school (a ``union-rep`` role naming the union);
- that union's local officers for the school's council (a ``union-officer`` role naming
  the union).

Never the head or another manager of the school (even one who is a member), a council
officer, a site administrator, another union's rep or officer, or another school's or
council's people: for them a case does not exist (404, and in no list, count or answer).
Unions are compared without regard to case ("NEU" is "neu").

Other apps (the workload audit's council view) read cases only through
:func:`cases_visible_to` and :func:`cases_for_council`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from fairload.core import disputes
from fairload.core.dispute_case import Case as CoreCase
from fairload.core.dispute_case import case_checked
from fairload.core.dispute_ladder import Ladder, ladder_for, ladder_of
from fairload.core.packs import load_bundled
from fairload.core.workload_audit import audit_of
from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.accounts.policies import User
from fairload.web.ballots.selectors import ElectorIn
from fairload.web.disputes.models import Case, CaseBallot, CaseLetter
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.selectors import school_year_current

#: The ladder's roles (fairload.core.dispute_ladder.ROLES) as the web finds them.
MEMBER, REP, OFFICER = "member", "union-rep", "local-officer"


def _same(union: str) -> str:
    return union.strip().casefold()


def _declared_union(user: User) -> str:
    if not user.is_authenticated:
        return ""
    held = UnionMembership.objects.filter(user_id=user.pk).values_list("union", flat=True).first()
    return held or ""


def _current_post_schools(user: User) -> set[int]:
    """The schools where the user holds a post in the school's current (latest) year."""
    if not user.is_authenticated:
        return set()
    out = set()
    posts = StaffPost.objects.filter(person_id=user.pk).select_related("school_year__school")
    for post in posts:
        school = post.school_year.school
        current = school_year_current(school=school)
        if current is not None and current.pk == post.school_year_id:
            out.add(school.pk)
    return out


def _manages(user: User) -> set[int]:
    """Schools the user heads or line-manages: never shown a case there."""
    if not user.is_authenticated:
        return set()
    return set(
        Membership.objects.filter(user_id=user.pk, role=Role.HEAD).values_list(
            "school_id", flat=True
        )
    )


@dataclass(frozen=True)
class _Standing:
    """Where the user acts for which union: (school id, union) as member or rep, and
    (council id, union) as local officer; and the schools they manage."""

    member: frozenset[tuple[int, str]]
    rep: frozenset[tuple[int, str]]
    officer: frozenset[tuple[int, str]]
    manages: frozenset[int]


def _standing(user: User) -> _Standing:
    if not user.is_authenticated:
        return _Standing(frozenset(), frozenset(), frozenset(), frozenset())
    cached: _Standing | None = getattr(user, "_fairload_dispute_standing", None)
    if cached is not None:
        return cached
    declared = _same(_declared_union(user))
    roles = Membership.objects.filter(
        user_id=user.pk, role__in=[Role.UNION_REP, Role.UNION_OFFICER]
    ).values_list("role", "school_id", "council_id", "union")
    rep = {(s, _same(u)) for r, s, _, u in roles if r == Role.UNION_REP and u.strip()}
    officer = {(c, _same(u)) for r, _, c, u in roles if r == Role.UNION_OFFICER and u.strip()}
    member = {(s, declared) for s in _current_post_schools(user)} if declared else set()
    standing = _Standing(
        frozenset(member), frozenset(rep), frozenset(officer), frozenset(_manages(user))
    )
    user._fairload_dispute_standing = standing  # type: ignore[union-attr]
    return standing


def case_roles(user: User, school: School, union: str) -> set[str]:
    """The ladder's roles the user plays in that union's cases at the school (empty: the
    user may not see them). The school's head or manager plays none, member or not."""
    standing = _standing(user)
    if school.pk in standing.manages:
        return set()
    key = _same(union)
    roles = set()
    if (school.pk, key) in standing.member:
        roles.add(MEMBER)
    if (school.pk, key) in standing.rep:
        roles.add(REP)
    if (school.council_id, key) in standing.officer:
        roles.add(OFFICER)
    return roles


def unions_at(user: User, school: School) -> list[str]:
    """The unions whose cases at the school the user may see (as member, rep or
    officer), each once, as the role names it."""
    standing = _standing(user)
    if school.pk in standing.manages:
        return []
    names: dict[str, str] = {}
    for role in Membership.objects.filter(
        Q(role=Role.UNION_REP, school=school) | Q(role=Role.UNION_OFFICER, council=school.council),
        user_id=user.pk,
    ).values_list("union", flat=True):
        if role.strip():
            names.setdefault(_same(role), role.strip())
    declared = _declared_union(user)
    if declared and (school.pk, _same(declared)) in standing.member:
        names.setdefault(_same(declared), declared.strip())
    return list(names.values())


def case_may_view(user: User, case: Case) -> bool:
    return bool(case_roles(user, case.school, case.union))


def cases_visible_to(user: User) -> QuerySet[Case]:
    """Every case the user may see, in any school: newest first. Empty for anyone who is
    not a member, rep or local officer of a case's union (heads, council officers and
    site administrators see none)."""
    standing = _standing(user)
    allowed = Q(pk__in=[])
    for school_id, union in standing.member | standing.rep:
        allowed |= Q(school_id=school_id, union__iexact=union)
    for council_id, union in standing.officer:
        allowed |= Q(school__council_id=council_id, union__iexact=union)
    return (
        Case.objects.filter(allowed)
        .exclude(school_id__in=standing.manages)
        .select_related("school__council")
    )


def cases_for_council(user: User, council: Council) -> QuerySet[Case]:
    """The cases of the council's schools for the unions the user is a local officer of
    there: the officer's cross-school view. Empty for anyone else."""
    unions = [u for c, u in _standing(user).officer if c == council.pk]
    if not unions:
        return Case.objects.none()
    union_q = Q(pk__in=[])
    for union in unions:
        union_q |= Q(union__iexact=union)
    return cases_visible_to(user).filter(union_q, school__council=council)


def councils_officered(user: User) -> QuerySet[Council]:
    """The councils where the user is a union local officer (with a union named)."""
    return Council.objects.filter(pk__in=[c for c, _ in _standing(user).officer])


def case_get(user: User, pk: int) -> Case | None:
    """The case, if the user may see it; else None (the page answers 404)."""
    case = Case.objects.select_related("school__council").filter(pk=pk).first()
    if case is None or not case_may_view(user, case):
        return None
    return case


def cases_at(user: User, school: School) -> QuerySet[Case]:
    return cases_visible_to(user).filter(school=school)


# --- the core's view of a case --------------------------------------------------------------


def ladder_for_pack(pack_id: str) -> Ladder | None:
    return ladder_of(load_bundled(pack_id))


def school_ladder(school: School, union: str) -> Ladder | None:
    """The ladder a union's case at the school follows, or None: chosen by the ladders'
    own data (``serves``: the unions and the packs they are for), for the school's pack
    and what it extends (fairload.core.dispute_ladder.ladder_for)."""
    return ladder_for(load_bundled(school.pack), union)


def school_ladders(school: School, unions: Iterable[str]) -> dict[str, Ladder]:
    """Each of the unions that has a ladder at the school, with it, in the order given."""
    found = {union: school_ladder(school, union) for union in unions}
    return {union: ladder for union, ladder in found.items() if ladder is not None}


def school_has_instructions(school: School) -> bool:
    """Whether the school's pack has a union's numbered instructions (the NUT's ASOS
    list) that a case's issue may name."""
    return any(rule.instruction is not None for rule in load_bundled(school.pack).rules)


def school_has_no_audit(school: School) -> bool:
    """Whether the school's pack has no workload audit (audit.yaml, its own or one it
    extends): the pages say so rather than offer one."""
    return audit_of(load_bundled(school.pack)) is None


def case_ladder(case: Case) -> Ladder:
    ladder = ladder_for_pack(case.pack)
    assert ladder is not None, f"the pack {case.pack} has lost its dispute ladder"
    return ladder


def case_core(case: Case) -> CoreCase:
    """The stored record, read back by the core against the case's ladder."""
    return case_checked(case_ladder(case), case.record, f"case {case.pk}")


def letter_refusal(case: Case) -> str:
    """Why the letter to the head may not be shared yet ("" once it may): it says the
    members decided by a majority to ask the head, so their vote must have passed
    (``disputes.members_decision``)."""
    decision = disputes.members_decision(case_ladder(case), case_core(case))
    if decision is None or decision.met:
        return ""
    return (
        "The letter says a majority of members decided to ask the head teacher: share it "
        f"once the members' vote has passed ({decision.reason})."
    )


@dataclass(frozen=True)
class CaseSummary:
    """A case as the lists show it: the core's stage and next steps."""

    case: Case
    stage: disputes.CaseStage
    next_steps: list[disputes.NextStep]
    overdue: list[disputes.Overdue]


def case_summary(case: Case, today: date, roles: Iterable[str] | None = None) -> CaseSummary:
    ladder, core = case_ladder(case), case_core(case)
    return CaseSummary(
        case,
        disputes.stage(ladder, core),
        disputes.next_steps(ladder, core, None if roles is None else set(roles), today),
        disputes.overdue(ladder, core, today),
    )


# --- members, ballots and letters ------------------------------------------------------------


def members_at(school: School, union: str) -> list[StaffPost]:
    """The union's members at the school: posts of the current year whose person declared
    the union (one per person), not the school's heads or managers."""
    year = school_year_current(school=school)
    if year is None:
        return []
    managers = Membership.objects.filter(role=Role.HEAD, school=school).values("user_id")
    posts = (
        StaffPost.objects.filter(
            school_year=year,
            person__isnull=False,
            person__union_membership__union__iexact=union.strip(),
        )
        .exclude(person_id__in=managers)
        .order_by("name", "staff_id")
    )
    seen, out = set(), []
    for post in posts:
        if post.person_id not in seen:
            seen.add(post.person_id)
            out.append(post)
    return out


def members_electorate(school: School, union: str) -> list[ElectorIn]:
    """A members-only ballot's electorate, fixed when it opens."""
    return [
        ElectorIn(name=p.name, person_id=p.person_id, staff_id=p.staff_id)
        for p in members_at(school, union)
    ]


def case_ballot_current(case: Case, step: str) -> CaseBallot | None:
    return (
        CaseBallot.objects.filter(case=case, step=step)
        .select_related("ballot")
        .order_by("-ballot__opened_at", "-pk")
        .first()
    )


def letters_shared_with(user: User, school: School) -> QuerySet[CaseLetter]:
    """The letters the union shared with the head: for the school's head (and for whoever
    may see their case); nobody else."""
    if school.pk in _standing(user).manages:
        return CaseLetter.objects.filter(case__school=school)
    return CaseLetter.objects.filter(case__in=cases_at(user, school))


def schools_managed(user: User) -> frozenset[int]:
    """The schools the user heads or line-manages (who read the letters shared)."""
    return _standing(user).manages


def letter_may_view(user: User, letter: CaseLetter) -> bool:
    return letter.case.school_id in _standing(user).manages or case_may_view(user, letter.case)
