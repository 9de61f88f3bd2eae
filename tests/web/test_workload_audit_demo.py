"""The demo's NEU workload audit (workload_audit/demo.py): loaded once, and its rep sees
what members may refuse at Hollinsvale Academy; its head does not see the audit."""

from __future__ import annotations

from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client, override_settings
from django.urls import reverse

from fairload.web.schools.models import School
from fairload.web.workload_audit.models import AuditAnswer, CheckRecord
from fairload.web.workload_audit.selectors import audit_view


def _as(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demo_audit_is_loaded_once_and_shows_what_members_may_refuse() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert AuditAnswer.objects.count() == 4 and CheckRecord.objects.count() == 1
    url = reverse("workload-audit-refusals", args=["hollinsvale-academy"])
    page = _as("neu-member").get(url).content.decode()
    # plans (1), meetings (2), a school refusing the observation limit (6, 7), and the
    # demo year's own findings beside them (cover, 14; invigilation, 16; ...)
    for number in (1, 2, 6, 7, 14, 16):
        assert f'data-instruction="{number}"' in page
    school = School.objects.get(slug="hollinsvale-academy")
    view = audit_view(school, "NEU", date(2026, 1, 12))
    assert view is not None
    answered = {
        r.refusal.instruction: [b.basis.id for b in r.bases if b.basis.kind == "answer"]
        for r in view.refusals
    }
    assert answered[7] == ["observation-limit-accepted"]
    assert answered[4] == []  # emails answered no: instruction 4 rests on the year's finding alone
    assert _as("english-head").get(url).status_code == 404
