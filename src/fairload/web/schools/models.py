"""Councils, schools, school years, staff posts and calendar events.

A school year's calendar details, policy answers, agreement and pro-formas are small
documents kept as JSON in the school-year format's own shape; staff posts and events
are rows, because they are edited one at a time. ``fairload.web.schools.to_core``
turns a year back into the core's SchoolYear.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from fairload.core.school_year import Nation, Post, Sector


def _choices(enum: type) -> list[tuple[str, str]]:
    return [(member.value, member.value.replace("-", " ").capitalize()) for member in enum]


class Council(models.Model):
    """A local authority (or an academy trust) and the pack its agreement is written in."""

    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=200)
    pack = models.CharField(
        max_length=200, help_text="Pack id, e.g. scotland/south-ayrshire-jnct-2.7"
    )

    def __str__(self) -> str:
        return self.name


class AgreementDeadline(models.Model):
    """The day a council wants its schools' agreements for one session (JNCT2.7 16.5:
    submitted to the Head of Service), set by its officers in place of the pack's default.
    The day means what the pack's deadline means: due before it."""

    council = models.ForeignKey(
        Council, on_delete=models.CASCADE, related_name="agreement_deadlines"
    )
    #: the session, as its school years are labelled (e.g. 2025-26)
    label = models.CharField(max_length=20)
    due = models.DateField()
    set_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    set_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["council", "label"], name="one_agreement_deadline_per_session"
            )
        ]

    def __str__(self) -> str:
        return f"{self.council} {self.label}: {self.due}"


class School(models.Model):
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="schools")
    slug = models.SlugField(unique=True, max_length=100)
    name = models.CharField(max_length=200)
    pack = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=_choices(Sector))
    nation = models.CharField(max_length=20, choices=_choices(Nation))
    roll = models.PositiveIntegerField()
    pupil_day_start = models.TimeField()
    pupil_day_end = models.TimeField()
    period_minutes = models.PositiveIntegerField(null=True, blank=True)
    periods_per_week = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class SchoolYear(models.Model):
    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="years")
    label = models.CharField(max_length=20)
    start = models.DateField()
    end = models.DateField()
    #: terms, inservice_days, closures, open_on_bank_holidays, as in the school-year format
    calendar = models.JSONField(default=dict)
    policy = models.JSONField(default=dict)
    agreement = models.JSONField(default=dict)
    proformas = models.JSONField(default=list)
    imported_at = models.DateTimeField(auto_now=True)
    #: Bumped by every change to the year or its rows (services.year_touch), so a check
    #: result cached under (pk, revision) is never stale, on any application server.
    revision = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["school__name", "-start"]
        constraints = [
            models.UniqueConstraint(fields=["school", "label"], name="one_year_per_label")
        ]

    def __str__(self) -> str:
        return f"{self.school.name} {self.label}"


#: The StaffPost fields that carry a core StaffMember's optional figures, by the same names.
STAFF_FIGURES = (
    "fte",
    "job_size",
    "probationer",
    "qts",
    "contact_hours_per_week",
    "contact_periods_per_week",
    "management_periods_per_week",
    "management_hours_per_week",
    "ppa_hours_per_week",
    "timetabled_hours_per_week",
    "leadership_hours_per_week",
    "tlr",
    "leadership_pay",
    "management_responsibilities",
)


class StaffPost(models.Model):
    """A teacher's post in one school year: what the agreement needs to know, no more."""

    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="staff")
    staff_id = models.SlugField(max_length=100)
    name = models.CharField(max_length=200)
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff_posts",
    )
    post = models.CharField(max_length=40, choices=_choices(Post))
    department = models.CharField(max_length=100, blank=True)
    fte = models.FloatField(default=1.0)
    job_size = models.PositiveIntegerField(null=True, blank=True)
    probationer = models.BooleanField(default=False)
    qts = models.BooleanField(default=True)
    contact_hours_per_week = models.FloatField(null=True, blank=True)
    contact_periods_per_week = models.PositiveIntegerField(null=True, blank=True)
    management_periods_per_week = models.PositiveIntegerField(null=True, blank=True)
    management_hours_per_week = models.FloatField(null=True, blank=True)
    ppa_hours_per_week = models.FloatField(null=True, blank=True)
    timetabled_hours_per_week = models.FloatField(null=True, blank=True)
    leadership_hours_per_week = models.FloatField(null=True, blank=True)
    tlr = models.BooleanField(default=False)
    leadership_pay = models.BooleanField(default=False)
    management_responsibilities = models.BooleanField(default=False)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["school_year", "staff_id"], name="one_post_per_staff_id"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.staff_id})"


class Event(models.Model):
    school_year = models.ForeignKey(SchoolYear, on_delete=models.CASCADE, related_name="events")
    event_id = models.CharField(max_length=120)
    title = models.CharField(max_length=300)
    category = models.CharField(max_length=40)
    date = models.DateField()
    start = models.TimeField()
    end = models.TimeField()
    attendees = models.ManyToManyField(StaffPost, related_name="events", blank=True)
    observer = models.ForeignKey(
        StaffPost, null=True, blank=True, on_delete=models.SET_NULL, related_name="observing"
    )
    observed = models.ForeignKey(
        StaffPost, null=True, blank=True, on_delete=models.SET_NULL, related_name="observed_in"
    )
    activity = models.CharField(max_length=100, blank=True)
    foreseeable = models.BooleanField(null=True, blank=True)
    during_ppa = models.BooleanField(default=False)

    class Meta:
        ordering = ["date", "start"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "event_id"], name="one_event_per_id")
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.date})"
