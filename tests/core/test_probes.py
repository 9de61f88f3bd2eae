"""A rule's probe (``Plan.unless_none``) only spares work: one school's findings are the
same, to the last working figure, with the probes tested first and with every rule's
plan built and collected as before."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairload.core.check import run_check
from fairload.core.pack_tests import PendingCase, pack_cases
from fairload.core.packs import discover, load_pack
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear
from fairload.core.tables import tables_from_years
from fairload.core.templates import base
from fairload.core.yamlfile import load_file

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))


def _findings(pack_id: str, year: SchoolYear, at: object, probing: bool) -> list[dict]:
    pack = load_pack(pack_id)
    before = base.PROBING
    base.PROBING = probing
    try:
        result = run_check(pack, tables_from_years([year]), at)  # type: ignore[arg-type]
    finally:
        base.PROBING = before
    return [f.as_dict() for f in result.findings]


def _same_either_way(pack_id: str, year: SchoolYear, at: object = None) -> list[dict]:
    probed = _findings(pack_id, year, at, probing=True)
    assert probed == _findings(pack_id, year, at, probing=False)
    return probed


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_a_demo_schools_findings_are_the_same_with_and_without_probes(path: Path) -> None:
    year = parse_school_year(load_file(path), str(path))
    _same_either_way(year.school.pack, year)


def _check_cases() -> list[tuple[str, PendingCase]]:
    return [
        (pack_id, case)
        for pack_id in sorted(discover())
        for case in pack_cases(load_pack(pack_id))
        if case.case is not None and not case.case.parameter and not case.case.budget
    ]


def _run(pack_id: str, pending: PendingCase) -> list[dict]:
    from datetime import date

    case, scenario = pending.case, pending.scenario
    assert case is not None and scenario is not None
    year = parse_school_year(scenario.school_document(case), case.school or "school.yaml")
    return _same_either_way(pack_id, year, date.fromisoformat(str(case.at)) if case.at else None)


def test_the_probes_are_tested_on_cases_where_rules_fire() -> None:
    """Guard: the cases below include findings of the probed templates (else the
    comparison proves nothing)."""
    fired = {f["rule"] for pack_id, case in _check_cases()[::9] for f in _run(pack_id, case)}
    assert len(fired) >= 10


@pytest.mark.slow
def test_every_pack_cases_findings_are_the_same_with_and_without_probes() -> None:
    for pack_id, case in _check_cases():
        _run(pack_id, case)
