"""The calendar pages against every part of the cast: a school's calendar and hours for
those who may see the school, a teacher's for the teacher too, and 404 for everyone else."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.access import assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

PAGES = {
    "scottish calendar": reverse("school-calendar", args=["test-academy"]),
    "scottish calendar, a week, one teacher": reverse("school-calendar", args=["test-academy"])
    + "?view=week&week=2025-11-03&staff=t1",
    "english calendar": reverse("school-calendar", args=["test-school"]),
    "scottish hours": reverse("school-heatmap", args=["test-academy"]),
    "english hours": reverse("school-heatmap", args=["test-school"]),
    "teacher's own calendar": reverse("teacher-calendar", args=["test-academy", "t1"]),
    "teacher's own week": reverse("teacher-calendar", args=["test-academy", "t1"])
    + "?view=week&week=2025-08-11",
    "colleague's calendar": reverse("teacher-calendar", args=["test-academy", "t2"]),
    "teacher's own hours": reverse("teacher-heatmap", args=["test-academy", "t1"]),
    "colleague's hours": reverse("teacher-heatmap", args=["test-academy", "t2"]),
    "english teacher's hours": reverse("teacher-heatmap", args=["test-school", "t1"]),
}

SCOTTISH = {
    "scottish calendar",
    "scottish calendar, a week, one teacher",
    "scottish hours",
    "teacher's own calendar",
    "teacher's own week",
    "colleague's calendar",
    "teacher's own hours",
    "colleague's hours",
}
ENGLISH = {"english calendar", "english hours", "english teacher's hours"}
ALLOWED = {
    "head": SCOTTISH,
    "rep": SCOTTISH,
    "teacher": {"teacher's own calendar", "teacher's own week", "teacher's own hours"},
    "colleague": {"colleague's calendar", "colleague's hours"},
    "council": SCOTTISH,
    "union-officer": SCOTTISH,
    "admin": set(PAGES),
    "other-head": ENGLISH,
    "other-council": ENGLISH,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_calendars_their_role_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)


@pytest.mark.django_db
def test_a_teacher_cannot_read_a_colleagues_events_through_the_school_calendars_filter(as_user):
    url = reverse("school-calendar", args=["test-academy"]) + "?staff=t2"

    # Their own school: "not for your role", and none of the colleague's events.
    response = as_user("teacher").get(url)
    assert response.status_code == 403


@pytest.mark.django_db
def test_a_teacher_of_a_school_with_no_such_post_gets_404(as_user):
    url = reverse("teacher-calendar", args=["test-academy", "nobody"])

    assert as_user("admin").get(url).status_code == 404
