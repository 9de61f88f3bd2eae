"""Export, feed and union pages against every part of the cast: nobody reaches what is not
theirs, and a page they may not use answers 404.

The actions (make or revoke a feed, state one's union) answer a GET by going back to the
page the action lives on, so they sit in the matrix like pages; their POSTs are tested in
test_feeds.py and test_union.py. The public feed itself is outside the matrix (it is read
with a secret, not a login).
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.accounts.models import Membership
from fairload.web.feeds.models import FeedToken

from .access import assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids for the feeds the matrix revokes, far from any a sequence would hand out.
SCHOOL_FEED, TEACHER_FEED = 1_900_007_001, 1_900_007_002
UNION = "EIS"

PAGES = {
    "scottish export": reverse("school-export", args=["test-academy"]),
    "english export": reverse("school-export", args=["test-school"]),
    "scottish school-year file": reverse("school-export-yaml", args=["test-academy"]),
    "english school-year file": reverse("school-export-yaml", args=["test-school"]),
    "scottish feeds": reverse("school-feeds", args=["test-academy"]),
    "english feeds": reverse("school-feeds", args=["test-school"]),
    "scottish feed revoke": reverse("school-feed-revoke", args=["test-academy", SCHOOL_FEED]),
    "teacher's feeds": reverse("teacher-feeds", args=["test-academy", "t1"]),
    "colleague's feeds": reverse("teacher-feeds", args=["test-academy", "t2"]),
    "teacher's feed revoke": reverse(
        "teacher-feed-revoke", args=["test-academy", "t1", TEACHER_FEED]
    ),
    "teacher's union": reverse("teacher-union", args=["test-academy", "t1"]),
    "colleague's union": reverse("teacher-union", args=["test-academy", "t2"]),
    "scottish members": reverse("school-union-members", args=["test-academy"]),
    "english members": reverse("school-union-members", args=["test-school"]),
}

SCOTTISH_EXPORT = {"scottish export", "scottish school-year file"}
ENGLISH_EXPORT = {"english export", "english school-year file"}
SCOTTISH_FEEDS = {"scottish feeds", "scottish feed revoke"}
TEACHERS = {"teacher's feeds", "teacher's feed revoke"}

#: who -> the pages they may open (every other page must be 404 for them)
ALLOWED = {
    "head": SCOTTISH_EXPORT | SCOTTISH_FEEDS,
    "rep": SCOTTISH_EXPORT | {"scottish members"},
    "teacher": TEACHERS | {"teacher's union"},
    "colleague": {"colleague's feeds", "colleague's union"},
    "council": SCOTTISH_EXPORT,
    "union-officer": SCOTTISH_EXPORT | {"scottish members"},
    # an administrator runs the site and may make anyone's feed, but union membership is
    # not theirs to see or state
    "admin": SCOTTISH_EXPORT
    | ENGLISH_EXPORT
    | SCOTTISH_FEEDS
    | {"english feeds"}
    | TEACHERS
    | {"colleague's feeds"},
    "other-head": ENGLISH_EXPORT | {"english feeds"},
    "other-council": ENGLISH_EXPORT,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def feeds_and_unions(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    """The feeds the revoke pages name, and the rep and officer acting for a union."""
    cast = shared_cast
    schools = shared_schools
    scottish = schools["test-academy"]
    FeedToken.objects.create(
        pk=SCHOOL_FEED, school=scottish, token_hash="a" * 64, created_by=cast["head"]
    )
    FeedToken.objects.create(
        pk=TEACHER_FEED,
        school=scottish,
        staff_id="t1",
        token_hash="b" * 64,
        created_by=cast["teacher"],
    )
    Membership.objects.filter(user__in=[cast["rep"], cast["union-officer"]]).update(union=UNION)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_pages_their_role_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_a_get_changes_nothing(as_user, page):
    as_user("admin").get(PAGES[page], follow=True)
    as_user("head").get(PAGES[page], follow=True)
    as_user("teacher").get(PAGES[page], follow=True)

    assert FeedToken.objects.count() == 2
    assert not FeedToken.objects.exclude(revoked_at=None).exists()
