"""3.3 (SNCT 14/43): a school's planned flexible approach is submitted to the Joint
Secretaries in advance, and is not in force until they confirm it. The check reads the
live record exactly as it reads a file: ``flexible-approach-confirmed`` and the averaging
of ``class-contact-max`` follow the confirmation."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from fairload.core.check import run_check
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.web.accounts.models import Role
from fairload.web.appeals import services
from fairload.web.appeals.models import FlexibleApproach
from fairload.web.appeals.services import AppealRefused
from fairload.web.committee.models import CycleContact, TimetableCycle
from fairload.web.notices.models import Notice
from fairload.web.schools.models import StaffPost
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.to_core import school_year_document

from .agreement_helpers import year_of
from .appeal_helpers import joint_secretary

#: Before the session starts (2025-08-13): the approach is confirmed in advance.
SUBMITTED = datetime(2025, 5, 20, 9, tzinfo=UTC)
CONFIRMED = datetime(2025, 6, 20, 9, tzinfo=UTC)


@pytest.fixture
def year(schools):  # type: ignore[no-untyped-def]
    """Test Academy on a fortnightly timetable, one teacher on 25 and 20 hours: 22.5 on
    average (3.1's weekly maximum), 25 in week 1."""
    year = year_of(schools["test-academy"])
    TimetableCycle.objects.create(school_year=year, weeks=2)
    post = StaffPost.objects.get(school_year=year, staff_id="t1")
    post.contact_periods_per_week = None
    post.save()
    CycleContact.objects.create(post=post, hours_by_week=[25, 20])
    return year


@pytest.fixture
def secretary(schools):  # type: ignore[no-untyped-def]
    return joint_secretary("js-teachers", Role.JNCT_TEACHERS, schools["test-academy"].council)


def _submit(actor, year, hours: str = "25") -> FlexibleApproach:  # type: ignore[no-untyped-def]
    return services.flexible_submit(
        actor=actor,
        year=year,
        cycle_weeks=2,
        max_contact_hours_in_any_week=Decimal(hours),
        description="Class contact averaged over the fortnight, at most 25 hours in any week.",
        now=SUBMITTED,
    )


def _rules(result) -> dict[str, list[object]]:  # type: ignore[no-untyped-def]
    found: dict[str, list[object]] = {}
    for f in result.findings:
        found.setdefault(f.rule, []).append(f.subject.id)
    return found


def _fresh_check(year):  # type: ignore[no-untyped-def]
    year.refresh_from_db()
    return school_year_check(year=year)


@pytest.mark.django_db
def test_a_submitted_approach_is_not_in_force(cast, year, secretary):
    _submit(cast["head"], year)

    found = _rules(_fresh_check(year))
    assert found["flexible-approach-confirmed"] == ["test-academy"]
    assert "t1/cycle-week-1" in found["class-contact-max"]  # 25 > 22.5 each week
    told = Notice.objects.filter(kind="flexible-submitted").values_list(
        "recipient__username", flat=True
    )
    assert list(told) == ["js-teachers"]


@pytest.mark.django_db
def test_once_confirmed_it_is_in_force_and_the_check_passes(cast, year, secretary):
    approach = _submit(cast["head"], year)
    services.flexible_decide(
        actor=secretary, approach=approach, confirm=True, reasons="", now=CONFIRMED
    )

    found = _rules(_fresh_check(year))
    assert "flexible-approach-confirmed" not in found
    assert "class-contact-max" not in found  # averaged: 22.5, and 25 is the approach's cap
    approach.refresh_from_db()
    assert approach.decided_as == "joint-secretary-teachers"


@pytest.mark.django_db
def test_the_live_record_checks_exactly_as_the_file_it_exports(cast, year, secretary):
    approach = _submit(cast["head"], year)
    services.flexible_decide(
        actor=secretary, approach=approach, confirm=True, reasons="", now=CONFIRMED
    )
    year.refresh_from_db()
    document = json.loads(json.dumps(school_year_document(year)))
    assert document["agreement"]["process"]["flexible_approach"] == {
        "submitted_on": "2025-05-20",
        "confirmed_on": "2025-06-20",
    }
    assert document["agreement"]["flexible_approach"] == {
        "cycle_weeks": 2,
        "max_contact_hours_in_any_week": 25.0,
    }

    from_file = run_check(
        load_bundled("scotland/south-ayrshire-jnct-2.7"),
        tables_from_years([parse_school_year(document, "exported.json")]),
    )
    live = school_year_check(year=year)
    assert [f.as_dict() for f in from_file.findings] == [f.as_dict() for f in live.findings]


@pytest.mark.django_db
def test_a_week_over_the_approachs_own_cap_breaches_even_once_confirmed(cast, year, secretary):
    approach = _submit(cast["head"], year, hours="24.5")
    services.flexible_decide(
        actor=secretary, approach=approach, confirm=True, reasons="", now=CONFIRMED
    )

    found = _rules(_fresh_check(year))
    assert found["class-contact-max"] == ["t1/cycle-week-1"]


@pytest.mark.django_db
def test_declined_with_reasons_it_stays_out_of_force(cast, year, secretary):
    approach = _submit(cast["head"], year)
    with pytest.raises(AppealRefused, match="Say why"):
        services.flexible_decide(
            actor=secretary, approach=approach, confirm=False, reasons=" ", now=CONFIRMED
        )
    services.flexible_decide(
        actor=secretary,
        approach=approach,
        confirm=False,
        reasons="It does not meet the national criteria for probationers.",
        now=CONFIRMED,
    )

    assert "flexible-approach-confirmed" in _rules(_fresh_check(year))
    assert Notice.objects.filter(kind="flexible-decided", recipient=cast["head"]).exists()
    page = _client(cast["head"]).get(reverse("flexible-approach", args=["test-academy"]))
    assert 'data-in-force="no"' in page.content.decode()
    assert "national criteria for probationers" in page.content.decode()


@pytest.mark.django_db
def test_a_new_submission_must_be_confirmed_again(cast, year, secretary):
    first = _submit(cast["head"], year)
    services.flexible_decide(
        actor=secretary, approach=first, confirm=True, reasons="", now=CONFIRMED
    )
    with pytest.raises(AppealRefused, match="answered"):
        services.flexible_decide(
            actor=secretary, approach=first, confirm=True, reasons="", now=CONFIRMED
        )
    _submit(cast["head"], year, hours="24")

    assert "flexible-approach-confirmed" in _rules(_fresh_check(year))
    with pytest.raises(AppealRefused, match="already with the Joint Secretaries"):
        _submit(cast["head"], year)


@pytest.mark.django_db
def test_only_the_head_submits_and_only_a_joint_secretary_confirms(cast, year, secretary):
    for who in ("rep", "council", "teacher"):
        with pytest.raises(AppealRefused, match="head teacher submits"):
            _submit(cast[who], year)
    approach = _submit(cast["head"], year)
    for who in ("head", "council", "union-officer", "admin", "other-council"):
        with pytest.raises(AppealRefused, match="Only the Joint Secretaries"):
            services.flexible_decide(
                actor=cast[who], approach=approach, confirm=True, reasons="", now=CONFIRMED
            )


@pytest.mark.django_db
def test_an_approach_needs_a_timetable_cycle_to_average_over(cast, schools):
    year = year_of(schools["test-academy"])
    with pytest.raises(AppealRefused, match="timetable cycle"):
        services.flexible_submit(
            actor=cast["head"],
            year=year,
            cycle_weeks=1,
            max_contact_hours_in_any_week=Decimal(25),
            description="x",
            now=SUBMITTED,
        )


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.django_db
def test_the_head_submits_and_the_joint_secretary_confirms_through_the_pages(cast, year, secretary):
    page = reverse("flexible-approach", args=["test-academy"])
    response = _client(cast["head"]).post(
        page, {"max_contact_hours_in_any_week": "25", "description": "Averaged over the fortnight."}
    )
    assert response.status_code == 302
    approach = FlexibleApproach.objects.get()
    assert approach.cycle_weeks == 2
    queue = _client(secretary).get(reverse("joint-secretaries", args=["south-ayrshire-council"]))
    assert "Test Academy" in queue.content.decode()
    response = _client(secretary).post(
        reverse("flexible-approach-decide", args=["test-academy", approach.pk]),
        {"decision": "confirm"},
    )
    assert response.status_code == 302
    shown = _client(cast["rep"]).get(page).content.decode()
    assert 'data-in-force="yes"' in shown
