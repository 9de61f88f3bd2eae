"""A year's document is kept between the reads a process serves, under the year's revision
and its school's own fields (schools/to_core.py), as its checks are: a dashboard does not
build its year again on each visit, and a change is never hidden.

The test settings keep nothing (FAIRLOAD_CHECK_CACHE_SIZE = 0); these tests keep as
production does and empty every memo before and after."""

from __future__ import annotations

from datetime import time

import pytest

from fairload.web.schools.models import Event, School, SchoolYear
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import documents_kept, school_year_document, year_agreement

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_as_in_production")]


def _year(schools: dict[str, School]) -> SchoolYear:
    return SchoolYear.objects.select_related("school__council").get(school=schools["test-academy"])


def _read(year: SchoolYear) -> dict:  # type: ignore[type-arg]
    """What one GET request reads (the middleware's documents_kept around it)."""
    with documents_kept():
        return school_year_document(year)


def _first_event_end(document: dict) -> str:  # type: ignore[type-arg]
    return str(document["events"][0]["end"])


def test_a_second_read_of_the_same_revision_asks_the_database_nothing(
    schools, django_assert_num_queries
):  # type: ignore[no-untyped-def]
    year = _year(schools)
    first = _read(year)
    with django_assert_num_queries(0):
        again = _read(year)
    assert again == first
    with documents_kept(), django_assert_num_queries(0):
        assert year_agreement(year) == first.get("agreement", {})


def test_each_reader_gets_its_own_copy(schools):  # type: ignore[no-untyped-def]
    year = _year(schools)
    first = _read(year)
    first["events"][0]["end"] = "23:59"
    first["staff"].clear()
    again = _read(year)
    assert again["staff"], "the kept document is not the reader's copy"
    assert _first_event_end(again) != "23:59"


def test_a_change_that_bumps_the_revision_is_read_at_once(schools):  # type: ignore[no-untyped-def]
    year = _year(schools)
    before = _read(year)
    event = Event.objects.filter(school_year=year).order_by("pk").first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(end=time(23, 0))
    year_touch(year)  # what every service that writes a row does in its transaction
    after = _read(year)
    assert _first_event_end(before) != "23:00"
    assert _first_event_end(after) == "23:00"


def test_the_schools_own_fields_changed_by_another_years_import_are_read(schools):  # type: ignore[no-untyped-def]
    """An import of another of the school's years may rename the school without touching
    this year's revision: the school's fields are part of the key."""
    year = _year(schools)
    assert _read(year)["school"]["name"] != "Renamed Academy"
    School.objects.filter(pk=year.school_id).update(name="Renamed Academy")
    year = _year(schools)
    assert _read(year)["school"]["name"] == "Renamed Academy"


def test_outside_a_read_request_the_document_is_always_built_afresh(schools):  # type: ignore[no-untyped-def]
    """A POST's service writes rows before it bumps the revision: what it reads meanwhile
    is the database's, never a kept document."""
    year = _year(schools)
    _read(year)
    event = Event.objects.filter(school_year=year).order_by("pk").first()
    assert event is not None
    Event.objects.filter(pk=event.pk).update(end=time(23, 30))
    assert _first_event_end(school_year_document(year)) == "23:30"
