"""The school's agreement as a PDF (JNCT2.7 16.5, Appendix 1): the largest demo school,
Auchenlea Academy, whose file records the staff vote (57 of 81 in favour) and the head
teacher's and the union representative's signatures of 3 June 2025."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest
from PIL import Image

from fairload.core.process import content_hash
from fairload.core.yamlfile import load_file
from fairload.documents.agreement import (
    AgreementDocument,
    TextPart,
    agreement_document_from_school_year,
    agreement_pdf,
)

from .pdfs import assert_tagged_pdf_ua, first_page_png, text_of

EXAMPLE = Path(__file__).resolve().parents[2] / "examples" / "south-ayrshire-secondary.yaml"
PROTOCOL = TextPart(
    "Protocol for work outwith school premises",
    "15.2",
    "A teacher leaving the premises during the pupil day tells the depute head in advance "
    "and signs out at the office.",
)
HASH = content_hash({"agreed": "Auchenlea Academy 2025-26"})


def _example() -> dict:
    document = copy.deepcopy(load_file(EXAMPLE))
    process = document["agreement"]["process"]
    # as the web records them: each signature over the agreement's SHA-256
    process["version_hash"] = HASH
    for signature in process["signatures"]:
        signature["content_hash"] = HASH
    return document


@pytest.fixture(scope="module")
def document() -> AgreementDocument:
    return agreement_document_from_school_year(_example(), texts=[PROTOCOL], version=3)


@pytest.fixture(scope="module")
def pdf(document: AgreementDocument) -> bytes:
    return agreement_pdf(document)


def test_it_names_the_school_the_council_and_the_session(text: str) -> None:
    assert "Auchenlea Academy Working Time Agreement" in text
    assert "SOUTH AYRSHIRE COUNCIL" in text  # the masthead, in capitals as the source's
    assert "Session 2025 – 2026" in text


def test_it_has_every_heading_of_appendix_1_with_the_hours_agreed(
    document: AgreementDocument, text: str
) -> None:
    # Appendix 1: "Class contact (38x22.5 hours) 855 Hours" … "Balance of Time* 34 Hours"
    expected = {
        "Class contact": 855,
        "Personal allowance (preparation and marking)": 285,
        "In-service days": 30,
        "Assessment, reporting and recording": 60,
        "Planning": 25,
        "Staff meetings": 40,
        "Personal review and development (PRD)": 3,
        "Trade union meetings": 3,
        "Meetings with parents": 30,
        "Balance of time": 34,
    }
    assert {row.label: row.hours for row in document.rows} == expected
    for label, hours in expected.items():
        assert f"{label} " in text and f"{hours} Hours" in text
    assert "Total 1365 Hours" in text and "The headings add up to" not in text


def test_a_heading_departing_from_the_default_says_it_is_by_agreement() -> None:
    changed = _example()
    changed["agreement"]["allocations"] |= {"planning": 30, "balance-of-time": 29}
    document = agreement_document_from_school_year(changed)
    rows = {row.label: row for row in document.rows}

    assert rows["Planning"].by_agreement and rows["Planning"].hours == 30
    assert not rows["Staff meetings"].by_agreement


def test_the_calendar_lists_every_activity_in_date_order(
    document: AgreementDocument, text: str
) -> None:
    days = [entry.on for entry in document.calendar]
    assert days == sorted(days) and len(days) == len(load_file(EXAMPLE)["events"])
    assert f"{len(days)} activities" in text
    for entry in document.calendar:
        assert entry.title in text
    assert "August 2025" in text and "June 2026" in text
    assert "Wed 13 Aug 09:00–15:00 In-service day In service All staff 6" in text


def test_it_has_the_protocol_for_work_outwith_school_premises(text: str) -> None:
    assert "Protocol for work outwith school premises (15.2)" in text
    assert PROTOCOL.text in text


def test_the_ballot_result_is_the_vote_and_the_process_verdict(
    document: AgreementDocument, text: str
) -> None:
    ballot = document.ballot
    assert ballot is not None and ballot.approved
    assert (ballot.eligible, ballot.in_favour, ballot.against, ballot.abstained) == (81, 57, 14, 6)
    assert "Approval by the staff (16.4)" in text
    assert "held on Thursday 29 May 2025: approved" in text
    assert "81 57 14 6" in text
    assert ballot.reason and ballot.reason in text


def test_the_signature_block_names_who_signed_as_what_when_and_over_which_hash(
    document: AgreementDocument, text: str
) -> None:
    assert document.final
    assert "Lorna Blair Head teacher Tuesday 3 June 2025" in text
    assert "Douglas Urquhart Union representative Tuesday 3 June 2025" in text
    # the hash is printed in groups of eight so it wraps and can be read aloud
    assert text.replace(" ", "").count(HASH) == 3  # each signature's, and the agreement's


def test_an_agreement_not_yet_signed_says_it_is_not_final_and_why() -> None:
    unsigned = _example()
    del unsigned["agreement"]["process"]["signatures"]
    # the signature block is what this PDF is for: a few weeks of the calendar render in a
    # fraction of the whole year's time (the module's ``pdf`` has every activity)
    unsigned["events"] = unsigned["events"][:10]
    document = agreement_document_from_school_year(unsigned)

    text = text_of(agreement_pdf(document))

    assert not document.final and not document.signatures
    assert "Not final" in text
    assert "the agreement lacks the signature of: head teacher, union representative" in text
    # a blank line for each, to sign on paper
    assert document.unsigned_roles == ("head teacher", "union representative")
    assert "Position Date Content hash (SHA-256) Head teacher Union representative" in text


def test_signatures_after_a_ballot_that_did_not_pass_do_not_make_it_final() -> None:
    # 16.4: "approved by the majority of staff"; 40 of 81 is not more than half
    failed = _example()
    failed["agreement"]["process"]["vote"] |= {"in_favour": 40, "against": 31}
    document = agreement_document_from_school_year(failed)

    assert document.ballot is not None and not document.ballot.approved
    assert len(document.signatures) == 2 and not document.final
    assert document.signing_status.startswith("The ballot did not pass: 40 yes of 81")


def test_a_signature_over_another_version_is_not_in_the_block() -> None:
    changed = _example()
    changed["agreement"]["process"]["signatures"][1]["content_hash"] = "0" * 64
    document = agreement_document_from_school_year(changed)

    assert [s.name for s in document.signatures] == ["Lorna Blair"]
    assert not document.final and document.unsigned_roles == ("union representative",)


def test_it_is_tagged_pdf_ua_with_its_title_and_language(pdf: bytes) -> None:
    assert_tagged_pdf_ua(pdf, "Auchenlea Academy Working Time Agreement (Session 2025 – 2026)")


def test_its_first_page_renders_as_an_a4_page(pdf: bytes, png_folder: Path) -> None:
    png = first_page_png(pdf, "agreement", png_folder)

    with Image.open(png) as image:
        width, height = image.size
    assert abs(height / width - 297 / 210) < 0.01
