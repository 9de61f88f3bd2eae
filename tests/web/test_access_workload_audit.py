"""The workload audit's pages against every part of the cast: union business, so only
the union's members at the school (a declared member with a post in its current year),
its reps there and its local officers for the council open them. The head (a member
too), a council officer, a site administrator, a member of another union, and everyone
of another school or council get 404, and their POST changes nothing."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.workload_audit.models import AnswerUpload, AuditAnswer, CheckRecord

from .access import CAST, assert_sent_to_sign_in, ids, matrix
from .workload_audit_helpers import answered, neu_school

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids, far from any a sequence would hand out.
UPLOAD, RECORD, OTHER_UPLOAD = 1_900_012_101, 1_900_012_102, 1_900_012_103


def _url(name: str, school: str, *args: object) -> str:
    """The NEU audit's page: a member of another union has an audit of their own."""
    return reverse(name, args=[school, *args]) + "?union=NEU"


PAGES = {
    "audit": _url("workload-audit", "test-school"),
    "answer": _url("workload-audit-answer", "test-school", "weekly-lesson-plans-to-slt"),
    "refusals": _url("workload-audit-refusals", "test-school"),
    "refusals pdf": _url("workload-audit-pdf", "test-school"),
    "open a case": _url("workload-audit-open-case", "test-school"),
    "upload": _url("workload-audit-upload", "test-school", UPLOAD),
    "check record": _url("workload-audit-check-record", "test-school", RECORD),
    "other school's audit": _url("workload-audit", "other-school"),
    # the other school's file asked for under this school
    "other school's upload here": _url("workload-audit-upload", "test-school", OTHER_UPLOAD),
    # a school whose pack has no audit: a page saying so, for the union's own people there
    "scottish audit": _url("workload-audit", "test-academy"),
}

UNION = {"audit", "answer", "refusals", "refusals pdf", "open a case", "upload", "check record"}
ALLOWED = {
    "head": set(),  # a member of the union, but the school's head
    "rep": UNION,
    # a declared NEU member with a post here and at the Scottish school
    "teacher": UNION | {"scottish audit"},
    "colleague": set(),  # a member of another union
    "council": set(),
    "union-officer": UNION | {"other school's audit"},
    "admin": set(),
    "other-head": set(),
    "other-council": set(),
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def audits(shared_cast):  # type: ignore[no-untyped-def]
    cast = shared_cast
    english, other = neu_school(cast)
    answered(english, cast["rep"])
    answered(other, cast["union-officer"])
    AnswerUpload.objects.filter(answer__audit__school=english).update(id=UPLOAD)
    AnswerUpload.objects.filter(answer__audit__school=other).update(id=OTHER_UPLOAD)
    record = CheckRecord.objects.get(audit__school=english)
    answers = list(record.answers.all())
    record.pk = RECORD
    record.save(force_insert=True)
    AuditAnswer.objects.filter(pk__in=[a.pk for a in answers]).update(check_record=RECORD)
    CheckRecord.objects.filter(audit__school=english).exclude(pk=RECORD).delete()


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_audit_pages_their_union_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page])

    # 404 for everyone else, the school's own staff too (not the 403 "not for your role"
    # of the school's pages): whether a union has an audit there is itself union business
    assert response.status_code == (200 if page in ALLOWED[who] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))


def _state() -> tuple[object, ...]:
    return (
        list(AuditAnswer.objects.order_by("pk").values()),
        AnswerUpload.objects.count(),
        CheckRecord.objects.count(),
    )


ANSWER = {"answer": "no", "note": "Changed by someone", "freeze_check": "on"}


@pytest.mark.django_db
@pytest.mark.parametrize("who", [w for w in CAST if "answer" not in ALLOWED[w]])
def test_an_answer_from_someone_not_allowed_changes_nothing(as_user, who):
    before = _state()

    response = as_user(who).post(PAGES["answer"], ANSWER)

    assert response.status_code == 404
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", [w for w in CAST if "answer" in ALLOWED[w]])
def test_each_of_the_unions_people_can_answer(as_user, who):
    before = _state()

    response = as_user(who).post(PAGES["answer"], ANSWER)

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _state() != before
