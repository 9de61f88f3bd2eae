"""A pack's YAML test cases: scenarios a policy expert can read and a machine can run.

Three kinds of case, told apart by their keys:

- ``parameter``: the value in force ``at`` a date, or a row of a table picked by
  ``lookup`` with its ``column``, must equal ``expect``;
- ``budget``: the school's budget (or one ``teacher``'s) after ``changes`` must have
  the ``expect``-ed total and line hours;
- otherwise a check: the fixture school (``school``, default ``school.yaml`` beside
  the tests) after ``changes`` must give ``expect_findings`` and none of the rules in
  ``expect_no_findings``.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import Path
from typing import Any

from fairload.core import pack_schema
from fairload.core.budgets import school_budget, teacher_budgets
from fairload.core.check import run_check
from fairload.core.errors import FairloadError, InputErrors, PackError
from fairload.core.packs import Pack
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.validation import validate
from fairload.core.yamlfile import LocatedList, load_file

TOLERANCE = 1e-6


@dataclass(frozen=True)
class PackTestCase:
    """One scenario, as written in a pack's tests folder."""

    name: str
    at: str | None = None
    parameter: str | None = None
    lookup: dict[str, Any] | None = None
    column: str | None = None
    budget: str | None = None
    teacher: str | None = None
    school: str | None = None
    changes: dict[str, Any] | None = None
    expect: Any = None
    expect_findings: list[dict[str, Any]] | None = None
    expect_no_findings: list[str] | None = None
    #: "at-limit" or "just-over": what the case shows, for the fidelity table
    boundary: str | None = None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> PackTestCase:
        known = {f.name for f in fields(cls)}
        return cls(**{k: _plain(v) for k, v in data.items() if k in known})

    def as_dict(self) -> dict[str, Any]:
        return {
            f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name) is not None
        }


@dataclass(frozen=True)
class CaseResult:
    name: str
    file: str
    line: int | None
    passed: bool
    detail: str = ""


