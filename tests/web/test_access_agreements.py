"""Agreement pages against every part of the cast. Whoever may see the school reads the
agreement; its teaching staff read it once the consultation is open; the committee (the
head teacher and union reps) drafts and answers; the head and reps sign; the head submits;
the council's officers see the queue. Everyone else: 404, or 403 "not for your role" to
the school's own staff.

The actions (start, close, freeze, ballot, submit) answer a GET by going back to the
agreement, so they sit in the matrix like pages; their POSTs are in test_agreements.py.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.agreements.models import Agreement, AgreementVersion, Comment

from .access import assert_gets_change_nothing, assert_sent_to_sign_in, expected_status, ids, matrix
from .agreement_helpers import agreement_drafted, comment_by, consultation_opened, submitted

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

COMMENT, SUBMISSION = 9101, 9201


def _at(name: str, *args: object) -> str:
    return reverse(name, args=["test-academy", *args])


PAGES = {
    "agreement": _at("agreement-home"),
    "start": _at("agreement-start"),
    "draft": _at("agreement-draft"),
    "version 1": _at("agreement-version", 1),
    "compare": _at("agreement-compare"),
    "open consultation": _at("agreement-consultation"),
    "close consultation": _at("agreement-consultation-close"),
    "comments": _at("agreement-comments"),
    "answer": _at("agreement-comment-answer", COMMENT),
    "freeze": _at("agreement-final"),
    "ballot": _at("agreement-ballot"),
    "sign": _at("agreement-sign"),
    "submit": _at("agreement-submit"),
    "failure": _at("agreement-failure"),
    "english agreement": reverse("agreement-home", args=["test-school"]),
    "english draft": reverse("agreement-draft", args=["test-school"]),
    "queue": reverse("council-agreements", args=["south-ayrshire-council"]),
    "submission": reverse("council-agreement", args=["south-ayrshire-council", SUBMISSION]),
    "english queue": reverse("council-agreements", args=["test-local-authority"]),
}

READS = {"agreement", "version 1", "compare", "comments"}
COMMITTEE = READS | {
    "start",
    "draft",
    "open consultation",
    "close consultation",
    "answer",
    "freeze",
    "ballot",
    "failure",
    "sign",
}
COUNCIL = READS | {"queue", "submission"}

ALLOWED = {
    "head": COMMITTEE | {"submit"},
    "rep": COMMITTEE,
    # the consultation is open: the teaching staff read the draft and comment
    "teacher": READS,
    "colleague": READS,
    "council": COUNCIL,
    "union-officer": COUNCIL,
    "admin": READS | {"queue", "submission", "english agreement", "english queue"},
    "other-head": {"english agreement", "english draft"},
    "other-council": {"english agreement", "english queue"},
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def agreement(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    cast = shared_cast
    schools = shared_schools
    made = consultation_opened(agreement_drafted(schools["test-academy"], cast["head"]))
    comment_by(made, cast["teacher"], pk=COMMENT)
    agreement_drafted(schools["test-school"], cast["other-head"])
    # a final version with the council, for the queue's pages
    submitted(made, pk=SUBMISSION)
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_agreement_pages_their_role_and_school_allow(
    as_user, who, page
):
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
    assert_gets_change_nothing(
        as_user,
        PAGES[page],
        ("head", "admin", "teacher", "council"),
        Agreement,
        AgreementVersion,
        Comment,
    )
