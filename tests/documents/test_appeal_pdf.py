"""An appeal's record and decision as a PDF (JNCT2.7 section 17): reported by the union
representative (17.2), an informal meeting that did not resolve it (the first 17.3), a
formal hearing with a witness (the second 17.3, 17.4), and the Joint Secretaries'
conclusion, final and binding (17.5), determining the school's arrangement (17.1)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairload.core.appeal import NOT_RESOLVED, AppealRecord, Attendee, Conclusion, Meeting
from fairload.core.packs import load_bundled
from fairload.core.process import FailureReport, FiledDocument
from fairload.documents.appeal import AppealDocument, appeal_document, appeal_pdf

from .pdfs import assert_tagged_pdf_ua, first_page_png, text_of

APPEAL = load_bundled("scotland/south-ayrshire-jnct-2.7").appeal
CHECK_RECORD = "9f" * 32
DECISION = "The school keeps 40 hours for staff meetings and moves 5 hours to planning."
PARTIES = (
    Attendee("Morag Head", "head-teacher", staff="ht"),
    Attendee("Iain Rep", "union-rep", staff="rep1"),
)
SECRETARIES = (
    Attendee("Anne Council", "joint-secretary-management"),
    Attendee("Bill Union", "joint-secretary-teachers", nominee=True),
)
RECORD = AppealRecord(
    reported=FailureReport(
        date(2025, 6, 10),
        "union-rep",
        ("The draft cuts planning time below what staff need.",),
        (FiledDocument("The draft's check", "check-record", CHECK_RECORD),),
    ),
    informal_meeting=Meeting(
        date(2025, 6, 17),
        (
            *PARTIES,
            Attendee("Carol Manager", "management-side"),
            Attendee("Dan Teacher", "teachers-side"),
        ),
        outcome=NOT_RESOLVED,
        notes="No movement on planning time.",
    ),
    hearing=Meeting(
        date(2025, 6, 24),
        (*PARTIES, *SECRETARIES, Attendee("Fiona Witness", "witness", called_by="union-rep")),
        (FiledDocument("Planning survey", "upload", "planning-survey.pdf"),),
        outcome="heard",
    ),
    conclusion=Conclusion(date(2025, 6, 27), DECISION, True, SECRETARIES),
)


@pytest.fixture(scope="module")
def document() -> AppealDocument:
    assert APPEAL is not None
    return appeal_document(
        RECORD,
        APPEAL,
        school="Test Academy",
        authority="South Ayrshire Council",
        session="2025 – 2026",
    )


@pytest.fixture(scope="module")
def pdf(document: AppealDocument) -> bytes:
    return appeal_pdf(document)


def test_it_names_the_school_the_session_and_the_appeal(text: str) -> None:
    assert "Appeal against a failure to agree at school level" in text
    assert "Test Academy · Session 2025 – 2026" in text


def test_each_stage_is_under_its_steps_label_and_clause_both_17_3s_apart(
    document: AppealDocument, text: str
) -> None:
    clauses = [stage.clause for stage in document.stages]
    assert clauses == ["17.2", "17.3 (first)", "17.3 (second)", "17.5"]
    for stage in document.stages:
        assert f"{stage.clause} {stage.title}" in text


def test_the_record_has_dates_attendees_documents_and_outcomes(text: str) -> None:
    assert "Tuesday 10 June 2025" in text and "Reported by the union representative" in text
    assert "The draft cuts planning time below what staff need." in text
    assert CHECK_RECORD in text.replace(" ", "")
    assert "Carol Manager Management side" in text
    assert "Outcome Not resolved" in text and "No movement on planning time." in text
    assert "Bill Union Joint secretary teachers (nominee)" in text
    assert "Fiona Witness Witness, called by the union representative" in text
    assert "Planning survey uploaded file planning-survey.pdf" in text


def test_the_decision_is_final_and_binding_and_determines_the_arrangement(text: str) -> None:
    assert "Concluded on Friday 27 June 2025, final and binding." in text
    assert DECISION in text
    assert "This decision determines the school's arrangement (17.1)." in text


def test_an_appeal_only_reported_has_no_decision_and_stages_not_reached() -> None:
    assert APPEAL is not None
    document = appeal_document(
        AppealRecord(reported=RECORD.reported),
        APPEAL,
        school="Test Academy",
        authority="South Ayrshire Council",
        session="2025 – 2026",
    )

    text = text_of(appeal_pdf(document))

    assert not document.concluded
    assert "No conclusion is recorded yet." in text and text.count("Not reached.") == 3


def test_it_is_tagged_pdf_ua(pdf: bytes) -> None:
    assert_tagged_pdf_ua(pdf, "Appeal against a failure to agree at school level")


def test_its_first_page_renders(pdf: bytes, png_folder: Path) -> None:
    assert first_page_png(pdf, "appeal", png_folder).stat().st_size > 10_000
