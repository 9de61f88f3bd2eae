"""The annual evaluation (JNCT2.7 Appendix 3, 16.7) as documents: the form a teacher fills
in, and the committee's summary for its annual review.

Appendix 3's form: the school's name, "Annual Evaluation", its introduction, then each
question (the pack's ``evaluation_questions``, word for word) with lines to answer on.
fairload adds, under each heading of the agreement, whether it took more, about the same
or less time than planned and by about how many hours (the pack's
``evaluation_heading_answers``), so the answers can be summed.

- :class:`EvaluationFormDocument`, :func:`evaluation_form_document`, :func:`evaluation_form_pdf`:
  the form, blank (to print) or with one teacher's own :class:`~fairload.core.evaluation.Answer`
  (for that teacher alone: an answer carries no name and the document adds none);
- :class:`EvaluationSummaryDocument`, :func:`evaluation_summary_document`,
  :func:`evaluation_summary_pdf`: the core's :class:`~fairload.core.evaluation.Summary`,
  each cell shown only as the summary shows it (no group smaller than its minimum).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

from fairload.core.evaluation import Answer, EvaluationForm, HeadingChoice, Summary
from fairload.documents.render import html_of, pdf_of

#: Appendix 3's introduction, word for word.
INTRODUCTION = (
    "Annual Evaluation – to be co-ordinated by the School Negotiating Committee.",
    "Teachers are encouraged to evaluate their personal workload against the generic "
    "figures agreed in their school. This will enable teachers to use professional judgement "
    "in relation to how their time is being used. It will also yield information which will "
    "feed into the School Negotiating Group’s annual review of the Working Time Agreement.",
)


@dataclass(frozen=True, slots=True)
class Heading:
    """A heading of the agreement the evaluation asks about: its id and its words."""

    id: str
    label: str


@dataclass(frozen=True, slots=True)
class FormHeadingLine:
    """A heading's line on the form: the choice made (its words) and the hours, if any."""

    label: str
    choice: str = ""
    hours: Fraction | None = None


@dataclass(frozen=True, slots=True)
class FormQuestion:
    text: str
    answer: str = ""


@dataclass(frozen=True, slots=True)
class EvaluationFormDocument:
    school: str
    session: str
    questions: tuple[FormQuestion, ...]
    choices: tuple[HeadingChoice, ...]
    headings: tuple[FormHeadingLine, ...]
    answered: bool = False

    @property
    def title(self) -> str:
        return f"{self.school} Working Time Agreement: Annual Evaluation (Session {self.session})"

    @property
    def introduction(self) -> tuple[str, ...]:
        return INTRODUCTION


def evaluation_form_document(
    form: EvaluationForm,
    headings: Sequence[Heading],
    *,
    school: str,
    session: str,
    answer: Answer | None = None,
) -> EvaluationFormDocument:
    """The Appendix 3 form: the pack's questions and a line for each heading, blank, or
    filled with ``answer`` (shown only to the teacher who gave it)."""
    texts = answer.texts if answer else {}
    given = {h.heading: h for h in answer.headings} if answer else {}
    words = {c.id: c.text for c in form.choices}
    lines = []
    for heading in headings:
        mine = given.get(heading.id)
        lines.append(
            FormHeadingLine(
                heading.label,
                words.get(mine.choice, mine.choice) if mine else "",
                Fraction(mine.hours) if mine and mine.hours else None,
            )
        )
    return EvaluationFormDocument(
        school=school,
        session=session,
        questions=tuple(FormQuestion(q.text, texts.get(q.id, "")) for q in form.questions),
        choices=form.choices,
        headings=tuple(lines),
        answered=answer is not None,
    )


def evaluation_form_pdf(document: EvaluationFormDocument) -> bytes:
    return pdf_of(html_of("evaluation_form.html", {"doc": document}))


@dataclass(frozen=True, slots=True)
class SummaryChoice:
    text: str
    answers: int
    hours: Fraction


@dataclass(frozen=True, slots=True)
class SummaryHeading:
    """A heading's line of the summary; None where the summary withholds it."""

    label: str
    answers: int | None
    net_hours: Fraction | None
    choices: tuple[SummaryChoice, ...] | None
    withheld: str | None


@dataclass(frozen=True, slots=True)
class SummaryQuestion:
    text: str
    answers: tuple[str, ...] | None


@dataclass(frozen=True, slots=True)
class EvaluationSummaryDocument:
    school: str
    session: str
    minimum_group: int
    respondents: int | None
    headings: tuple[SummaryHeading, ...]
    questions: tuple[SummaryQuestion, ...]

    @property
    def title(self) -> str:
        return (
            f"{self.school} Working Time Agreement: Annual Evaluation, the committee's summary "
            f"(Session {self.session})"
        )


def evaluation_summary_document(
    summary: Summary,
    form: EvaluationForm,
    headings: Sequence[Heading],
    *,
    school: str,
    session: str,
) -> EvaluationSummaryDocument:
    """The committee's summary as the core made it: a heading or the free text below the
    minimum group stays withheld, with the summary's reason."""
    labels = {h.id: h.label for h in headings}
    words = {c.id: c.text for c in form.choices}
    texts = summary.texts
    return EvaluationSummaryDocument(
        school=school,
        session=session,
        minimum_group=summary.minimum_group,
        respondents=summary.respondents,
        headings=tuple(
            SummaryHeading(
                labels.get(h.heading, h.heading),
                h.answers,
                h.net_hours,
                tuple(SummaryChoice(words[c.choice], c.answers, c.hours) for c in h.choices)
                if h.choices is not None
                else None,
                h.withheld,
            )
            for h in summary.headings
        ),
        questions=tuple(
            SummaryQuestion(q.text, None if texts is None else texts.get(q.id, ()))
            for q in form.questions
        ),
    )


def evaluation_summary_pdf(document: EvaluationSummaryDocument) -> bytes:
    return pdf_of(html_of("evaluation_summary.html", {"doc": document}))
