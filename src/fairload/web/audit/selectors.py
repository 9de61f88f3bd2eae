"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import School


def audit_entries_for(*, school: School) -> QuerySet[AuditEntry]:
    return AuditEntry.objects.filter(school=school).select_related("actor")
