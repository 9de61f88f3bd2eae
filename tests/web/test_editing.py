"""Adding, changing and deleting events and staff posts: each save is checked by the core
first, written in one go with an audit entry, and answered with what changed in the
check, with htmx (the panel swaps in place) and without (the page redirected to shows
the same banner)."""

from __future__ import annotations

import copy
import re
from datetime import date, time
from typing import Any

import pytest
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.event_edits import EventValues, event_create, event_update, event_version
from fairload.web.schools.models import Event, SchoolYear, StaffPost
from fairload.web.schools.post_edits import PostValues, post_create, post_version
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document
from fairload.web.schools.year_drafts import RowGone, YearInvalid

SCHOOL = "test-academy"
HTMX = {"HTTP_HX_REQUEST": "true"}


def the_year() -> SchoolYear:
    return SchoolYear.objects.get(school__slug=SCHOOL)


def url(name: str, *args: str) -> str:
    return reverse(name, args=[SCHOOL, *args])


def event_form(**changes: Any) -> dict[str, Any]:
    """The form as the fixture's whole-school meeting (sm1) fills it, with changes."""
    data: dict[str, Any] = {
        "version": event_version(the_year(), "sm1"),
        "title": "Whole-school meeting",
        "category": "staff-meeting",
        "date_0": "3",
        "date_1": "9",
        "date_2": "2025",
        "start": "15:45",
        "end": "16:45",
        "who": "everyone",
        "observer": "",
        "observed": "",
        "activity": "",
        "foreseeable": "",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def post_form(**changes: Any) -> dict[str, Any]:
    """The form as the fixture's Kirsty Teacher (t1) fills it, with changes."""
    data: dict[str, Any] = {
        "version": post_version(the_year(), "t1"),
        "name": "Kirsty Teacher",
        "post": "teacher",
        "department": "maths",
        "fte": "1",
        "contact_periods_per_week": "27",
        "applies": ["qts"],
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def listed(page: str, kind: str) -> list[str]:
    """The rules of the findings a re-check banner lists as appeared/cleared/changed."""
    match = re.search(rf'data-recheck-list="{kind}">(.*?)</ul>', page, re.S)
    return re.findall(r'data-finding="([^"]+)"', match.group(1)) if match else []


def headline(page: str) -> str:
    match = re.search(r"data-recheck-headline>([^<]*)<", page)
    assert match, "no re-check banner on the page"
    return match.group(1)


def snapshot() -> tuple[dict[str, Any], int, int]:
    year = the_year()
    return copy.deepcopy(school_year_document(year)), year.revision, AuditEntry.objects.count()


# --- events ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_lengthening_a_meeting_without_htmx_saves_logs_and_shows_the_warning_appear(as_user, cast):
    client = as_user("head")
    revision = the_year().revision

    response = client.post(url("event-edit", "sm1"), event_form(end="18:30"))

    assert response.status_code == 302
    assert response["Location"] == url("event-edit", "sm1")
    event = Event.objects.get(school_year__school__slug=SCHOOL, event_id="sm1")
    assert event.end == time(18, 30)
    assert the_year().revision == revision + 1
    entry = AuditEntry.objects.get(action="event.update")
    assert entry.actor == cast["head"]
    assert entry.school.slug == SCHOOL
    assert entry.summary == "Changed the event 'Whole-school meeting' on 3 Sep 2025"
    assert entry.details["changes"] == {"end": ["16:45", "18:30"]}

    page = client.get(response["Location"]).content.decode()

    assert listed(page, "appeared") == ["meeting-max-duration"]
    assert headline(page) == "1 finding appeared"
    assert "lasts 2.75 hours; the limit is 2 hours" in page
    assert "South Ayrshire JNCT2.7, 7.3" in page
    assert 'data-count="warning"' in page
    again = client.get(response["Location"]).content.decode()
    assert "data-recheck" not in again  # shown once


@pytest.mark.django_db
def test_with_htmx_the_panel_swaps_in_and_shortening_it_back_clears_the_warning(as_user):
    client = as_user("head")

    longer = client.post(url("event-edit", "sm1"), event_form(end="18:30"), **HTMX)
    page = longer.content.decode()

    assert longer.status_code == 200
    assert "<html" not in page
    assert page.startswith("<title>Change the event – Test Academy – fairload</title>")
    assert 'id="edit-panel"' in page
    assert listed(page, "appeared") == ["meeting-max-duration"]
    assert "HX-Replace-Url" not in longer  # still the same event's page

    back = client.post(url("event-edit", "sm1"), event_form(end="16:45"), **HTMX)
    page = back.content.decode()

    assert listed(page, "cleared") == ["meeting-max-duration"]
    assert listed(page, "appeared") == []
    assert headline(page) == "1 finding cleared"
    assert Event.objects.get(school_year__school__slug=SCHOOL, event_id="sm1").end == time(16, 45)
    assert AuditEntry.objects.filter(action="event.update").count() == 2
    assert "data-recheck" not in as_user("head").get(url("event-edit", "sm1")).content.decode()


@pytest.mark.django_db
def test_changing_the_figures_of_a_finding_lists_it_as_changed(as_user):
    client = as_user("head")
    client.post(url("event-edit", "sm1"), event_form(end="18:30"), **HTMX)

    page = client.post(url("event-edit", "sm1"), event_form(end="18:00"), **HTMX)
    page = page.content.decode()

    assert listed(page, "changed") == ["meeting-max-duration"]
    assert "lasts 2.25 hours" in page
    assert headline(page) == "1 finding changed"


@pytest.mark.django_db
def test_adding_an_event_for_the_whole_staff_without_htmx(as_user, cast):
    client = as_user("head")
    revision = the_year().revision
    form = event_form(title="Long meeting", date_0="1", date_1="10", end="18:00")

    response = client.post(url("event-add"), form)

    new_url = url("event-edit", "long-meeting-2025-10-01")
    assert response.status_code == 302
    assert response["Location"] == new_url
    event = Event.objects.get(school_year__school__slug=SCHOOL, event_id="long-meeting-2025-10-01")
    assert (event.date, event.start, event.end) == (date(2025, 10, 1), time(15, 45), time(18))
    assert event.attendees.count() == StaffPost.objects.filter(school_year=the_year()).count()
    assert the_year().revision == revision + 1
    entry = AuditEntry.objects.get(action="event.create")
    assert (entry.actor, entry.summary) == (
        cast["head"],
        "Added the event 'Long meeting' on 1 Oct 2025",
    )
    assert entry.details["changes"]["end"] == [None, "18:00"]

    page = client.get(new_url).content.decode()

    assert listed(page, "appeared") == ["meeting-max-duration"]
    assert "Added the event ‘Long meeting’ on 1 Oct 2025" in page


@pytest.mark.django_db
def test_adding_an_event_with_htmx_moves_the_address_to_the_new_event(as_user):
    client = as_user("head")
    form = event_form(title="Maths catch-up", who=None, attendees=["t1", "pt3"])

    response = client.post(url("event-add"), form, **HTMX)

    new_url = url("event-edit", "maths-catch-up-2025-09-03")
    assert response.status_code == 200
    assert response["HX-Replace-Url"] == new_url
    page = response.content.decode()
    assert f'hx-post="{new_url}"' in page  # the form now changes the event it added
    event = Event.objects.get(
        school_year__school__slug=SCHOOL, event_id="maths-catch-up-2025-09-03"
    )
    assert sorted(event.attendees.values_list("staff_id", flat=True)) == ["pt3", "t1"]
    assert headline(page) == "No findings appeared, cleared or changed"


@pytest.mark.django_db
def test_adding_the_same_title_on_the_same_day_twice_gives_two_ids(as_user):
    client = as_user("head")

    client.post(url("event-add"), event_form(title="Briefing", category="briefing"))
    client.post(url("event-add"), event_form(title="Briefing", category="briefing"))

    ids = Event.objects.filter(title="Briefing").values_list("event_id", flat=True)
    assert sorted(ids) == ["briefing-2025-09-03", "briefing-2025-09-03-2"]


@pytest.mark.django_db
def test_deleting_an_event_without_htmx_clears_its_finding_on_the_events_list(as_user, cast):
    Event.objects.filter(event_id="sm1").update(end=time(18, 30))
    client = as_user("head")

    confirm = client.get(url("event-delete", "sm1")).content.decode()
    response = client.post(url("event-delete", "sm1"))

    assert "Are you sure you want to delete this event?" in confirm
    assert response.status_code == 302
    assert response["Location"] == url("school-events")
    assert not Event.objects.filter(event_id="sm1", school_year__school__slug=SCHOOL).exists()
    entry = AuditEntry.objects.get(action="event.delete")
    assert entry.actor == cast["head"]
    assert entry.summary == "Deleted the event 'Whole-school meeting' on 3 Sep 2025"
    assert entry.details["changes"]["title"] == ["Whole-school meeting", None]
    page = client.get(response["Location"]).content.decode()
    assert listed(page, "cleared") == ["meeting-max-duration"]
    assert 'data-event="sm1"' not in page


@pytest.mark.django_db
def test_deleting_an_event_with_htmx_swaps_in_the_result(as_user):
    Event.objects.filter(event_id="sm1").update(end=time(18, 30))
    revision = the_year().revision

    response = as_user("head").post(url("event-delete", "sm1"), **HTMX)

    page = response.content.decode()
    assert response.status_code == 200
    assert response["HX-Replace-Url"] == url("school-events")
    assert page.startswith("<title>Event deleted – Test Academy – fairload</title>")
    assert listed(page, "cleared") == ["meeting-max-duration"]
    assert the_year().revision == revision + 1


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_event_input_gets_an_error_summary_linking_each_field_and_writes_nothing(as_user, htmx):
    before = snapshot()
    form = event_form(
        title="", date_0="1", date_1="8", date_2="2026", start="16:00", end="9am", who=None
    )

    response = as_user("head").post(url("event-edit", "sm1"), form, **(HTMX if htmx else {}))

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: Change the event" in page
    assert 'class="govuk-error-summary"' in page
    assert '<a href="#id_title">Enter a title</a>' in page
    assert (
        '<a href="#id_date_0">The date must be in the school year, 13 August 2025 to '
        "26 June 2026</a>" in page
    )
    assert '<a href="#id_end">Enter the end time as hours and minutes, like 16:45</a>' in page
    assert '<a href="#id_who_1">Choose who attends: everyone, a group or the people</a>' in page
    for target in ("id_title", "id_date_0", "id_end", "id_who_1"):
        assert f'id="{target}"' in page  # every link lands on an input
    assert ("<html" in page) is not htmx
    assert snapshot() == before


@pytest.mark.django_db
def test_an_end_before_the_start_and_nobody_chosen_are_errors_on_their_fields(as_user):
    before = snapshot()
    form = event_form(start="17:00", end="16:00", who=None)

    page = as_user("head").post(url("event-edit", "sm1"), form).content.decode()

    assert '<a href="#id_end">The end time must be after the start time</a>' in page
    assert '<a href="#id_who_1">Choose who attends: everyone, a group or the people</a>' in page
    assert 'id="id_who_1"' in page  # the link's target exists
    assert snapshot() == before


@pytest.mark.django_db
def test_the_core_refusing_a_change_maps_to_the_field_and_writes_nothing(cast):
    year = the_year()
    before = snapshot()
    values = EventValues(
        "Whole-school meeting",
        "staff-meeting",
        date(2025, 9, 3),
        time(15, 45),
        time(16, 45),
        attendees=("t1", "nobody"),
    )

    with pytest.raises(YearInvalid) as caught:
        event_update(actor=cast["head"], year=year, event_id="sm1", values=values)

    assert caught.value.message_dict == {
        "attendees": ["Unknown staff id 'nobody'. Use an id from the staff list."]
    }
    assert snapshot() == before


@pytest.mark.django_db
def test_an_add_to_a_year_a_reimport_replaced_meanwhile_is_told_so_not_a_server_error(cast):
    """The race CI's PostgreSQL run met: a re-import replaces the year's row while a head
    has it open; their save finds no row to lock. It is refused as gone (410 page), and
    the new year is untouched."""
    opened = the_year()
    school_year_import(document=school_year_document(opened), source="re-import")
    replaced = snapshot()
    values = EventValues("Briefing", "briefing", date(2025, 9, 3), time(8, 30), time(8, 45))

    with pytest.raises(RowGone) as caught:
        event_create(actor=cast["head"], year=opened, values=values)

    assert caught.value.kind == "school year"
    assert snapshot() == replaced


@pytest.mark.django_db
def test_the_preview_says_what_saving_would_do_and_saves_nothing(as_user):
    before = snapshot()

    response = as_user("head").post(
        url("event-preview") + "?event=sm1", event_form(end="18:30"), **HTMX
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "1 finding would appear, 0 would clear." in page
    assert listed(page, "appeared") == ["meeting-max-duration"]
    assert snapshot() == before


@pytest.mark.django_db
def test_the_preview_of_bad_input_lists_the_problems(as_user):
    page = as_user("head").post(url("event-preview"), event_form(end="15:00")).content.decode()

    assert "It would not be saved yet" in page
    assert "The end time must be after the start time" in page


# --- staff posts ----------------------------------------------------------------------


@pytest.mark.django_db
def test_raising_a_teachers_class_contact_shows_the_breach_and_lowering_it_clears_it(as_user, cast):
    client = as_user("head")
    revision = the_year().revision

    response = client.post(url("post-edit", "t1"), post_form(contact_periods_per_week="29"))

    assert response.status_code == 302
    assert response["Location"] == url("post-edit", "t1")
    post = StaffPost.objects.get(school_year__school__slug=SCHOOL, staff_id="t1")
    assert post.contact_periods_per_week == 29
    assert post.person == cast["teacher"]  # the login stays linked
    assert the_year().revision == revision + 1
    entry = AuditEntry.objects.get(action="post.update")
    assert entry.actor == cast["head"]
    assert entry.summary == "Changed the post of Kirsty Teacher (t1)"
    assert entry.details["changes"] == {"contact_periods_per_week": [27, 29]}
    page = client.get(response["Location"]).content.decode()
    assert listed(page, "appeared") == ["class-contact-max", "within-35-hour-week"]
    assert "Kirsty Teacher is timetabled for 24.17 hours a week; the limit is 22.5" in page

    back = client.post(url("post-edit", "t1"), post_form(), **HTMX).content.decode()

    assert listed(back, "cleared") == ["class-contact-max", "within-35-hour-week"]
    assert headline(back) == "2 findings cleared"


@pytest.mark.django_db
def test_adding_a_post_joins_the_whole_staff_events_when_asked(as_user, cast):
    client = as_user("head")
    form = post_form(
        staff_id="nt", name="Neil Teacher", contact_periods_per_week="29", join_events="on"
    )

    response = client.post(url("post-add"), form, **HTMX)

    page = response.content.decode()
    assert response["HX-Replace-Url"] == url("post-edit", "nt")
    post = StaffPost.objects.get(school_year__school__slug=SCHOOL, staff_id="nt")
    assert (post.name, post.contact_periods_per_week, post.qts) == ("Neil Teacher", 29, True)
    joined = sorted(post.events.values_list("event_id", flat=True))
    assert joined == ["ins1", "ins2", "pe1", "rep1", "sm1", "tu1"]  # not the maths meeting
    entry = AuditEntry.objects.get(action="post.create")
    assert entry.actor == cast["head"]
    assert entry.summary == (
        "Added the post of Neil Teacher (nt) and added them to 6 whole-staff events"
    )
    assert sorted(entry.details["added_to_events"]) == joined
    assert "class-contact-max" in listed(page, "appeared")


@pytest.mark.django_db
def test_adding_a_post_without_htmx_redirects_to_it_with_the_summary(as_user):
    client = as_user("head")

    response = client.post(url("post-add"), post_form(staff_id="nt", name="Neil Teacher"))

    assert response.status_code == 302
    assert response["Location"] == url("post-edit", "nt")
    assert not StaffPost.objects.get(staff_id="nt").events.exists()  # join_events unticked
    page = client.get(response["Location"]).content.decode()
    assert "Added the post of Neil Teacher (nt)" in page
    assert "data-recheck-headline" in page


@pytest.mark.django_db
@pytest.mark.parametrize("htmx", [False, True], ids=["plain", "htmx"])
def test_bad_post_input_gets_an_error_summary_and_writes_nothing(as_user, htmx):
    before = snapshot()
    form = post_form(staff_id="t1", name="", fte="1.5", contact_hours_per_week="lots")
    form.pop("post")

    response = as_user("head").post(url("post-add"), form, **(HTMX if htmx else {}))

    page = response.content.decode()
    assert "<title>Error: Add a staff post" in page
    assert (
        '<a href="#id_staff_id">There is already a post with the staff id &#x27;t1&#x27;</a>'
        in page
    )
    assert '<a href="#id_name">Enter the teacher&#x27;s name</a>' in page
    assert '<a href="#id_post_1">Choose the post</a>' in page
    assert '<a href="#id_fte">The full-time equivalent must be more than 0 and at most 1' in page
    assert '<a href="#id_contact_hours_per_week">Class contact, hours a week must be a number' in (
        page
    )
    assert snapshot() == before


@pytest.mark.django_db
def test_a_new_posts_duplicate_id_refused_by_the_core_lands_on_the_staff_id_field(cast):
    before = snapshot()
    values = PostValues(staff_id="t1", name="Another", post="teacher")

    with pytest.raises(YearInvalid) as caught:
        post_create(actor=cast["head"], year=the_year(), values=values)

    assert list(caught.value.message_dict) == ["staff_id"]
    assert "used twice" in caught.value.message_dict["staff_id"][0]
    assert snapshot() == before


@pytest.mark.django_db
def test_deleting_a_post_takes_it_off_its_events_observations_and_pro_forma(as_user, cast):
    year = the_year()
    posts = {p.staff_id: p for p in year.staff.all()}
    Event.objects.create(
        school_year=year,
        event_id="obs1",
        title="Lesson observation",
        category="observation",
        date=date(2025, 10, 8),
        start=time(10),
        end=time(11),
        observer=posts["t1"],
        observed=posts["t2"],
    )
    year.proformas = [{"staff": "t1", "activities": {"x": 1}}]
    year.save()
    client = as_user("head")

    confirm = client.get(url("post-delete", "t1")).content.decode()

    assert "They are taken off the 7 events they attend" in confirm
    assert "1 observation will have no observer" in confirm
    assert "their balance-of-time pro-forma is deleted".capitalize() in confirm

    response = client.post(url("post-delete", "t1"))

    assert response.status_code == 302
    assert response["Location"] == url("school-staff")
    assert not StaffPost.objects.filter(school_year=year, staff_id="t1").exists()
    observation = Event.objects.get(school_year=year, event_id="obs1")
    assert (observation.observer, observation.observed) == (None, posts["t2"])
    assert Event.objects.get(school_year=year, event_id="sm1").attendees.count() == 7
    assert the_year().proformas == []
    entry = AuditEntry.objects.get(action="post.delete")
    assert entry.actor == cast["head"]
    assert entry.summary == (
        "Deleted the post of Kirsty Teacher (t1): they are taken off the 7 events they "
        "attend; 1 observation will have no observer; their balance-of-time pro-forma "
        "is deleted"
    )
    assert sorted(entry.details["removed_from_events"]) == [
        "dm1",
        "ins1",
        "ins2",
        "pe1",
        "rep1",
        "sm1",
        "tu1",
    ]
    assert entry.details["observer_cleared"] == ["obs1"]
    assert entry.details["proforma"] == {"staff": "t1", "activities": {"x": 1}}
    page = client.get(response["Location"]).content.decode()
    assert "proforma-adds-up" in listed(page, "cleared")
    assert 'data-post="t1"' not in page


@pytest.mark.django_db
def test_deleting_a_post_with_htmx_swaps_in_the_result(as_user):
    response = as_user("head").post(url("post-delete", "pt06"), **HTMX)

    page = response.content.decode()
    assert response["HX-Replace-Url"] == url("school-staff")
    assert page.startswith("<title>Post deleted – Test Academy – fairload</title>")
    assert "Deleted the post of Fiona Parttime (pt06)" in page
    assert not StaffPost.objects.filter(staff_id="pt06", school_year=the_year()).exists()


@pytest.mark.django_db
def test_the_post_preview_says_what_saving_would_do_and_saves_nothing(as_user):
    before = snapshot()

    response = as_user("head").post(
        url("post-preview") + "?staff=t1", post_form(contact_periods_per_week="29"), **HTMX
    )

    page = response.content.decode()
    assert "2 findings would appear, 0 would clear." in page
    assert listed(page, "appeared") == ["class-contact-max", "within-35-hour-week"]
    assert snapshot() == before


# --- the lists ------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_events_list_filters_by_category_and_month(as_user):
    client = as_user("rep")

    evenings = client.get(url("school-events"), {"category": "parents-evening"}).content.decode()
    september = client.get(url("school-events"), {"month": "2025-09"}).content.decode()
    nonsense = client.get(url("school-events"), {"month": "soon"}).content.decode()

    assert re.findall(r'data-event="([^"]+)"', evenings) == ["pe1"]
    assert re.findall(r'data-event="([^"]+)"', september) == ["sm1", "dm1"]
    assert len(re.findall(r'data-event="([^"]+)"', nonsense)) == 7  # ignored


@pytest.mark.django_db
def test_the_events_list_is_paginated_keeping_the_filter(as_user):
    year = the_year()
    Event.objects.bulk_create(
        Event(
            school_year=year,
            event_id=f"b{n:02d}",
            title=f"Briefing {n}",
            category="briefing",
            date=date(2025, 10, 1 + n % 28),
            start=time(8, 30),
            end=time(8, 45),
        )
        for n in range(30)
    )
    client = as_user("head")

    first = client.get(url("school-events"), {"category": "briefing"}).content.decode()
    second = client.get(url("school-events"), {"category": "briefing", "page": 2})

    assert len(re.findall(r'data-event="', first)) == 25
    assert "?category=briefing&amp;page=2" in first
    assert len(re.findall(r'data-event="', second.content.decode())) == 5


@pytest.mark.django_db
def test_editors_see_edit_links_and_readers_do_not(as_user):
    for who, sees in (("head", True), ("rep", False), ("council", False)):
        events = as_user(who).get(url("school-events")).content.decode()
        staff = as_user(who).get(url("school-staff")).content.decode()

        assert (url("event-edit", "sm1") in events) is sees, who
        assert (url("event-add") in events) is sees, who
        assert (url("post-edit", "t1") in staff) is sees, who
        assert (url("post-delete", "t1") in staff) is sees, who
        assert url("teacher-page", "t1") in staff


@pytest.mark.django_db
def test_the_staff_list_shows_each_posts_figures_and_links_to_the_teacher(as_user):
    page = as_user("rep").get(url("school-staff")).content.decode()

    row = re.search(r'data-post="pt06">(.*?)</tr>', page, re.S).group(1)
    assert reverse("teacher-page", args=[SCHOOL, "pt06"]) in row
    assert "Fiona Parttime" in row
    assert "0.6" in row
    assert "13.5 h" in row


@pytest.mark.django_db
@pytest.mark.parametrize(
    "name",
    ["school-events", "event-add", "school-staff", "post-add"],
)
def test_pages_keep_to_the_content_security_policy(as_user, name):
    page = as_user("head").get(url(name)).content.decode()

    assert " style=" not in page
    assert "hx-on" not in page
    assert page.count("<script") == 3  # base.html's own: htmx, the js-enabled flag, govuk
    assert "fairload/editing.css" in page
