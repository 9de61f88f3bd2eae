"""Writing to the audit log. Every service that changes a school's data calls this."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser

from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import School


def audit_record(
    *,
    actor: AbstractBaseUser | AnonymousUser | None,
    action: str,
    summary: str,
    school: School | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEntry:
    """Add one entry. `action` is a short machine name (``event.edit``); `summary` is the
    sentence a head or rep reads; `details` the values before and after."""
    person = actor if actor is not None and actor.is_authenticated else None
    return AuditEntry.objects.create(
        actor=person,
        actor_name=person.get_username() if person is not None else "system",
        action=action,
        school=school,
        school_name=school.name if school is not None else "",
        summary=summary[:500],
        details=details or {},
    )


def audit_changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    """The fields whose values differ, as {field: [old, new]} (JSON-safe as text)."""
    changed: dict[str, Any] = {}
    for key in sorted(set(before) | set(after)):
        old, new = before.get(key), after.get(key)
        if old != new:
            changed[key] = [_plain(old), _plain(new)]
    return changed


def _plain(value: Any) -> Any:
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return str(value)
