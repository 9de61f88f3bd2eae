"""Clause 14 ("Some time should be left unallocated to meet unforeseen needs") on the
pro-forma of Appendix 2: besides an explicit 'unallocated' row, a pack may allow a
tolerance (``may_leave_unallocated``), a figure from a parameter with its clause."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairload.core.packs import load_pack

from .conftest import School

TOLERANT = Path(__file__).parent / "reading_packs" / "proforma-tolerance"


def _proforma(school: School, hours: float) -> None:
    """Kirsty Teacher's signed pro-forma, all of it to preparation and marking."""
    school.document["proformas"] = [
        {
            "staff": "t1",
            "activities": {"additional-preparation-and-marking": hours},
            "signatures": [
                {"role": "teacher", "name": "Kirsty Teacher", "signed_on": "2025-09-15"},
                {"role": "line-manager", "name": "Ailsa Principal", "signed_on": "2025-09-16"},
            ],
        }
    ]


@pytest.mark.parametrize(
    ("hours", "fires"),
    [
        pytest.param(34, False, id="the whole 34 hours"),
        pytest.param(32, False, id="2 hours left unallocated: at the tolerance"),
        pytest.param(31.75, True, id="2.25 hours short: just over the tolerance"),
        pytest.param(34.25, True, id="a quarter hour over the balance: never allowed"),
    ],
)
def test_a_pack_tolerance_lets_a_pro_forma_leave_up_to_2_hours_unallocated(school, hours, fires):
    _proforma(school, hours)

    found = school.check(load_pack(TOLERANT)).of("proforma-adds-up")

    assert [(f.actual, f.limit) for f in found] == ([(hours, 34)] if fires else [])


def test_the_finding_names_the_tolerance_and_its_parameter(school):
    _proforma(school, 31)

    finding = school.check(load_pack(TOLERANT)).only("proforma-adds-up")

    assert "the balance of time to account for is 34" in finding.message
    assert "less up to 2 hours left unallocated" in finding.message
    assert [p.name for p in finding.working.parameters] == ["proforma_unallocated_tolerance_hours"]


def test_without_a_tolerance_the_bundled_pack_needs_the_exact_total_or_an_unallocated_row(school):
    _proforma(school, 32)
    assert school.check().of("proforma-adds-up") != []

    school.document["proformas"][0]["activities"]["unallocated"] = 2
    assert school.check().of("proforma-adds-up") == []
