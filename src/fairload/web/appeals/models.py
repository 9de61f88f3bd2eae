"""Appeals after a failure to agree (South Ayrshire JNCT2.7 section 17), and the planned
flexible approaches submitted to the Joint Secretaries for confirmation (3.3).

- ``Appeal``: one per school year's failure to agree, opened when either side reports it
  (17.2, agreements.FailureReport).
- ``Meeting``: the informal meeting (the first 17.3) or the formal hearing (the second
  17.3, 17.4), with its day, attendees (``Attendee``) and outcome once held.
- ``Conclusion``: the Joint Secretaries' conclusion, final and binding (17.5), which may
  determine the school's arrangement (17.1).
- ``AppealDocument``: a document filed at a stage: an uploaded file, or a frozen check
  record of the school (its JSON and SHA-256).
- ``FlexibleApproach``: a school's planned flexible approach to working hours (3.3, SNCT
  14/43), submitted in advance and in force only once the Joint Secretaries confirm it.

Which step may follow which, whether a gate is met and what the stage is are the core's
(fairload.core.appeal, fairload.core.process) over the record these rows make (record.py).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Appeal(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="appeals")
    #: The school year's label, e.g. 2025-26 (a year replaced by an import keeps its appeal).
    label = models.CharField(max_length=20)
    #: The report that opened it (17.2: "reported, by either side").
    report = models.OneToOneField(
        "agreements.FailureReport", on_delete=models.CASCADE, related_name="appeal"
    )
    opened_at = models.DateTimeField()

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="one_appeal_per_year")
        ]

    def __str__(self) -> str:
        return f"The appeal of {self.school} {self.label}"


class Meeting(models.Model):
    class Kind(models.TextChoices):
        INFORMAL = "informal_meeting", "Informal meeting"
        HEARING = "hearing", "Formal appeals hearing"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    on = models.DateField()
    place = models.CharField(max_length=200, blank=True)
    convened_at = models.DateTimeField()
    convened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Informal: "resolved" or "not resolved"; hearing: what it heard, in words. Blank
    #: until it is held.
    outcome = models.TextField(blank=True)
    notes = models.TextField(blank=True)
    outcome_at = models.DateTimeField(null=True, blank=True)
    outcome_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["appeal", "on", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["appeal", "kind"], name="one_meeting_of_each_kind")
        ]

    @property
    def held(self) -> bool:
        return bool(self.outcome)


class Attendee(models.Model):
    class As(models.TextChoices):
        # the school-year format's own names (agreement.appeal ... attendees[].role)
        HEAD = "head-teacher", "Head teacher"
        REP = "union-rep", "Union representative"
        JS_MANAGEMENT = "joint-secretary-management", "Joint Secretary (management side)"
        JS_TEACHERS = "joint-secretary-teachers", "Joint Secretary (teachers' side)"
        MANAGEMENT = "management-side", "Member of the Management Side"
        TEACHERS = "teachers-side", "Member of the Teachers' Side"
        WITNESS = "witness", "Witness"

    class CalledBy(models.TextChoices):
        HEAD = "head-teacher", "The head teacher"
        REP = "union-rep", "The union representatives"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField(max_length=200)
    role = models.CharField(max_length=30, choices=As.choices)
    #: A Joint Secretary's nominee (17.3, 17.4, 17.5: "or their nominees").
    nominee = models.BooleanField(default=False)
    #: A witness: the side that called them (17.4).
    called_by = models.CharField(max_length=20, choices=CalledBy.choices, blank=True)

    class Meta:
        ordering = ["meeting", "pk"]


class Conclusion(models.Model):
    appeal = models.OneToOneField(Appeal, on_delete=models.CASCADE, related_name="conclusion")
    on = models.DateField()
    decision = models.TextField()
    #: 17.1: the conclusion determines the school's working time arrangement.
    determines_arrangement = models.BooleanField(default=False)
    recorded_at = models.DateTimeField()
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Who reached it: the Joint Secretaries (or their nominees), as attendee dicts.
    decided_by = models.JSONField(default=list)


class AppealDocument(models.Model):
    class Stage(models.TextChoices):
        REPORT = "report", "The report (17.2)"
        INFORMAL = "informal_meeting", "The informal meeting (17.3)"
        HEARING = "hearing", "The formal hearing (17.3, 17.4)"
        CONCLUSION = "conclusion", "The conclusion (17.5)"

    class Kind(models.TextChoices):
        UPLOAD = "upload", "Uploaded file"
        CHECK_RECORD = "check-record", "Frozen check record"

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="documents")
    stage = models.CharField(max_length=20, choices=Stage.choices)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    title = models.CharField(max_length=200)
    #: An upload's file name, or a check record's SHA-256.
    ref = models.CharField(max_length=255)
    content_type = models.CharField(max_length=100, blank=True)
    #: The file itself, kept in the database with the appeal (never on a public path).
    content = models.BinaryField()
    filed_at = models.DateTimeField()
    filed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["filed_at", "pk"]


class FlexibleApproach(models.Model):
    class Decision(models.TextChoices):
        PENDING = "pending", "Awaiting the Joint Secretaries"
        CONFIRMED = "confirmed", "Confirmed"
        DECLINED = "declined", "Not confirmed"

    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="flexible_approaches"
    )
    label = models.CharField(max_length=20, help_text="The school year's label, e.g. 2025-26")
    #: The plan (agreement.flexible_approach): the cycle its weekly limit averages over,
    #: and its cap on class contact in any single week.
    cycle_weeks = models.PositiveSmallIntegerField()
    max_contact_hours_in_any_week = models.DecimalField(max_digits=5, decimal_places=2)
    description = models.TextField()
    submitted_at = models.DateTimeField()
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision = models.CharField(max_length=10, choices=Decision.choices, default=Decision.PENDING)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: The Joint Secretary's side, as the appeal's record names it.
    decided_as = models.CharField(max_length=30, blank=True)
    reasons = models.TextField(blank=True)

    class Meta:
        ordering = ["-submitted_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["school", "label"],
                condition=models.Q(decision="pending"),
                name="one_pending_flexible_approach_per_year",
            )
        ]
