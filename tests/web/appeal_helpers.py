"""Appeals for the appeal tests: Test Academy's 2025-26 agreement reported as a failure to
agree (17.2) through the agreement's own service, and the council's Joint Secretaries."""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from fairload.web.accounts.models import Membership, Role
from fairload.web.agreements.services import failure_report
from fairload.web.appeals.models import Appeal, Meeting
from fairload.web.appeals.services import meeting_convene, meeting_outcome
from fairload.web.schools.models import Council, School

from .agreement_helpers import agreement_drafted

REPORTED = datetime(2025, 6, 20, 9, tzinfo=UTC)
INFORMAL_DAY = date(2025, 6, 27)
AFTER_INFORMAL = datetime(2025, 6, 28, 9, tzinfo=UTC)
HEARING_DAY = date(2025, 7, 2)
AFTER_HEARING = datetime(2025, 7, 3, 9, tzinfo=UTC)


def joint_secretary(username: str, role: Role, council: Council) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(
        username=username, password="not-used", first_name=username.title()
    )
    Membership.objects.create(user=user, role=role, council=council)
    return user


def reported(school: School, reporter: AbstractBaseUser, *, now: datetime = REPORTED) -> Appeal:
    agreement = agreement_drafted(school, reporter)
    report = failure_report(
        actor=reporter,
        agreement=agreement,
        text="The committee could not agree the hours for parents' meetings.",
        now=now,
    )
    return Appeal.objects.get(report=report)


INFORMAL_ATTENDEES = [
    ("Alison Manager", "management-side", False),
    ("Brian Teacherside", "teachers-side", False),
    ("Morag Head", "head-teacher", False),
    ("Duncan Rep", "union-rep", False),
]
HEARING_ATTENDEES = [
    ("Jo Management", "joint-secretary-management", False),
    ("Sam Teachers", "joint-secretary-teachers", True),
    ("Morag Head", "head-teacher", False),
    ("Duncan Rep", "union-rep", False),
]


def informal_held(appeal: Appeal, secretary: AbstractBaseUser, outcome: str) -> Meeting:
    meeting = meeting_convene(
        actor=secretary,
        appeal=appeal,
        kind=Meeting.Kind.INFORMAL,
        on=INFORMAL_DAY,
        place="Council offices",
        attendees=INFORMAL_ATTENDEES,
        now=REPORTED,
    )
    return meeting_outcome(
        actor=secretary, meeting=meeting, outcome=outcome, notes="", now=AFTER_INFORMAL
    )


def hearing_held(appeal: Appeal, secretary: AbstractBaseUser) -> Meeting:
    meeting = meeting_convene(
        actor=secretary,
        appeal=appeal,
        kind=Meeting.Kind.HEARING,
        on=HEARING_DAY,
        place="",
        attendees=HEARING_ATTENDEES,
        now=AFTER_INFORMAL,
    )
    return meeting_outcome(
        actor=secretary,
        meeting=meeting,
        outcome="Both sides presented their cases; the head called one witness.",
        notes="",
        now=AFTER_HEARING,
    )
