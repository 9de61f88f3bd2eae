"""The demo schools in examples/: valid school years, 195 working days, the deliberate
findings and only a handful, and exactly what scripts/make_examples.py writes."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

import pytest

from fairload.core.calendar import school_period
from fairload.core.check import CheckResult, run_check
from fairload.core.packs import discover, load_pack
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
SECONDARY = "south-ayrshire-secondary.yaml"
PRIMARY = "south-ayrshire-primary.yaml"
ENGLISH = "english-secondary.yaml"

#: The rules each school breaks on purpose (examples/README.md says why).
DELIBERATE = {
    SECONDARY: {
        "meeting-max-duration",  # a 2.5-hour working group (7.3)
        "parents-evening-appointments",  # 3 hours of S4 appointments (6.2)
        "probationer-contact-max",  # a probationer at 19.5 hours (3.2)
        "probationer-contact-recommended",
        "management-time-secondary",  # a DHT of job size 6 with 20 non-contact periods (8.8)
        "one-report-per-session",  # S1 settling-in reports (5.3)
    },
    PRIMARY: {
        "staff-meetings-hours",  # a teacher on both working groups (7.1)
        "majority-approval",  # 9 of 18 in favour (16.4)
    },
    ENGLISH: {
        "one-report-a-year",
        "observations-count",
        "observations-hours",
        "observer-holds-qts",
        "evenings-per-week",
        "ppa-minimum",
        "mock-inspections",
        "invigilation",
        "invigilation-refused",
        "cover",
        "cover-rarely",
        "gained-time-activities",
        "directed-time-calendar-agreed",
        "weekly-lesson-plans",
        "emails-in-directed-time",
        "mandate",  # the 2015 instructions, read for 2025-26
    },
}
MOST_FINDINGS = {SECONDARY: 15, PRIMARY: 5, ENGLISH: 30}


@cache
def school(name: str) -> SchoolYear:
    path = EXAMPLES / name
    return parse_school_year(load_file(path), str(path))


@cache
def checked(name: str) -> CheckResult:
    year = school(name)
    if year.school.pack not in discover():
        pytest.skip(f"pack {year.school.pack} is not available")
    return run_check(load_pack(year.school.pack), tables_from_years([year]))


@pytest.mark.parametrize("name", list(DELIBERATE))
def test_it_parses_as_a_school_year(name: str) -> None:
    assert school(name).staff


@pytest.mark.parametrize("name", list(DELIBERATE))
def test_its_year_has_195_working_days(name: str) -> None:
    year = school(name)
    assert school_period(year.calendar, year.school.nation).working_day_count == 195


def test_the_secondary_has_about_80_staff() -> None:
    assert 75 <= len(school(SECONDARY).staff) <= 85


def test_the_secondary_has_breaches_but_only_a_few_findings() -> None:
    result = checked(SECONDARY)
    assert result.has_breach
    assert len(result.findings) <= MOST_FINDINGS[SECONDARY]


@pytest.mark.parametrize("name", list(DELIBERATE))
def test_each_deliberate_breach_is_found(name: str) -> None:
    fired = {f.rule for f in checked(name).findings}
    assert DELIBERATE[name] <= fired, f"missing: {sorted(DELIBERATE[name] - fired)}"


@pytest.mark.parametrize("name", list(DELIBERATE))
def test_nothing_else_fires_and_the_findings_are_few(name: str) -> None:
    findings = checked(name).findings
    unexpected = Counter(f.rule for f in findings if f.rule not in DELIBERATE[name])
    assert not unexpected, f"findings nobody planned: {dict(unexpected)}"
    assert len(findings) <= MOST_FINDINGS[name]


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_examples", ROOT / "scripts" / "make_examples.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up while it loads
    spec.loader.exec_module(module)
    return module


def test_regenerating_writes_byte_identical_files(tmp_path: Path) -> None:
    written = _generator().main(out_dir=tmp_path)
    assert sorted(p.name for p in written) == sorted(DELIBERATE)
    for path in written:
        assert path.read_bytes() == (EXAMPLES / path.name).read_bytes(), path.name
