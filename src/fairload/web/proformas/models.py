"""A teacher's balance-of-time pro-forma as it is made in fairload (JNCT2.7 Appendix 2,
9.2): the hours and brief details they give each activity, where it has got to between
them and their line manager, and the signatures both make.

A pro-forma belongs to a teacher's post in a school's session (school, label, staff id),
not to one stored year, so re-importing the year keeps it, as the agreement is kept. The
figures it accounts for (the basic balance and the hours gained from groups) are never
stored: the core works them out from the year each time (``fairload.core.proforma``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fairload.core import proforma as core


class Proforma(models.Model):
    class State(models.TextChoices):
        DRAFT = core.DRAFT, "Draft"
        SENT = core.SENT, "Sent to the line manager"
        RETURNED = core.RETURNED, "Returned by the line manager"
        AGREED = core.AGREED, "Agreed"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="proformas")
    label = models.CharField(max_length=20, help_text="The session, as the year's label")
    staff_id = models.SlugField(max_length=100)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    #: activity id -> hours, as the school-year format's ``proformas[].activities``
    hours = models.JSONField(default=dict)
    #: activity id -> the brief details of the activity (Appendix 2)
    details = models.JSONField(default=dict)
    #: the line manager's comment when they last returned it
    comment = models.TextField(blank=True)
    changed_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)
    #: which pro-forma step this is (a notice per step, so a second sending notifies again)
    steps = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["school", "label", "staff_id"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "label", "staff_id"], name="one_proforma_per_post"
            )
        ]

    def __str__(self) -> str:
        return f"{self.staff_id}'s pro-forma, {self.label}"


class ProformaSignature(models.Model):
    """Appendix 2's "Signed … Position … Date", with the SHA-256 of what was signed."""

    class SignedAs(models.TextChoices):
        TEACHER = core.TEACHER, "Teacher"
        LINE_MANAGER = core.LINE_MANAGER, "Line manager"

    proforma = models.ForeignKey(Proforma, on_delete=models.CASCADE, related_name="signatures")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=20, choices=SignedAs.choices)
    #: the signer's position, as the form asks ("Principal teacher")
    position = models.CharField(max_length=100)
    signed_at = models.DateTimeField()
    content_hash = models.CharField(max_length=64)
    #: the pro-forma as signed (core ``ProformaState.as_document``), to say what changed
    document = models.JSONField()

    class Meta:
        ordering = ["signed_at", "pk"]
