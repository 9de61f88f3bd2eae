"""The day a council sets for its schools' agreements of a session (JNCT2.7 16.5: each
school's agreement is submitted to the Head of Service), in place of the pack's default:
read wherever the agreement's due day is (the council overview, the school's stage, the
next steps, the calendar feeds), and set by the council's officers."""

from __future__ import annotations

from datetime import date, datetime

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction

from fairload.web.audit.services import audit_record
from fairload.web.schools.models import AgreementDeadline, Council, SchoolYear


def council_deadline(year: SchoolYear) -> date | None:
    """The day the council set for this year's session, if it set one."""
    return (
        AgreementDeadline.objects.filter(council_id=year.school.council_id, label=year.label)
        .values_list("due", flat=True)
        .first()
    )


def council_sessions(council: Council) -> list[str]:
    """The sessions the council's schools have years for, newest first."""
    labels = SchoolYear.objects.filter(school__council=council).values_list("label", flat=True)
    return sorted(set(labels), reverse=True)


def council_deadline_set(
    *, actor: AbstractBaseUser, council: Council, label: str, due: date, now: datetime
) -> AgreementDeadline:
    """Set (or move) the session's day, with an entry in the audit log that says from
    what to what."""
    with transaction.atomic():
        before = (
            AgreementDeadline.objects.select_for_update()
            .filter(council=council, label=label)
            .values_list("due", flat=True)
            .first()
        )
        deadline, _ = AgreementDeadline.objects.update_or_create(
            council=council, label=label, defaults={"due": due, "set_by": actor, "set_at": now}
        )
        audit_record(
            actor=actor,
            action="agreement.deadline",
            summary=f"{council.name} set the {label} agreements' due day to "
            f"{due:%A} {due.day} {due:%B %Y}"
            + (f" (it was {before.day} {before:%B %Y})" if before else ""),
            details={"label": label, "before": str(before) if before else None, "after": str(due)},
        )
    return deadline
