"""Getting data in: every import previews, then applies completely or changes nothing."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import timedelta
from html import unescape
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairload.io.events_csv import parse_events_csv
from fairload.io.staff_csv import parse_staff_csv
from fairload.web.audit.models import AuditEntry
from fairload.web.imports import forms as import_forms
from fairload.web.imports import limits
from fairload.web.imports import services as import_services
from fairload.web.imports.models import PendingImport
from fairload.web.schools.models import Council, Event, School, SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.schools.to_core import school_year_document, to_core

from .conftest import SCOTTISH

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
START = reverse("import-start", args=["test-academy"])


def upload(client: Client, kind: str, name: str, text: str | bytes, **options: bool) -> Any:
    data = text.encode() if isinstance(text, str) else text
    fields = {"kind": kind, "file": SimpleUploadedFile(name, data)}
    fields.update({key: "on" for key, on in options.items() if on})
    return client.post(START, fields)


def preview_of(client: Client, kind: str, name: str, text: str, **options: bool) -> str:
    """Upload a file to Test Academy and return its preview's URL."""
    response = upload(client, kind, name, text, **options)
    assert response.status_code == 302, response.content.decode()[:2000]
    return response["Location"]


def revision_in(page: str) -> str:
    match = re.search(r'name="revision" value="([^"]+)"', page)
    assert match, "the preview has no apply form"
    return match.group(1)


def apply(client: Client, url: str) -> Any:
    return client.post(url, {"revision": revision_in(client.get(url).content.decode())})


def apply_blind(client: Client, url: str) -> Any:
    """POST the apply form as if from a page that showed no problems."""
    year = SchoolYear.objects.get(school__slug="test-academy")
    return client.post(url, {"revision": f"{year.pk}:{year.revision}"})


