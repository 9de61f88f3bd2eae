"""What refusing a bad upload may cost: bounded work, the first problems listed and the
rest counted, and a limit on uploads per person."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from fairload.web.imports.models import PendingImport

from .test_imports import START, checksum, preview_of, problems_in, row_counts, upload


def _staff_csv(rows: int) -> str:
    """A staff file with one bad column: every fte is '0.x'."""
    body = "".join(f"x{n},Teacher {n},teacher,0.x\n" for n in range(rows))
    return "id,name,post,fte\n" + body


@pytest.mark.django_db
def test_a_staff_file_of_100000_rows_is_refused_by_its_row_count(as_user):
    head = as_user("head")
    before, counts = checksum(), row_counts()

    page = head.get(preview_of(head, "staff-csv", "staff.csv", _staff_csv(100_000))).content

    assert problems_in(page.decode()) == [
        ("staff.csv", "", "", "the file has 100,000 rows; the most it may have is 1,000")
    ]
    assert (checksum(), row_counts()) == (before, counts)


@pytest.mark.django_db
def test_a_file_with_many_problems_lists_fifty_and_is_read_no_further(as_user):
    head = as_user("head")

    page = head.get(preview_of(head, "staff-csv", "staff.csv", _staff_csv(300))).content

    found = problems_in(page.decode())
    assert len(found) == 51
    assert found[0] == ("staff.csv", "2", "fte", "'0.x' is not a number")
    assert found[50] == (
        "staff.csv",
        "",
        "",
        "and more problems after line 51: the file was read no further",
    )


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("format: fairload/school-year@1\nschool: " + "[" * 50_000 + "]" * 50_000 + "\n", "2"),
        ('{"format": "fairload/school-year@1", "school": ' + "{" * 50_000 + "\n", "1"),
        ("format: fairload/school-year@1\n" + "- " * 5_000 + "x\n", "2"),
    ],
    ids=["YAML brackets", "JSON braces", "YAML dashes"],
)
def test_a_file_nested_too_deep_is_refused_before_the_yaml_reader_sees_it(as_user, text, line):
    head = as_user("head")

    page = head.get(preview_of(head, "school-year", "deep.yaml", text)).content.decode()

    assert problems_in(page) == [
        ("deep.yaml", line, "", "the file is nested more than 60 levels deep here")
    ]


@pytest.mark.django_db
def test_uploads_beyond_the_limit_are_answered_429_with_when_to_try_again(as_user, settings):
    settings.FAIRLOAD_UPLOAD_LIMIT = 2
    settings.FAIRLOAD_UPLOAD_WINDOW_MINUTES = 10
    head = as_user("head")
    text = "id,name,post\nt1,Kirsty Teacher,teacher\n"
    for _ in range(2):
        assert upload(head, "staff-csv", "staff.csv", text).status_code == 302
    first = PendingImport.objects.order_by("created_at").first()

    refused = upload(head, "staff-csv", "staff.csv", text)

    assert refused.status_code == 429
    assert PendingImport.objects.count() == 2  # nothing was kept
    page = refused.content.decode()
    again = timezone.localtime(first.created_at + timedelta(minutes=10))
    assert re.search(rf"Try again after {again:%H:%M} \(in 10 minutes\)", page)
    assert 0 < int(refused["Retry-After"]) <= 600
    # Someone else is not held back, and the limit lifts once the window has passed.
    assert upload(as_user("admin"), "staff-csv", "staff.csv", text).status_code == 302
    PendingImport.objects.filter(user=first.user).update(
        created_at=timezone.now() - timedelta(minutes=11)
    )
    assert head.post(START, {}).status_code == 200
