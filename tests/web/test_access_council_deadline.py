"""The council's "when agreements are due" page against every part of the cast: only
the council's own officers open it; everyone else, another council's officers and the
union's local officer included, gets 404."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .access import assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

PAGES = {
    "scottish deadline": reverse("council-deadline", args=["south-ayrshire-council"]),
}

ALLOWED = {
    "head": set(),
    "rep": set(),
    "teacher": set(),
    "colleague": set(),
    "council": {"scottish deadline"},
    "union-officer": set(),
    "admin": set(),
    "other-head": set(),
    "other-council": set(),
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_the_deadline_page_only_as_the_councils_officer(as_user, who, page):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))
