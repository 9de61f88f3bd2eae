"""The agreement record the web keeps is the one the school-year file carries: timetable
cycles, groups and the negotiating committee are stored, checked, exported and imported
back, and a failed import changes none of them."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from django.urls import reverse

from fairload.core.findings import Finding
from fairload.core.school_format import parse_school_year
from fairload.core.yamlfile import load_file, load_text
from fairload.io.school_file import dump_school_year
from fairload.web.committee.models import (
    AgreementGroup,
    CommitteeSeat,
    CycleContact,
    NegotiatingCommittee,
    TimetableCycle,
)
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import school_year_import, year_touch
from fairload.web.schools.to_core import school_year_document, to_core

from .test_imports import apply, preview_of, problems_in

pytestmark = pytest.mark.django_db

RECORD = Path(__file__).parent / "fixtures" / "agreement-record.yaml"


def _record_text(school: str = "test-academy") -> str:
    """The fixture, as a file for `school`."""
    return RECORD.read_text().replace("id: record-academy", f"id: {school}", 1)


def _stored(slug: str = "test-academy") -> SchoolYear:
    return SchoolYear.objects.get(school__slug=slug, label="2025-26")


def _record_rows(year: SchoolYear) -> dict[str, list[tuple[object, ...]]]:
    return {
        "cycle": list(TimetableCycle.objects.filter(school_year=year).values_list("weeks")),
        "contact": list(
            CycleContact.objects.filter(post__school_year=year)
            .order_by("post__staff_id")
            .values_list("post__staff_id", "hours_by_week", "periods_by_week")
        ),
        "groups": list(
            AgreementGroup.objects.filter(school_year=year)
            .order_by("pk")
            .values_list("group_id", "title", "hours")
        ),
        "members": list(
            AgreementGroup.members.through.objects.filter(agreementgroup__school_year=year)
            .order_by("pk")
            .values_list("agreementgroup__group_id", "staffpost__staff_id")
        ),
        "committee": list(
            NegotiatingCommittee.objects.filter(school_year=year).values_list("accredited_unions")
        ),
        "seats": list(
            CommitteeSeat.objects.filter(committee__school_year=year)
            .order_by("pk")
            .values_list("post__staff_id", "role", "union", "since", "until")
        ),
    }


def test_an_import_stores_the_cycle_groups_and_committee_as_rows(as_user):
    head = as_user("head")

    assert (
        apply(head, preview_of(head, "school-year", "year.yaml", _record_text())).status_code == 302
    )

    rows = _record_rows(_stored())
    assert rows["cycle"] == [(2,)]
    assert rows["contact"] == [("pb", [18.5, 17.5], None), ("t1", None, [28, 26])]
    assert rows["groups"] == [
        ("literacy", "Literacy working group", 6.0),
        ("eco", "Eco committee", 4.5),
    ]
    assert rows["members"] == [
        ("literacy", "pt3"),
        ("literacy", "t2"),
        ("literacy", "pb"),
        ("eco", "ptg"),
    ]
    assert rows["committee"] == [(["EIS", "SSTA"],)]
    assert [(s, r, u) for s, r, u, *_ in rows["seats"]] == [
        ("ht", "head-teacher", ""),
        ("dht6", "senior-manager", ""),
        ("t2", "union-rep", "EIS"),
        ("pt06", "union-rep", "SSTA"),
        ("ptg", "union-rep", "SSTA"),
    ]
    assert str(rows["seats"][3][4]) == "2025-03-31"
    # Not a second copy in the year's agreement document: the rows are the record.
    assert set(_stored().agreement) == {"process"}


def test_the_stored_year_is_the_files_year(as_user):
    """to_core gives exactly what the core reads from the file, so every check is the same."""
    head = as_user("head")
    text = _record_text()
    apply(head, preview_of(head, "school-year", "year.yaml", text))

    from_file = parse_school_year(load_text(text, "year.yaml"), "year.yaml")

    assert to_core(_stored()) == from_file


def test_import_export_import_gives_the_same_record(as_user):
    head = as_user("head")
    apply(head, preview_of(head, "school-year", "year.yaml", _record_text()))
    first = _record_rows(_stored())
    exported = head.get(reverse("school-export-yaml", args=["test-academy"])).content.decode()
    document = yaml.safe_load(exported)
    assert document["school"]["timetable_cycle_weeks"] == 2
    assert [g["id"] for g in document["agreement"]["groups"]] == ["literacy", "eco"]
    assert document["agreement"]["committee"]["members"][3]["to"] == "2025-03-31"

    again = preview_of(head, "school-year", "export.yaml", exported)
    assert apply(head, again).status_code == 302

    assert _record_rows(_stored()) == first
    assert dump_school_year(to_core(_stored())) == document


def test_a_failed_import_changes_nothing_stored(as_user):
    head = as_user("head")
    apply(head, preview_of(head, "school-year", "year.yaml", _record_text()))
    before = (school_year_document(_stored()), _record_rows(_stored()))
    # The eco committee names someone not on the staff list: refused, with its place.
    bad = _record_text().replace("members: [ptg]", "members: [nobody]")

    page = head.get(preview_of(head, "school-year", "year.yaml", bad)).content.decode()

    assert problems_in(page)[0][2:] == (
        "agreement.groups[1].members[0]",
        "unknown staff id 'nobody'",
    )
    assert (school_year_document(_stored()), _record_rows(_stored())) == before


def test_a_committee_member_who_leaves_before_they_join_is_a_located_problem(as_user):
    head = as_user("head")
    bad = _record_text().replace(
        "from: 2024-08-14, to: 2025-03-31", "from: 2025-04-01, to: 2025-03-31"
    )

    page = head.get(preview_of(head, "school-year", "year.yaml", bad)).content.decode()

    assert problems_in(page)[0][2] == "agreement.committee.members[3].to"


def _findings(year: SchoolYear, rule: str) -> list[Finding]:
    year.refresh_from_db()
    return [f for f in school_year_check(year=year).findings if f.rule == rule]


def test_the_committee_composition_rule_runs_on_the_webs_record(schools):
    """16.1: the SSTA's only representative left on 2025-03-31 and nobody took the seat
    before the draft (2025-05-12): a breach from the stored rows, as from the file."""
    document = load_file(RECORD)
    for member in document["agreement"]["committee"]["members"]:
        if member["staff"] == "ptg":
            member["from"] = "2025-06-01"
    year = school_year_import(document=document, source=str(RECORD))

    found = _findings(year, "committee-composition")

    assert [f.working.data["missing"] for f in found] == ["union representative of SSTA"]
    # Seated in time, the same record is compliant.
    CommitteeSeat.objects.filter(post__staff_id="ptg", committee__school_year=year).update(
        since="2025-04-01"
    )
    year_touch(year)
    assert _findings(year, "committee-composition") == []