def _plain(value: Any) -> Any:
    """Located YAML containers back to plain dicts and lists."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


@dataclass
class _Scenario:
    pack: Pack
    folder: Path
    fixtures: dict[str, Any] = field(default_factory=dict)

    def school_document(self, case: PackTestCase) -> dict[str, Any]:
        name = case.school or "school.yaml"
        if name not in self.fixtures:
            self.fixtures[name] = _plain(load_file(self.folder / name))
        document: dict[str, Any] = copy.deepcopy(self.fixtures[name])
        changes = case.changes or {}
        for section in ("school", "year", "policy", "agreement"):
            if section in changes:
                document.setdefault(section, {}).update(changes[section])
        for section in ("staff", "events", "proformas"):
            if section in changes:
                document[section] = changes[section]
            if f"add_{section}" in changes:
                document.setdefault(section, []).extend(changes[f"add_{section}"])
        return document


def _close(actual: Any, expected: Any) -> bool:
    if isinstance(expected, int | float) and isinstance(actual, int | float):
        return abs(float(actual) - float(expected)) <= TOLERANCE
    return bool(actual == expected)


def _run_parameter(case: PackTestCase, pack: Pack) -> str:
    when = date.fromisoformat(str(case.at))
    value = pack.parameters.value(str(case.parameter), when)
    if case.lookup is not None:
        rows = [r for r in value if all(r.get(k) == v for k, v in case.lookup.items())]
        if len(rows) != 1:
            return f"lookup {case.lookup} matched {len(rows)} rows of {case.parameter}"
        value = rows[0][str(case.column)]
    elif case.column is not None or (isinstance(value, str) and "/" in value):
        value = pack.parameters.number(str(case.parameter), when)
    if not _close(value, case.expect):
        return f"{case.parameter} on {when} is {value!r}, expected {case.expect!r}"
    return ""


def _run_budget(case: PackTestCase, scenario: _Scenario) -> str:
    pack = scenario.pack
    if pack.budget is None:
        return "the pack has no budget"
    year = parse_school_year(scenario.school_document(case), case.school or "school.yaml")
    tables = tables_from_years([year])
    when = date.fromisoformat(str(case.at)) if case.at else year.calendar.dates.start
    expect = case.expect or {}
    if case.budget == "teacher":
        frame = teacher_budgets(pack.budget, tables, pack.parameters, when)
        mine = [r for r in frame.iter_rows(named=True) if r["staff_id"] == case.teacher]
        if not mine:
            return f"no teacher '{case.teacher}' in the school"
        lines = {r["line"]: r["hours"] for r in mine}
        total = sum(lines.values())
    else:
        budget = school_budget(pack.budget, tables, pack.parameters, when, year.school.id)
        lines = {line.id: line.hours for line in budget.lines}
        total = budget.lines_total
        if "total" in expect and not _close(budget.total, expect["total"]):
            return f"the budget's total is {budget.total}, expected {expect['total']}"
    problems = []
    if "lines_total" in expect and not _close(total, expect["lines_total"]):
        problems.append(f"lines add up to {total:g}, expected {expect['lines_total']}")
    for line_id, hours in (expect.get("lines") or {}).items():
        if not _close(lines.get(line_id), hours):
            problems.append(f"line {line_id} is {lines.get(line_id)!r}, expected {hours}")
    return "; ".join(problems)


def _run_check(case: PackTestCase, scenario: _Scenario) -> str:
    year = parse_school_year(scenario.school_document(case), case.school or "school.yaml")
    when = date.fromisoformat(str(case.at)) if case.at else None
    result = run_check(scenario.pack, tables_from_years([year]), when)
    problems = []
    for expected in case.expect_findings or []:
        found = [f for f in result.findings if f.rule == expected["rule"]]
        if "subject" in expected:
            found = [f for f in found if f.subject.id == expected["subject"]]
        if "severity" in expected:
            found = [f for f in found if f.severity.value == expected["severity"]]
        for key in ("actual", "limit"):
            if key in expected:
                found = [f for f in found if _close(getattr(f, key), expected[key])]
        wanted = expected.get("count")
        if (wanted is None and not found) or (wanted is not None and len(found) != wanted):
            got = [m.message for m in result.findings if m.rule == expected["rule"]]
            problems.append(
                f"expected {wanted or 'some'} finding(s) {expected}, got {got or 'none'}"
            )
    for rule_id in case.expect_no_findings or []:
        messages = [m.message for m in result.findings if m.rule == rule_id]
        if messages:
            problems.append(f"expected no '{rule_id}' finding, got: {messages}")
    return "; ".join(problems)


def load_cases(path: Path) -> list[tuple[PackTestCase, int | None]]:
    """The cases of one test file with their lines; a malformed file raises InputErrors."""
    document = load_file(path) or []
    validate(document, pack_schema.TESTS, str(path), error_type=PackError)
    lines = document.item_lines if isinstance(document, LocatedList) else [None] * len(document)
    return [(PackTestCase.from_dict(raw), lines[i]) for i, raw in enumerate(document)]


def run_case(case: PackTestCase, scenario: _Scenario) -> str:
    """The failure, in words, or '' when the case passes."""
    if case.parameter:
        return _run_parameter(case, scenario.pack)
    if case.budget:
        return _run_budget(case, scenario)
    return _run_check(case, scenario)


@dataclass(frozen=True)
class PendingCase:
    """One case of a pack, read but not yet run (a file that cannot be read is one case
    that fails when run)."""

    name: str
    file: str
    line: int | None
    case: PackTestCase | None
    scenario: _Scenario | None = None
    error: str = ""

    def run(self) -> CaseResult:
        detail = self.error
        if self.case is not None and self.scenario is not None:
            try:
                detail = run_case(self.case, self.scenario)
            except (InputErrors, FairloadError, KeyError, ValueError, TypeError) as exc:
                detail = f"{type(exc).__name__}: {exc}"
        return CaseResult(self.name, self.file, self.line, not detail, detail)


def pack_cases(pack: Pack) -> list[PendingCase]:
    """Every case of the pack's test files, in order, read but not run."""
    pending = []
    for path in pack.test_files():
        if path.name == "school.yaml" or path.name.startswith("school-"):
            continue  # fixtures, not cases
        scenario = _Scenario(pack, path.parent)
        try:
            cases = load_cases(path)
        except (InputErrors, FairloadError) as exc:
            pending.append(PendingCase("(file)", str(path), None, None, error=str(exc)))
            continue
        pending.extend(
            PendingCase(case.name, str(path), line, case, scenario) for case, line in cases
        )
    return pending


def run_pack_tests(pack: Pack) -> list[CaseResult]:
    """Run every test file of the pack; errors in a case are reported as that case failing."""
    return [case.run() for case in pack_cases(pack)]
