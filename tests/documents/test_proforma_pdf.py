"""A teacher's pro-forma as a PDF, laid out as JNCT2.7 Appendix 2: Kirsty (t1) of the
pack's test school, who is not in the numeracy working group and so gains its 10 hours
on top of the agreement's 34, agrees 44 hours of activities with her line manager."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairload.core.proforma import UNALLOCATED, proforma_state
from fairload.documents.proforma import (
    LINE_MANAGER,
    TEACHER,
    ProformaDocument,
    ProformaSignature,
    proforma_document,
    proforma_pdf,
)
from tests.core.conftest import School, south_ayrshire

from .pdfs import assert_tagged_pdf_ua, first_page_png, page_count, text_of

SESSION = date(2025, 8, 13)
GROUPS = [{"id": "numeracy", "title": "Numeracy working group", "hours": 10, "members": ["pt3"]}]
HOURS = {"cpd": 20, "other": 18, "formal-assessment": 2, UNALLOCATED: 4}
DETAILS = {"cpd": "Reading recovery course", "other": "Duke of Edinburgh award expedition"}


def _state(hours: dict[str, float]):  # type: ignore[no-untyped-def]
    school = School()
    school.document.setdefault("agreement", {})["groups"] = GROUPS
    return proforma_state(south_ayrshire(), school.tables(), "test-academy", "t1", SESSION, hours)


def _signatures(content_hash: str) -> list[ProformaSignature]:
    state = _state(HOURS)
    manager = state.line_manager
    assert manager is not None
    return [
        ProformaSignature(TEACHER, state.name, "Teacher", date(2025, 9, 1), content_hash),
        ProformaSignature(
            LINE_MANAGER, manager.name, "Principal teacher", date(2025, 9, 3), content_hash
        ),
    ]


@pytest.fixture(scope="module")
def document() -> ProformaDocument:
    state = _state(HOURS)
    return proforma_document(
        state,
        school="Test Academy",
        session="2025 – 2026",
        details=DETAILS,
        signatures=_signatures(state.content_hash),
    )


@pytest.fixture(scope="module")
def pdf(document: ProformaDocument) -> bytes:
    return proforma_pdf(document)


def test_it_has_appendix_2s_headings_the_school_and_the_session(text: str) -> None:
    for heading in (
        "Test Academy Working Time Agreement",
        "Individual Use of Balance of Time (Session 2025 – 2026)",
        "Introduction",
        "This pro-forma should be completed by each member of the teaching staff",
        "Total Balance of Time to be accounted for:",
        "Balance of Time Activities",
        "Activity Brief details of activity Hours",
    ):
        assert heading in text


def test_it_shows_the_basic_the_additional_balance_and_its_working(
    document: ProformaDocument, text: str
) -> None:
    # Appendix 2: "Basic Balance of Time from School Agreement 34 Hours"
    assert (document.basic_hours, document.additional_hours, document.total_hours) == (34, 10, 44)
    assert "Basic Balance of Time from School Agreement 34 Hours" in text
    assert "Additional Balance of Time from meetings** 10 Hours" in text
    assert "Total 44 Hours" in text
    assert "Numeracy working group (10 h)" in text


def test_every_activity_row_is_there_with_its_details_and_hours(
    document: ProformaDocument, text: str
) -> None:
    for line in document.lines:
        assert line.activity in text
    assert "Other (please specify) Duke of Edinburgh award expedition 18" in text
    assert "CPD Reading recovery course 20" in text
    assert "Total 44" in text
    assert "The activities account for the whole balance of time." in text


def test_both_signatures_are_there_and_make_it_final(document: ProformaDocument, text: str) -> None:
    assert document.final
    teacher, manager = document.signatures
    assert f"{teacher.name} Teacher Monday 1 September 2025" in text
    assert f"{manager.name} Principal teacher Wednesday 3 September 2025" in text
    assert document.content_hash and document.content_hash in text.replace(" ", "")


def test_a_change_after_signing_leaves_the_signatures_out_and_says_what_is_left() -> None:
    signed_over = _state(HOURS).content_hash
    changed = _state({**HOURS, "other": 15})
    document = proforma_document(
        changed, school="Test Academy", session="2025 – 2026", signatures=_signatures(signed_over)
    )

    text = text_of(proforma_pdf(document))

    assert not document.signatures and not document.final
    assert "Left to account for: 3 hours." in text
    assert "Not yet agreed" in text


def test_it_is_tagged_pdf_ua(pdf: bytes, document: ProformaDocument) -> None:
    assert_tagged_pdf_ua(pdf, document.title)


def test_it_is_one_page_as_appendix_2_with_the_signatures_under_the_activities(
    pdf: bytes, png_folder: Path
) -> None:
    assert page_count(pdf) == 1
    assert first_page_png(pdf, "proforma", png_folder).stat().st_size > 10_000