def checksum(slug: str = "test-academy") -> str:
    year = SchoolYear.objects.get(school__slug=slug)
    text = json.dumps(school_year_document(year), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def row_counts() -> dict[str, int]:
    models = (Council, School, SchoolYear, StaffPost, Event, Event.attendees.through, AuditEntry)
    return {model.__name__: model.objects.count() for model in models}


def problems_in(page: str) -> list[tuple[str, str, str, str]]:
    """(file, line, field, problem) of each row of the preview's problem table."""
    rows = re.findall(r"<tr[^>]*data-problem>(.*?)</tr>", page, re.S)
    found = []
    for row in rows:
        cells = dict(re.findall(r"<td[^>]*data-(\w+)>(.*?)</td>", row, re.S))
        found.append(
            tuple(unescape(cells[k]).strip() for k in ("file", "line", "field", "message"))
        )
    return found  # type: ignore[return-value]


def post(staff_id: str, slug: str = "test-academy") -> StaffPost:
    return StaffPost.objects.get(school_year__school__slug=slug, staff_id=staff_id)


def attendees(event_id: str) -> set[str]:
    event = Event.objects.get(school_year__school__slug="test-academy", event_id=event_id)
    return {p.staff_id for p in event.attendees.all()}


# ------------------------------------------------------------------ staff from CSV

STAFF_CSV = (
    "id,name,post,department\nt1,Kirsty Teacher,teacher,english\nt9,Calum New,teacher,maths\n"
)


@pytest.mark.django_db
def test_a_staff_file_previews_what_it_adds_and_changes_then_applies(as_user, cast):
    head = as_user("head")
    url = preview_of(head, "staff-csv", "staff.csv", STAFF_CSV)

    page = head.get(url).content.decode()

    assert "Check the import" in page
    assert "1 added, 1 changed, 0 removed, 7 unchanged." in page
    assert "Calum New" in page
    changed = re.search(r'data-changed="staff">(.*?)</table>', page, re.S).group(1)
    assert "department" in changed and "maths" in changed and "english" in changed
    assert not StaffPost.objects.filter(staff_id="t9").exists()  # nothing stored yet

    response = head.post(url, {"revision": revision_in(page)})

    assert response.status_code == 302
    assert response["Location"] == reverse("school-dashboard", args=["test-academy"])
    dashboard = head.get(response["Location"]).content.decode()
    assert "Imported 2 staff from staff.csv: 1 added, 1 changed, 0 removed" in dashboard
    assert post("t9").department == "maths"
    t1 = post("t1")
    assert (t1.department, t1.contact_periods_per_week) == ("english", 27)  # kept: no column
    assert t1.person == cast["teacher"]  # the sign-in stays linked
    assert "t9" in attendees("sm1")  # a whole-staff meeting takes in new staff
    assert attendees("dm1") == {"pt3", "t1"}  # a department meeting does not
    entry = AuditEntry.objects.get(action="import.staff-csv")
    assert entry.summary == "Imported 2 staff from staff.csv: 1 added, 1 changed, 0 removed"
    assert entry.school.slug == "test-academy"
    assert entry.actor == cast["head"]
    assert entry.details["staff"]["added"] == ["t9"]
    assert entry.details["staff"]["changed"] == {"t1": {"department": ["maths", "english"]}}
    pending = PendingImport.objects.get()
    assert pending.applied_at is not None
    assert pending.text == ""  # the stored year holds the data now


@pytest.mark.django_db
def test_staff_left_out_are_removed_only_when_asked_and_listed_first(as_user):
    head = as_user("head")
    everyone_but_pb = "id,name,post\n" + "".join(
        f"{p.staff_id},{p.name},{p.post}\n"
        for p in StaffPost.objects.filter(school_year__school__slug="test-academy")
        if p.staff_id != "pb"
    )

    kept = head.get(preview_of(head, "staff-csv", "staff.csv", everyone_but_pb)).content
    url = preview_of(head, "staff-csv", "staff.csv", everyone_but_pb, remove_missing_staff=True)
    page = head.get(url).content.decode()

    assert "0 added, 0 changed, 0 removed" in kept.decode()
    removed = re.search(r'data-removed="staff">(.*?)</table>', page, re.S).group(1)
    assert "Eilidh Probationer" in removed
    assert "pb" in attendees("sm1")

    apply(head, url)

    assert not StaffPost.objects.filter(staff_id="pb").exists()
    assert post("t1").school_year.staff.count() == 7
    assert "pb" not in attendees("sm1")


@pytest.mark.django_db
def test_removing_staff_that_events_still_name_is_a_problem_naming_the_events(as_user):
    head = as_user("head")
    before, counts = checksum(), row_counts()
    url = preview_of(
        head, "staff-csv", "staff.csv", "id,name,post\nht,Morag Head,head-teacher\n",
        remove_missing_staff=True,
    )  # fmt: skip

    page = head.get(url).content.decode()
    problems = problems_in(page)

    assert "Apply the import" not in page
    assert problems[0][:3] == ("staff.csv", "", "id")
    named = [p[3] for p in problems if p[3].startswith("staff 't1'")]
    assert named == [
        "staff 't1' (Kirsty Teacher) is not in this file and would be removed, but these "
        "still name them: 'dm1' (Maths department meeting)"
    ]
    assert "unknown staff id" not in page  # said once, in the words above
    assert apply_blind(head, url).status_code == 200
    assert (checksum(), row_counts()) == (before, counts)


@pytest.mark.django_db
def test_a_file_with_problems_shows_each_by_line_and_field_and_applying_changes_nothing(
    as_user,
):
    head = as_user("head")
    before, counts = checksum(), row_counts()
    text = "id,name,post,fte,contact_hours_per_wek\nt1,Kirsty Teacher,teacher,1.5,\nt9,,teachr,1,\n"
    url = preview_of(head, "staff-csv", "staff.csv", text)

    page = head.get(url).content.decode()

    assert "There are 4 problems with staff.csv" in page
    assert "Apply the import" not in page
    assert problems_in(page) == [
        ("staff.csv", "1", "contact_hours_per_wek", "unknown column 'contact_hours_per_wek'"),
        ("staff.csv", "2", "fte", "1.5 is more than 1"),
        ("staff.csv", "3", "name", "no name given"),
        ("staff.csv", "3", "post", "'teachr' is not allowed here"),
    ]
    assert "Did you mean &#x27;contact_hours_per_week&#x27;?" in page
    assert 'href="#problem-4"' in page  # the error summary links to each row
    response = apply_blind(head, url)
    assert response.status_code == 200
    assert "There are 4 problems with staff.csv" in response.content.decode()
    assert (checksum(), row_counts()) == (before, counts)
    assert PendingImport.objects.get().applied_at is None


# ------------------------------------------------------------------ events from CSV and .ics

LONG_MEETING = (
    "id,title,category,date,start,end,attendees\n"
    "sm1,Whole-school meeting,staff-meeting,2025-09-03,15:45,18:30,all\n"
    ",Moderation,moderation,03/12/2025,15:45,16:45,department:english\n"
)


@pytest.mark.django_db
def test_an_events_file_shows_the_finding_it_would_bring_then_applies(as_user, cast):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)

    page = head.get(url).content.decode()

    assert "1 added, 1 changed, 0 removed, 6 unchanged." in page
    changed = re.search(r'data-changed="events">(.*?)</table>', page, re.S).group(1)
    assert re.search(r"<td[^>]*>end</td>\s*<td[^>]*>16:45</td>\s*<td[^>]*>18:30</td>", changed)
    appear = re.search(r'data-findings="appear">(.*?)</ul>', page, re.S).group(1)
    assert 'data-finding="meeting-max-duration"' in appear
    assert "lasts 2.75 hours; the limit is 2 hours" in appear
    warnings = re.search(r'data-severity="warning">(.*?)</tr>', page, re.S).group(1)
    assert re.findall(r">(\d+)</td>", warnings) == ["0", "1"]
    assert 'data-findings="clear"' not in page  # nothing clears: "None." is shown instead

    response = apply(head, url)

    assert response.status_code == 302
    dashboard = head.get(response["Location"]).content.decode()
    assert "Imported 2 events from events.csv: 1 added, 1 changed, 0 removed" in dashboard
    assert 'data-finding="meeting-max-duration"' in dashboard
    assert attendees("moderation-2025-12-03") == {"t2", "pb", "pt06"}
    assert AuditEntry.objects.get().action == "import.events-csv"


