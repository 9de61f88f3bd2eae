"""People's logins, one's own account and two-factor sign-in, against every part of the
cast: a site administrator manages everyone, a head only their school's people, and
everyone else gets 404. The actions answer a GET by going to the person's page, so they sit
in the matrix like pages; their POSTs are tested in test_people.py."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fairload.web.accounts.models import Membership, Role

from .access import assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids for the people the pages name, far from any a sequence would hand out.
SCOTTISH_PERSON, ENGLISH_PERSON, SCOTTISH_ROLE = 1_900_009_001, 1_900_009_002, 1_900_009_101

PAGES = {
    "scottish people": reverse("school-people", args=["test-academy"]),
    "english people": reverse("school-people", args=["test-school"]),
    "scottish person add": reverse("school-person-add", args=["test-academy"]),
    "english person add": reverse("school-person-add", args=["test-school"]),
    "everyone": reverse("people"),
    "person add": reverse("person-add"),
    "scottish person": reverse("person", args=[SCOTTISH_PERSON]),
    "english person": reverse("person", args=[ENGLISH_PERSON]),
    "role add": reverse("person-role-add", args=[SCOTTISH_PERSON]),
    "role remove": reverse("person-role-remove", args=[SCOTTISH_PERSON, SCOTTISH_ROLE]),
    "post link": reverse("person-post-link", args=[SCOTTISH_PERSON]),
    "disable": reverse("person-disable", args=[SCOTTISH_PERSON]),
    "enable": reverse("person-enable", args=[SCOTTISH_PERSON]),
    "password link": reverse("person-password-reset", args=[SCOTTISH_PERSON]),
    "erase": reverse("person-erase", args=[SCOTTISH_PERSON]),
    "english erase": reverse("person-erase", args=[ENGLISH_PERSON]),
    "my account": reverse("account"),
    "my data": reverse("account-data"),
    "two-factor": reverse("account-two-factor"),
}

OWN = {"my account", "my data"}
SCOTTISH_HEAD = {
    "scottish people",
    "scottish person add",
    "scottish person",
    "role add",
    "role remove",
    "post link",
    "disable",
    "enable",
    "password link",
}

#: who -> the pages they may open (every other page must be 404 for them)
ALLOWED = {
    "head": SCOTTISH_HEAD | OWN,
    "rep": OWN | {"two-factor"},
    "teacher": OWN,
    "colleague": OWN,
    "council": OWN,
    "union-officer": OWN | {"two-factor"},
    "admin": set(PAGES),
    "other-head": {"english people", "english person add", "english person"} | OWN,
    "other-council": OWN,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def people(shared_schools):  # type: ignore[no-untyped-def]
    """A teacher at each school with a login and no post."""
    schools = shared_schools
    users = get_user_model().objects
    scottish = users.create_user(pk=SCOTTISH_PERSON, username="newcomer", email="n@example.org")
    english = users.create_user(pk=ENGLISH_PERSON, username="incomer", email="i@example.org")
    Membership.objects.create(
        pk=SCOTTISH_ROLE, user=scottish, role=Role.TEACHER, school=schools["test-academy"]
    )
    Membership.objects.create(user=english, role=Role.TEACHER, school=schools["test-school"])


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


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_a_get_changes_nothing(as_user, page):
    for who in ("admin", "head"):
        as_user(who).get(PAGES[page], follow=True)

    newcomer = get_user_model().objects.get(pk=SCOTTISH_PERSON)
    assert newcomer.is_active
    assert Membership.objects.filter(pk=SCOTTISH_ROLE).exists()
    assert Membership.objects.filter(user=newcomer).count() == 1
    assert not newcomer.staff_posts.exists()
