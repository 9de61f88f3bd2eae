"""What the evaluation pages (and other parts of the product) read.

- ``evaluation_summary``: the core's summary of a closed evaluation (None while open: a
  summary read before and after one answer would show that answer);
- ``evaluation_printable``: the form and the summary as plain data (strings, numbers,
  lists, dicts), for the JSON export (and any document);
- ``evaluation_core_form`` with ``evaluation_summary``: the core's EvaluationForm and
  Summary, which fairload.documents' evaluation documents take;
- ``evaluation_beside_headings``: for next year's draft, the last closed evaluation's
  summary by heading id (16.7: the review "prior to negotiating a new agreement").

Nothing here can say whose an answer is: answers carry no teacher (models.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Any

from fairload.core.evaluation import Answer as CoreAnswer
from fairload.core.evaluation import (
    EvaluationForm,
    HeadingAnswer,
    HeadingChoice,
    HeadingSummary,
    Question,
    Summary,
    summarise,
)
from fairload.web.accounts.policies import User
from fairload.web.evaluations.models import Answer, Evaluation, Participation
from fairload.web.schools.models import School, SchoolYear


def evaluation_of(*, school: School, label: str) -> Evaluation | None:
    return Evaluation.objects.filter(school=school, label=label).first()


def has_answered(*, user: User, evaluation: Evaluation) -> bool:
    return user.is_authenticated and (
        Participation.objects.filter(evaluation=evaluation, person=user).exists()
    )


def answered_count(*, evaluation: Evaluation) -> int:
    return Participation.objects.filter(evaluation=evaluation).count()


def core_answers(*, evaluation: Evaluation) -> list[CoreAnswer]:
    rows = Answer.objects.filter(evaluation=evaluation).order_by("key")
    return [
        CoreAnswer(
            dict(row.texts),
            tuple(
                HeadingAnswer(h["heading"], h["choice"], Decimal(h["hours"])) for h in row.headings
            ),
        )
        for row in rows
    ]


def evaluation_summary(*, evaluation: Evaluation) -> Summary | None:
    """The summary of a closed evaluation; None while it is open."""
    if evaluation.state != Evaluation.State.CLOSED:
        return None
    return summarise(
        core_answers(evaluation=evaluation),
        [h["id"] for h in evaluation.headings],
        int(evaluation.form["minimum_group"]),
    )


def evaluation_core_form(*, evaluation: Evaluation) -> EvaluationForm:
    """The form as it was put to the teachers (frozen at opening), as the core's
    EvaluationForm: what fairload.documents.evaluation_form_document and
    evaluation_summary_document take, with ``evaluation.headings`` ({id, label}) and
    ``evaluation_summary``."""
    form = evaluation.form
    return EvaluationForm(
        tuple(Question(q["id"], q["text"]) for q in form["questions"]),
        tuple(HeadingChoice(c["id"], c["text"]) for c in form["choices"]),
        int(form["minimum_group"]),
        form.get("introduction", ""),
    )


def hours_text(hours: Fraction | None) -> str | None:
    """Hours as a short decimal ("12.5", "-3"); answers are in tenths, so exact."""
    if hours is None:
        return None
    text = f"{float(hours):.1f}"
    return text[:-2] if text.endswith(".0") else text


@dataclass(frozen=True)
class HeadingRow:
    """A heading of the evaluation with its summary, as a page shows it."""

    id: str
    label: str
    clause: str
    summary: HeadingSummary | None
    #: (answers, the choice in the pack's words, hours) where the breakdown is shown
    choices: tuple[tuple[int, str, str | None], ...] | None = None

    @property
    def net_text(self) -> str | None:
        """The net hours signed: "+45" more than planned, "−14.5" less, "0"."""
        if self.summary is None or self.summary.net_hours is None:
            return None
        net = self.summary.net_hours
        text = hours_text(abs(net)) or ""
        return f"+{text}" if net > 0 else f"\u2212{text}" if net < 0 else text


def heading_rows(*, evaluation: Evaluation, summary: Summary | None) -> list[HeadingRow]:
    by_id = {h.heading: h for h in summary.headings} if summary else {}
    words = choice_words(evaluation)
    rows = []
    for heading in evaluation.headings:
        found = by_id.get(heading["id"])
        choices = None
        if found is not None and found.choices is not None:
            choices = tuple(
                (c.answers, words[c.choice], hours_text(c.hours) if c.hours else None)
                for c in found.choices
            )
        rows.append(
            HeadingRow(heading["id"], heading["label"], heading.get("clause", ""), found, choices)
        )
    return rows


def choice_words(evaluation: Evaluation) -> dict[str, str]:
    return {c["id"]: c["text"] for c in evaluation.form["choices"]}


def _summary_data(evaluation: Evaluation, summary: Summary) -> dict[str, Any]:
    words = choice_words(evaluation)
    labels = {h["id"]: h["label"] for h in evaluation.headings}
    return {
        "minimum_group": summary.minimum_group,
        "respondents": summary.respondents,
        "headings": [
            {
                "id": h.heading,
                "label": labels[h.heading],
                "answers": h.answers,
                "net_hours": hours_text(h.net_hours),
                "choices": None
                if h.choices is None
                else [
                    {
                        "choice": c.choice,
                        "text": words[c.choice],
                        "answers": c.answers,
                        "hours": hours_text(c.hours),
                    }
                    for c in h.choices
                ],
                "withheld": h.withheld,
            }
            for h in summary.headings
        ],
        "texts": None if summary.texts is None else {q: list(t) for q, t in summary.texts.items()},
    }


def evaluation_printable(*, evaluation: Evaluation) -> dict[str, Any]:
    """The evaluation form (Appendix 3 as put to the teachers) and, once closed, the
    committee's summary, as plain data: what the PDF and the export print. No teacher
    and no single answer is in it; groups below the minimum are withheld (None)."""
    summary = evaluation_summary(evaluation=evaluation)
    return {
        "school": evaluation.school.name,
        "session": evaluation.label,
        "title": "Annual Evaluation",
        "introduction": evaluation.form.get("introduction", ""),
        "questions": [dict(q) for q in evaluation.form["questions"]],
        "choices": [dict(c) for c in evaluation.form["choices"]],
        "headings": [dict(h) for h in evaluation.headings],
        "references": evaluation.form.get("references", {}),
        "state": evaluation.state,
        "opened_on": evaluation.opened_at.date().isoformat(),
        "closed_on": evaluation.closed_at.date().isoformat() if evaluation.closed_at else None,
        "put_to": evaluation.electorate_size,
        "answered": answered_count(evaluation=evaluation),
        "summary": None if summary is None else _summary_data(evaluation, summary),
    }


@dataclass(frozen=True)
class BesideHeadings:
    """The last closed evaluation, for a later draft: its session and rows by heading."""

    evaluation: Evaluation
    rows: dict[str, HeadingRow]
    words: dict[str, str]


def evaluation_beside_headings(*, year: SchoolYear) -> BesideHeadings | None:
    """The latest closed evaluation of the school of a session that began no later than
    ``year`` (the year whose draft is being prepared), by heading id; None if there is
    none. A heading the draft has that the evaluation did not ask about has no row."""
    evaluation = (
        Evaluation.objects.filter(
            school=year.school, state=Evaluation.State.CLOSED, session_start__lte=year.start
        )
        .order_by("-session_start")
        .first()
    )
    if evaluation is None:
        return None
    summary = evaluation_summary(evaluation=evaluation)
    rows = {row.id: row for row in heading_rows(evaluation=evaluation, summary=summary)}
    return BesideHeadings(evaluation, rows, choice_words(evaluation))
