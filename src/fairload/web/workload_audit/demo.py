"""The demo's workload audit (``manage.py load_demo``), so `make run` shows an NEU
school's audit and "what you may refuse": at Hollinsvale Academy (the NEU pack), the NEU
rep (``neu-rep``, on Grace Mills's post) and an NEU member (``neu-member``, Kwame
Jackson), whom disputes/demo.py makes, have answered four of the audit's questions, one
with the school's check frozen as its evidence. Made once; nothing without those people.
"""

from __future__ import annotations

from datetime import UTC, datetime

from django.contrib.auth import get_user_model

from fairload.web.schools.models import School
from fairload.web.workload_audit.models import WorkloadAudit
from fairload.web.workload_audit.services import AnswerIn, answer_save

DEMO_SCHOOL = "hollinsvale-academy"
UNION = "NEU"
ANSWERED = datetime(2025, 11, 10, 16, tzinfo=UTC)
#: who answers (disputes/demo.py's logins), in turn
WHO = ("neu-rep", "neu-member")
#: question, answer, note, whether the school's check is frozen with it
ANSWERS = (
    (
        "weekly-lesson-plans-to-slt",
        True,
        "Weekly plans go to the deputy head every Friday by 4pm (staff briefing, 8 September).",
        False,
    ),
    (
        "meetings-outside-directed-time",
        True,
        "Department meetings after school most Wednesdays are not on the directed time calendar.",
        True,
    ),
    ("emails-expected-outside-directed-time", False, "", False),
    ("observation-limit-accepted", False, "The observation policy sets no limit.", False),
)


def demo_workload_audit_add() -> None:
    """The audit's answers, once, by disputes/demo.py's NEU rep and member."""
    school = School.objects.filter(slug=DEMO_SCHOOL).first()
    people = {u.username: u for u in get_user_model().objects.filter(username__in=WHO)}
    if school is None or len(people) < len(WHO):
        return
    if WorkloadAudit.objects.filter(school=school, union_key=UNION.casefold()).exists():
        return
    for index, (question, value, note, freeze) in enumerate(ANSWERS):
        answer_save(
            actor=people[WHO[index % len(WHO)]],
            school=school,
            union=UNION,
            given=AnswerIn(question, value, note=note, freeze_check=freeze),
            now=ANSWERED,
        )