@pytest.mark.django_db
def test_an_events_file_without_ids_imported_twice_adds_its_events_once(as_user):
    head = as_user("head")
    text = "title,category,date,start,end\nModeration,moderation,2025-12-03,15:45,16:45\n"

    apply(head, preview_of(head, "events-csv", "events.csv", text))
    page = head.get(preview_of(head, "events-csv", "events.csv", text)).content.decode()

    assert Event.objects.filter(school_year__school__slug="test-academy").count() == 8
    assert "0 added, 0 changed, 0 removed, 8 unchanged." in page
    assert "The file would change nothing" in page


@pytest.mark.django_db
def test_problems_only_the_whole_year_shows_are_put_back_on_the_files_lines(as_user):
    head = as_user("head")
    before, counts = checksum(), row_counts()
    text = (
        "id,title,category,date,start,end,attendees,observer\n"
        "x1,Meeting,staff-meeting,2025-09-03,15:45,16:45,t1;nobody,\n"
        "x2,Summer meeting,staff-meeting,2026-08-03,15:45,16:45,all,\n"
        "x3,Observation,observation,2025-10-08,10:00,11:00,,ghost\n"
    )
    url = preview_of(head, "events-csv", "events.csv", text)

    page = head.get(url).content.decode()

    outside = "2026-08-03 is outside the school year (2025-08-13 to 2026-06-26)"
    assert problems_in(page) == [
        ("events.csv", "2", "attendees", "unknown staff id 'nobody'"),
        ("events.csv", "3", "date", outside),
        ("events.csv", "4", "observer", "unknown staff id 'ghost'"),
    ]
    assert apply_blind(head, url).status_code == 200
    assert (checksum(), row_counts()) == (before, counts)


ICS = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:pe2@example.org
DTSTAMP:20250601T000000Z
SUMMARY:S2 parents' evening
DTSTART;TZID=Europe/London:20251120T163000
DTEND;TZID=Europe/London:20251120T190000
END:VEVENT
BEGIN:VEVENT
UID:inset-2026-06-01@example.org
DTSTAMP:20250601T000000Z
SUMMARY:INSET
DTSTART;VALUE=DATE:20260601
DTEND;VALUE=DATE:20260602
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.django_db
def test_a_calendar_file_can_replace_every_event_and_add_in_service_days(as_user):
    head = as_user("head")
    url = preview_of(head, "events-ics", "calendar.ics", ICS, replace_all_events=True)

    page = head.get(url).content.decode()

    assert "1 added, 0 changed, 7 removed, 0 unchanged." in page
    assert "Added: Monday 1 June 2026" in page
    removed = re.search(r'data-removed="events">(.*?)</table>', page, re.S).group(1)
    assert "Whole-school meeting" in removed

    apply(head, url)

    year = SchoolYear.objects.get(school__slug="test-academy")
    assert list(year.events.values_list("event_id", "title")) == [("pe2", "S2 parents' evening")]
    assert "2026-06-01" in year.calendar["inservice_days"]
    assert AuditEntry.objects.get().summary == (
        "Imported 1 event from calendar.ics: 1 added, 0 changed, 7 removed; 1 in-service day added"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            "SUMMARY:S2 parents' evening",
            "SUMMARY:Coffee",
            ("calendar.ics", "4", "", "VEVENT 'Coffee': cannot tell its category"),
        ),
        (
            "SUMMARY:INSET\nDTSTART;VALUE=DATE:20260601\nDTEND;VALUE=DATE:20260602",
            "SUMMARY:INSET\nDTSTART:20260601T090000\nDTEND:20260601T100000\n"
            "X-FAIRLOAD-ATTENDEES:t1,nobody",
            ("calendar.ics", "11", "attendees", "unknown staff id 'nobody'"),
        ),
    ],
    ids=["read from the file", "found in the whole year"],
)
def test_a_calendar_file_with_problems_names_the_line_of_each_event(as_user, old, new, expected):
    head = as_user("head")
    assert old in ICS

    url = preview_of(head, "events-ics", "calendar.ics", ICS.replace(old, new))

    (found,) = problems_in(head.get(url).content.decode())
    assert found[:3] == expected[:3]
    assert found[3].startswith(expected[3])


