"""A union's workload audit of a school (NUT 2015's questions), as the web stores it.

One audit per school and union: each question's answer (yes or no) with its evidence, a
note, uploads (kept in the database, checked for size and type: uploads.py) and frozen
check records (the school's check at the time of answering, as JSON, with its SHA-256).
What the answers bring into play is the core's (``fairload.core.workload_audit``): the
web never decides which instruction applies.

Union business: seen only by that union's members at the school, its reps there and its
local officers for the council (policies.py). Never the head, a manager, a council
officer or a site administrator.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class WorkloadAudit(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="workload_audits"
    )
    #: The union whose audit this is, as its people name it ("NEU")
    union = models.CharField(max_length=60)
    #: The union's key (the name stripped and case-folded): one audit per school and union.
    union_key = models.CharField(max_length=60)
    pack = models.CharField(max_length=200, help_text="The pack whose audit it follows")
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["school", "union_key"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "union_key"], name="one_workload_audit_per_union"
            )
        ]

    def __str__(self) -> str:
        return f"{self.school}: {self.union}'s workload audit"


class CheckRecord(models.Model):
    """The school's check as it stood when an answer was given, frozen: the findings as
    the core writes them (``Finding.as_dict``), the year, pack and date it was read at."""

    audit = models.ForeignKey(WorkloadAudit, on_delete=models.CASCADE, related_name="records")
    label = models.CharField(max_length=20, help_text="The school year checked")
    frozen_at = models.DateTimeField()
    frozen_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: {"pack", "year", "at", "findings": [...]}
    content = models.JSONField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["-frozen_at", "-pk"]


class AuditAnswer(models.Model):
    audit = models.ForeignKey(WorkloadAudit, on_delete=models.CASCADE, related_name="answers")
    question = models.CharField(max_length=100)
    value = models.BooleanField()
    note = models.TextField(blank=True)
    check_record = models.ForeignKey(
        CheckRecord, null=True, blank=True, on_delete=models.SET_NULL, related_name="answers"
    )
    answered_at = models.DateTimeField()
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["audit", "question"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "question"], name="one_answer_per_question")
        ]


class AnswerUpload(models.Model):
    """A file given as evidence, in the database (no path on disk to traverse or serve by
    mistake), of a type and size uploads.py allows; served only as a download."""

    answer = models.ForeignKey(AuditAnswer, on_delete=models.CASCADE, related_name="uploads")
    filename = models.CharField(max_length=120)
    content_type = models.CharField(max_length=60)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["uploaded_at", "pk"]
