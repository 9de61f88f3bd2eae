"""The demo's annual evaluation (``manage.py load_demo``): Auchenlea Academy's evaluation
of 2025-26, answered by six teachers and closed, so the summary shows, the draft page
shows it beside the headings, and one small group is withheld (parents' meetings, four
answers, fewer than the pack's five). Idempotent: written afresh each time.

The six answers are written as rows directly: the demo has one teacher login, and an
answer is never linked to a teacher anyway; their participations name no login."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from fairload.web.evaluations.models import Answer, Evaluation, Participation
from fairload.web.evaluations.services import evaluation_close, evaluation_open
from fairload.web.schools.models import SchoolYear

DEMO_SCHOOL = "auchenlea-academy"

#: (answer to the first question, [(heading, more/same/less, hours)])
ANSWERS = (
    (
        "Mostly realistic, but report writing needs more time.",
        [
            ("assessment-reporting-recording", "more", "8"),
            ("planning", "same", None),
            ("parents-meetings", "more", "2"),
            ("staff-meetings", "less", "3"),
        ],
    ),
    (
        "Realistic for planning; not for reports.",
        [
            ("assessment-reporting-recording", "more", "6"),
            ("planning", "same", None),
            ("staff-meetings", "less", "2"),
        ],
    ),
    (
        "",
        [
            ("assessment-reporting-recording", "more", "10"),
            ("planning", "same", None),
            ("parents-meetings", "more", "1.5"),
            ("staff-meetings", "less", "2"),
        ],
    ),
    (
        "About right overall.",
        [
            ("assessment-reporting-recording", "more", "4"),
            ("planning", "same", None),
            ("staff-meetings", "less", "1"),
        ],
    ),
    (
        "Staff meetings finished early most weeks, which helped.",
        [
            ("assessment-reporting-recording", "more", "5"),
            ("planning", "same", None),
            ("parents-meetings", "more", "3"),
            ("staff-meetings", "less", "4"),
        ],
    ),
    (
        "Too little time for reports in S4.",
        [
            ("assessment-reporting-recording", "more", "12"),
            ("planning", "more", "2"),
            ("parents-meetings", "same", None),
            ("staff-meetings", "less", "2.5"),
        ],
    ),
)
OPENED = datetime(2026, 5, 18, 9, 0)
CLOSED = datetime(2026, 6, 5, 16, 0)


def demo_evaluation_add() -> None:
    year = SchoolYear.objects.filter(school__slug=DEMO_SCHOOL).order_by("-start").first()
    head = get_user_model().objects.filter(username="head").first()
    if year is None or head is None:
        return
    Evaluation.objects.filter(school=year.school, label=year.label).delete()
    zone = timezone.get_current_timezone()
    evaluation = evaluation_open(actor=head, year=year, now=timezone.make_aware(OPENED, zone))
    for text, headings in ANSWERS:
        Participation.objects.create(evaluation=evaluation, person=None)
        Answer.objects.create(
            evaluation=evaluation,
            texts={"realistic-allocation": text} if text else {},
            headings=[
                {"heading": h, "choice": c, "hours": str(Decimal(n) if n else 0)}
                for h, c, n in headings
            ],
        )
    evaluation_close(actor=head, evaluation=evaluation, now=timezone.make_aware(CLOSED, zone))
