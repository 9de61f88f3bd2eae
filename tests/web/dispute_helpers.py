"""A school on the NUT's 2015 pack (its dispute ladder) for the dispute tests, and the
people a case is and is not for.

"NEU School" (the neu-asos-2015 pack's test school under another id) sits in the English
test council with the shared cast's Test Community School. Its NEU members are Tom (the
rep), Tess and Pat; Tara is in NASUWT; Helen the head has declared NEU too, and must
still see nothing.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.disputes import services
from fairload.web.disputes.models import Case, CaseLetter
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.services import school_year_import

NEU_SCHOOL = (
    Path(__file__).resolve().parents[2]
    / "src/fairload/packs/england/neu-asos-2015/tests/school.yaml"
)
OPENED = datetime(2026, 1, 12, 9, tzinfo=UTC)
LATER = OPENED + timedelta(days=1)
#: the pack's members_vote_window_days is 7
AFTER_VOTE = OPENED + timedelta(days=8)


def neu_school() -> School:
    document = load_file(NEU_SCHOOL)
    document["school"] = {**document["school"], "id": "neu-school", "name": "NEU School"}
    # one breach under instruction 1, so the check has a finding to open a case from
    document["policy"] = {**document["policy"], "weekly-lesson-plans-to-slt": True}
    school_year_import(document=document, source="neu-school.yaml")
    return School.objects.select_related("council").get(slug="neu-school")


def person(
    username: str,
    role: Role | None = None,
    *,
    school: School | None = None,
    council: Council | None = None,
    union: str = "",
    declares: str = "",
    staff_id: str = "",
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(
        username=username, password="not-used", first_name=username.title()
    )
    if role is not None:
        Membership.objects.create(user=user, role=role, school=school, council=council, union=union)
    if declares:
        UnionMembership.objects.create(user=user, union=declares)
    if staff_id and school is not None:
        StaffPost.objects.filter(school_year__school=school, staff_id=staff_id).update(person=user)
    return user


def dispute_people(cast: dict[str, Any], schools: dict[str, School]) -> dict[str, Any]:
    """The NEU school's people, with the shared cast; another school's NEU rep and
    another council's NEU officer."""
    school = neu_school()
    english = schools["test-school"]
    scottish = schools["test-academy"]
    return {
        **cast,
        "neu-rep": person(
            "neu-rep", Role.UNION_REP, school=school, union="NEU", declares="NEU", staff_id="t1"
        ),
        "neu-member": person(
            "neu-member", Role.TEACHER, school=school, declares="NEU", staff_id="t2"
        ),
        "neu-member-2": person(
            "neu-member-2", Role.TEACHER, school=school, declares="neu", staff_id="p5"
        ),
        "nasuwt-member": person(
            "nasuwt-member", Role.TEACHER, school=school, declares="NASUWT", staff_id="tlr"
        ),
        "neu-head": person("neu-head", Role.HEAD, school=school, declares="NEU", staff_id="head"),
        "nasuwt-rep": person("nasuwt-rep", Role.UNION_REP, school=school, union="NASUWT"),
        "neu-officer": person(
            "neu-officer", Role.UNION_OFFICER, council=school.council, union="NEU"
        ),
        "nasuwt-officer": person(
            "nasuwt-officer", Role.UNION_OFFICER, council=school.council, union="NASUWT"
        ),
        "english-council": person("english-council", Role.COUNCIL_OFFICER, council=school.council),
        "other-school-rep": person(
            "other-school-rep", Role.UNION_REP, school=english, union="NEU", declares="NEU"
        ),
        "far-officer": person(
            "far-officer", Role.UNION_OFFICER, council=scottish.council, union="NEU"
        ),
    }


def open_case(rep: AbstractBaseUser, *, title: str = "Weekly lesson plans") -> Case:
    school = School.objects.get(slug="neu-school")
    return services.dispute_case_open(
        actor=rep,
        school=school,
        title=title,
        issues=[{"instruction": 1, "clause": "Instruction 1"}],
        now=OPENED,
    )


def members_voted(people: dict[str, Any], case: Case) -> Case:
    """The case taken to its members' vote, which passes: its three members vote yes."""
    from fairload.core.ballots import Choice
    from fairload.web.ballots.models import Ballot
    from fairload.web.ballots.services import ballot_close, ballot_vote

    rep = people["neu-rep"]
    services.dispute_step_take(
        actor=rep, case=case, step_id="talk", entry=entry(OPENED), now=OPENED
    )
    meeting = entry(OPENED, attendance={"present": 3, "members": 3})
    case = services.dispute_step_take(
        actor=rep, case=case, step_id="members-meeting", entry=meeting, now=OPENED
    )
    ballot = services.dispute_vote_open(
        actor=rep, case=case, step_id="members-vote", question="Q?", paper_text="P", now=LATER
    )
    for voter in ("neu-rep", "neu-member", "neu-member-2"):
        ballot_vote(ballot=ballot, voter=people[voter], choice=Choice.YES, now=LATER)
    ballot_close(actor=rep, ballot=Ballot.objects.get(pk=ballot.pk), now=AFTER_VOTE)
    case.refresh_from_db()
    return case


def entry(on: datetime, **fields: Any) -> dict[str, Any]:
    return {"on": on.date().isoformat(), **fields}


def client_as(people: dict[str, Any], who: str | None) -> Client:
    """A client signed in as one of the people, or signed out for None."""
    client = Client()
    if who is not None:
        client.force_login(people[who])
    return client


def case_rows() -> list[object]:
    """Every case and shared letter as stored: what a refused POST must leave as it was."""
    return [list(m.objects.order_by("pk").values()) for m in (Case, CaseLetter)]
