"""Who may see and do what: a person's roles, each in a school or across a council.

A person may hold roles in several schools. A union rep's or officer's role is a job in
the process and names the union they act for. Union membership itself is special-category
data: a person declares their own (UnionMembership), and only they, the reps of that union
in their school and that union's officers for their council may see it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    TEACHER = "teacher", "Teacher"
    UNION_REP = "union-rep", "Union representative"
    HEAD = "head", "Head teacher or line manager"
    COUNCIL_OFFICER = "council-officer", "Council officer"
    UNION_OFFICER = "union-officer", "Union local officer"
    # JNCT2.7 3.3, 17.2-17.5: the Joint Secretaries of the council's JNCT, one per side.
    JNCT_MANAGEMENT = "jnct-management", "JNCT joint secretary (management side)"
    JNCT_TEACHERS = "jnct-teachers", "JNCT joint secretary (teachers' side)"
    SITE_ADMIN = "site-admin", "Site administrator"


#: Roles held in one school, and roles held across a council's schools.
SCHOOL_ROLES = {Role.TEACHER, Role.UNION_REP, Role.HEAD}
COUNCIL_ROLES = {Role.COUNCIL_OFFICER, Role.UNION_OFFICER, Role.JNCT_MANAGEMENT, Role.JNCT_TEACHERS}
#: The JNCT's Joint Secretaries, each for one side (as an appeal's record names them).
JOINT_SECRETARY_SIDES = {
    Role.JNCT_MANAGEMENT: "joint-secretary-management",
    Role.JNCT_TEACHERS: "joint-secretary-teachers",
}


class Membership(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    council = models.ForeignKey(
        "schools.Council", null=True, blank=True, on_delete=models.CASCADE, related_name="members"
    )
    union = models.CharField(
        max_length=60, blank=True, help_text="For a union rep or officer: the union they act for"
    )

    class Meta:
        constraints = [
            # Lists, not the sets above: a set's order changes from run to run, and the
            # migration autodetector would then see a new constraint every time.
            models.CheckConstraint(
                name="membership_scope_fits_role",
                condition=(
                    models.Q(
                        role__in=[Role.TEACHER.value, Role.UNION_REP.value, Role.HEAD.value],
                        school__isnull=False,
                    )
                    | models.Q(
                        role__in=[
                            Role.UNION_OFFICER.value,
                            Role.COUNCIL_OFFICER.value,
                            Role.JNCT_MANAGEMENT.value,
                            Role.JNCT_TEACHERS.value,
                        ],
                        council__isnull=False,
                    )
                    | models.Q(role=Role.SITE_ADMIN.value)
                ),
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school", "council"], name="one_membership_per_scope"
            ),
        ]

    def __str__(self) -> str:
        where = self.school or self.council or "everywhere"
        return f"{self.user} — {self.get_role_display()} — {where}"


class UnionMembership(models.Model):
    """A person's own statement of their union, which they alone may make or remove."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="union_membership"
    )
    union = models.CharField(max_length=60)
    declared_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"{self.user}: {self.union}"
