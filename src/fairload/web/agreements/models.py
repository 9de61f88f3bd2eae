"""A school year's working-time agreement as it is made (South Ayrshire section 16).

- ``Agreement``: one per school year; the consultation's window.
- ``AgreementVersion``: the draft, as versions that are never changed once saved. Each
  holds the allocations per budget heading, the additional reporting (5.3), the
  distribution of union meeting time (13), time left unallocated (14), the protocol for
  work outwith school premises (15.2) and a snapshot of the year's calendar. A version
  frozen as *final* is the one the staff vote on and the committee signs.
- ``Comment``: a teacher's comment in the consultation (16.4), on the whole draft, a
  heading or an event, with the committee's answer.
- ``Signature``: who signed which final version, in which role, when, and the SHA-256 of
  the canonical agreement they signed (and that document, to say what changed since).
- ``Submission``: the agreement sent to the council's Head of Service, and its decision.
- ``FailureReport``: a report to the joint secretaries that agreement was not reached
  (17.2).

Which step may follow which, whether a gate is met and what the stage is are decided by
the core (fairload.core.process) over the record these rows make (record.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fairload.web.schools.models import SchoolYear


class Agreement(models.Model):
    """The agreement of a school's year, named by the year's label rather than its row: a
    year replaced by an import (a new row under the same label) keeps its agreement."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="agreements"
    )
    label = models.CharField(max_length=20, help_text="The school year's label, e.g. 2025-26")
    #: The year's first day when the agreement was started, to find the one before it.
    year_start = models.DateField()
    created_at = models.DateTimeField()
    consultation_opened_at = models.DateTimeField(null=True, blank=True)
    consultation_closes_at = models.DateTimeField(null=True, blank=True)
    consultation_closed_at = models.DateTimeField(null=True, blank=True)
    #: The version the staff were consulted on.
    consultation_version = models.ForeignKey(
        "AgreementVersion", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="one_agreement_per_year")
        ]

    def __str__(self) -> str:
        return f"The agreement of {self.school} {self.label}"

    @property
    def school_year(self) -> SchoolYear:
        """The school's year of this label (with its school attached)."""
        year: SchoolYear | None = getattr(self, "_year", None)
        if year is None:
            year = SchoolYear.objects.select_related("school__council").get(
                school_id=self.school_id, label=self.label
            )
            self._year = year
        return year

    @school_year.setter
    def school_year(self, year: SchoolYear) -> None:
        self._year = year


class AgreementVersion(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    created_at = models.DateTimeField()
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: What changed, in the committee's words.
    note = models.CharField(max_length=500, blank=True)
    #: budget heading id -> agreed hours per full-time teacher per year
    allocations = models.JSONField(default=dict)
    additional_reporting = models.TextField(blank=True, help_text="5.3")
    union_meeting_time = models.TextField(blank=True, help_text="13")
    unallocated_time = models.TextField(blank=True, help_text="14")
    offsite_protocol = models.TextField(blank=True, help_text="15.2")
    #: The year's events when the version was saved (refreshed when frozen as final), in
    #: the school-year format's shape.
    calendar = models.JSONField(default=list)
    #: Set when the version is frozen as the final one the staff vote on.
    final_at = models.DateTimeField(null=True, blank=True)
    ballot = models.OneToOneField(
        "ballots.Ballot", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["agreement", "number"]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "number"], name="one_version_per_number")
        ]

    def __str__(self) -> str:
        return f"Version {self.number}"

    @property
    def is_final(self) -> bool:
        return self.final_at is not None


class Comment(models.Model):
    class On(models.TextChoices):
        WHOLE = "whole", "The whole draft"
        HEADING = "heading", "A heading"
        EVENT = "event", "An event"

    class Answer(models.TextChoices):
        ACCEPTED = "accepted", "Accepted"
        NOT_ACCEPTED = "not-accepted", "Not accepted"

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="comments")
    version = models.ForeignKey(AgreementVersion, on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=200)
    on = models.CharField(max_length=10, choices=On.choices, default=On.WHOLE)
    #: The heading id or the event id it is about ("" for the whole draft).
    target = models.CharField(max_length=120, blank=True)
    target_label = models.CharField(max_length=300, blank=True)
    text = models.TextField()
    created_at = models.DateTimeField()
    answer = models.CharField(max_length=20, choices=Answer.choices, blank=True)
    answer_text = models.TextField(blank=True)
    #: The version that takes an accepted comment in.
    answer_version = models.ForeignKey(
        AgreementVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_at = models.DateTimeField(null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["created_at", "pk"]


class Signature(models.Model):
    class SignedAs(models.TextChoices):
        # the school-year format's own role names (agreement.process.signatures)
        HEAD = "head-teacher", "Head teacher"
        REP = "union-rep", "Union representative"

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="signatures"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=SignedAs.choices)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    #: The canonical agreement as signed, to say what changed when a signature is void.
    document = models.JSONField()

    class Meta:
        ordering = ["signed_at", "pk"]


class Submission(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting the council"
        ACCEPTED = "accepted", "Accepted"
        RETURNED = "returned", "Returned"

    version = models.ForeignKey(
        AgreementVersion, on_delete=models.CASCADE, related_name="submissions"
    )
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_hash = models.CharField(max_length=64)
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(decision="pending"),
                name="one_pending_submission_per_version",
            )
        ]


class FailureReport(models.Model):
    """That the committee could not reach agreement, for the joint secretaries (17.2)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="failures")
    started_at = models.DateTimeField()
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The side that reports it (17.2: "by either side"), as the record names it.
    by = models.CharField(max_length=20, choices=Signature.SignedAs.choices)
    text = models.TextField()

    class Meta:
        ordering = ["-started_at", "-pk"]
