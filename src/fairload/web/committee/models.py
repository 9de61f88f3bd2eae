"""What a school-year file records about the agreement and the timetable that is neither
an event nor a post figure, kept as rows so each can be changed on its own:

- ``AgreementGroup``: a committee or working group the agreement allocates hours to
  (South Ayrshire 7.1, Appendix 2), with its members (the file's ``agreement.groups``);
- ``NegotiatingCommittee`` and ``CommitteeSeat``: the School Negotiating Committee
  (16.1/16.2), each member named and dated, in a capacity (the file's
  ``agreement.committee``); a year with no ``NegotiatingCommittee`` row records none;
- ``TimetableCycle`` and ``CycleContact``: a timetable that repeats over several weeks
  and a teacher's contact in each week of it (SNCT 14/43, JNCT 3.3; the file's
  ``school.timetable_cycle_weeks`` and ``contact_*_by_cycle_week``).

``fairload.web.schools.to_core`` writes them into the year's document, so the checks
run on them exactly as on the file.
"""

from __future__ import annotations

from django.db import models

from fairload.web.schools.models import SchoolYear, StaffPost


class AgreementGroup(models.Model):
    school_year = models.ForeignKey(
        SchoolYear, on_delete=models.CASCADE, related_name="agreement_groups"
    )
    group_id = models.SlugField(max_length=100)
    title = models.CharField(max_length=200)
    hours = models.FloatField(help_text="Hours allocated to the group in the year")
    members = models.ManyToManyField(StaffPost, related_name="agreement_groups", blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["school_year", "group_id"], name="one_group_per_id"),
            models.CheckConstraint(
                name="group_hours_not_negative", condition=models.Q(hours__gte=0)
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.hours:g} h)"


class CommitteeRole(models.TextChoices):
    HEAD_TEACHER = "head-teacher", "Head teacher or nominee"
    SENIOR_MANAGER = "senior-manager", "Senior manager"
    UNION_REP = "union-rep", "Union representative"


class NegotiatingCommittee(models.Model):
    """The year's School Negotiating Committee, recorded (its seats are its members)."""

    school_year = models.OneToOneField(
        SchoolYear, on_delete=models.CASCADE, related_name="negotiating_committee"
    )
    #: unions with an accredited representative in the school; none: the head teacher
    #: organises the committee (16.2)
    accredited_unions = models.JSONField(default=list, blank=True)

    def __str__(self) -> str:
        return f"Negotiating committee of {self.school_year}"


class CommitteeSeat(models.Model):
    """One person on the committee, in one capacity, from one date to another."""

    committee = models.ForeignKey(
        NegotiatingCommittee, on_delete=models.CASCADE, related_name="seats"
    )
    post = models.ForeignKey(StaffPost, on_delete=models.CASCADE, related_name="committee_seats")
    role = models.CharField(max_length=20, choices=CommitteeRole.choices)
    #: the union a union representative represents (public by their role); blank otherwise
    union = models.CharField(max_length=60, blank=True)
    since = models.DateField()
    until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.CheckConstraint(
                name="seat_union_only_for_a_rep",
                condition=(models.Q(role="union-rep") & ~models.Q(union=""))
                | (~models.Q(role="union-rep") & models.Q(union="")),
            ),
            models.CheckConstraint(
                name="seat_ends_after_it_starts",
                condition=models.Q(until__isnull=True) | models.Q(until__gte=models.F("since")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.post.name}, {self.get_role_display()}"


class TimetableCycle(models.Model):
    """A timetable that repeats every ``weeks`` weeks (absent: every week the same)."""

    school_year = models.OneToOneField(
        SchoolYear, on_delete=models.CASCADE, related_name="timetable_cycle"
    )
    weeks = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.CheckConstraint(name="cycle_of_weeks", condition=models.Q(weeks__gte=2))
        ]


class CycleContact(models.Model):
    """A teacher's class contact in each week of the cycle, in hours or in periods."""

    post = models.OneToOneField(StaffPost, on_delete=models.CASCADE, related_name="cycle_contact")
    hours_by_week = models.JSONField(null=True, blank=True)
    periods_by_week = models.JSONField(null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="cycle_contact_in_hours_or_periods",
                condition=models.Q(hours_by_week__isnull=True, periods_by_week__isnull=False)
                | models.Q(hours_by_week__isnull=False, periods_by_week__isnull=True),
            )
        ]
