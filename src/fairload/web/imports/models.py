"""An uploaded file waiting to be previewed and applied: imports are never applied blind.

The upload is kept as text until its uploader applies it (or for a day), so the preview
and the apply read exactly the same file. Applying clears the text, since staff names are
personal data and the stored year now holds them; the row stays so the same upload cannot
be applied twice.
"""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.db import models

#: How long an upload (which holds staff names) waits to be applied: settings.py.
PENDING_FOR = timedelta(hours=settings.FAIRLOAD_PENDING_IMPORT_HOURS)


class ImportKind(models.TextChoices):
    SCHOOL_YEAR = "school-year", "A whole school year (.yaml or .json)"
    STAFF_CSV = "staff-csv", "Staff (.csv)"
    EVENTS_ICS = "events-ics", "Calendar events (.ics)"
    EVENTS_CSV = "events-csv", "Calendar events (.csv)"


class PendingImport(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="pending_imports"
    )
    #: The school imported into; empty for a whole school that is not stored yet.
    school = models.ForeignKey(
        "schools.School",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pending_imports",
    )
    kind = models.CharField(max_length=20, choices=ImportKind.choices)
    filename = models.CharField(max_length=255)
    text = models.TextField()
    #: remove_missing_staff, replace_all_events (booleans)
    options = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.filename}"

    @property
    def expires_at(self) -> datetime:
        return self.created_at + PENDING_FOR

    def expired(self, now: datetime) -> bool:
        return now >= self.expires_at

    def option(self, name: str) -> bool:
        return bool(self.options.get(name, False))
