"""The models and the migrations agree, whatever the hash seed (a set in a constraint once
made the autodetector see a new migration on some runs)."""

from __future__ import annotations

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_the_models_need_no_migration_that_is_not_written() -> None:
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
