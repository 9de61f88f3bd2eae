"""Queue again the notices a stopped worker or a lost task left behind.

    fairload-web notices_sweep            # claimed long ago and never finished, or long overdue
    fairload-web notices_sweep --failed   # also those given up on, once the mail server works

notices_worker runs it whenever it starts; a council may also run it from cron.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from fairload.web.notices.services import notices_sweep


class Command(BaseCommand):
    help = "Queue again notices left unsent by a stopped worker (with --failed, failed ones too)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--failed", action="store_true", help="also retry failed notices")

    def handle(self, *args: Any, failed: bool, **options: Any) -> None:
        count = notices_sweep(failed=failed)
        self.stdout.write(f"Queued {count} notice{'' if count == 1 else 's'} again.")
