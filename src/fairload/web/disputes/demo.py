"""The demo's dispute case (``manage.py load_demo``), so `make run` shows a case at
Hollinsvale Academy (an NEU school whose check finds weekly lesson plans asked for,
NUT instruction 1): an NEU rep and two members (logins with the demo's password), the
council's NEU local officer, and a case where the members have talked and met, with the
members' vote next. Idempotent: made once."""

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


def _login(username: str, first: str, last: str, password_hash: str) -> object:
    user, made = get_user_model().objects.get_or_create(
        username=username, defaults={"first_name": first, "last_name": last}
    )
    if made:
        user.password = password_hash  # the demo's one password, hashed once (load_demo)
        user.save()
    return user


def demo_disputes_add(password_hash: str, write: Callable[[str], object]) -> None:
    """The NEU people (logins with the demo's password, given hashed) and the case, once."""
    school = School.objects.select_related("council").filter(slug=DEMO_SCHOOL).first()
    if school is None:
        return
    users = {}
    for username, role, staff_id, first, last in PEOPLE:
        user = _login(username, first, last, password_hash)
        Membership.objects.get_or_create(
            user=user,
            role=role,
            school=school,
            defaults={"union": UNION if role == Role.UNION_REP else ""},
        )
        UnionMembership.objects.get_or_create(user=user, defaults={"union": UNION})
        StaffPost.objects.filter(school_year__school=school, staff_id=staff_id).update(person=user)
        users[username] = user
        write(f"  {username:<14} {role.label} ({UNION}) — {DEMO_SCHOOL}")
    officer = _login(*OFFICER, password_hash)
    Membership.objects.get_or_create(
        user=officer, role=Role.UNION_OFFICER, council=school.council, defaults={"union": UNION}
    )
    write(f"  {OFFICER[0]:<14} {Role.UNION_OFFICER.label} ({UNION}) — {school.council.slug}")
    if Case.objects.filter(school=school, union=UNION).exists():
        return
    rep = users["neu-rep"]
    case = services.dispute_case_open(
        actor=rep,
        school=school,
        title="Weekly lesson plans handed to senior leaders",
        issues=[
            {"instruction": 1, "clause": "Instruction 1", "rules": ["weekly-lesson-plans"]},
        ],
        source=Case.Source.FINDING,
        union=UNION,
        now=OPENED,
    )
    case = services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="talk",
        entry={
            "on": OPENED.date().isoformat(),
            "note": "Raised in the staffroom by several members.",
        },
        now=OPENED,
    )
    services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="members-meeting",
        entry={
            "on": MET.date().isoformat(),
            "attendance": {"present": 3, "members": 3},
            "issues": [{"instruction": 1, "clause": "Instruction 1"}],
        },
        now=MET,
    )
