"""A cast of people for the web tests: each test says who is asking and what they get.

Two schools under two councils: Test Academy (South Ayrshire) and Test Community School
(an English local authority), both the packs' own compliant fixtures.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.services import school_year_import

PACKS = Path(__file__).resolve().parents[2] / "src" / "fairload" / "packs"
SCOTTISH = PACKS / "scotland" / "south-ayrshire-jnct-2.7" / "tests" / "school.yaml"
ENGLISH = PACKS / "england" / "stpcd" / "tests" / "school.yaml"


@pytest.fixture
def schools(db: None) -> dict[str, School]:
    for path in (SCOTTISH, ENGLISH):
        school_year_import(document=load_file(path), source=str(path))
    return {school.slug: school for school in School.objects.all()}


def _person(
    username: str, role: Role, school: School | None = None, council: Council | None = None
) -> AbstractBaseUser:
    user = get_user_model().objects.create_user(username=username, password="not-used")
    Membership.objects.create(user=user, role=role, school=school, council=council)
    return user


@pytest.fixture
def cast(schools: dict[str, School]) -> dict[str, AbstractBaseUser]:
    """Everyone a permission test needs, by the part they play."""
    scottish, english = schools["test-academy"], schools["test-school"]
    people = {
        "head": _person("head", Role.HEAD, scottish),
        "rep": _person("rep", Role.UNION_REP, scottish),
        "teacher": _person("teacher", Role.TEACHER, scottish),
        "colleague": _person("colleague", Role.TEACHER, scottish),
        "council": _person("council", Role.COUNCIL_OFFICER, council=scottish.council),
        "union-officer": _person("union-officer", Role.UNION_OFFICER, council=scottish.council),
        "admin": _person("admin", Role.SITE_ADMIN),
        "other-head": _person("other-head", Role.HEAD, english),
        "other-council": _person("other-council", Role.COUNCIL_OFFICER, council=english.council),
    }
    StaffPost.objects.filter(school_year__school=scottish, staff_id="t1").update(
        person=people["teacher"]
    )
    StaffPost.objects.filter(school_year__school=scottish, staff_id="t2").update(
        person=people["colleague"]
    )
    return people


@pytest.fixture
def as_user(cast: dict[str, AbstractBaseUser]):  # type: ignore[no-untyped-def]
    """A signed-in client for one member of the cast, or anonymous for None."""

    def client_for(who: str | None) -> Client:
        client = Client()
        if who is not None:
            client.force_login(cast[who])
        return client

    return client_for
