"""A realistic school in one line, and a check of it in another.

The South Ayrshire pack ships a small compliant secondary (``tests/school.yaml``):
checking it gives no findings, so each scenario changes one thing and expects
exactly the finding that change causes.
"""

from __future__ import annotations

import copy
import os
from collections.abc import Callable
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from fairload.core.calendar import school_period
from fairload.core.check import CheckResult, run_check
from fairload.core.findings import Finding, Severity
from fairload.core.packs import Pack, load_bundled
from fairload.core.parameters import DatedValue, Parameter, ParameterSet
from fairload.core.reference import Document, Reference
from fairload.core.rules import Context, Rule
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear
from fairload.core.tables import Tables, tables_from_years
from fairload.core.templates import TEMPLATES
from fairload.core.yamlfile import load_file

SOUTH_AYRSHIRE = "scotland/south-ayrshire-jnct-2.7"
BROKEN_PACKS = Path(__file__).parent / "broken_packs"


def south_ayrshire() -> Pack:
    return load_bundled(SOUTH_AYRSHIRE)


def fixture_path() -> Path:
    return south_ayrshire().path / "tests" / "school.yaml"


@cache
def _fixture_document() -> Any:
    return load_file(fixture_path())


class Findings(tuple[Finding, ...]):
    """A check's findings, with the questions tests ask of them."""

    def of(self, rule_id: str) -> list[Finding]:
        return [f for f in self if f.rule == rule_id]

    @property
    def rules(self) -> set[str]:
        return {f.rule for f in self}

    def subjects(self, rule_id: str) -> list[str]:
        return [f.subject.id for f in self.of(rule_id)]

    def only(self, rule_id: str) -> Finding:
        """The one finding of a rule, failing loudly if there are none or several."""
        found = self.of(rule_id)
        assert len(found) == 1, f"expected one {rule_id} finding, got {[f.message for f in found]}"
        return found[0]


class School:
    """The pack's compliant test school as an editable document (ISO dates kept as text)."""

    def __init__(self) -> None:
        self.document: Any = copy.deepcopy(_fixture_document())
        self.source = str(fixture_path())

    # --- changing the school -------------------------------------------------

    def add_event(
        self,
        title: str,
        category: str,
        on: str | date,
        start: str,
        end: str,
        **extra: Any,
    ) -> dict[str, Any]:
        """Add a calendar event (every member of staff attends unless ``attendees`` says)."""
        event = {
            "title": title,
            "category": category,
            "date": on.isoformat() if isinstance(on, date) else on,
            "start": start,
            "end": end,
            **extra,
        }
        self.document.setdefault("events", []).append(event)
        return event

    def add_hours(
        self, category: str, hours: float, *, title: str | None = None, **extra: Any
    ) -> list[dict[str, Any]]:
        """Events of one category adding up to ``hours``, two hours or less a day, each on
        its own working day from the end of August (after the fixture's own events)."""
        days = iter(working_days()[10:])
        events = []
        left = round(hours * 60)
        while left > 0:
            minutes = min(left, 120)
            end = f"{(945 + minutes) // 60:02d}:{(945 + minutes) % 60:02d}"  # from 15:45
            events.append(
                self.add_event(
                    title or f"{category} {len(events) + 1}",
                    category,
                    next(days),
                    "15:45",
                    end,
                    **extra,
                )
            )
            left -= minutes
        return events

    def staff(self, staff_id: str) -> dict[str, Any]:
        """A staff row to edit in place."""
        return next(s for s in self.document["staff"] if s["id"] == staff_id)

    def set_staff(self, staff_id: str, **fields: Any) -> dict[str, Any]:
        """Change a staff row; a field given as None is removed."""
        row = self.staff(staff_id)
        for key, value in fields.items():
            if value is None:
                row.pop(key, None)
            else:
                row[key] = value
        return row

    def add_staff(self, **row: Any) -> dict[str, Any]:
        self.document["staff"].append(row)
        return row

    def allocate(self, hours_by_heading: dict[str, float]) -> None:
        """Record agreed hours per full-time teacher under the budget's headings."""
        self.document.setdefault("agreement", {}).setdefault("allocations", {}).update(
            hours_by_heading
        )

    @property
    def process(self) -> dict[str, Any]:
        return self.document.setdefault("agreement", {}).setdefault("process", {})

    @property
    def school(self) -> dict[str, Any]:
        return self.document["school"]

    @property
    def year_section(self) -> dict[str, Any]:
        return self.document["year"]

    # --- checking it ---------------------------------------------------------

    def year(self) -> SchoolYear:
        return parse_school_year(self.document, self.source)

    def tables(self) -> Tables:
        return tables_from_years([self.year()])

    def run(self, pack: Pack | None = None, at: date | None = None) -> CheckResult:
        return run_check(pack or south_ayrshire(), self.tables(), at)

    def check(self, pack: Pack | None = None, at: date | None = None) -> Findings:
        return Findings(self.run(pack, at).findings)


@cache
def working_days() -> tuple[date, ...]:
    """The fixture school's working days (weekdays, less closures and bank holidays)."""
    year = School().year()
    return school_period(year.calendar, year.school.nation).working_days


TEST_AGREEMENT = Document("test", "Test agreement")


def make_parameters(**values: Any) -> ParameterSet:
    """A parameter set for template tests: each figure in force from 2014-08-01."""
    reference = Reference(TEST_AGREEMENT, "1.1")
    return ParameterSet(
        {
            name: Parameter(name, name, "", (DatedValue(date(2014, 8, 1), value, reference),))
            for name, value in values.items()
        }
    )


def make_rule(
    template: str, *, rule_id: str = "test-rule", message: str | None = None, **settings: Any
) -> Rule:
    """A rule instance of a template, as a pack's rules.yaml would give it."""
    return Rule(
        id=rule_id,
        template=template,
        title=f"A {template} rule",
        severity=Severity.BREACH,
        reference=Reference(TEST_AGREEMENT, "9.9"),
        settings=settings,
        pack_id="test",
        message=message,
    )


def evaluate_rule(
    rule: Rule, tables: Tables, parameters: ParameterSet, at: date | None = None
) -> list[Finding]:
    """Findings of one rule over the tables, without a pack (read on the year's first day)."""
    context = Context(tables, parameters, at or date(2025, 8, 13), budget=south_ayrshire().budget)
    return TEMPLATES[rule.template].evaluate(rule, context)


@pytest.fixture
def school() -> School:
    """A fresh copy of the compliant South Ayrshire test school."""
    return School()


@pytest.fixture(scope="session")
def sa_pack() -> Pack:
    return south_ayrshire()


@pytest.fixture(scope="session")
def compliant_findings() -> Findings:
    return School().check()


@pytest.fixture
def pack_path(monkeypatch: pytest.MonkeyPatch) -> Callable[..., None]:
    """Point FAIRLOAD_PACK_PATH at extra folders of packs for one test."""

    def use(*folders: Path) -> None:
        monkeypatch.setenv("FAIRLOAD_PACK_PATH", os.pathsep.join(str(f) for f in folders))

    return use
