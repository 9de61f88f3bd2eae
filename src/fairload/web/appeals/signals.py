"""A failure to agree reported on the agreement's page (agreements.services.failure_report,
17.2) opens the appeal and tells the Joint Secretaries: the agreements app knows nothing
of appeals, so this listens, in the report's own transaction."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from fairload.web.agreements.models import FailureReport


@receiver(post_save, sender=FailureReport, dispatch_uid="appeal-failure-reported")
def failure_reported(
    sender: type[FailureReport], instance: FailureReport, created: bool, **kwargs: Any
) -> None:
    if not created or kwargs.get("raw"):
        return
    from fairload.web.appeals.services import appeal_open

    appeal_open(report=instance, now=instance.started_at)