# ------------------------------------------------------------------ a whole school year


@pytest.mark.django_db
def test_a_whole_year_file_previews_every_change_and_keeps_sign_ins(as_user, cast):
    head = as_user("head")
    text = SCOTTISH.read_text()
    text = text.replace("roll: 600", "roll: 640")
    text = text.replace("name: Kirsty Teacher", "name: Kirsty Maclean")
    text = re.sub(r"\n  - \{id: tu1,[^\n]*", "", text)
    text = text.replace(
        "daily-or-weekly-time-tracking: false", "daily-or-weekly-time-tracking: true"
    )

    url = preview_of(head, "school-year", "test-academy.yaml", text)
    page = head.get(url).content.decode()

    assert "The file replaces the 2025-26 school year." in page
    school = re.search(r"data-school-changes>(.*?)</table>", page, re.S).group(1)
    assert re.search(r"roll</th>\s*<td[^>]*>600</td>\s*<td[^>]*>640</td>", school)
    assert "the answers to the workload questions" in page
    assert "0 added, 1 changed, 0 removed, 7 unchanged." in page  # staff
    assert "0 added, 0 changed, 1 removed, 6 unchanged." in page  # events
    appear = re.search(r'data-findings="appear">(.*?)</ul>', page, re.S).group(1)
    assert 'data-finding="no-time-tracking"' in appear

    apply(head, url)

    assert School.objects.get(slug="test-academy").roll == 640
    assert post("t1").name == "Kirsty Maclean"
    assert post("t1").person == cast["teacher"]
    assert not Event.objects.filter(event_id="tu1", school_year__school__slug="test-academy")
    assert AuditEntry.objects.get().summary == (
        "Imported the school year 2025-26 from test-academy.yaml: staff 0 added, 1 changed, "
        "0 removed; events 0 added, 0 changed, 1 removed"
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "line_of", "expected"),
    [
        ("  roll: 600", "  rol: 600", "school:", ("school", "'roll' is missing")),
        ("  roll: 600", "  rol: 600", "  rol: 600", ("school.rol", "unknown key 'rol'")),
        (
            "attendees: {departments: [maths]}",
            "attendees: [t1, nobody]",
            "  - {id: dm1,",
            ("events[3].attendees", "unknown staff id 'nobody'"),
        ),
    ],
    ids=["missing", "misspelt", "cross-reference"],
)
def test_a_whole_year_file_with_problems_is_located_in_the_file(
    as_user, old, new, line_of, expected
):
    head = as_user("head")
    before, counts = checksum(), row_counts()
    text = SCOTTISH.read_text().replace(old, new)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if row.startswith(line_of))

    url = preview_of(head, "school-year", "year.yaml", text)

    assert ("year.yaml", str(line), *expected) in problems_in(head.get(url).content.decode())
    assert apply_blind(head, url).status_code == 200
    assert (checksum(), row_counts()) == (before, counts)


@pytest.mark.django_db
def test_a_whole_year_file_for_another_school_is_refused(as_user):
    head = as_user("head")
    text = (EXAMPLES / "south-ayrshire-primary.yaml").read_text()

    page = head.get(preview_of(head, "school-year", "glenburnie.yaml", text)).content.decode()

    ((file, line, field, message),) = problems_in(page)
    assert (file, line, field) == ("glenburnie.yaml", "9", "school.id")
    assert message == (
        "this file is for the school 'glenburnie-primary', not Test Academy ('test-academy')"
    )


# ------------------------------------------------------------------ all or nothing


@pytest.mark.django_db
@pytest.mark.parametrize("where", ["after the events are written", "at the audit entry"])
def test_a_failure_in_the_middle_of_applying_rolls_everything_back(as_user, monkeypatch, where):
    head = as_user("head")
    url = preview_of(head, "staff-csv", "staff.csv", STAFF_CSV)
    page = head.get(url).content.decode()
    before, counts = checksum(), row_counts()

    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("the database went away")

    if where == "at the audit entry":
        monkeypatch.setattr(import_services, "audit_record", boom)
    else:
        through = Event.attendees.through
        monkeypatch.setattr(through.objects, "bulk_create", boom)  # after posts and events

    with pytest.raises(RuntimeError):
        head.post(url, {"revision": revision_in(page)})

    assert (checksum(), row_counts()) == (before, counts)
    pending = PendingImport.objects.get()
    assert (pending.applied_at, pending.text) == (None, STAFF_CSV)
    monkeypatch.undo()
    assert head.post(url, {"revision": revision_in(page)}).status_code == 302  # and it can


