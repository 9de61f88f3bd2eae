"""Run the background worker: the notices' emails and every other queued task.

    fairload-web notices_worker            # beside the application servers, as a service
    fairload-web notices_worker --batch    # run what is due now, then stop (cron, tests)

It first queues again what a stopped worker or a lost task left behind (notices_sweep)
and hands any ballot notices still waiting to the queue, then runs django-tasks-db's
``db_worker`` on every queue. Run one or more per site; each claims a task with a row
lock, so no task runs twice.
"""

from __future__ import annotations

from argparse import BooleanOptionalAction
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

from fairload.web.notices.services import notices_sweep
from fairload.web.notices.tasks import ballot_notices_queue


class Command(BaseCommand):
    help = "Run the task worker (notification emails and other background work)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--batch", action="store_true", help="run the tasks that are due, then stop"
        )
        parser.add_argument(
            "--reload",
            action=BooleanOptionalAction,
            default=settings.DEBUG,
            help="restart when the code changes (the default in development)",
        )

    def handle(self, *args: Any, batch: bool, reload: bool, **options: Any) -> None:
        again = notices_sweep()
        if again:
            self.stdout.write(f"Queued {again} notices again that a stopped worker had left.")
        ballot_notices_queue.enqueue()
        call_command(
            "db_worker",
            queue_name="*",
            batch=batch,
            reload=reload and not batch,
            startup_delay=not batch,
            verbosity=options.get("verbosity", 1),
        )
