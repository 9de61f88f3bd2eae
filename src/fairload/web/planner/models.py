"""A run of the planner (fairload.core.planner) on a school's live year, asked for on the
agreement's draft and solved by the task worker (tasks.py), never in the request."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PlanRun(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        RUNNING = "running", "Solving"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    class Mode(models.TextChoices):
        PROPOSE = "propose", "Propose a calendar"
        FIX = "fix", "Fix my calendar"
        WHAT_IF = "what-if", "What if"

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    #: the school year's label: a year replaced by an import keeps its runs
    label = models.CharField(max_length=20)
    mode = models.CharField(max_length=10, choices=Mode.choices)
    #: the ``plan`` section (YAML) the run solved: the school's wishes
    plan_text = models.TextField()
    #: the year's revision when asked: a calendar is applied only to the year it was made for
    revision = models.PositiveIntegerField()
    #: a what-if's changes, in the core's words (core/planner/whatif.py): "WISH.count=N"
    what_if = models.JSONField(default=list, blank=True)
    #: the what-if in words, as the person chose it ("1 more like 'S4 parents' evening'")
    asked = models.CharField(max_length=300, blank=True)
    #: the run whose proposal a what-if starts from (none: the year's own calendar)
    base = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    #: {"report": plan_report(...), "events": the proposed year's events, "before": [...]}
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    applied_at = models.DateTimeField(null=True, blank=True)
    applied_version = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.school_id} {self.label} {self.mode} #{self.pk} ({self.status})"

    @property
    def finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)

    @property
    def title(self) -> str:
        """What the run asked, for its page: "Propose a calendar", "What if: …"."""
        if self.mode == self.Mode.WHAT_IF:
            return "What if: " + (self.asked or "; ".join(self.what_if))
        return str(self.Mode(self.mode).label)

    @property
    def found(self) -> bool:
        report = (self.result or {}).get("report", {})
        return self.status == self.Status.DONE and report.get("status") in ("optimal", "feasible")


class YearPlan(models.Model):
    """A school year's ``plan`` section (docs/school-year-format.md#plan): what the school
    wants to hold, as YAML. Stored by the import with the year (record.py) and written
    back into its document, so an export or a calendar applied keeps it."""

    year = models.OneToOneField(
        "schools.SchoolYear", on_delete=models.CASCADE, related_name="plan_section"
    )
    text = models.TextField()

    def __str__(self) -> str:
        return f"plan of {self.year_id}"
