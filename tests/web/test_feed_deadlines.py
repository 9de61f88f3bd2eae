"""Deadlines in calendar feeds: an open ballot's closing time is in the own feed of each
elector who has not yet voted, and in nobody else's feed."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from icalendar import Calendar

from fairload.core.ballots import Choice
from fairload.io.ical import parse_ics
from fairload.web.ballots.services import ballot_close, ballot_vote

from .ballot_helpers import AFTER, DURING, OPENED, electors_for, open_agreement_ballot
from .test_feeds import _make_school_feed, _make_teacher_feed

pytestmark = pytest.mark.django_db

SLUG = "test-academy"


def _deadlines(token: str) -> list[tuple[str, datetime, str]]:
    response = Client().get(reverse("feed", args=[token]))
    assert response.status_code == 200
    calendar = Calendar.from_ical(response.content)
    return [
        (str(v["SUMMARY"]), v.decoded("DTSTART"), str(v["URL"]))
        for v in calendar.walk("VEVENT")
        if "X-FAIRLOAD-DEADLINE" in v
    ]


@pytest.fixture
def ballot(cast, schools):  # type: ignore[no-untyped-def]
    """A ballot whose only elector is the teacher (t1), not the colleague (t2)."""
    with time_machine.travel(OPENED, tick=False):
        return open_agreement_ballot(
            school=schools[SLUG], actor=cast["head"], electorate=electors_for([cast["teacher"]])
        )


@time_machine.travel(DURING, tick=False)
def test_an_electors_own_feed_holds_the_ballots_closing_time_until_they_vote(as_user, cast, ballot):
    token = _make_teacher_feed(as_user, "teacher", "t1")

    (deadline,) = _deadlines(token)

    title, due, url = deadline
    assert title == f"Vote by now: {ballot.question}"
    assert due == ballot.closes_at == datetime(2026, 6, 11, 9, tzinfo=UTC)
    assert url == f"http://testserver/schools/{SLUG}/ballots/{ballot.pk}/"

    ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.YES, now=DURING)
    assert _deadlines(token) == []


@time_machine.travel(DURING, tick=False)
def test_a_non_electors_feed_and_the_schools_feed_hold_no_ballot_deadline(as_user, ballot):
    assert _deadlines(_make_teacher_feed(as_user, "colleague", "t2")) == []
    assert _deadlines(_make_school_feed(as_user)) == []


@time_machine.travel(DURING, tick=False)
def test_a_feed_of_the_elector_made_by_someone_else_does_not_tell_them_whether_they_voted(
    as_user, ballot
):
    # a site administrator may make a teacher's feed; it is not the teacher's own
    assert _deadlines(_make_teacher_feed(as_user, "admin", "t1")) == []


def test_a_closed_ballot_leaves_the_feed(as_user, cast, ballot):
    token = _make_teacher_feed(as_user, "teacher", "t1")
    with time_machine.travel(AFTER, tick=False):
        ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)
        assert _deadlines(token) == []


@time_machine.travel(DURING, tick=False)
def test_a_feed_with_a_deadline_still_imports_back_as_the_years_events(as_user, ballot):
    token = _make_teacher_feed(as_user, "teacher", "t1")
    body = Client().get(reverse("feed", args=[token])).content.decode()
    assert "X-FAIRLOAD-DEADLINE" in body

    imported = parse_ics(body, "feed.ics")

    assert imported.events and all(e.fields["category"] for e in imported.events)
