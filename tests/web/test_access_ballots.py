"""Ballot pages against every part of the cast: electors and those the ballot's policy
lets in see it, the head teacher and union reps run it, everyone else gets 404.

The actions (vote, close) answer a GET by going back to the ballot, so they sit in the
matrix like pages; their POSTs are tested in test_ballots_views.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.ballots.models import Ballot

from .access import assert_gets_change_nothing, assert_sent_to_sign_in, expected_status, ids, matrix
from .ballot_helpers import ballot_with_pk, electors_for

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids for the two ballots, far from any a sequence would hand out.
SCOTTISH_BALLOT, ENGLISH_BALLOT = 1_900_008_001, 1_900_007_001

PAGES = {
    "scottish ballots": reverse("ballot-list", args=["test-academy"]),
    "english ballots": reverse("ballot-list", args=["test-school"]),
    "scottish new ballot": reverse("ballot-new", args=["test-academy"]),
    "english new ballot": reverse("ballot-new", args=["test-school"]),
    "scottish ballot": reverse("ballot-detail", args=["test-academy", SCOTTISH_BALLOT]),
    "scottish ballot vote": reverse("ballot-vote", args=["test-academy", SCOTTISH_BALLOT]),
    "scottish ballot reissue": reverse("ballot-reissue", args=["test-academy", SCOTTISH_BALLOT]),
    "scottish ballot close": reverse("ballot-close", args=["test-academy", SCOTTISH_BALLOT]),
    "english ballot": reverse("ballot-detail", args=["test-school", ENGLISH_BALLOT]),
    "english ballot vote": reverse("ballot-vote", args=["test-school", ENGLISH_BALLOT]),
    "english ballot close": reverse("ballot-close", args=["test-school", ENGLISH_BALLOT]),
    "scottish ballot at the english school": reverse(
        "ballot-detail", args=["test-school", SCOTTISH_BALLOT]
    ),
}

SEES_SCOTTISH = {"scottish ballots", "scottish ballot", "scottish ballot vote"}
RUNS_SCOTTISH = SEES_SCOTTISH | {
    "scottish new ballot",
    "scottish ballot reissue",
    "scottish ballot close",
}
SEES_ENGLISH = {"english ballots", "english ballot", "english ballot vote"}

#: who -> the pages they may open (every other page must be 404 for them)
ALLOWED = {
    "head": RUNS_SCOTTISH,
    "rep": RUNS_SCOTTISH,
    "teacher": SEES_SCOTTISH,  # an elector
    "colleague": SEES_SCOTTISH,  # an elector
    "council": SEES_SCOTTISH,
    "union-officer": SEES_SCOTTISH,
    # an administrator sees every school, but runs no school's ballot
    "admin": SEES_SCOTTISH | SEES_ENGLISH,
    "other-head": SEES_ENGLISH | {"english new ballot", "english ballot close"},
    "other-council": SEES_ENGLISH,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def ballots(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    """An open ballot at each school: the Scottish one's electors are its teachers."""
    cast = shared_cast
    schools = shared_schools
    ballot_with_pk(
        pk=SCOTTISH_BALLOT,
        school=schools["test-academy"],
        actor=cast["head"],
        electorate=electors_for([cast["teacher"], cast["colleague"]]),
    )
    ballot_with_pk(
        pk=ENGLISH_BALLOT,
        school=schools["test-school"],
        actor=cast["other-head"],
        electorate=electors_for([cast["other-head"]]),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_ballot_pages_their_role_and_school_allow(as_user, who, page):
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
    assert_gets_change_nothing(as_user, PAGES[page], ("head", "admin", "teacher"), Ballot)
