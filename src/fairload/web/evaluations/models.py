"""The annual evaluation (JNCT2.7 Appendix 3, 16.7): anonymous by the shape of its tables,
as a ballot is (docs/decisions/0004-ballot-secrecy.md).

- ``Evaluation``: one per school and session, opened by the committee towards the end of
  the session, with the form as the pack set it at opening (Appendix 3's questions word
  for word, the heading answers' words, the minimum group, with their clauses) and the
  agreement's headings, frozen so a later pack or agreement does not change what was
  asked.
- ``Participation``: that a teacher answered, so each answers once. Never what.
- ``Answer``: what was answered, never by whom: no teacher, no time, and a random key
  instead of an ascending id. Every new answer rewrites the evaluation's answers in a
  random order with new keys (services.evaluation_answer), so neither key nor physical
  order follows arrival.

Rows name the school and the session's label, so a year replaced by a re-import keeps its
evaluation.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models


class Evaluation(models.Model):
    class State(models.TextChoices):
        OPEN = "open", "Open"
        CLOSED = "closed", "Closed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    label = models.CharField(max_length=20, help_text="The session's label, e.g. 2025-26")
    #: the session's first day, to find the evaluation before a later session's draft
    session_start = models.DateField()
    pack = models.CharField(max_length=200)
    #: {questions: [{id, text}], choices: [{id, text}], minimum_group, clauses: {...}}
    form = models.JSONField()
    #: [{id, label, clause}]: the agreement's headings when it opened
    headings = models.JSONField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.OPEN)
    #: how many teachers it was put to
    electorate_size = models.PositiveIntegerField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-session_start", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="one_evaluation_per_session")
        ]

    def __str__(self) -> str:
        return f"The annual evaluation of {self.school} {self.label}"


class Participation(models.Model):
    """That a teacher answered. Never what, never when."""

    evaluation = models.ForeignKey(
        Evaluation, on_delete=models.CASCADE, related_name="participations"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["evaluation", "person"],
                condition=models.Q(person__isnull=False),
                name="one_answer_per_teacher",
            )
        ]


class Answer(models.Model):
    """One teacher's evaluation as given. Never whose, never when."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    evaluation = models.ForeignKey(Evaluation, on_delete=models.CASCADE, related_name="answers")
    #: {question id: text}
    texts = models.JSONField(default=dict)
    #: [{heading, choice, hours}] with hours as an exact decimal string
    headings = models.JSONField(default=list)
