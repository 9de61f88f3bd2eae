"""The web import, fuzzed: every upload previews as a list of located problems or as its
changes, never a 500; and applying an upload with problems changes nothing.

Cases are the test school's own files (its staff and events downloads, its calendar
feed, its year file, and the same file as a new school) with random edits
(tests/fuzz/strategies.py). Run the slow run's share with
``FAIRLOAD_FUZZ=ci pytest tests/web/test_imports_fuzz.py``.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given

from fairload.io.events_csv import events_to_csv
from fairload.io.ical import events_to_ics
from fairload.io.staff_csv import staff_to_csv
from fairload.web.imports.models import PendingImport
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.to_core import to_core
from tests.fuzz.strategies import files, fuzz_settings

from .conftest import SCOTTISH
from .test_imports import START, checksum, problems_in, row_counts

NEW_SCHOOL = reverse("import-new-school")
KINDS = {
    "staff-csv": "staff.csv",
    "events-csv": "events.csv",
    "events-ics": "calendar.ics",
    "school-year": "school.yaml",
    "new-school": "new.yaml",
}


def good_file(kind: str) -> str:
    year = to_core(SchoolYear.objects.get(school__slug="test-academy"))
    if kind == "staff-csv":
        return staff_to_csv(year.staff)
    if kind == "events-csv":
        return events_to_csv(year.events, [s.id for s in year.staff])
    if kind == "events-ics":
        return events_to_ics(year).decode()
    text = SCOTTISH.read_text()
    return text.replace("id: test-academy", "id: new-academy") if kind == "new-school" else text


@pytest.mark.django_db
@pytest.mark.parametrize("kind", list(KINDS))
def test_an_edited_file_previews_as_problems_or_changes_and_a_refusal_changes_nothing(
    as_user, settings, kind
):
    settings.FAIRLOAD_UPLOAD_LIMIT = 10**9
    client = as_user("admin")
    client.raise_request_exception = False
    name = KINDS[kind]

    @fuzz_settings(0.05)
    @given(text=files(good_file(kind)))
    def case(text: str) -> None:
        before, counts = checksum(), row_counts()
        file = SimpleUploadedFile(name, text.encode("utf-8", "surrogatepass"))
        if kind == "new-school":
            uploaded = client.post(NEW_SCHOOL, {"file": file})
        else:
            uploaded = client.post(START, {"kind": kind, "file": file})
        assert uploaded.status_code in (200, 302), uploaded.status_code
        if uploaded.status_code == 200:  # the form refused it (not UTF-8 text, say)
            assert (checksum(), row_counts()) == (before, counts)
            return
        preview = client.get(uploaded["Location"])
        assert preview.status_code == 200, preview.status_code
        page = preview.content.decode()
        problems = problems_in(page)
        for file_name, _line, _field, message in problems:
            assert file_name and message
        if problems:
            # Apply it anyway, as if from a page that showed none: nothing changes.
            year = SchoolYear.objects.get(school__slug="test-academy")
            applied = client.post(uploaded["Location"], {"revision": f"{year.pk}:{year.revision}"})
            assert applied.status_code == 200, applied.status_code
            assert (checksum(), row_counts()) == (before, counts)
        else:
            assert re.search(r'name="revision"', page) or "would change nothing" in page
        PendingImport.objects.all().delete()

    case()
