"""The planner's pages and endpoints against every part of the cast: only whoever may
draft the school's agreement (the committee: its head teacher and union representatives)
opens them; everyone else gets 404, or 403 "not for your role" on their own school.

"Use this calendar" answers a GET by going back to the run, so it sits in the matrix like
a page; its POST is in test_planner_flow.py.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fairload.web.api.services import api_token_create
from fairload.web.planner.models import PlanRun

from .access import (
    CAST,
    assert_gets_change_nothing,
    assert_sent_to_sign_in,
    expected_status,
    ids,
    matrix,
)
from .planner_helpers import runs_at_both_schools, wishes

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

RUN, ENGLISH_RUN = 9301, 9302


def _at(name: str, *args: object, slug: str = "test-academy") -> str:
    return reverse(name, args=[slug, *args])


PAGES = {
    "wishes": _at("planner-start"),
    "run": _at("planner-run", RUN),
    "status": _at("planner-run-status", RUN),
    "use": _at("planner-run-apply", RUN),
    "english wishes": _at("planner-start", slug="test-school"),
    "english run": _at("planner-run", ENGLISH_RUN, slug="test-school"),
}

COMMITTEE = {"wishes", "run", "status", "use"}
ENGLISH = {"english wishes", "english run"}
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


@pytest.fixture(scope="module", autouse=True)
def runs(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    runs_at_both_schools(
        shared_cast,
        shared_schools,
        (RUN, ENGLISH_RUN),
        plan_text="wishes: []\n",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_planner_pages_their_role_and_school_allow(
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
@pytest.mark.parametrize("who", CAST)
def test_the_api_answers_exactly_whoever_may_draft(cast, who):
    key = api_token_create(user=cast[who], name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    may = who in ("head", "rep")

    got = client.get(f"/api/schools/test-academy/plans/{RUN}")
    started = client.post(
        "/api/schools/test-academy/plans",
        {"mode": "propose", "plan": wishes()},
        content_type="application/json",
    )

    assert got.status_code == (200 if may else 404)
    assert started.status_code == (202 if may else 404)
    assert PlanRun.objects.filter(school__slug="test-academy").count() == (
        1 + (started.status_code == 202)
    )
    # a run of another school is not found through this school, even by its own head
    assert client.get(f"/api/schools/test-academy/plans/{ENGLISH_RUN}").status_code == 404
