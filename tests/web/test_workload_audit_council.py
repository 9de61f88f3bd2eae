"""The union local officer's view across the council: the cases of two NEU schools by
stage, instruction and age, the pattern view (instruction 1 disputed in both) and its
CSVs, and a case's file as one PDF (timeline, the letter shared, the audit's evidence
and the frozen check record)."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from fairload.documents.dispute_letter import letter_to_dict
from fairload.web.disputes import services
from fairload.web.disputes.letters import case_letter
from fairload.web.disputes.models import Case, CaseLetter
from fairload.web.workload_audit.models import CheckRecord
from tests.documents.pdfs import first_page_png, text_of

from .workload_audit_helpers import answered, neu_school

COUNCIL = "test-local-authority"
OPENED = datetime(2026, 1, 12, 9, tzinfo=UTC)
PLANS = {"instruction": 1, "clause": "Instruction 1"}
COVER = {"instruction": 14, "clause": "Instruction 14"}


@pytest.fixture
def cases(cast):  # type: ignore[no-untyped-def]
    english, other = neu_school(cast)
    answered(english, cast["rep"])
    here = services.dispute_case_open(
        actor=cast["rep"],
        school=english,
        title="Weekly lesson plans",
        issues=[PLANS, COVER],
        union="NEU",
        now=OPENED,
    )
    here = services.dispute_step_take(
        actor=cast["rep"],
        case=here,
        step_id="talk",
        entry={"on": "2026-01-13", "note": "Twelve members talked at lunch"},
        now=OPENED,
    )
    letter = case_letter(here, signatory="Rep", role="NEU representative", at=OPENED.date())
    # Stored as shared (sharing waits for the members' vote, which this case at its first
    # step has not had: the case file is under test here, not the sharing).
    CaseLetter.objects.create(
        case=here, content=letter_to_dict(letter), shared_at=OPENED, shared_by=cast["rep"]
    )
    there = services.dispute_case_open(
        actor=cast["union-officer"],
        school=other,
        title="Plans to the deputy",
        issues=[PLANS],
        union="NEU",
        now=OPENED,
    )
    return here, there


@pytest.mark.django_db
def test_the_officer_sees_both_schools_cases_by_stage_and_the_issue_they_share(as_user, cases):
    page = as_user("union-officer").get(reverse("union-cases", args=[COUNCIL])).content.decode()

    assert page.count("data-case=") == 2
    assert "Step 1: members talk" in page
    # instruction 1 in both schools, instruction 14 in one
    assert 'data-pattern="Instruction 1"' in page
    assert "Other Community School, Test Community School" in page


@pytest.mark.django_db
def test_each_case_in_the_council_view_is_named_by_its_title_with_its_school(as_user, cases):
    """Two cases at one school must be told apart: the school's name alone is not enough."""
    here, _ = cases
    services.dispute_case_open(
        actor=here.opened_by,
        school=here.school,
        title="Evening emails",
        issues=[PLANS],
        union="NEU",
        now=OPENED,
    )
    page = as_user("union-officer").get(reverse("union-cases", args=[COUNCIL])).content.decode()

    for case in Case.objects.all():
        link = f'<a class="govuk-link" href="{reverse("dispute-detail", args=[case.pk])}">'
        assert f"{link}{case.title}</a>" in page, case.title
    assert page.count("Test Community School</span>") == 2


@pytest.mark.django_db
def test_the_pattern_view_and_the_cases_download_as_csv(as_user, cases):
    officer = as_user("union-officer")

    patterns = list(
        csv.DictReader(
            io.StringIO(
                officer.get(reverse("union-patterns-csv", args=[COUNCIL])).content.decode()[1:]
            )
        )
    )
    rows = list(
        csv.DictReader(
            io.StringIO(
                officer.get(reverse("union-cases-csv", args=[COUNCIL])).content.decode()[1:]
            )
        )
    )

    assert [(p["issue"], p["schools"], p["cases"]) for p in patterns] == [
        ("Instruction 1", "2", "2"),
        ("Instruction 14", "1", "1"),
    ]
    assert {(r["school"], r["title"], r["issues"]) for r in rows} == {
        ("Test Community School", "Weekly lesson plans", "Instruction 1; Instruction 14"),
        ("Other Community School", "Plans to the deputy", "Instruction 1"),
    }


@pytest.mark.django_db
def test_a_cases_file_is_one_pdf_with_its_timeline_letter_and_evidence(as_user, cases, tmp_path):
    here, _ = cases
    record = CheckRecord.objects.get(audit__school=here.school)

    response = as_user("union-officer").get(reverse("dispute-case-file", args=[here.pk]))

    assert response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    first_page_png(response.content, "dispute-case-file", tmp_path)
    assert "Case file: Weekly lesson plans" in text
    assert "Twelve members talked at lunch" in text  # the timeline's note
    assert "Shared" in text and "Letters shared with the head" in text
    assert "Plans are collected every Friday by the deputy head" in text  # audit evidence
    assert "plans-memo.pdf" in text
    assert record.sha256[:8] in text  # the frozen check record


@pytest.mark.django_db
def test_an_officer_of_another_union_sees_no_case_here(as_user, cast, cases):
    from fairload.web.accounts.models import Membership

    Membership.objects.filter(user=cast["union-officer"], union="NEU").update(union="NASUWT")

    page = as_user("union-officer").get(reverse("union-cases", args=[COUNCIL])).content.decode()

    assert "data-no-cases" in page and "Weekly lesson plans" not in page


@pytest.mark.django_db
def test_the_council_overview_links_the_officer_to_their_unions_cases_and_no_one_else(
    as_user, cases
):
    overview = reverse("council-overview", args=[COUNCIL])
    officer = as_user("union-officer").get(overview).content.decode()
    council = as_user("council").get(overview).content.decode()

    assert reverse("union-cases", args=[COUNCIL]) in officer
    assert "data-union-cases" not in council