@pytest.mark.django_db
def test_an_import_cannot_be_applied_twice(as_user):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    revision = revision_in(head.get(url).content.decode())
    assert head.post(url, {"revision": revision}).status_code == 302
    after, counts = checksum(), row_counts()

    again = head.post(url, {"revision": revision})

    assert again.status_code == 409
    assert "This import has been applied" in again.content.decode()
    assert (checksum(), row_counts()) == (after, counts)
    assert AuditEntry.objects.count() == 1
    assert head.get(url).status_code == 200  # says so, and offers no button
    assert "Apply the import" not in head.get(url).content.decode()


@pytest.mark.django_db
def test_an_upload_expires_after_a_day(as_user):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    revision = revision_in(head.get(url).content.decode())
    before, counts = checksum(), row_counts()
    PendingImport.objects.update(created_at=timezone.now() - timedelta(days=1, seconds=1))

    response = head.post(url, {"revision": revision})

    assert response.status_code == 410
    assert "This upload has expired" in response.content.decode()
    assert (checksum(), row_counts()) == (before, counts)
    preview_of(head, "events-csv", "events.csv", LONG_MEETING)  # a new upload ...
    assert PendingImport.objects.count() == 1  # ... clears out the expired one


@pytest.mark.django_db
def test_if_the_school_changed_since_the_preview_the_new_preview_is_shown_first(as_user):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    revision = revision_in(head.get(url).content.decode())
    year = SchoolYear.objects.get(school__slug="test-academy")
    Event.objects.filter(school_year=year, event_id="tu1").delete()
    year_touch(year)

    response = head.post(url, {"revision": revision})

    page = response.content.decode()
    assert response.status_code == 200
    assert "The school&#x27;s data changed after you opened the preview" in page
    assert PendingImport.objects.get().applied_at is None
    assert apply(head, url).status_code == 302


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["admin", "other-head", "rep"])
def test_nobody_but_the_uploader_can_open_or_apply_an_upload(as_user, who):
    url = preview_of(as_user("head"), "events-csv", "events.csv", LONG_MEETING)
    year = SchoolYear.objects.get(school__slug="test-academy")
    before, counts = checksum(), row_counts()
    other = as_user(who)

    assert other.get(url).status_code == 404
    assert other.post(url, {"revision": f"{year.pk}:{year.revision}"}).status_code == 404
    assert (checksum(), row_counts()) == (before, counts)
    pk = PendingImport.objects.get().pk
    mine = reverse("import-preview", args=["test-school", pk])
    assert as_user("other-head").get(mine).status_code == 404  # not through another school


# ------------------------------------------------------------------ a new school


NEW_SCHOOL = reverse("import-new-school")


@pytest.mark.django_db
def test_a_site_admin_imports_a_whole_new_school(as_user, cast):
    admin = as_user("admin")
    text = (EXAMPLES / "south-ayrshire-primary.yaml").read_text()
    response = admin.post(
        NEW_SCHOOL, {"file": SimpleUploadedFile("glenburnie.yaml", text.encode())}
    )
    assert response.status_code == 302
    url = response["Location"]
    assert url.startswith("/import/")

    page = admin.get(url).content.decode()

    assert "Glenburnie Primary School (glenburnie-primary)" in page
    assert "data-check-counts" in page
    assert not School.objects.filter(slug="glenburnie-primary").exists()

    response = apply(admin, url)

    assert response["Location"] == reverse("school-dashboard", args=["glenburnie-primary"])
    school = School.objects.get(slug="glenburnie-primary")
    assert school.council.slug == "south-ayrshire-council"
    entry = AuditEntry.objects.get(action="import.school-year")
    assert entry.school == school
    assert entry.summary.startswith(
        "Imported the new school Glenburnie Primary School (2025-26) from glenburnie.yaml: "
    )
    assert "Imported the new school" in admin.get(response["Location"]).content.decode()


@pytest.mark.django_db
def test_a_new_school_that_is_stored_already_points_to_its_own_import(as_user):
    admin = as_user("admin")
    file = SimpleUploadedFile("academy.yaml", SCOTTISH.read_bytes())
    url = admin.post(NEW_SCHOOL, {"file": file})["Location"]

    page = admin.get(url).content.decode()

    ((_, _, field, message),) = problems_in(page)
    assert (field, message) == (
        "school.id",
        "a school with the id 'test-academy' is stored already (Test Academy)",
    )
    assert f'href="{START}"' in page
    assert apply_blind(admin, url).status_code == 200
    assert School.objects.count() == 2


