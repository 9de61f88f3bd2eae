"""The audit log: who changed what (and who read special-category data), and when.

Entries are only ever added, and the database enforces it: triggers (migration 0002)
refuse any UPDATE or DELETE of an entry, except the one change a deletion elsewhere makes,
forgetting the link to a deleted login or school. An entry keeps the username and the
school's name as text, so the record survives both being deleted. Details hold the
figures that changed (old and new), never union membership, which is special-category
data.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class AuditEntry(models.Model):
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    actor_name = models.CharField(max_length=150)
    action = models.CharField(max_length=60)
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
    )
    #: The school's name when the entry was made, kept if the school is deleted.
    school_name = models.CharField(max_length=200, blank=True, default="")
    summary = models.CharField(max_length=500)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name_plural = "audit entries"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name}: {self.summary}"
