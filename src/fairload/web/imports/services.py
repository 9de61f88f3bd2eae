"""Services that write: keeping an upload until it is applied, and applying it whole."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.utils import timezone

from fairload.web.audit.services import audit_record
from fairload.web.imports.models import PENDING_FOR, ImportKind, PendingImport
from fairload.web.imports.plans import Plan, import_plan
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.services import school_year_import


def pending_imports_purge(*, now: datetime) -> int:
    """Forget uploads older than a day, applied or not: they hold personal data."""
    deleted, _ = PendingImport.objects.filter(created_at__lt=now - PENDING_FOR).delete()
    return deleted


def upload_allowed_at(*, user: AbstractBaseUser, now: datetime) -> datetime | None:
    """When the person may upload again, if they have used up their uploads for now.

    At most ``FAIRLOAD_UPLOAD_LIMIT`` uploads in any ``FAIRLOAD_UPLOAD_WINDOW_MINUTES``:
    the stored uploads are the count, so it holds across application servers."""
    most = settings.FAIRLOAD_UPLOAD_LIMIT
    window = timedelta(minutes=settings.FAIRLOAD_UPLOAD_WINDOW_MINUTES)
    recent = list(
        PendingImport.objects.filter(user=user, created_at__gt=now - window)
        .order_by("-created_at")
        .values_list("created_at", flat=True)[:most]
    )
    if len(recent) < most:
        return None
    return recent[-1] + window


def pending_import_create(
    *,
    user: AbstractBaseUser,
    school: School | None,
    kind: str,
    filename: str,
    text: str,
    options: dict[str, Any],
) -> PendingImport:
    """Keep an upload for its preview (and clear out expired ones)."""
    pending_imports_purge(now=timezone.now())
    return PendingImport.objects.create(
        user=user, school=school, kind=kind, filename=filename, text=text, options=options
    )


def pending_import_cancel(
    *, pending: PendingImport, actor: AbstractBaseUser | AnonymousUser
) -> bool:
    """The uploader changed their mind: delete the upload (and the personal data in it)
    and say so in the audit log. False if it was applied or cancelled already (nothing is
    written then)."""
    with transaction.atomic():
        deleted, _ = PendingImport.objects.filter(pk=pending.pk, applied_at=None).delete()
        if not deleted:
            return False
        audit_record(
            actor=actor,
            action="import.cancel",
            school=pending.school,
            summary=f"Cancelled the upload of {pending.filename} before applying it; "
            "the file was deleted",
            details={"file": pending.filename, "kind": str(ImportKind(pending.kind).value)},
        )
    return True


class ImportRefused(Exception):
    """The import was not applied; nothing was written. ``reason`` says why:

    - ``applied``: it has been applied already;
    - ``expired``: it waited more than a day;
    - ``changed``: the school's year changed since the preview was shown (``plan`` is new);
    - ``problems``: the file has problems (``plan`` lists them).
    """

    def __init__(self, reason: str, plan: Plan | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.plan = plan


@dataclass(frozen=True)
class Applied:
    year: SchoolYear
    summary: str


def pending_import_apply(
    *,
    pending: PendingImport,
    actor: AbstractBaseUser | AnonymousUser,
    seen_revision: str,
) -> Applied:
    """Apply an upload completely, or change nothing (raising ImportRefused).

    In one transaction: claim the upload (so it is applied once, even by two requests at
    the same moment), validate it again against the school as it is now, store the whole
    year through ``school_year_import``, and write the audit entry. ``seen_revision`` is
    the plan's revision shown in the preview; if the stored year has changed since, the
    person is shown the new preview instead.
    """
    now = timezone.now()
    with transaction.atomic():
        claimed = PendingImport.objects.filter(
            pk=pending.pk, applied_at=None, created_at__gt=now - PENDING_FOR
        ).update(applied_at=now)
        if not claimed:
            pending.refresh_from_db()
            raise ImportRefused("applied" if pending.applied_at else "expired")
        plan = import_plan(pending)
        if plan.problems or plan.document is None:
            raise ImportRefused("problems", plan)
        if plan.revision != seen_revision:
            raise ImportRefused("changed", plan)
        year = school_year_import(document=plan.document, source=pending.filename)
        summary = plan.summary()
        audit_record(
            actor=actor,
            action=f"import.{pending.kind}",
            school=year.school,
            summary=summary,
            details=plan.audit_details(),
        )
        # The stored year holds the data now; the upload's copy of it is not kept.
        PendingImport.objects.filter(pk=pending.pk).update(text="")
    pending.refresh_from_db()
    return Applied(year, summary)
