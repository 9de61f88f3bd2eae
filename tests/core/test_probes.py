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


def _demo_context() -> tuple[object, object]:
    from fairload.core.check import default_date
    from fairload.core.rules import Context

    path = Path(__file__).parents[2] / "examples" / "south-ayrshire-secondary.yaml"
    year = parse_school_year(load_file(path), str(path))
    pack = load_pack(year.school.pack)
    tables = tables_from_years([year])
    return pack, Context(tables, pack.parameters, default_date(tables), budget=pack.budget)


def test_a_budget_probe_of_the_lines_hours_alone_reads_no_planned_hours() -> None:
    """The demo school's calendar plans hours against its lines; a test of the hours
    alone (nobody committed beyond their total) reads a plan without them, whose
    figures are the made budget's."""
    import polars as pl

    from fairload.core.rules import Later

    _, context = _demo_context()
    over = pl.col("class-contact") > pl.col("total")
    tested = context.budget_tested(over)  # type: ignore[attr-defined]
    assert isinstance(tested, Later)
    frame = tested.lazy().collect()
    assert not [c for c in frame.columns if c.startswith("planned::")]
    made = context.teacher_budget_lines()  # type: ignore[attr-defined]
    assert made.select(pl.col("^planned::.*$").sum()).row(0) != (0.0,) * 12  # it plans some
    assert frame.equals(made.select(frame.columns))


def test_a_budget_probe_of_planned_hours_makes_one_plan_for_every_test() -> None:
    import polars as pl

    _, context = _demo_context()
    over = pl.col("class-contact") > pl.col("total")
    beyond = pl.col("planned::in-service") > pl.col("in-service")
    first = context.budget_tested(over)  # type: ignore[attr-defined]
    assert context.budget_tested(beyond) is first  # type: ignore[attr-defined]
    assert "planned::in-service" in first.lazy().collect_schema().names()


def test_a_planned_test_after_the_plan_is_made_without_them_has_its_own() -> None:
    import polars as pl

    _, context = _demo_context()
    first = context.budget_tested(pl.col("class-contact") > 0)  # type: ignore[attr-defined]
    first.lazy()
    later = context.budget_tested(pl.col("planned::in-service") > 0)  # type: ignore[attr-defined]
    assert later is not first
    assert "planned::in-service" in later.lazy().collect_schema().names()
    assert "planned::in-service" not in first.lazy().collect_schema().names()
