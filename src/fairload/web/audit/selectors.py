"""Reading the audit log."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Q, QuerySet

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import School

#: Actions that record a read, not a change; the changes page leaves them out.
READ_SUFFIX = ".read"

#: Entries an app keeps off the school's changes page, which the head and the council
#: read: a union's dispute case and its members' ballots (web/disputes) are shown on the
#: case's own page to the union's people only. Each a function giving the entries' Q.
PRIVATE: list[Callable[[], Q]] = []


def audit_private_register(entries: Callable[[], Q]) -> None:
    PRIVATE.append(entries)


def audit_entries_for(*, school: School) -> QuerySet[AuditEntry]:
    """The school's changes (reads of special-category data are logged but not listed)."""
    entries = AuditEntry.objects.filter(school=school).exclude(action__endswith=READ_SUFFIX)
    for private in PRIVATE:
        entries = entries.exclude(private())
    return entries.select_related("actor")
