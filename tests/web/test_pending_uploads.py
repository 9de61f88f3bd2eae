"""An upload holds staff names (personal data): it is kept only as long as its preview
needs, FAIRLOAD_PENDING_IMPORT_HOURS (2 by default), then forgotten."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from fairload.web.imports.models import PENDING_FOR, PendingImport
from fairload.web.imports.services import pending_import_create

pytestmark = pytest.mark.django_db


def _upload(cast, schools, age: timedelta) -> PendingImport:  # type: ignore[no-untyped-def]
    pending = pending_import_create(
        user=cast["head"],
        school=schools["test-academy"],
        kind="staff-csv",
        filename="staff.csv",
        text="id,name\nt9,Someone Named\n",
        options={},
    )
    PendingImport.objects.filter(pk=pending.pk).update(created_at=timezone.now() - age)
    return pending


def test_uploads_are_kept_for_the_hours_the_setting_gives():
    assert timedelta(hours=settings.FAIRLOAD_PENDING_IMPORT_HOURS) == PENDING_FOR
    assert timedelta(hours=2) == PENDING_FOR


def test_the_purge_forgets_an_upload_just_past_its_hours_and_keeps_one_just_inside(cast, schools):
    recent = _upload(cast, schools, PENDING_FOR - timedelta(minutes=1))
    old = _upload(cast, schools, PENDING_FOR + timedelta(minutes=1))
    out = StringIO()

    call_command("purge_pending_imports", stdout=out)

    assert out.getvalue().strip() == "Deleted 1 expired upload."
    assert not PendingImport.objects.filter(pk=old.pk).exists()
    assert PendingImport.objects.filter(pk=recent.pk).exists()


def test_a_new_upload_clears_out_expired_ones_too(cast, schools):
    old = _upload(cast, schools, PENDING_FOR + timedelta(minutes=1))

    _upload(cast, schools, timedelta(0))

    assert not PendingImport.objects.filter(pk=old.pk).exists()
