"""Forget uploads older than FAIRLOAD_PENDING_IMPORT_HOURS (run it hourly, e.g. from cron).

An upload holds staff names until it is applied; every new upload clears out expired ones
too, but a quiet site should not keep them.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.utils import timezone

from fairload.web.imports.services import pending_imports_purge


class Command(BaseCommand):
    help = "Delete uploads waiting to be imported that are past FAIRLOAD_PENDING_IMPORT_HOURS."

    def handle(self, *args: Any, **options: Any) -> None:
        deleted = pending_imports_purge(now=timezone.now())
        self.stdout.write(f"Deleted {deleted} expired upload{'s' if deleted != 1 else ''}.")
