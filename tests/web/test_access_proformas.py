"""The balance-of-time pro-forma pages against every part of the cast: a teacher's
pro-forma is read by that teacher, their line manager and the head only (JNCT2.7 9.2);
the rep, a colleague, the council, a union officer, a site administrator and another
school's head get 404 (its existence included), and their POST changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.proformas.models import Proforma
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.to_core import school_year_document

from .access import CAST, assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True


def _url(name: str, school: str, staff_id: str) -> str:
    return reverse(name, args=[school, staff_id])


PAGES = {
    "t1's pro-forma": _url("proforma-page", "test-academy", "t1"),
    "t1's totals": _url("proforma-totals", "test-academy", "t1"),
    "t1's send": _url("proforma-send", "test-academy", "t1"),
    "t1's agree": _url("proforma-agree", "test-academy", "t1"),
    "t1's return": _url("proforma-return", "test-academy", "t1"),
    "t1's pdf": _url("proforma-pdf", "test-academy", "t1"),
    "t2's pro-forma": _url("proforma-page", "test-academy", "t2"),
    "t2's send": _url("proforma-send", "test-academy", "t2"),
    "scottish list": reverse("proforma-list", args=["test-academy"]),
    "english pro-forma": _url("proforma-page", "test-school", "t1"),
    "english list": reverse("proforma-list", args=["test-school"]),
    "a post that does not exist": _url("proforma-page", "test-academy", "nobody"),
}

#: the head acts as line manager for every teacher of the school
HEAD_OF_SCOTLAND = {
    "t1's pro-forma",
    "t1's totals",
    "t1's agree",
    "t1's return",
    "t1's pdf",
    "t2's pro-forma",
}

ALLOWED = {
    "head": HEAD_OF_SCOTLAND | {"scottish list"},
    "rep": set(),
    "teacher": {"t1's pro-forma", "t1's totals", "t1's send", "t1's pdf"},
    "colleague": {"t2's pro-forma", "t2's send"},
    "council": set(),
    "union-officer": set(),
    # those who edit a school see its list (names and states), never a pro-forma
    "admin": {"scottish list", "english list"},
    "other-head": {"english pro-forma", "english list"},
    "other-council": set(),
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_proforma_pages_their_role_and_post_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page])

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))


def _state() -> tuple[object, ...]:
    documents = [school_year_document(y) for y in SchoolYear.objects.order_by("pk")]
    rows = list(Proforma.objects.values_list("staff_id", "state", "hours", "comment"))
    return documents, rows, AuditEntry.objects.count()


SAVE = {"hours-cpd": "34", "details-cpd": "A course"}
POSTS = {
    "t1's pro-forma": SAVE,
    "t1's send": {"password": "not-used"},
    "t1's agree": {"password": "not-used"},
    "t1's return": {"comment": "Change it"},
    "t2's pro-forma": SAVE,
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

    assert response.status_code in (403, 404)
    assert _state() == before


@pytest.mark.django_db
def test_the_head_may_not_fill_in_a_teachers_pro_forma_for_them(as_user):
    before = _state()

    response = as_user("head").post(PAGES["t1's pro-forma"], SAVE)

    assert response.status_code == 404
    assert _state() == before
