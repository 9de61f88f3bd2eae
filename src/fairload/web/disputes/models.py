"""A workload dispute's case as the web stores it: the core's case record, as it is.

``record`` is exactly what :func:`fairload.core.dispute_case.case_to_dict` writes (the
day it was opened, the issues, one entry per step, the closure), read back with
``case_checked`` against the ladder of ``pack``; the web never decides a gate, an order, a
stage or a threshold itself (selectors.py asks :mod:`fairload.core.disputes`).

A case is union business: it belongs to a school and the union it is for, and is seen
only by that union's members at the school, its reps there and its local officers for
the council (selectors.py). A letter the rep shares with the head (CaseLetter, frozen
as sent) is the one thing the head sees.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Case(models.Model):
    class Source(models.TextChoices):
        HAND = "hand", "Opened by hand"
        FINDING = "finding", "Opened from the school's check"
        AUDIT = "audit", "Opened from the workload audit"

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="dispute_cases"
    )
    union = models.CharField(max_length=60, help_text="The union whose case this is")
    pack = models.CharField(max_length=200, help_text="The pack whose dispute ladder it follows")
    title = models.CharField(max_length=200)
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.HAND)
    #: The core's case record (fairload.core.dispute_case.case_to_dict).
    record = models.JSONField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "union"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.title}"


class CaseBallot(models.Model):
    """A members-only ballot (web/ballots) a step of the case runs: the members' vote
    (step 3) or the indicative ballot (step 7). The latest for a step is its current one."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="ballots")
    step = models.CharField(max_length=60)
    ballot = models.OneToOneField(
        "ballots.Ballot", on_delete=models.PROTECT, related_name="dispute_case"
    )

    class Meta:
        ordering = ["-ballot__opened_at", "-pk"]


class CaseLetter(models.Model):
    """A letter to the head teacher as shared: its content frozen when the rep shared it,
    so the head reads what was sent, whatever the case records after."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="letters")
    #: The letter's data as sent (fairload.documents.dispute_letter.letter_to_dict).
    content = models.JSONField()
    shared_at = models.DateTimeField()
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-shared_at", "-pk"]


#: A document's kind (the core's entry ``documents``), as the pages and the case file say it.
DOCUMENT_KINDS = {
    "upload": "file",
    "check-record": "the school's check",
    "letter": "letter",
    "note": "note",
}


class CaseDocument(models.Model):
    """A document a step files: a file the rep attached (``kind`` "upload", its safe
    name as ``title``: minutes, the head's reply letter; checked and served as the
    workload audit's uploads are) or the school's check record frozen when the step was
    recorded. Its SHA-256 is the entry's document ``ref``; kept so the case file holds
    what the step rested on."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    step = models.CharField(max_length=60)
    kind = models.CharField(max_length=20, default="check-record")
    title = models.CharField(max_length=200)
    ref = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100)
    content = models.BinaryField()
    filed_at = models.DateTimeField()

    class Meta:
        ordering = ["filed_at", "pk"]
