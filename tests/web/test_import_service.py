"""Importing a school year: all of it or nothing, and checked by the core as a file is."""

from __future__ import annotations

import copy

import pytest

from fairload.core.errors import InputErrors
from fairload.core.yamlfile import load_file
from fairload.web.schools.models import Event, School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import to_core

from .conftest import SCOTTISH


@pytest.mark.django_db
def test_it_stores_every_staff_post_and_event_of_the_file() -> None:
    year = school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))

    assert StaffPost.objects.filter(school_year=year).count() == 8
    assert Event.objects.filter(school_year=year).count() == 7
    assert year.school.council.name == "South Ayrshire Council"


@pytest.mark.django_db
def test_a_stored_year_checks_exactly_as_its_file_does() -> None:
    from fairload.core.school_format import parse_school_year

    year = school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))

    assert to_core(year) == parse_school_year(load_file(SCOTTISH), str(SCOTTISH))
    assert school_year_check(year=year).findings == ()


@pytest.mark.django_db
def test_a_file_with_a_problem_changes_nothing() -> None:
    document = load_file(SCOTTISH)
    broken = copy.deepcopy(document)
    broken["events"][0]["attendees"] = ["nobody"]

    with pytest.raises(InputErrors) as caught:
        school_year_import(document=broken, source="broken.yaml")

    assert "unknown staff id 'nobody'" in str(caught.value)
    assert School.objects.count() == 0
    assert SchoolYear.objects.count() == 0


@pytest.mark.django_db
def test_importing_the_same_year_again_replaces_it_and_keeps_logins(django_user_model) -> None:
    year = school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))
    teacher = django_user_model.objects.create_user("kirsty", password="x")
    StaffPost.objects.filter(school_year=year, staff_id="t1").update(person=teacher)

    again = school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))

    assert SchoolYear.objects.count() == 1
    assert StaffPost.objects.get(school_year=again, staff_id="t1").person == teacher


@pytest.mark.django_db
def test_a_school_may_name_only_an_installed_pack_not_a_folder_on_the_server() -> None:
    from fairload.core.errors import InputError
    from fairload.core.packs import discover

    document = load_file(SCOTTISH)
    document["school"]["pack"] = str(discover()["england/stpcd"])  # a real pack's folder

    with pytest.raises(InputError, match="is installed") as raised:
        school_year_import(document=document, source="upload.yaml")

    assert raised.value.location.field == "school.pack"
    assert not School.objects.exists()


@pytest.mark.django_db
def test_re_importing_keeps_a_school_in_its_council_whatever_that_councils_slug() -> None:
    from fairload.web.schools.models import Council

    school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))
    Council.objects.update(slug="sac")  # an officer gave it a short address

    year = school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))

    assert year.school.council.slug == "sac"
    assert Council.objects.count() == 1
