"""The demo's appeal (``manage.py load_demo``), so `make run` shows the Joint Secretaries'
queue and an appeal at the informal stage. Glenburnie Primary's year file records an
agreement that 9 of 18 staff voted for, a majority of the votes cast but not of the staff
(16.4): its union representative reports the failure to agree (17.2), and the Joint
Secretaries have convened the informal meeting (17.3), not yet held."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from django.contrib.auth import get_user_model

from fairload.web.accounts.models import Membership, Role
from fairload.web.agreements.models import Agreement, FailureReport
from fairload.web.appeals.models import Appeal, Attendee, Meeting
from fairload.web.schools.models import Council, SchoolYear
from fairload.web.schools.services import year_touch

DEMO_COUNCIL = "south-ayrshire-council"
DEMO_SCHOOL = "glenburnie-primary"
#: username, role, first and last name: one Joint Secretary per side.
SECRETARIES = (
    ("js-management", Role.JNCT_MANAGEMENT, "Fiona", "Laird"),
    ("js-teachers", Role.JNCT_TEACHERS, "Gordon", "Reid"),
)
REPORTED = datetime(2025, 6, 16, 9, tzinfo=UTC)
MEETING_DAY = date(2025, 6, 25)
#: name, as: the informal meeting's attendees (17.3)
ATTENDEES = (
    ("Catriona Boyd", Attendee.As.MANAGEMENT),
    ("Iain Fraser", Attendee.As.TEACHERS),
    ("Eilidh Kelly", Attendee.As.HEAD),
    ("Neil Gray", Attendee.As.REP),
)


def demo_appeals_add(password_hash: str, write: Callable[[str], object]) -> None:
    """The council's two Joint Secretaries (logins with the demo's password, given hashed) and the
    primary's appeal, once; then the logins, for the demo's list."""
    council = Council.objects.filter(slug=DEMO_COUNCIL).first()
    year = SchoolYear.objects.filter(school__slug=DEMO_SCHOOL).order_by("-start").first()
    if council is None or year is None:
        return
    for username, role, first, last in SECRETARIES:
        user, made = get_user_model().objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if made:
            user.password = password_hash
            user.save()
        Membership.objects.get_or_create(user=user, role=role, council=council)
        write(f"  {username:<14} {role.label} — {DEMO_COUNCIL}")
    if Appeal.objects.filter(school=year.school, label=year.label).exists():
        return
    agreement, _ = Agreement.objects.get_or_create(
        school=year.school,
        label=year.label,
        defaults={"year_start": year.start, "created_at": REPORTED},
    )
    report = FailureReport.objects.create(  # opens the appeal (appeals/signals.py)
        agreement=agreement,
        started_at=REPORTED,
        by="union-rep",
        text=(
            "The staff's vote gave 9 of 18 in favour: a majority of the votes cast, not of the "
            "staff (16.4). The committee cannot agree how to bring the hours for parents' "
            "meetings and staff meetings within the year."
        ),
    )
    appeal = Appeal.objects.get(report=report)
    meeting = Meeting.objects.create(
        appeal=appeal,
        kind=Meeting.Kind.INFORMAL,
        on=MEETING_DAY,
        place="County Buildings, Ayr",
        convened_at=REPORTED,
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, name=name, role=role) for name, role in ATTENDEES
    )
    year_touch(year)