# ------------------------------------------------------------------ the upload form


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "error", "anchor"),
    [
        ({"file": ("staff.csv", b"id,name,post\n")}, "Select what you are importing", "id_kind_1"),
        ({"kind": "staff-csv"}, "Select a file", "id_file"),
        (
            {"kind": "staff-csv", "file": ("staff.csv", "id,name\nt1,Zoë\n".encode("latin-1"))},
            "The selected file must be UTF-8 text",
            "id_file",
        ),
        (
            {"kind": "events-ics", "file": ("events.csv", b"title\n")},
            "The selected file must be an .ics file",
            "id_file",
        ),
        (
            {"kind": "staff-csv", "file": ("staff.csv", b"")},
            "The selected file is empty",
            "id_file",
        ),
        (
            {"kind": "staff-csv", "file": ("staff.csv", b"id,name,post\n" + b"t" * 2048)},
            "The selected file must be smaller than 5 MB",
            "id_file",
        ),
    ],
    ids=["no kind", "no file", "not UTF-8", "wrong type", "empty", "too big"],
)
def test_the_upload_form_says_what_is_wrong_and_stores_nothing(
    as_user, monkeypatch, fields, error, anchor
):
    monkeypatch.setattr(import_forms, "MAX_UPLOAD_BYTES", 1024)
    data = dict(fields)
    if "file" in data:
        name, content = data["file"]
        data["file"] = SimpleUploadedFile(name, content)

    response = as_user("head").post(START, data)

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error: " in page
    assert f'<a href="#{anchor}">{error}' in page
    assert f'id="{anchor}"' in page
    assert PendingImport.objects.count() == 0


# ------------------------------------------------------------------ CSV downloads


@pytest.mark.django_db
@pytest.mark.parametrize("what", ["staff", "events"])
def test_a_downloaded_csv_reads_back_and_imports_as_no_change(as_user, what):
    head = as_user("head")
    year = to_core(SchoolYear.objects.get(school__slug="test-academy"))

    response = head.get(reverse(f"school-export-{what}-csv", args=["test-academy"]))

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == (
        f'attachment; filename="test-academy-2025-26-{what}.csv"'
    )
    text = response.content.decode("utf-8")
    assert text.startswith("\ufeff")
    if what == "staff":
        assert [r["id"] for r in parse_staff_csv(text, "s.csv").staff] == [s.id for s in year.staff]
    else:
        assert [r["id"] for r in parse_events_csv(text, "e.csv").events] == [
            e.id for e in year.events
        ]
    kind = "staff-csv" if what == "staff" else "events-csv"
    page = head.get(preview_of(head, kind, f"{what}.csv", text)).content.decode()
    assert "0 added, 0 changed, 0 removed" in page
    assert "The file would change nothing" in page


@pytest.mark.django_db
def test_values_the_database_or_web_addresses_cannot_hold_are_problems_in_the_file(as_user):
    head = as_user("head")
    long_name = "A" * 201
    text = f"id,name,post\nt.9,Calum New,teacher\nt10,{long_name},teacher\n"

    page = head.get(preview_of(head, "staff-csv", "staff.csv", text)).content.decode()

    assert problems_in(page) == [
        ("staff.csv", "2", "id", "the staff id 't.9' cannot be used in a web address"),
        ("staff.csv", "3", "name", "the name is 201 characters long; the most is 200"),
    ]


@pytest.mark.django_db
def test_contact_by_cycle_week_in_a_staff_file_is_stored_and_checked(as_user):
    head = as_user("head")
    # One figure: the stored school's timetable cycle is one week.
    text = "id,name,post,contact_hours_by_cycle_week\nt9,Calum New,teacher,22\n"

    assert apply(head, preview_of(head, "staff-csv", "staff.csv", text)).status_code == 302

    year = SchoolYear.objects.get(school__slug="test-academy")
    (member,) = [m for m in to_core(year).staff if m.id == "t9"]
    assert member.contact_hours_by_cycle_week == (22.0,)


@pytest.mark.django_db
def test_contact_by_cycle_week_that_does_not_fit_the_cycle_is_a_problem_in_the_file(as_user):
    head = as_user("head")
    text = "id,name,post,contact_hours_by_cycle_week\nt9,Calum New,teacher,22; 20\n"

    page = head.get(preview_of(head, "staff-csv", "staff.csv", text)).content.decode()

    assert problems_in(page)[0][2:] == (
        "contact_hours_by_cycle_week",
        "2 weeks of contact given, but the timetable cycle is 1 week",
    )


