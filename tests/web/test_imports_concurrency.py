"""Writes at the same moment: a re-import while three people add events answers every
request, with no "database is locked" 500s, on SQLite (the default) as on PostgreSQL.

The requests run in real threads, each on its own database connection. On SQLite the
test's in-memory database is copied to a file first, since the default deployment is a
file and an in-memory database shared between connections locks differently (table
locks that a busy timeout does not wait on).
"""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.signals import got_request_exception
from django.db import connection, connections
from django.test import Client

from fairload.web.audit.models import AuditEntry

from .conftest import SCOTTISH
from .test_editing import event_form, url
from .test_imports import START, revision_in

ADDERS = 3
ADDS_EACH = 5
IMPORTS = 3
APPLY_TRIES = 20


@pytest.fixture
def database_file(tmp_path: Path) -> Iterator[None]:
    """On SQLite: every new connection opens a file copy of the test database."""
    if connection.vendor != "sqlite":
        yield
        return
    settings = connections.settings["default"]
    memory = settings["NAME"]
    connection.ensure_connection()
    # Keeps the shared in-memory database alive while its connections are switched away.
    keeper = sqlite3.connect(memory, uri=True) if str(memory).startswith("file:") else None
    path = tmp_path / "fairload.sqlite3"
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings["NAME"] = str(path)
    try:
        yield
    finally:
        settings["NAME"] = memory
        if keeper is not None:
            keeper.close()


def closing(
    work: Callable[..., Any], *args: Any, into: list[Any] | None = None
) -> threading.Thread:
    """A thread that runs ``work`` on its own database connection and closes it when done."""

    def run() -> None:
        try:
            result = work(*args)
            if into is not None:
                into.append(result)
        finally:
            connections.close_all()

    return threading.Thread(target=run)


def in_thread(work: Callable[[], Any]) -> Any:
    """Run ``work`` in a new thread and return its result."""
    result: list[Any] = []
    thread = closing(work, into=result)
    thread.start()
    thread.join()
    return result[0]


def signed_in(user: Any) -> Client:
    """A client whose session is stored where the threads will look (the file, on SQLite)."""
    client = Client(raise_request_exception=False)
    in_thread(lambda: client.force_login(user))
    return client


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_a_reimport_while_three_people_add_events_answers_every_request(cast, database_file):
    clients = [signed_in(cast[who]) for who in ["head", "admin", "head"]]
    importer = signed_in(cast["head"])
    statuses: list[int] = []
    errors: list[str] = []
    go = threading.Barrier(ADDERS + 1)

    def answered(response: Any) -> Any:
        statuses.append(response.status_code)
        return response

    def failed(sender: Any, request: Any, **kwargs: Any) -> None:
        errors.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(failed)

    adds: list[int] = []

    def add_events(n: int) -> None:
        go.wait()
        for k in range(ADDS_EACH):
            form = event_form(title=f"Briefing {n}-{k}", category="briefing")
            adds.append(answered(clients[n].post(url("event-add"), form)).status_code)

    def reimport() -> None:
        go.wait()
        for _ in range(IMPORTS):
            with SCOTTISH.open("rb") as file:
                response = answered(importer.post(START, {"kind": "school-year", "file": file}))
            if response.status_code != 302:
                continue
            preview = response["Location"]
            page = answered(importer.get(preview)).content.decode()
            # Applying shows the new preview while others change the year; apply that one.
            for _ in range(APPLY_TRIES):
                if 'name="revision"' not in page:  # applied, or the file changes nothing
                    break
                done = answered(importer.post(preview, {"revision": revision_in(page)}))
                page = done.content.decode() if done.status_code == 200 else ""

    threads = [closing(add_events, n) for n in range(ADDERS)]
    threads.append(closing(reimport))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    got_request_exception.disconnect(failed)

    assert sum(s >= 500 for s in statuses) == len(errors)
    assert len(statuses) >= ADDERS * ADDS_EACH + 2 * IMPORTS
    assert errors == [], f"{len(errors)} of {len(statuses)} requests answered 5xx: {errors[:3]}"
    writes = in_thread(
        lambda: list(AuditEntry.objects.values_list("action", flat=True).order_by("pk"))
    )
    # An add made to the year a re-import replaced while the form was sent answers 'gone'
    # (410, with a page that says so: edit_flow.missing), never a 500 and never a save
    # into the replaced year; every add that says it saved (a redirect) saved once.
    assert len(adds) == ADDERS * ADDS_EACH and adds.count(302) > 0, adds
    assert writes.count("event.create") == adds.count(302), (adds, writes)
    assert writes.count("import.school-year") >= 1
