"""Every page against every part of the cast: nobody reads what is not theirs.

A school a person may not see answers 404, so its existence is not revealed.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

PAGES = {
    "scottish dashboard": reverse("school-dashboard", args=["test-academy"]),
    "english dashboard": reverse("school-dashboard", args=["test-school"]),
    "teacher's own page": reverse("teacher-page", args=["test-academy", "t1"]),
    "colleague's page": reverse("teacher-page", args=["test-academy", "t2"]),
}

#: who -> the pages they may open (every other page must be 404 for them)
ALLOWED = {
    "head": {"scottish dashboard", "teacher's own page", "colleague's page"},
    "rep": {"scottish dashboard", "teacher's own page", "colleague's page"},
    "teacher": {"teacher's own page"},
    "colleague": {"colleague's page"},
    "council": {"scottish dashboard", "teacher's own page", "colleague's page"},
    "union-officer": {"scottish dashboard", "teacher's own page", "colleague's page"},
    "admin": set(PAGES),
    "other-head": {"english dashboard"},
    "other-council": {"english dashboard"},
}

MATRIX = [(who, page) for who in ALLOWED for page in PAGES]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=[f"{w} -> {p}" for w, p in MATRIX])
def test_each_person_opens_exactly_the_pages_their_role_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page])

    assert response.status_code == (200 if page in ALLOWED[who] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
