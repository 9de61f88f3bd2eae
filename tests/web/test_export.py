"""Export: the school-year file round-trips through import, and downloads as a file."""

from __future__ import annotations

from datetime import time

import pytest
import yaml
from django.urls import NoReverseMatch, reverse

from fairload.io.school_file import load_school_year
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document, to_core

pytestmark = pytest.mark.django_db


def _export(as_user, slug: str, who: str = "admin") -> bytes:  # type: ignore[no-untyped-def]
    response = as_user(who).get(reverse("school-export-yaml", args=[slug]))
    assert response.status_code == 200, response.content
    return response.content


@pytest.mark.parametrize("slug", ["test-academy", "test-school"])
def test_importing_the_export_gives_the_same_year(as_user, slug):
    year = SchoolYear.objects.get(school__slug=slug)
    # Changes made on the site, not in the file the year came from, must be in the export.
    event = year.events.order_by("pk").first()
    assert event is not None
    event.end = time(16, 55)
    event.title = "Moved on the site"
    event.save()
    post = year.staff.order_by("pk").last()
    assert post is not None
    post.department = "science"
    post.save()
    before = school_year_document(year)
    core_before = to_core(year)

    document = yaml.safe_load(_export(as_user, slug))
    again = school_year_import(document=document, source="export")

    assert again.pk != year.pk  # a new year replaced the old one
    assert school_year_document(again) == before
    assert to_core(again) == core_before
    assert again.events.get(event_id=event.event_id).title == "Moved on the site"


def test_the_export_reads_back_with_the_command_line_loader(as_user, tmp_path):
    path = tmp_path / "school.yaml"
    path.write_bytes(_export(as_user, "test-academy", "head"))

    assert load_school_year(path) == to_core(SchoolYear.objects.get(school__slug="test-academy"))


def test_exporting_twice_gives_the_same_file(as_user):
    first = _export(as_user, "test-academy")
    school_year_import(document=yaml.safe_load(first), source="export")

    second = _export(as_user, "test-academy")

    body = [line for line in first.splitlines() if not line.startswith(b"#")]
    assert body == [line for line in second.splitlines() if not line.startswith(b"#")]


def test_the_export_downloads_as_a_named_yaml_file_that_is_not_cached(as_user):
    response = as_user("rep").get(reverse("school-export-yaml", args=["test-academy"]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/yaml; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="test-academy-2025-26.yaml"'
    assert response["Cache-Control"] == "private, no-store"
    text = response.content.decode()
    assert text.startswith("# Test Academy, school year 2025-26")
    assert "start: '08:50'" in text  # times are quoted, whatever YAML reads the file


def test_the_export_page_links_the_downloads(as_user):
    page = as_user("council").get(reverse("school-export", args=["test-academy"])).content.decode()

    assert reverse("school-export-yaml", args=["test-academy"]) in page
    for name in ("school-export-staff-csv", "school-export-events-csv"):
        try:
            url = reverse(name, args=["test-academy"])
        except NoReverseMatch:  # a colleague's downloads, not built yet: the page still renders
            continue
        assert url in page


def test_the_export_page_offers_feed_management_only_to_those_who_manage_feeds(as_user):
    feeds = reverse("school-feeds", args=["test-academy"])

    for who, manages in (("head", True), ("admin", True), ("rep", False), ("council", False)):
        page = as_user(who).get(reverse("school-export", args=["test-academy"])).content.decode()
        assert (feeds in page) is manages, who
