"""The demo's pro-formas: `make run` shows one in each state, the demo teacher's returned
with a comment; loading the demo again adds none."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import override_settings

from fairload.core.proforma import AGREED, DRAFT, RETURNED, SENT
from fairload.web.proformas.models import Proforma
from fairload.web.proformas.selectors import proforma_of
from fairload.web.schools.models import SchoolYear


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demo_has_a_pro_forma_in_each_state_once() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    year = SchoolYear.objects.get(school__slug="auchenlea-academy")
    states = {}
    for stored in Proforma.objects.all():
        post = year.staff.get(staff_id=stored.staff_id)
        post.school_year = year
        view = proforma_of(year=year, post=post)
        states[stored.staff_id] = (view.status, view.totals.reconciles, len(view.voided))

    assert Proforma.objects.count() == 5
    assert states == {
        "hmuir": (RETURNED, True, 0),
        "sbarr": (AGREED, True, 0),
        "gmcgregor": (SENT, True, 0),
        "lhamilton": (DRAFT, True, 2),  # agreed, then changed: both signatures void
        "esimpson": (DRAFT, True, 0),  # filled in, not yet signed and sent
    }