@pytest.mark.django_db
def test_the_purge_command_forgets_uploads_older_than_a_day(as_user):
    head = as_user("head")
    old = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    new = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    stale = PendingImport.objects.get(pk=old.rstrip("/").rsplit("/", 1)[1])
    PendingImport.objects.filter(pk=stale.pk).update(
        created_at=timezone.now() - timedelta(days=1, minutes=1)
    )
    out = StringIO()

    call_command("purge_pending_imports", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 expired upload."
    assert head.get(old).status_code == 404
    assert head.get(new).status_code == 200


# ------------------------------------------------------------------ files that ask too much


def _alias_bomb(levels: int) -> str:
    rows = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    rows += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, levels)]
    return "\n".join(rows) + "\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("kind", "name", "text", "expected"),
    [
        (
            "school-year",
            "bomb.yaml",
            _alias_bomb(9) + SCOTTISH.read_text(),
            ("bomb.yaml", "6", "", "with its YAML aliases (*name) written out the file holds"),
        ),
        (
            "school-year",
            "loop.yaml",
            "format: fairload/school-year@1\nloop: &loop [1, *loop]\n",
            ("loop.yaml", "2", "", "a YAML alias refers to a value it is part of"),
        ),
        (
            "events-ics",
            "minutely.ics",
            ICS.replace("DTEND;TZID=Europe/London:20251120T190000",
                        "DTEND;TZID=Europe/London:20251120T190000\nRRULE:FREQ=MIN\n UTELY"),
            ("minutely.ics", "10", "RRULE", "this event repeats more often than once a day"),
        ),
    ],
    ids=["YAML aliases", "a YAML loop", "every minute"],
)  # fmt: skip
def test_a_file_that_would_expand_without_end_is_refused_before_it_is_read(
    as_user, kind, name, text, expected
):
    head = as_user("head")

    page = head.get(preview_of(head, kind, name, text)).content.decode()

    (found,) = problems_in(page)
    assert found[:3] == expected[:3]
    assert found[3].startswith(expected[3])


@pytest.mark.django_db
def test_a_year_with_more_events_than_a_school_has_is_refused(as_user, monkeypatch):
    monkeypatch.setattr(limits, "MOST_EVENTS", 7)
    head = as_user("head")

    page = head.get(preview_of(head, "events-csv", "events.csv", LONG_MEETING)).content.decode()

    assert problems_in(page) == [
        ("events.csv", "", "", "the year would have 8 events; the most one school year may "
         "have is 7"),
    ]  # fmt: skip


WEEKLY = """BEGIN:VEVENT
UID:{uid}@example.org
DTSTAMP:20250601T000000Z
SUMMARY:Staff meeting
DTSTART;TZID=Europe/London:20250903T154500
DTEND;TZID=Europe/London:20250903T164500
RRULE:FREQ=WEEKLY;COUNT=3
END:VEVENT
"""


@pytest.mark.django_db
def test_a_calendar_with_more_repeating_events_than_allowed_is_refused(as_user, monkeypatch):
    monkeypatch.setattr(limits, "MOST_REPEATING_EVENTS", 1)
    head = as_user("head")
    events = WEEKLY.format(uid="a") + WEEKLY.format(uid="b")
    text = f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{events}END:VCALENDAR\n"

    page = head.get(preview_of(head, "events-ics", "calendar.ics", text)).content.decode()

    assert problems_in(page) == [
        ("calendar.ics", "", "", "the file has 2 repeating events; the most one file may have is 1")
    ]
    monkeypatch.setattr(limits, "MOST_REPEATING_EVENTS", 2)
    page = head.get(preview_of(head, "events-ics", "calendar.ics", text)).content.decode()
    assert "6 added, 0 changed, 0 removed, 7 unchanged." in page  # three weeks of each


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("end", "section", "text"),
    [
        ("16:45", "clear", "lasts 2.75 hours; the limit is 2 hours"),
        ("18:00", "changed", "lasts 2.25 hours; the limit is 2 hours"),
    ],
)
def test_the_preview_lists_findings_the_import_would_clear_or_change(as_user, end, section, text):
    year = SchoolYear.objects.get(school__slug="test-academy")
    Event.objects.filter(school_year=year, event_id="sm1").update(end="18:30")
    year_touch(year)
    head = as_user("head")
    row = f"sm1,Whole-school meeting,staff-meeting,2025-09-03,15:45,{end},all\n"

    url = preview_of(
        head, "events-csv", "events.csv", "id,title,category,date,start,end,attendees\n" + row
    )

    page = head.get(url).content.decode()
    found = re.search(rf'data-findings="{section}">(.*?)</ul>', page, re.S).group(1)
    assert 'data-finding="meeting-max-duration"' in found
    assert text in found
    assert 'data-findings="appear"' not in page


def test_a_year_file_with_the_agreements_groups_and_committee_imports_and_checks(as_user):
    """The web keeps the agreement's groups and committee (as rows of the committee app):
    the stored year reads back with them."""
    head = as_user("head")
    text = SCOTTISH.read_text().replace(
        "agreement:\n",
        "agreement:\n"
        "  groups:\n"
        "    - {id: eco, title: Eco committee, hours: 6, members: [t1]}\n"
        "  committee:\n"
        "    accredited_unions: [EIS]\n"
        "    members:\n"
        "      - {staff: ht, role: head-teacher, from: 2024-08-14}\n"
        "      - {staff: t2, role: union-rep, union: EIS, from: 2024-08-14}\n",
        1,
    )

    url = preview_of(head, "school-year", "test-academy.yaml", text)
    assert apply(head, url).status_code == 302

    year = SchoolYear.objects.get(school__slug="test-academy", label="2025-26")
    core = to_core(year)
    assert core.agreement.process.committee_formed is not None
    assert [(g.id, g.hours, g.members) for g in core.agreement.groups] == [("eco", 6.0, ("t1",))]
    assert core.agreement.committee is not None
    assert [(m.staff_id, m.role, m.union) for m in core.agreement.committee.members] == [
        ("ht", "head-teacher", None),
        ("t2", "union-rep", "EIS"),
    ]


