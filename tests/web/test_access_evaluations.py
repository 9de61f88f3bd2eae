"""The annual evaluation's pages (Appendix 3, 16.7) against every part of the cast:
everyone who works at the school or may see it reads its page and export; the committee
(head, union rep) opens and closes it; only the session's teachers answer it; a person of
another school or council gets 404, and their POST changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from fairload.web.audit.models import AuditEntry
from fairload.web.evaluations.models import Answer, Evaluation, Participation
from fairload.web.evaluations.services import evaluation_open
from fairload.web.schools.models import SchoolYear

from .access import CAST, assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True


def _url(name: str, school: str) -> str:
    return reverse(name, args=[school])


PAGES = {
    "scottish evaluation": _url("evaluation-home", "test-academy"),
    "scottish open": _url("evaluation-open", "test-academy"),
    "scottish answer": _url("evaluation-answer", "test-academy"),
    "scottish close": _url("evaluation-close", "test-academy"),
    "scottish export": _url("evaluation-export", "test-academy"),
    "scottish form pdf": _url("evaluation-form-pdf", "test-academy"),
    "english evaluation": _url("evaluation-home", "test-school"),
    "english open": _url("evaluation-open", "test-school"),
    "english answer": _url("evaluation-answer", "test-school"),
    "english export": _url("evaluation-export", "test-school"),  # none opened: 404
    # made once closed (test_evaluations.py downloads the Scottish one); none here: 404
    "english summary pdf": _url("evaluation-summary-pdf", "test-school"),
}

READ = {"scottish evaluation", "scottish export", "scottish form pdf"}
COMMITTEE = {"scottish open", "scottish close"}

ALLOWED = {
    "head": READ | COMMITTEE,  # no post in the year: the head does not answer
    "rep": READ | COMMITTEE,
    "teacher": READ | {"scottish answer"},
    "colleague": READ | {"scottish answer"},
    "council": READ,
    "union-officer": READ,
    "admin": READ | COMMITTEE | {"english evaluation", "english open"},
    "other-head": {"english evaluation", "english open"},
    "other-council": {"english evaluation"},
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def opened(shared_cast):  # type: ignore[no-untyped-def]
    """The Scottish school's evaluation is open."""
    cast = shared_cast
    year = SchoolYear.objects.get(school__slug="test-academy")
    return evaluation_open(actor=cast["head"], year=year, now=timezone.now())


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_evaluation_pages_their_role_and_school_allow(
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
        list(Evaluation.objects.order_by("pk").values("pk", "state", "label")),
        Participation.objects.count(),
        Answer.objects.count(),
        AuditEntry.objects.count(),
    )


#: A POST that would change something, for each write page.
POSTS = {
    "scottish open": {},
    "scottish close": {},
    "scottish answer": {"q_realistic-allocation": "Mostly", "h_planning": "same"},
    "english open": {},
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
@pytest.mark.parametrize("who", ["head", "rep"])
def test_each_side_of_the_committee_can_close_it(as_user, who):
    response = as_user(who).post(PAGES["scottish close"])

    assert response.status_code == 302
    assert Evaluation.objects.get().state == "closed"


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["teacher", "colleague"])
def test_each_teacher_can_answer(as_user, who):
    response = as_user(who).post(PAGES["scottish answer"], POSTS["scottish answer"])

    assert response.status_code == 302, response.content.decode()[:3000]
    assert Answer.objects.count() == 1
