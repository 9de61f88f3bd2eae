"""Imports and CSV downloads against every part of the cast.

Only those who edit a school may upload to it; only site administrators may import a new
school; only the uploader may open or apply an upload; anyone who sees a school may
download its CSVs. Everyone else gets 404, and nothing they send changes anything.
"""

from __future__ import annotations

import hashlib
import json
import uuid
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.imports.models import ImportKind, PendingImport
from fairload.web.schools.models import Event, School, SchoolYear, StaffPost
from fairload.web.schools.to_core import school_year_document
from tests.web.access import CAST, assert_sent_to_sign_in, expected_status, ids, matrix, refused

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

NEW_SCHOOL_FILE = Path(__file__).resolve().parents[2] / "examples" / "south-ayrshire-primary.yaml"
EVENTS_CSV = (
    "id,title,category,date,start,end,attendees\n"
    "sm1,Whole-school meeting,staff-meeting,2025-09-03,15:45,18:30,all\n"
)
#: Uploads waiting in every test of this module: the head's for their school, and a site
#: administrator's for a new school.
HEADS_UPLOAD = uuid.UUID("6f1c1d38-2f3e-4a55-9a44-3b8f0d6f0001")
ADMINS_UPLOAD = uuid.UUID("6f1c1d38-2f3e-4a55-9a44-3b8f0d6f0002")

PAGES = {
    "scottish import": reverse("import-start", args=["test-academy"]),
    "english import": reverse("import-start", args=["test-school"]),
    "head's upload": reverse("import-preview", args=["test-academy", HEADS_UPLOAD]),
    "head's upload cancel": reverse("import-cancel", args=["test-academy", HEADS_UPLOAD]),
    "new school import": reverse("import-new-school"),
    "admin's new school upload": reverse("import-new-school-preview", args=[ADMINS_UPLOAD]),
    "admin's new school upload cancel": reverse("import-new-school-cancel", args=[ADMINS_UPLOAD]),
    "scottish staff csv": reverse("school-export-staff-csv", args=["test-academy"]),
    "scottish events csv": reverse("school-export-events-csv", args=["test-academy"]),
    "english staff csv": reverse("school-export-staff-csv", args=["test-school"]),
    "english events csv": reverse("school-export-events-csv", args=["test-school"]),
}

SCOTTISH_CSV = {"scottish staff csv", "scottish events csv"}
ENGLISH_CSV = {"english staff csv", "english events csv"}
#: who -> the pages they may open (every other page must be 404 for them)
ALLOWED = {
    # a GET of an upload's cancel goes back to its preview
    "head": {"scottish import", "head's upload", "head's upload cancel"} | SCOTTISH_CSV,
    "rep": SCOTTISH_CSV,
    "teacher": set(),
    "colleague": set(),
    "council": SCOTTISH_CSV,
    "union-officer": SCOTTISH_CSV,
    # Not the head's upload: an upload is its uploader's alone.
    "admin": {"scottish import", "english import", "new school import"}
    | {"admin's new school upload", "admin's new school upload cancel"}
    | SCOTTISH_CSV
    | ENGLISH_CSV,
    "other-head": {"english import"} | ENGLISH_CSV,
    "other-council": ENGLISH_CSV,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def uploads(shared_cast):  # type: ignore[no-untyped-def]
    cast = shared_cast
    PendingImport.objects.create(
        pk=HEADS_UPLOAD,
        user=cast["head"],
        school=School.objects.get(slug="test-academy"),
        kind=ImportKind.EVENTS_CSV,
        filename="events.csv",
        text=EVENTS_CSV,
    )
    PendingImport.objects.create(
        pk=ADMINS_UPLOAD,
        user=cast["admin"],
        school=None,
        kind=ImportKind.SCHOOL_YEAR,
        filename="glenburnie.yaml",
        text=NEW_SCHOOL_FILE.read_text(),
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_import_pages_their_role_allows(as_user, who, page):
    response = as_user(who).get(PAGES[page], follow=True)

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    response = as_user(None).get(PAGES[page])

    assert_sent_to_sign_in(response)


# ------------------------------------------------------------------ sending, not just looking


def _state() -> dict[str, object]:
    """Everything an upload or an apply could change."""
    documents = {
        year.school.slug: hashlib.sha256(
            json.dumps(school_year_document(year), sort_keys=True, default=str).encode()
        ).hexdigest()
        for year in SchoolYear.objects.select_related("school")
    }
    return {
        "documents": documents,
        "schools": School.objects.count(),
        "posts": StaffPost.objects.count(),
        "events": Event.objects.count(),
        "audit": AuditEntry.objects.count(),
        "uploads": sorted(
            (str(p.pk), p.applied_at is not None) for p in PendingImport.objects.all()
        ),
    }


def _revision() -> str:
    year = SchoolYear.objects.get(school__slug="test-academy")
    return f"{year.pk}:{year.revision}"


ACTIONS = {
    "upload to a school": lambda: (
        PAGES["scottish import"],
        {"kind": "events-csv", "file": SimpleUploadedFile("events.csv", EVENTS_CSV.encode())},
    ),
    "upload a new school": lambda: (
        PAGES["new school import"],
        {"file": SimpleUploadedFile("glenburnie.yaml", NEW_SCHOOL_FILE.read_bytes())},
    ),
    "apply the head's upload": lambda: (PAGES["head's upload"], {"revision": _revision()}),
    "apply the admin's new school": lambda: (
        PAGES["admin's new school upload"],
        {"revision": "new"},
    ),
    "cancel the head's upload": lambda: (PAGES["head's upload cancel"], {}),
    "cancel the admin's new school": lambda: (PAGES["admin's new school upload cancel"], {}),
}
MAY_SEND = {
    "head": {"upload to a school", "apply the head's upload", "cancel the head's upload"},
    "admin": {
        "upload to a school",
        "upload a new school",
        "apply the admin's new school",
        "cancel the admin's new school",
    },
}
POSTS = [(who, action) for who in CAST for action in ACTIONS]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "action"), POSTS, ids=ids(POSTS))
def test_only_those_allowed_can_upload_or_apply_and_nobody_else_changes_anything(
    as_user, who, action
):
    url, data = ACTIONS[action]()
    before = _state()

    response = as_user(who).post(url, data)

    if action in MAY_SEND.get(who, set()):
        assert response.status_code == 302
        assert _state() != before
    else:
        assert response.status_code == refused(who, url)
        assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("action", ACTIONS, ids=list(ACTIONS))
def test_someone_signed_out_cannot_send_anything(as_user, action):
    url, data = ACTIONS[action]()
    before = _state()

    response = as_user(None).post(url, data)

    assert_sent_to_sign_in(response)
    assert _state() == before
