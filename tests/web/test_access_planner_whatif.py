"""The planner's what-if page and "Start again" against every part of the cast, in the
matrix style of test_access_planner.py: only whoever may draft the school's agreement
(its head teacher and union representatives) opens them; everyone else gets 404, or 403
"not for your role" on their own school. "Start again" answers a GET by going back to the
run, so it sits in the matrix like a page; its POST is in test_planner_stuck.py, and the
what-if's POSTs in test_planner_whatif.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.planner.models import PlanRun

from .access import assert_gets_change_nothing, assert_sent_to_sign_in, expected_status, ids, matrix
from .planner_helpers import runs_at_both_schools, wishes

RUN, ENGLISH_RUN = 9401, 9402


def _at(name: str, *args: object, slug: str = "test-academy") -> str:
    return reverse(name, args=[slug, *args])


PAGES = {
    "what if": _at("planner-whatif"),
    "what if from a run": _at("planner-whatif") + f"?from={RUN}",
    "again": _at("planner-run-again", RUN),
    "english what if": _at("planner-whatif", slug="test-school"),
    "english again": _at("planner-run-again", ENGLISH_RUN, slug="test-school"),
}

COMMITTEE = {"what if", "what if from a run", "again"}
ENGLISH = {"english what if", "english again"}
ALLOWED = {
    "head": COMMITTEE,
    "rep": COMMITTEE,
    "teacher": set(),
    "colleague": set(),
    "council": set(),
    "union-officer": set(),
    "admin": set(),
    "other-head": ENGLISH,
    "other-council": set(),
}

MATRIX = matrix(PAGES, ALLOWED)


#: The schools, cast and runs are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True


@pytest.fixture(scope="module", autouse=True)
def runs(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    runs_at_both_schools(
        shared_cast,
        shared_schools,
        (RUN, ENGLISH_RUN),
        plan_text=wishes(2),
        status=PlanRun.Status.FAILED,
        error="The planner stopped: a test",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_what_if_pages_their_role_and_school_allow(
    as_user, who, page
):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_a_get_changes_nothing(as_user, page):
    assert_gets_change_nothing(
        as_user, PAGES[page], ("head", "admin", "teacher", "other-head"), PlanRun
    )


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["teacher", "admin", "other-head", "council"])
def test_no_one_else_may_ask_what_if_or_start_again(as_user, who):
    client = as_user(who)

    client.post(
        _at("planner-whatif"), {"kind": "count", "count-wish": "meetings", "count-count": 1}
    )
    client.post(_at("planner-run-again", RUN))

    assert PlanRun.objects.count() == 2
