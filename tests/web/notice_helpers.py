"""Running the background worker inside a test, as `fairload-web notices_worker --batch`.

The worker is django-tasks-db's own ``db_worker``, in batch mode: it runs every task that
is due, then stops. Two things of a long-running worker are left out here: it closes old
database connections between tasks (which would end the test's transaction) and it takes
over SIGINT and SIGTERM (put back afterwards).
"""

from __future__ import annotations

import signal

import pytest
from django.core.management import call_command

_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGQUIT)


def run_worker(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        "django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None
    )
    saved = {s: signal.getsignal(s) for s in _SIGNALS}
    try:
        call_command("notices_worker", "--batch", verbosity=0)
    finally:
        for number, handler in saved.items():
            signal.signal(number, handler)
