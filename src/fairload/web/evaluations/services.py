"""Services of the annual evaluation: open it to every teacher, take each teacher's answer
once and anonymously, close it. Each writes in one transaction; a refused step writes
nothing and says why.

Anonymity is in what is written: an answer row has no teacher, no time and a random key,
and every answer rewrites the evaluation's answers in a random order with new keys, so
not even the rows' physical order follows arrival. Answering writes no audit entry and
no notice (either would say who answered when, beside an answer that arrived then)."""

from __future__ import annotations

import random
import uuid
from collections.abc import Mapping, Sequence
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from fairload.core.errors import PackError
from fairload.core.evaluation import (
    HEADING_ANSWERS,
    MINIMUM_GROUP,
    QUESTIONS,
    HeadingAnswer,
    evaluation_form,
)
from fairload.core.evaluation import Answer as CoreAnswer
from fairload.core.packs import load_bundled
from fairload.web.accounts.policies import User
from fairload.web.agreements.selectors import headings as agreement_headings
from fairload.web.audit.services import audit_record
from fairload.web.evaluations.models import Answer, Evaluation, Participation
from fairload.web.evaluations.policies import is_evaluation_teacher
from fairload.web.notices.kinds import EVALUATION_OPEN
from fairload.web.notices.services import notify
from fairload.web.schools.models import SchoolYear


class EvaluationRefused(Exception):
    """The step was refused and nothing was written; the message says why."""


def _reference(parameters: Any, name: str, at: Any) -> dict[str, str]:
    reference = parameters.resolve(name, at).reference
    return {"document": reference.document.title, "clause": reference.clause}


def evaluation_open(*, actor: User, year: SchoolYear, now: datetime) -> Evaluation:
    """Put the evaluation to every teacher of ``year`` (every post of its staff): the
    pack's form as it stands today (Appendix 3's questions word for word), the
    agreement's headings, and a notice to each teacher with a login. A session is
    evaluated once."""
    pack = load_bundled(year.school.pack)
    today = timezone.localdate(now)
    try:
        form = evaluation_form(pack.parameters, today)
    except PackError:
        raise EvaluationRefused(
            f"The school's agreement ({pack.title}) sets no annual evaluation."
        ) from None
    headings = [
        {"id": h.id, "label": h.label, "clause": h.clause} for h in agreement_headings(year=year)
    ]
    if not headings:
        raise EvaluationRefused("The school's agreement has no headings to evaluate.")
    teachers = list(
        get_user_model().objects.filter(staff_posts__school_year=year, is_active=True).distinct()
    )
    with transaction.atomic():
        if Evaluation.objects.filter(school=year.school, label=year.label).exists():
            raise EvaluationRefused(f"The evaluation of {year.label} has already been opened.")
        evaluation = Evaluation.objects.create(
            school=year.school,
            label=year.label,
            session_start=year.start,
            pack=pack.id,
            form={
                "introduction": form.introduction,
                "questions": [{"id": q.id, "text": q.text} for q in form.questions],
                "choices": [{"id": c.id, "text": c.text} for c in form.choices],
                "minimum_group": form.minimum_group,
                "references": {
                    name: _reference(pack.parameters, name, today)
                    for name in (QUESTIONS, HEADING_ANSWERS, MINIMUM_GROUP)
                },
            },
            headings=headings,
            electorate_size=year.staff.count(),
            opened_at=now,
            opened_by=actor if actor.is_authenticated else None,
        )
        notify(
            EVALUATION_OPEN,
            teachers,
            school=year.school,
            about=f"evaluation:{year.label}",
            link=reverse("evaluation-answer", args=[year.school.slug]),
            # the session's last day: the review comes before the next agreement (16.7)
            deadline=timezone.make_aware(datetime.combine(year.end, time(23, 59))),
            now=now,
        )
        audit_record(
            actor=actor,
            action="evaluation.open",
            school=year.school,
            summary=f"Opened the annual evaluation of {year.label} to its "
            f"{evaluation.electorate_size} teachers",
        )
    return evaluation


def _shuffle(evaluation: Evaluation) -> None:
    """Rewrite the answers in a random order with new random keys."""
    answers = list(Answer.objects.filter(evaluation=evaluation).values("texts", "headings"))
    random.SystemRandom().shuffle(answers)
    Answer.objects.filter(evaluation=evaluation).delete()
    Answer.objects.bulk_create(
        Answer(key=uuid.uuid4(), evaluation=evaluation, **answer) for answer in answers
    )


def _validated(
    evaluation: Evaluation,
    texts: Mapping[str, str],
    headings: Sequence[tuple[str, str, Decimal | None]],
) -> tuple[dict[str, str], list[dict[str, str]]]:
    questions = {q["id"] for q in evaluation.form["questions"]}
    known = {h["id"] for h in evaluation.headings}
    unknown = [q for q in texts if q not in questions] + [
        h for h, _, _ in headings if h not in known
    ]
    if unknown:
        raise EvaluationRefused(f"The evaluation asks nothing about '{unknown[0]}'.")
    try:
        core = CoreAnswer(
            {q: t.strip() for q, t in texts.items() if t.strip()},
            tuple(HeadingAnswer(h, c, hours or 0) for h, c, hours in headings),
        )
    except ValueError as error:
        raise EvaluationRefused(str(error)[:1].upper() + str(error)[1:] + ".") from None
    rows = [{"heading": h, "choice": c, "hours": str(hours or 0)} for h, c, hours in headings]
    return dict(core.texts), rows


def evaluation_answer(
    *,
    evaluation: Evaluation,
    person: User,
    texts: Mapping[str, str],
    headings: Sequence[tuple[str, str, Decimal | None]],
) -> None:
    """Take a teacher's answer, once: ``texts`` by question id, and under each heading
    they answer (heading id, more/same/less, about how many hours)."""
    clean_texts, rows = _validated(evaluation, texts, headings)
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.state != Evaluation.State.OPEN:
            raise EvaluationRefused("The evaluation has closed.")
        if not is_evaluation_teacher(person, locked):
            raise EvaluationRefused(f"Only the teachers of {locked.label} answer its evaluation.")
        if Participation.objects.filter(evaluation=locked, person=person).exists():
            raise EvaluationRefused("You have already answered the evaluation.")
        Participation.objects.create(evaluation=locked, person=person)
        Answer.objects.create(evaluation=locked, texts=clean_texts, headings=rows)
        _shuffle(locked)


def evaluation_close(*, actor: User, evaluation: Evaluation, now: datetime) -> Evaluation:
    """Close the evaluation: no more answers; its summary is shown from now on."""
    with transaction.atomic():
        locked = Evaluation.objects.select_for_update().get(pk=evaluation.pk)
        if locked.state != Evaluation.State.OPEN:
            raise EvaluationRefused("The evaluation is already closed.")
        locked.state, locked.closed_at = Evaluation.State.CLOSED, now
        locked.closed_by = actor if actor.is_authenticated else None
        locked.save(update_fields=["state", "closed_at", "closed_by"])
        _shuffle(locked)
        audit_record(
            actor=actor,
            action="evaluation.close",
            school=locked.school,
            summary=f"Closed the annual evaluation of {locked.label}: "
            f"{locked.participations.count()} of {locked.electorate_size} answered",
        )
    return locked
