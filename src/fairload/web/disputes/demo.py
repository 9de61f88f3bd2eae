"""The demo's dispute cases (``manage.py load_demo``), so `make run` shows a case at
Hollinsvale Academy (an NEU school whose check finds weekly lesson plans asked for,
NUT instruction 1): an NEU rep and two members (logins with the demo's password), the
council's NEU local officer, and a case where the members have talked and met, with the
members' vote next. And one at Glenburnie Primary (South Ayrshire) for its EIS members,
on the EIS ladder pack (scotland/eis-workload-dispute): the EIS rep and a member (logins
with the demo's password); the demo's EIS union officer for the council is their local
association secretary. Its members have talked and met; the members' vote is next.
Idempotent: made once."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.disputes import services
from fairload.web.disputes.models import Case
from fairload.web.schools.models import School, StaffPost

DEMO_SCHOOL = "hollinsvale-academy"
UNION = "NEU"
OPENED = datetime(2025, 11, 3, 16, tzinfo=UTC)
MET = datetime(2025, 11, 10, 16, tzinfo=UTC)
#: username, role, staff id, first and last name
PEOPLE = (
    ("neu-rep", Role.UNION_REP, "gmills", "Grace", "Mills"),
    ("neu-member", Role.TEACHER, "kjackson", "Kwame", "Jackson"),
    ("neu-member-2", Role.TEACHER, "dahmed", "David", "Ahmed"),
)
OFFICER = ("neu-officer", "Nadia", "Okafor")

EIS_SCHOOL = "glenburnie-primary"
EIS_UNION = "EIS"
EIS_OPENED = datetime(2025, 11, 17, 16, tzinfo=UTC)
EIS_MET = datetime(2025, 11, 24, 16, tzinfo=UTC)
#: username, role, staff id, first and last name (Neil Gray is the school's union
#: representative in the appeal of appeals/demo.py too)
EIS_PEOPLE = (
    ("eis-rep", Role.UNION_REP, "ngray", "Neil", "Gray"),
    ("eis-member", Role.TEACHER, "mmoffat", "Morven", "Moffat"),
)


def _login(username: str, first: str, last: str, password_hash: str) -> object:
    user, made = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if made:
        user.password = password_hash  # the demo's one password, hashed once (load_demo)
        user.save()
    return user


def _union_people(
    school: School,
    union: str,
    people: tuple[tuple[str, Role, str, str, str], ...],
    password_hash: str,
    write: Callable[[str], object],
) -> dict[str, object]:
    """The union's rep and members at the school: logins, their roles, their declared
    union, and their posts in the school's year."""
    users = {}
    for username, role, staff_id, first, last in people:
        user = _login(username, first, last, password_hash)
        Membership.objects.get_or_create(
            user=user,
            role=role,
            school=school,
            defaults={"union": union if role == Role.UNION_REP else ""},
        )
        UnionMembership.objects.get_or_create(user=user, defaults={"union": union})
        StaffPost.objects.filter(school_year__school=school, staff_id=staff_id).update(person=user)
        users[username] = user
        write(f"  {username:<14} {role.label} ({union}) — {school.slug}")
    return users


def _talked_and_met(
    rep: object,
    school: School,
    union: str,
    title: str,
    issues: list[dict[str, object]],
    opened: datetime,
    met: datetime,
    members: int,
) -> None:
    """A case its members have talked about and met on, all present: the vote is next."""
    case = services.dispute_case_open(
        actor=rep,
        school=school,
        title=title,
        issues=issues,
        source=Case.Source.FINDING if any("rules" in i for i in issues) else Case.Source.HAND,
        union=union,
        now=opened,
    )
    case = services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="talk",
        entry={
            "on": opened.date().isoformat(),
            "note": "Raised in the staffroom by several members.",
        },
        now=opened,
    )
    services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="members-meeting",
        entry={
            "on": met.date().isoformat(),
            "attendance": {"present": members, "members": members},
            "issues": [{k: v for k, v in i.items() if k != "rules"} for i in issues],
        },
        now=met,
    )


def demo_disputes_add(password_hash: str, write: Callable[[str], object]) -> None:
    """The NEU people (logins with the demo's password, given hashed) and their case, and
    the EIS people and their case at a South Ayrshire school, each once."""
    _neu_case_add(password_hash, write)
    _eis_case_add(password_hash, write)


def _neu_case_add(password_hash: str, write: Callable[[str], object]) -> None:
    school = School.objects.select_related("council").filter(slug=DEMO_SCHOOL).first()
    if school is None:
        return
    users = _union_people(school, UNION, PEOPLE, password_hash, write)
    officer = _login(*OFFICER, password_hash)
    Membership.objects.get_or_create(
        user=officer, role=Role.UNION_OFFICER, council=school.council, defaults={"union": UNION}
    )
    write(f"  {OFFICER[0]:<14} {Role.UNION_OFFICER.label} ({UNION}) — {school.council.slug}")
    if Case.objects.filter(school=school, union=UNION).exists():
        return
    _talked_and_met(
        users["neu-rep"],
        school,
        UNION,
        "Weekly lesson plans handed to senior leaders",
        [{"instruction": 1, "clause": "Instruction 1", "rules": ["weekly-lesson-plans"]}],
        OPENED,
        MET,
        members=len(PEOPLE),
    )


def _eis_case_add(password_hash: str, write: Callable[[str], object]) -> None:
    """The EIS rep and member at Glenburnie Primary, and their case on the EIS ladder."""
    school = School.objects.select_related("council").filter(slug=EIS_SCHOOL).first()
    if school is None:
        return
    users = _union_people(school, EIS_UNION, EIS_PEOPLE, password_hash, write)
    if Case.objects.filter(school=school, union=EIS_UNION).exists():
        return
    _talked_and_met(
        users["eis-rep"],
        school,
        EIS_UNION,
        "Parents' meetings and staff meetings beyond the agreed hours",
        [
            {"clause": "JNCT2.7 6.1", "note": "Meetings with parents"},
            {"clause": "JNCT2.7 7.1", "note": "Staff meetings"},
        ],
        EIS_OPENED,
        EIS_MET,
        members=len(EIS_PEOPLE),
    )
