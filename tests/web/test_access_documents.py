"""The agreement's PDF against every part of the cast: whoever may read the agreement
downloads it (its committee, the council's officers and union officers, site
administrators, and its teaching staff once the consultation has opened). Everyone else:
404, or 403 "not for your role" to the school's own staff."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .access import assert_sent_to_sign_in, expected_status, ids, matrix
from .agreement_helpers import agreement_drafted, consultation_opened, submitted

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

PAGES = {
    "agreement pdf": reverse("agreement-pdf", args=["test-academy"]),
    "english agreement pdf": reverse("agreement-pdf", args=["test-school"]),
}

ALLOWED = {
    "head": {"agreement pdf"},
    "rep": {"agreement pdf"},
    "teacher": {"agreement pdf"},
    "colleague": {"agreement pdf"},
    "council": {"agreement pdf"},
    "union-officer": {"agreement pdf"},
    "admin": {"agreement pdf", "english agreement pdf"},
    "other-head": {"english agreement pdf"},
    "other-council": {"english agreement pdf"},
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def agreement(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    cast = shared_cast
    schools = shared_schools
    made = consultation_opened(agreement_drafted(schools["test-academy"], cast["head"]))
    submitted(made)
    agreement_drafted(schools["test-school"], cast["other-head"])
    return made


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_downloads_exactly_the_agreements_their_role_and_school_allow(
    as_user, who, page
):
    response = as_user(who).get(PAGES[page], follow=True)

    status = expected_status(who, page, PAGES, ALLOWED)
    assert response.status_code == status
    if status == 200:
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)
