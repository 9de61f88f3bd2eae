"""Fixtures for every suite, and the Hypothesis profiles.

The property tests (round trips through CSV and YAML, the weekly hours) take 10-20 s
each at 150 examples. By default they run ``default`` (20 examples each, a few seconds
in all); CI sets ``HYPOTHESIS_PROFILE=slow`` (.ci/run) for 150. Run the slow ones alone
with ``HYPOTHESIS_PROFILE=slow pytest -m slow``.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import settings

settings.register_profile("default", max_examples=20, deadline=None)
settings.register_profile("slow", max_examples=150, deadline=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

_append_only = importlib.import_module("fairload.web.audit.migrations.0002_append_only")


@pytest.fixture(scope="session")
def django_db_setup(
    django_db_setup: None, django_db_use_migrations: bool, django_db_blocker: Any
) -> None:
    """The test database with the audit log's triggers, when it was made without migrations.

    The SQLite run (`make test-sqlite`) passes ``--no-migrations``: Django then makes the
    tables from the models (tests/web/test_migrations.py holds the migrations to them),
    in half a second where applying the migrations takes ten on each worker, nearly
    all of it Django rendering the models' states between them. The one thing the
    migrations add that the models do not say is 0002_append_only's triggers, so they are
    made here by the migration's own function. The PostgreSQL run applies the migrations
    as a real install does, so every `make test` still runs on migrated tables."""
    if django_db_use_migrations:  # pytest-django's own answer, which made the tables
        return
    from django.db import connections

    with django_db_blocker.unblock():
        for alias in connections:
            with connections[alias].schema_editor() as editor:
                _append_only.create_triggers(None, editor)


@pytest.fixture(autouse=True)
def _cache_on_disk_in_tmp(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A command run in a test keeps its cache (fairload.core.diskcache) in the session's
    temporary folder, never the user's, and the cache is off again after the test."""
    from fairload.core import diskcache

    monkeypatch.setenv(diskcache.CACHE_VARIABLE, str(tmp_path_factory.getbasetemp() / "cache"))
    monkeypatch.setattr(diskcache, "_directory", None)


@pytest.fixture(autouse=True)
def _audit_log_flushable_on_sqlite(request: pytest.FixtureRequest) -> Iterator[None]:
    """A transactional test (live server, concurrency) ends with Django emptying every table,
    which SQLite does with DELETE, and the audit log's triggers refuse a DELETE. So after
    such a test on SQLite the log alone is emptied here, with its triggers lifted for that
    moment and put back. (PostgreSQL empties with TRUNCATE, which row triggers ignore.)"""
    marker = request.node.get_closest_marker("django_db")
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        {"transactional_db", "live_server"} & set(request.fixturenames)
    )
    if not transactional:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    table = _append_only.TABLE
    with connection.schema_editor() as editor:
        _append_only.drop_triggers(None, editor)
        editor.execute(f"DELETE FROM {table}")
        _append_only.create_triggers(None, editor)
