"""The committee's monitoring pages (16.6) against every part of the cast: everyone who
works at the school or may see it reads the meetings and changes; the committee (head,
union rep) records them; any teacher of the school raises an issue and reads their own;
a person of another school or council gets 404, and their POST changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.schools.models import School

from .access import CAST, assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids, far from any a sequence would hand out.
MEETING, ENGLISH_MEETING, ISSUE, CHANGE, ENGLISH_CHANGE = (
    1_900_009_301,
    1_900_009_302,
    1_900_009_311,
    1_900_009_321,
    1_900_009_322,
)


def _url(name: str, school: str, *args: object) -> str:
    return reverse(name, args=[school, *args])


PAGES = {
    "scottish monitoring": _url("monitoring-home", "test-academy"),
    "scottish meeting": _url("monitoring-meeting", "test-academy", MEETING),
    "scottish meeting add": _url("monitoring-meeting-add", "test-academy"),
    "scottish meeting edit": _url("monitoring-meeting-edit", "test-academy", MEETING),
    "scottish issue raise": _url("monitoring-issue-raise", "test-academy"),
    "teacher's issue": _url("monitoring-issue", "test-academy", ISSUE),
    "scottish issue respond": _url("monitoring-issue-respond", "test-academy", ISSUE),
    "scottish change add": _url("monitoring-change-add", "test-academy"),
    "scottish change edit": _url("monitoring-change-edit", "test-academy", CHANGE),
    "english monitoring": _url("monitoring-home", "test-school"),
    "english meeting edit": _url("monitoring-meeting-edit", "test-school", ENGLISH_MEETING),
    "english change edit": _url("monitoring-change-edit", "test-school", ENGLISH_CHANGE),
    # the Scottish school's rows asked for under the English school
    "scottish meeting at the english school": _url("monitoring-meeting", "test-school", MEETING),
    "scottish issue at the english school": _url("monitoring-issue", "test-school", ISSUE),
}

READ = {"scottish monitoring", "scottish meeting"}
COMMITTEE = {
    "scottish meeting add",
    "scottish meeting edit",
    "scottish issue respond",
    "scottish change add",
    "scottish change edit",
}
ENGLISH_WRITES = {"english meeting edit", "english change edit"}

ALLOWED = {
    "head": READ | COMMITTEE | {"scottish issue raise", "teacher's issue"},
    "rep": READ | COMMITTEE | {"scottish issue raise", "teacher's issue"},
    "teacher": READ | {"scottish issue raise", "teacher's issue"},  # their own issue
    "colleague": READ | {"scottish issue raise"},  # not a colleague's issue
    "council": READ | {"teacher's issue"},  # sees the school, so its issues: not who
    "union-officer": READ | {"teacher's issue"},
    "admin": READ | COMMITTEE | {"teacher's issue", "english monitoring"} | ENGLISH_WRITES,
    "other-head": {"english monitoring"} | ENGLISH_WRITES,
    "other-council": {"english monitoring"},
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def record(shared_cast):  # type: ignore[no-untyped-def]
    """A meeting and a change at each school, and the teacher's issue (name withheld)."""
    cast = shared_cast
    scottish = School.objects.get(slug="test-academy")
    english = School.objects.get(slug="test-school")
    for pk, school in ((MEETING, scottish), (ENGLISH_MEETING, english)):
        Meeting.objects.create(
            pk=pk, school=school, label="2025-26", held_on=date(2025, 11, 12), minutes="Met."
        )
    for pk, school in ((CHANGE, scottish), (ENGLISH_CHANGE, english)):
        PracticeChange.objects.create(
            pk=pk,
            school=school,
            label="2025-26",
            title="New marking policy",
            introduced_on=date(2025, 10, 6),
            consulted=True,
        )
    StaffIssue.objects.create(
        pk=ISSUE,
        school=scottish,
        label="2025-26",
        raised_by=cast["teacher"],
        name_withheld=True,
        raised_on=date(2025, 11, 3),
        title="Reports take longer than planned",
        details="The report writing takes twice the hours allocated.",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_monitoring_pages_their_role_and_school_allow(
    as_user, who, page
):
    response = as_user(who).get(PAGES[page])

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))


def _state() -> tuple[object, ...]:
    return (
        list(Meeting.objects.order_by("pk").values()),
        list(StaffIssue.objects.order_by("pk").values()),
        list(PracticeChange.objects.order_by("pk").values()),
        AuditEntry.objects.count(),
    )


_MEETING = {
    "held_on_0": "19",
    "held_on_1": "11",
    "held_on_2": "2025",
    "attendees": ["t1"],
    "minutes": "Changed minutes.",
}
_CHANGE = {
    "title": "Data drops",
    "introduced_on_0": "3",
    "introduced_on_1": "11",
    "introduced_on_2": "2025",
    "consulted": "no",
}
#: A POST that would change something, for each write page.
POSTS = {
    "scottish meeting add": _MEETING,
    "scottish meeting edit": _MEETING,
    "scottish issue raise": {"title": "Cover", "details": "Too much cover."},
    "scottish issue respond": {"response": "We will raise it with the head."},
    "scottish change add": _CHANGE,
    "scottish change edit": _CHANGE,
    "english meeting edit": _MEETING,
    "english change edit": _CHANGE,
    "scottish meeting at the english school": _MEETING,
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page"),
    [(who, page) for who in CAST for page in POSTS if page not in ALLOWED[who]],
    ids=lambda v: str(v),
)
def test_a_post_from_someone_not_allowed_changes_nothing(as_user, who, page):
    before = _state()

    response = as_user(who).post(PAGES[page], POSTS[page])

    assert response.status_code in (403, 404, 405)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["head", "rep"])
@pytest.mark.parametrize("page", sorted(COMMITTEE | {"scottish issue raise"}))
def test_each_side_of_the_committee_can_post_each_write(as_user, who, page):
    before = _state()

    response = as_user(who).post(PAGES[page], POSTS[page])

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _state() != before
