"""Every page against every part of the cast: nobody reads what is not theirs.

A school a person may not see answers 404, so its existence is not revealed.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.urls import get_resolver, resolve, reverse

from tests.web.access import assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

PAGES = {
    "scottish dashboard": reverse("school-dashboard", args=["test-academy"]),
    "english dashboard": reverse("school-dashboard", args=["test-school"]),
    "teacher's own page": reverse("teacher-page", args=["test-academy", "t1"]),
    "colleague's page": reverse("teacher-page", args=["test-academy", "t2"]),
    "scottish changes": reverse("school-audit", args=["test-academy"]),
    "scottish council": reverse("council-overview", args=["south-ayrshire-council"]),
    "home": reverse("home"),
    "my api tokens": reverse("api-tokens"),
    "my notifications": reverse("my-notices"),
}

#: who -> the pages they may open (every other page must be 404 for them)
SCOTTISH = {"scottish dashboard", "teacher's own page", "colleague's page", "scottish changes"}
EVERYONE = {"home", "my api tokens", "my notifications"}
ALLOWED = {
    "head": SCOTTISH | EVERYONE,
    "rep": SCOTTISH | EVERYONE,
    "teacher": {"teacher's own page"} | EVERYONE,
    "colleague": {"colleague's page"} | EVERYONE,
    "council": SCOTTISH | {"scottish council"} | EVERYONE,
    "union-officer": SCOTTISH | {"scottish council"} | EVERYONE,
    "admin": set(PAGES),
    "other-head": {"english dashboard"} | EVERYONE,
    "other-council": {"english dashboard"} | EVERYONE,
}

MATRIX = matrix(PAGES, ALLOWED)

#: Named URLs outside the role matrix, and why.
OUTSIDE_THE_MATRIX = {
    "login": "open to everyone: it is how one signs in",
    "logout": "ends one's own session only",
    "healthz": "says 'ok' to a load balancer and reveals nothing",
    "api-token-revoke": "POST only, on one's own token: tests/web/test_api_tokens.py",
    "feed": "read by calendar apps with an unguessable token, tested in tests/web/test_feeds.py",
    "password_reset": "open to everyone: asks for a link by email; tests/web/test_people.py",
    "password_reset_done": "open to everyone: says the link is on its way",
    "password_reset_confirm": "open to holders of the emailed link; tests/web/test_people.py",
    "password_reset_complete": "open to everyone: says the password is set",
}


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_pages_their_role_and_school_allow(as_user, who, page):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)


def test_every_named_url_is_in_an_access_matrix():
    covered = set()
    for path in sorted(Path(__file__).parent.glob("test_access*.py")):
        module = importlib.import_module(f"tests.web.{path.stem}")
        covered |= {resolve(url.split("?")[0]).url_name for url in module.PAGES.values()}
    named = {name for name in get_resolver().reverse_dict if isinstance(name, str)}

    assert named - covered - set(OUTSIDE_THE_MATRIX) == set()
