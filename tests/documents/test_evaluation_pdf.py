"""The annual evaluation as PDFs (JNCT2.7 Appendix 3, 16.7): the form with the pack's four
questions word for word and a line for each heading, blank or with one teacher's own
answer; and the committee's summary of six answers, which shows a heading five or more
answered and withholds one that fewer did (the pack's minimum group is five)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairload.core.evaluation import (
    LESS,
    MORE,
    SAME,
    Answer,
    HeadingAnswer,
    evaluation_form,
    summarise,
)
from fairload.core.packs import load_bundled
from fairload.documents.evaluation import (
    Heading,
    evaluation_form_document,
    evaluation_form_pdf,
    evaluation_summary_document,
    evaluation_summary_pdf,
)

from .pdfs import assert_tagged_pdf_ua, first_page_png, text_of

FORM = evaluation_form(
    load_bundled("scotland/south-ayrshire-jnct-2.7").parameters, date(2026, 6, 1)
)
HEADINGS = (
    Heading("assessment-reporting-recording", "Assessment, reporting and recording"),
    Heading("planning", "Planning"),
    Heading("staff-meetings", "Staff meetings"),
    Heading("parents-meetings", "Meetings with parents"),
)
SCHOOL, SESSION = "Test Academy", "2025 – 2026"


def _answers() -> list[Answer]:
    """Six teachers: all six answer under assessment (four more by 5, two the same) and
    planning (three more by 2, three less by 1); three answer under staff meetings."""
    answers = []
    for i in range(6):
        headings = [
            HeadingAnswer("assessment-reporting-recording", MORE, 5)
            if i < 4
            else HeadingAnswer("assessment-reporting-recording", SAME),
            HeadingAnswer("planning", MORE if i < 3 else LESS, 2 if i < 3 else 1),
        ]
        if i < 3:
            headings.append(HeadingAnswer("staff-meetings", LESS, 1))
        answers.append(Answer({"new-priorities": f"Priority {chr(ord('F') - i)}"}, tuple(headings)))
    return answers


@pytest.fixture(scope="module")
def blank_pdf() -> bytes:
    return evaluation_form_pdf(
        evaluation_form_document(FORM, HEADINGS, school=SCHOOL, session=SESSION)
    )


def test_the_blank_form_has_appendix_3s_headings_and_its_four_questions(blank_pdf: bytes) -> None:
    text = text_of(blank_pdf)

    assert "Test Academy Working Time Agreement" in text
    assert "Annual Evaluation (Session 2025 – 2026)" in text
    assert "Annual Evaluation – to be co-ordinated by the School Negotiating Committee." in text
    for question in FORM.questions:
        assert question.text in text
    for heading in HEADINGS:
        assert heading.label in text
    for choice in FORM.choices:
        assert f"☐ {choice.text}" in text


def test_a_teachers_own_answer_fills_the_form() -> None:
    mine = Answer(
        {"realistic-allocation": "Mostly realistic; reports took longer."},
        (HeadingAnswer("assessment-reporting-recording", MORE, 6),),
    )
    document = evaluation_form_document(FORM, HEADINGS, school=SCHOOL, session=SESSION, answer=mine)

    text = text_of(evaluation_form_pdf(document))

    assert "Mostly realistic; reports took longer." in text
    assert "Assessment, reporting and recording took more time than planned 6" in text


@pytest.fixture(scope="module")
def summary_pdf() -> bytes:
    summary = summarise(_answers(), [h.id for h in HEADINGS], FORM.minimum_group)
    document = evaluation_summary_document(summary, FORM, HEADINGS, school=SCHOOL, session=SESSION)
    return evaluation_summary_pdf(document)


def test_the_summary_sums_each_heading_six_answered(summary_pdf: bytes) -> None:
    text = text_of(summary_pdf)

    assert "Annual Evaluation: the committee's summary (Session 2025 – 2026)" in text
    assert "6 teachers answered." in text
    # 4 × 5 more, 2 the same: +20; the breakdown is withheld, the same was chosen by two
    assert "Assessment, reporting and recording 6 +20" in text
    # 3 × 2 more, 3 × 1 less: +3, both choices made by three (fewer than five): withheld
    assert "Planning 6 +3" in text
    assert "Not shown: a choice made by fewer than 5 answers." in text


def test_the_summary_withholds_a_heading_fewer_than_five_answered(summary_pdf: bytes) -> None:
    text = text_of(summary_pdf)

    assert "Staff meetings – – Not shown: fewer than 5 answers." in text
    assert "Meetings with parents – – Not shown: fewer than 5 answers." in text


def test_the_summary_lists_the_free_text_sorted_and_unnamed(summary_pdf: bytes) -> None:
    text = text_of(summary_pdf)

    assert "Priority A Priority B Priority C Priority D Priority E Priority F" in text


def test_the_breakdown_shows_when_every_choice_was_made_by_five_or_more() -> None:
    answers = [
        Answer(headings=(HeadingAnswer("planning", MORE if i < 5 else LESS, 2 if i < 5 else 1),))
        for i in range(10)
    ]
    summary = summarise(answers, [h.id for h in HEADINGS], FORM.minimum_group)
    document = evaluation_summary_document(summary, FORM, HEADINGS, school=SCHOOL, session=SESSION)

    text = text_of(evaluation_summary_pdf(document))

    # 5 × 2 more less 5 × 1 less: +5
    assert "Planning 10 +5 took more time than planned: 5 (10 hours)" in text
    assert "took less time than planned: 5 (5 hours)" in text


def test_a_summary_of_fewer_than_five_answers_shows_nothing_of_them() -> None:
    summary = summarise(_answers()[:4], [h.id for h in HEADINGS], FORM.minimum_group)
    document = evaluation_summary_document(summary, FORM, HEADINGS, school=SCHOOL, session=SESSION)

    text = text_of(evaluation_summary_pdf(document))

    assert "Fewer than 5 teachers answered" in text
    assert "Priority" not in text and "+" not in text


def test_both_are_tagged_pdf_ua(blank_pdf: bytes, summary_pdf: bytes) -> None:
    assert_tagged_pdf_ua(blank_pdf, "Annual Evaluation")
    assert_tagged_pdf_ua(summary_pdf, "the committee's summary")


def test_their_first_pages_render(blank_pdf: bytes, summary_pdf: bytes, png_folder: Path) -> None:
    assert first_page_png(blank_pdf, "evaluation-form", png_folder).stat().st_size > 10_000
    assert first_page_png(summary_pdf, "evaluation-summary", png_folder).stat().st_size > 10_000
