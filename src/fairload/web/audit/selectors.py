"""Reading the audit log."""

from __future__ import annotations

from django.db.models import QuerySet

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import School

#: Actions that record a read, not a change; the changes page leaves them out.
READ_SUFFIX = ".read"


def audit_entries_for(*, school: School) -> QuerySet[AuditEntry]:
    """The school's changes (reads of special-category data are logged but not listed)."""
    return (
        AuditEntry.objects.filter(school=school)
        .exclude(action__endswith=READ_SUFFIX)
        .select_related("actor")
    )
