"""The development server and the background worker together (what `make run` runs).

    fairload-web run_with_worker [ADDR:PORT]

The worker (notices_worker) runs in a child process of its own session, so it restarts
with the code on its own; Ctrl-C (or the end of the server, however it ends) stops it,
politely first, then for good after ten seconds. Production runs the two as separate
services instead (README, "Running it for a council").
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from typing import Any

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

#: how long the worker may take to finish its task when asked to stop
STOP_WAIT = 10


def _stop(worker: subprocess.Popen[bytes]) -> int:
    """Stop the worker's whole process group (the autoreloader runs it as a grandchild)."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGTERM)
        try:
            worker.wait(timeout=STOP_WAIT)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)
            worker.wait()
    return worker.returncode


class Command(BaseCommand):
    help = "Run the development server and the task worker together; Ctrl-C stops both."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args: Any, addrport: str, **options: Any) -> None:
        if os.environ.get("RUN_MAIN") == "true":
            # The server's autoreloader runs this command again in its child: the worker
            # was started by the parent.
            call_command("runserver", addrport)
            return
        worker = subprocess.Popen(
            [sys.executable, "-m", "fairload.web.manage", "notices_worker"],
            start_new_session=True,
        )
        self.stdout.write(f"The worker is running (process {worker.pid}).")
        try:
            call_command("runserver", addrport)
        except KeyboardInterrupt:
            pass
        finally:
            code = _stop(worker)
            self.stdout.write(f"Stopped the worker (exit {code}).")
