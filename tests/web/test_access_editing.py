"""Who may list, add, change and delete events and staff posts.

Anyone who may see a school reads its lists; only its head (and site administrators)
write. Everyone else gets 404 from the edit pages, as if they did not exist, and a POST
from them changes nothing at all.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.event_edits import event_version
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.post_edits import post_version
from fairload.web.schools.to_core import school_year_document
from tests.web.access import CAST, assert_sent_to_sign_in, ids, matrix, refused

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True


def _scottish(name: str, *args: str) -> str:
    return reverse(name, args=["test-academy", *args])


PAGES = {
    "scottish events": _scottish("school-events"),
    "scottish staff": _scottish("school-staff"),
    "scottish event add": _scottish("event-add"),
    "scottish event edit": _scottish("event-edit", "sm1"),
    "scottish event delete": _scottish("event-delete", "sm1"),
    "scottish event preview": _scottish("event-preview") + "?event=sm1",
    "scottish post add": _scottish("post-add"),
    "scottish post edit": _scottish("post-edit", "t1"),
    "scottish post delete": _scottish("post-delete", "t1"),
    "scottish post preview": _scottish("post-preview") + "?staff=t1",
    "english events": reverse("school-events", args=["test-school"]),
    "english staff": reverse("school-staff", args=["test-school"]),
    "english event edit": reverse("event-edit", args=["test-school", "sm1"]),
    "english post edit": reverse("post-edit", args=["test-school", "t1"]),
}

#: Pages that only answer POST: a GET by someone allowed is 405, by anyone else 404.
POST_ONLY = {"scottish event preview", "scottish post preview"}

SCOTTISH_LISTS = {"scottish events", "scottish staff"}
SCOTTISH_WRITES = {name for name in PAGES if name.startswith("scottish")} - SCOTTISH_LISTS
ENGLISH_LISTS = {"english events", "english staff"}
ENGLISH_WRITES = {"english event edit", "english post edit"}

ALLOWED = {
    "head": SCOTTISH_LISTS | SCOTTISH_WRITES,
    "rep": SCOTTISH_LISTS,
    "teacher": set(),
    "colleague": set(),
    "council": SCOTTISH_LISTS,
    "union-officer": SCOTTISH_LISTS,
    "admin": set(PAGES),
    "other-head": ENGLISH_LISTS | ENGLISH_WRITES,
    "other-council": ENGLISH_LISTS,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_pages_their_role_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page])

    if page not in ALLOWED[who]:
        assert response.status_code == refused(who, PAGES[page])
    else:
        assert response.status_code == (405 if page in POST_ONLY else 200)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)


# --- writing --------------------------------------------------------------------------

EVENT = {
    "title": "Whole-school meeting",
    "category": "staff-meeting",
    "date_0": "3",
    "date_1": "9",
    "date_2": "2025",
    "start": "15:45",
    "end": "18:30",
    "who": "everyone",
}
POST = {
    "staff_id": "nt",
    "name": "Neil Teacher",
    "post": "teacher",
    "fte": "1",
    "contact_periods_per_week": "29",
    "applies": ["qts"],
    "join_events": "on",
}

#: Every write, with a body the head's own POST would save (see the last test).
WRITES: dict[str, tuple[str, dict[str, Any]]] = {
    "event add": (_scottish("event-add"), {**EVENT, "title": "Extra meeting"}),
    "event edit": (_scottish("event-edit", "sm1"), EVENT),
    "event delete": (_scottish("event-delete", "sm1"), {}),
    "event preview": (_scottish("event-preview") + "?event=sm1", EVENT),
    "post add": (_scottish("post-add"), POST),
    "post edit": (_scottish("post-edit", "t1"), {**POST, "name": "Kirsty Changed"}),
    "post delete": (_scottish("post-delete", "t1"), {}),
    "post preview": (_scottish("post-preview"), POST),
}
EDITORS = {"head", "admin"}
NOT_EDITORS = [who for who in CAST if who not in EDITORS]
POST_MATRIX = [(who, write) for who in [*NOT_EDITORS, None] for write in WRITES]


def _state() -> tuple[dict[str, Any], int, int]:
    year = SchoolYear.objects.get(school__slug="test-academy")
    return copy.deepcopy(school_year_document(year)), year.revision, AuditEntry.objects.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "write"), POST_MATRIX, ids=[f"{who or 'signed out'} -> {w}" for who, w in POST_MATRIX]
)
def test_nobody_but_an_editor_can_write_and_the_year_is_unchanged(as_user, who, write):
    before = _state()
    address, body = WRITES[write]

    for headers in ({}, {"HTTP_HX_REQUEST": "true"}):
        response = as_user(who).post(address, body, **headers)

        if who is None:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        else:
            assert response.status_code == refused(who, address)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("write", [w for w in WRITES if "preview" not in w])
def test_a_head_cannot_write_to_another_school(as_user, write):
    address, body = WRITES[write]
    address = address.replace("test-academy", "test-school")
    english = SchoolYear.objects.get(school__slug="test-school")
    before = copy.deepcopy(school_year_document(english))

    response = as_user("head").post(address, body)

    assert response.status_code == 404
    assert school_year_document(english) == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", sorted(EDITORS))
@pytest.mark.parametrize("write", [w for w in WRITES if "preview" not in w])
def test_the_same_posts_by_an_editor_do_change_the_year(as_user, who, write):
    before = _state()
    address, body = WRITES[write]
    year = SchoolYear.objects.get(school__slug="test-academy")
    if write == "event edit":
        body = {**body, "version": event_version(year, "sm1")}
    if write == "post edit":
        body = {**body, "version": post_version(year, "t1")}

    response = as_user(who).post(address, body)

    assert response.status_code == 302
    after = _state()
    assert after[0] != before[0]
    assert after[1] == before[1] + 1
    assert after[2] == before[2] + 1
