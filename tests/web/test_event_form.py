"""The event form: who attends is chosen by department or group, with "everyone", and
people adjusted by department inside details elements; the form shows (and saves) only
the fields the event's category uses."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.urls import resolve

from fairload.web.schools.models import Event, StaffPost
from tests.web.test_editing import HTMX, SCHOOL, event_form, snapshot, the_year, url


def attending(event_id: str) -> set[str]:
    event = Event.objects.get(school_year__school__slug=SCHOOL, event_id=event_id)
    return set(event.attendees.values_list("staff_id", flat=True))


def add(as_user: Any, **changes: Any) -> Event:
    response = as_user("head").post(url("event-add"), event_form(**changes))
    assert response.status_code == 302, response.content.decode()
    event_id = resolve(response["Location"]).kwargs["event_id"]
    return Event.objects.get(school_year__school__slug=SCHOOL, event_id=event_id)


def field_names(page: str) -> set[str]:
    return set(re.findall(r'name="([^"]+)"', page))


@pytest.mark.django_db
def test_choosing_the_maths_department_saves_exactly_its_staff(as_user):
    maths = set(
        StaffPost.objects.filter(school_year=the_year(), department="maths").values_list(
            "staff_id", flat=True
        )
    )
    assert maths == {"pt3", "t1"}  # the fixture's maths department, not the whole staff

    event = add(as_user, title="Maths catch-up", who=["department:maths"])

    assert attending(event.event_id) == maths


@pytest.mark.django_db
def test_a_group_and_people_ticked_by_hand_are_saved_together(as_user):
    event = add(as_user, title="Probation review", who=["kind:probationer"], attendees=["ht"])

    assert attending(event.event_id) == {"pb", "ht"}


@pytest.mark.django_db
def test_everyone_saves_the_whole_staff_whatever_else_is_ticked(as_user):
    everyone = set(
        StaffPost.objects.filter(school_year=the_year()).values_list("staff_id", flat=True)
    )

    event = add(as_user, title="All hands", who=["everyone", "department:maths"], attendees=["t1"])

    assert attending(event.event_id) == everyone


@pytest.mark.django_db
def test_the_form_offers_departments_and_groups_and_lists_people_by_department(as_user):
    page = as_user("head").get(url("event-edit", "dm1")).content.decode()

    for value in ("everyone", "department:maths", "department:english", "kind:probationer"):
        assert f'value="{value}"' in page
    assert "Maths department (2)" in page  # the group, with its head count
    # one details element per department (and one for staff with none), not one long list
    assert page.count('<details class="govuk-details"') == 3
    assert "Maths department (2 of 2 ticked)" in page  # the saved attendees are ticked
    assert "English department (0 of 3 ticked)" in page


@pytest.mark.django_db
def test_a_staff_meeting_form_has_no_observation_gained_time_or_cover_fields(as_user):
    page = as_user("head").get(url("event-edit", "sm1")).content.decode()

    names = field_names(page)
    assert {"title", "category", "who", "attendees", "during_ppa", "version"} <= names
    assert not names & {"observer", "observed", "activity", "foreseeable"}


@pytest.mark.parametrize(
    ("category", "shown"),
    [
        ("observation", {"observer", "observed"}),
        ("gained-time", {"activity"}),
        ("cover", {"foreseeable"}),
    ],
)
@pytest.mark.django_db
def test_each_category_shows_only_its_own_fields(as_user, category, shown):
    form = event_form(category=category, title="")  # invalid: the form comes back
    page = as_user("head").post(url("event-edit", "sm1"), form).content.decode()

    assert "Enter a title" in page
    names = field_names(page)
    assert shown <= names
    assert not names & ({"observer", "observed", "activity", "foreseeable"} - shown)


@pytest.mark.django_db
def test_a_new_event_before_its_category_is_chosen_shows_every_field(as_user):
    names = field_names(as_user("head").get(url("event-add")).content.decode())

    assert {"observer", "observed", "activity", "foreseeable"} <= names


@pytest.mark.django_db
def test_a_categorys_unused_fields_are_not_saved_even_when_posted(as_user):
    event = add(
        as_user,
        title="Staff meeting",
        observer="t1",
        observed="t2",
        activity="developing-materials",
        foreseeable="yes",
    )

    assert (event.observer, event.observed, event.activity, event.foreseeable) == (
        None,
        None,
        "",
        None,
    )
    assert (
        len(attending(event.event_id)) == StaffPost.objects.filter(school_year=the_year()).count()
    )


@pytest.mark.django_db
def test_a_categorys_own_fields_are_saved(as_user):
    event = add(
        as_user, title="Cover 3B", category="cover", who=None, attendees=["t2"], foreseeable="no"
    )

    assert (event.foreseeable, attending(event.event_id)) == (False, {"t2"})


@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
@pytest.mark.django_db
def test_showing_a_new_categorys_questions_keeps_the_values_and_saves_nothing(as_user, htmx):
    before = snapshot()
    form = event_form(category="observation", title="", show_fields="1")

    response = as_user("head").post(url("event-edit", "sm1"), form, **(HTMX if htmx else {}))

    page = response.content.decode()
    assert response.status_code == 200
    assert {"observer", "observed"} <= field_names(page)
    assert "govuk-error-summary" not in page  # not checked yet: the person is not done
    assert '<option value="observation" selected>' in page
    assert snapshot() == before


@pytest.mark.django_db
def test_choosing_a_category_with_javascript_asks_for_its_questions(as_user):
    page = as_user("head").get(url("event-edit", "sm1")).content.decode()

    select = re.search(r'<select[^>]*name="category"[^>]*>', page)
    assert select, "no category select"
    assert f'hx-post="{url("event-edit", "sm1")}"' in select.group(0)
    assert "show_fields" in select.group(0)
    assert 'name="show_fields"' in page  # and the button that does it without JavaScript
