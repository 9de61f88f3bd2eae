"""The agreement's deadlines in calendar feeds: the consultation's close in every feed of
the school while it is open; in a person's own feed, what the process asks of them (the
head's submission to the council, a signature wanted, the resubmission once the council
returns it), leaving it once done. A feed someone else made holds only the first.

The test school's session begins on 13 August 2025 and the pack's agreement is due 0 days
before it (agreement_due_days_before_session): due before 13 August 2025."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from fairload.web.agreements import services
from fairload.web.agreements.models import Signature
from fairload.web.schools.models import SchoolYear

from .agreement_helpers import year_of
from .test_agreements import (
    CONSULTED,
    CONSULTING,
    COUNTED,
    DRAFTED,
    SIGNED,
    SUBMITTED,
    _approved,
    _sign,
)
from .test_feeds import _make_school_feed, _make_teacher_feed

pytestmark = pytest.mark.django_db

SLUG = "test-academy"
#: the first moment of the session's first day, in the school's time zone
DUE = datetime.combine(datetime(2025, 8, 13).date(), time.min, ZoneInfo(settings.TIME_ZONE))
CLOSES = CONSULTING + timedelta(days=10)  # consultation_window_days


def _deadlines(token: str) -> dict[str, datetime]:
    response = Client().get(reverse("feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return {
        str(v["SUMMARY"]): v.decoded("DTSTART")
        for v in calendar.walk("VEVENT")
        if "X-FAIRLOAD-DEADLINE" in v
    }


@pytest.fixture
def year(cast, schools) -> SchoolYear:  # type: ignore[no-untyped-def]
    """The head on the head teacher's post (ht), the rep on Fiona Parttime's (pt06)."""
    found = year_of(schools[SLUG])
    found.staff.filter(staff_id="ht").update(person=cast["head"])
    found.staff.filter(staff_id="pt06").update(person=cast["rep"])
    return found


@pytest.fixture
def feeds(as_user, year):  # type: ignore[no-untyped-def]
    """Each person's own feed, a teacher's feed made by someone else, the school's feed."""
    return {
        "head": _make_teacher_feed(as_user, "head", "ht"),
        "rep": _make_teacher_feed(as_user, "rep", "pt06"),
        "teacher": _make_teacher_feed(as_user, "teacher", "t1"),
        "t2 by admin": _make_teacher_feed(as_user, "admin", "t2"),
        "school": _make_school_feed(as_user),
    }


@pytest.fixture
def started(cast, year):  # type: ignore[no-untyped-def]
    return services.agreement_start(actor=cast["head"], year=year, now=DRAFTED)


SUBMIT = "Submit the agreement for 2025-26 to South Ayrshire Council"
CONSULTATION = "The consultation on the draft agreement for 2025-26 closes"
SIGN = "Sign the agreement for 2025-26"
RETURNED = "Returned by the council: the agreement for 2025-26"


@time_machine.travel(DRAFTED, tick=False)
def test_the_heads_own_feed_holds_the_councils_deadline_and_no_one_elses(feeds, started):
    assert _deadlines(feeds["head"]) == {SUBMIT: DUE}
    for other in ("rep", "teacher", "t2 by admin", "school"):
        assert _deadlines(feeds[other]) == {}, other


@time_machine.travel(CONSULTING + timedelta(days=1), tick=False)
def test_the_consultations_close_is_in_every_feed_of_the_school_while_it_is_open(
    cast, feeds, started
):
    services.consultation_open(actor=cast["head"], agreement=started, now=CONSULTING)

    for whose in ("head", "rep", "teacher", "t2 by admin", "school"):
        assert _deadlines(feeds[whose]).get(CONSULTATION) == CLOSES, whose

    services.consultation_close(actor=cast["head"], agreement=started, now=CONSULTED)
    assert all(CONSULTATION not in _deadlines(token) for token in feeds.values())


def test_a_signature_is_wanted_once_the_staff_approve_until_each_signer_signs(
    cast, year, feeds, started
):
    services.consultation_open(actor=cast["head"], agreement=started, now=CONSULTING)
    with time_machine.travel(CONSULTED, tick=False):
        assert SIGN not in _deadlines(feeds["head"])  # not before the staff approve

    _approved(cast, started, year, yes=6)

    with time_machine.travel(COUNTED + timedelta(hours=1), tick=False):
        assert _deadlines(feeds["head"]) == {SIGN: DUE, SUBMIT: DUE}
        assert _deadlines(feeds["rep"]) == {SIGN: DUE}
        assert SIGN not in _deadlines(feeds["teacher"]) | _deadlines(feeds["t2 by admin"])
        assert SIGN not in _deadlines(feeds["school"])
    _sign(cast["head"], started, Signature.SignedAs.HEAD)
    with time_machine.travel(SIGNED, tick=False):
        assert SIGN not in _deadlines(feeds["head"])
        assert SIGN in _deadlines(feeds["rep"])


def test_a_return_by_the_council_is_in_the_committees_feeds_until_resubmitted(
    cast, year, feeds, started
):
    services.consultation_open(actor=cast["head"], agreement=started, now=CONSULTING)
    _approved(cast, started, year, yes=6)
    _sign(cast["head"], started, Signature.SignedAs.HEAD)
    _sign(cast["rep"], started, Signature.SignedAs.REP)
    submission = services.submit(actor=cast["head"], agreement=started, now=SUBMITTED)
    with time_machine.travel(SUBMITTED, tick=False):
        assert _deadlines(feeds["head"]) == {}  # submitted: nothing more is asked

    services.submission_decide(
        actor=cast["council"],
        submission=submission,
        accept=False,
        reasons="The calendar has no parents' evening in spring",
        now=SUBMITTED,
    )

    with time_machine.travel(SUBMITTED, tick=False):
        assert _deadlines(feeds["head"]) == {RETURNED: DUE}
        assert _deadlines(feeds["rep"]) == {RETURNED: DUE}
        assert RETURNED not in _deadlines(feeds["teacher"]) | _deadlines(feeds["school"])
