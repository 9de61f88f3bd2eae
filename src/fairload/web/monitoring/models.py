"""The committee's record during the session (JNCT2.7 16.6).

16.6: "The School Negotiating Committee should also be consulted where appropriate on all
relevant changes to practice and policies which might impact on workload. The Committee
should meet in the course of the session to monitor the effectiveness of the agreement
and to consider specific issues that may be raised by staff."

- ``Meeting``: a dated meeting, who attended (names as recorded) and its minutes;
- ``StaffIssue``: an issue a teacher raises, and the committee's response. A teacher may
  ask that management sees it without their name (``name_withheld``): then no page,
  export or audit entry shows management who raised it (policies.raiser_visible);
- ``PracticeChange``: a change to practice or policy that may affect workload, recorded
  as consulted on or not; where the school's pack names a workload question for it (the
  NUT's instruction 18 question), record.py answers it in the year's document.

Rows name the school and the year's label rather than the year's row, so a year replaced
by a re-import (a new row under the same label) keeps its record, as agreements do.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Meeting(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="monitoring_meetings"
    )
    label = models.CharField(max_length=20, help_text="The school year's label, e.g. 2025-26")
    held_on = models.DateField()
    #: the names of those who attended, as the minutes record them
    attendees = models.JSONField(default=list)
    minutes = models.TextField()

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["school", "label"])]

    def __str__(self) -> str:
        return f"Committee meeting of {self.held_on:%d %B %Y}"


class StaffIssue(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="monitoring_issues"
    )
    label = models.CharField(max_length=20)
    #: who raised it; shown to management only when name_withheld is False
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    name_withheld = models.BooleanField(
        default=False, help_text="Management sees the issue without the teacher's name"
    )
    raised_on = models.DateField()
    title = models.CharField(max_length=200)
    details = models.TextField()
    response = models.TextField(blank=True)
    responded_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["-raised_on", "-pk"]
        indexes = [models.Index(fields=["school", "label"])]
        constraints = [
            models.CheckConstraint(
                name="issue_response_dated",
                condition=(models.Q(response="") & models.Q(responded_on__isnull=True))
                | (~models.Q(response="") & models.Q(responded_on__isnull=False)),
            )
        ]

    def __str__(self) -> str:
        return self.title


class PracticeChange(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="practice_changes"
    )
    label = models.CharField(max_length=20)
    title = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    introduced_on = models.DateField()
    consulted = models.BooleanField()
    #: when and how the committee was consulted, or why it was not
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["-introduced_on", "-pk"]
        indexes = [models.Index(fields=["school", "label"])]

    def __str__(self) -> str:
        return self.title