# ------------------------------------------------------------------ what the preview says


@pytest.mark.django_db
def test_a_change_of_attendees_is_counted_with_the_names_behind_a_disclosure(as_user):
    """dm1 is the maths department (Ailsa Principal, Kirsty Teacher); the file gives it
    Kirsty, Duncan, Eilidh and Fiona: 3 added, 1 removed, not two lists of ids."""
    head = as_user("head")
    row = "dm1,Maths department meeting,department-meeting,2025-09-10,15:45,16:45,t1;t2;pb;pt06\n"
    url = preview_of(
        head, "events-csv", "events.csv", "id,title,category,date,start,end,attendees\n" + row
    )

    page = head.get(url).content.decode()

    changed = re.search(r'data-changed="events">(.*?)</table>', page, re.S).group(1)
    cell = re.search(r"<td[^>]*data-people-change>(.*?)</td>", changed, re.S).group(1)
    summary = re.search(r"<summary[^>]*>(.*?)</summary>", cell, re.S).group(1)
    assert re.sub(r"<[^>]+>", "", summary).strip() == "3 added, 1 removed"
    assert "Added: Duncan Teacher, Eilidh Probationer, Fiona Parttime" in cell
    assert "Removed: Ailsa Principal" in cell
    assert "pt3, t1" not in changed  # the ids are not listed
    assert "<details" in cell


ICS_INSET_STORED = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:inset-2025-08-14@example.org
DTSTAMP:20250601T000000Z
SUMMARY:INSET
DTSTART;VALUE=DATE:20250814
DTEND;VALUE=DATE:20250815
END:VEVENT
END:VCALENDAR
"""


@pytest.mark.django_db
def test_an_all_day_inset_event_on_a_stored_in_service_day_says_it_matches(as_user):
    """2025-08-14 is one of Test Academy's in-service days already."""
    head = as_user("head")
    url = preview_of(head, "events-ics", "calendar.ics", ICS_INSET_STORED)

    page = head.get(url).content.decode()

    matched = re.search(r"<li data-inservice-matched>(.*?)</li>", page, re.S).group(1)
    assert "matches the in-service day of 2025-08-14" in matched
    assert "Added: Thursday 14 August 2025" not in page
    assert "data-no-change" in page  # the file adds nothing

    apply(head, url)

    days = SchoolYear.objects.get(school__slug="test-academy").calendar["inservice_days"]
    assert days.count("2025-08-14") == 1


# ------------------------------------------------------------------ cancelling an upload


@pytest.mark.django_db
def test_the_uploader_cancels_an_upload_from_its_preview_and_it_is_deleted(as_user):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    pending = PendingImport.objects.get()
    page = head.get(url).content.decode()
    cancel = re.search(r'<form method="post" action="([^"]+)"[^>]*data-cancel-upload>', page)
    assert cancel, "the preview has a cancel button"
    before = checksum()

    response = head.post(cancel.group(1))

    assert response.status_code == 302
    assert response["Location"] == START
    assert not PendingImport.objects.filter(pk=pending.pk).exists()  # with its names
    assert checksum() == before
    entry = AuditEntry.objects.get()
    assert (entry.action, entry.school.slug) == ("import.cancel", "test-academy")
    assert entry.summary == (
        "Cancelled the upload of events.csv before applying it; the file was deleted"
    )
    assert "Whole-school meeting" not in str(entry.details)  # the file's content is not kept
    assert "was cancelled and deleted" in head.get(START).content.decode()
    assert head.get(url).status_code == 404


@pytest.mark.django_db
def test_an_applied_upload_cannot_be_cancelled_and_a_get_cancels_nothing(as_user):
    head = as_user("head")
    url = preview_of(head, "events-csv", "events.csv", LONG_MEETING)
    cancel = url + "cancel/"

    assert head.get(cancel)["Location"] == url
    assert PendingImport.objects.count() == 1
    apply(head, url)
    response = head.post(cancel, follow=True)

    assert "was imported already, so it cannot be cancelled" in response.content.decode()
    assert PendingImport.objects.count() == 1
    assert not AuditEntry.objects.filter(action="import.cancel").exists()
