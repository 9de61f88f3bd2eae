"""Running a pack over school years: findings, budgets, and a reproducible record."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date
from typing import Any

import polars as pl

from fairload import __version__
from fairload.core.budgets import SchoolBudget, returned_hours, school_budget, teacher_budgets
from fairload.core.errors import InputError, PackError
from fairload.core.findings import MANDATE_RULE, Finding, Severity, Working, severity_counts
from fairload.core.keep import kept
from fairload.core.packs import Mandate, Pack
from fairload.core.prose import fill_rule
from fairload.core.rules import Context, Rule
from fairload.core.tables import Tables
from fairload.core.templates import TEMPLATES
from fairload.core.templates.base import collect_plans, school_subject

RECORD_FORMAT = "fairload/check-record@1"


@dataclass(frozen=True)
class CheckResult:
    pack: Pack
    at: date
    findings: tuple[Finding, ...]
    tables: Tables

    @property
    def has_breach(self) -> bool:
        """A breach that counts (exit code 1): not one under an instruction read outside
        its mandate, which stays in the findings, marked."""
        return any(f.counts_as_breach for f in self.findings)

    def counts(self) -> dict[str, int]:
        return severity_counts(self.findings)

    def finding(self, finding_id: str) -> Finding:
        """A finding by its full id, or by a unique prefix or rule id with one finding."""
        exact = [f for f in self.findings if f.id == finding_id]
        matches = exact or [f for f in self.findings if f.id.startswith(finding_id)]
        if len(matches) == 1:
            return matches[0]
        if not matches:
            raise InputError(f"no finding '{finding_id}'", hint="List them with `fairload check`.")
        raise InputError(
            f"'{finding_id}' matches {len(matches)} findings",
            hint="Use a longer id: " + ", ".join(f.id for f in matches[:5]),
        )

    def school_budget(self, school_id: str) -> SchoolBudget | None:
        if self.pack.budget is None:
            return None
        return school_budget(
            self.pack.budget, self.tables, self.pack.parameters, self.at, school_id
        )


def default_date(tables: Tables) -> date:
    """The date a check is read at unless told otherwise: the first day of the school year."""
    starts = {y.calendar.dates.start for y in tables.years.values()}
    if len(starts) == 1:
        return starts.pop()
    raise PackError("these schools' years start on different dates; give --at")


def run_check(pack: Pack, tables: Tables, at: date | None = None) -> CheckResult:
    """Evaluate every rule of the pack in force at ``at`` over the tables."""
    when = at or default_date(tables)
    if pack.effective_from and when < pack.effective_from:
        raise PackError(
            f"pack '{pack.id}' takes effect on {pack.effective_from}, after {when}",
            hint="Check a later year, or give --at a date the pack was in force.",
        )
    questions = {q.id: q.text for q in pack.questions}
    context = Context(tables, pack.parameters, when, budget=pack.budget, questions=questions)
    plans = [
        TEMPLATES[rule.template].plan(_filled(rule, pack, when), context)
        for rule in pack.rules
        if rule.in_force(when)
    ]
    # One school: every rule's frames collected at once (the fixed cost of a collect,
    # not the data, was the time). A country: a rule at a time, as its frames are large.
    findings = [f for found in collect_plans(plans, together=tables.small) for f in found]
    for mandate in pack.mandates:
        if not mandate.covers(when):
            findings = _outside_mandate(mandate, when, findings, tables)
    findings.sort(key=lambda f: (f.severity.rank, f.school_id, f.rule, f.subject.id))
    return CheckResult(pack, when, tuple(findings), tables)


def _filled(rule: Rule, pack: Pack, when: date) -> Rule:
    """The rule with its prose filled at the date, the same object every check of this pack
    at this date (what a template keeps for a rule, ``Context.kept``, is kept for it)."""
    return kept((rule, pack.parameters), when, lambda: fill_rule(rule, pack.parameters, when))


def _outside_mandate(
    mandate: Mandate, when: date, findings: list[Finding], tables: Tables
) -> list[Finding]:
    """A check read outside an instruction set's mandate says so: one warning a school,
    and a caveat on every finding under those instructions."""
    caveat = (
        f"{mandate.title}: in force {mandate.span} ({mandate.reference.citation}); this "
        f"check is read at {when.isoformat()}, outside that. Findings under them show what "
        "those instructions say, not what members may refuse today: ask the union which "
        "instructions are in force."
    )
    marked = [replace(f, caveat=caveat) if f.rule in mandate.rules else f for f in findings]
    data = {
        "pack": mandate.pack_id,
        "mandate_from": mandate.start.isoformat(),
        "mandate_to": mandate.end.isoformat() if mandate.end else None,
        "read_at": when.isoformat(),
        "note": mandate.note or None,
    }
    for row in tables.school_names.iter_rows(named=True):
        marked.append(
            Finding(
                id=f"mandate:{row['school_id']}:{mandate.pack_id}",
                rule=MANDATE_RULE,
                title="These instructions are not in force at the date of the check",
                severity=Severity.WARNING,
                school_id=row["school_id"],
                subject=school_subject(row),
                reference=mandate.reference,
                message=caveat,
                actual=when.isoformat(),
                limit=mandate.span,
                working=Working((), data),
                caveat=caveat,
            )
        )
    return marked


def parameters_in_force(pack: Pack, at: date) -> list[dict[str, Any]]:
    rows = []
    for name in sorted(pack.parameters.parameters):
        try:
            rows.append(pack.parameters.resolve(name, at).as_dict())
        except PackError:
            continue  # not yet in force on this date: no value to record
    return rows


def check_record(result: CheckResult, inputs: dict[str, Any]) -> dict[str, Any]:
    """A versioned, reproducible record of a check for an agreement file or a dispute:
    the pack and its parameter values in force, the inputs, and every finding."""
    canonical = json.dumps(inputs, sort_keys=True, default=str).encode()
    budgets = {}
    for school_id in result.tables.years:
        budget = result.school_budget(school_id)
        if budget:
            budgets[school_id] = budget.as_dict()
    return {
        "format": RECORD_FORMAT,
        "fairload_version": __version__,
        "pack": {
            "id": result.pack.id,
            "version": result.pack.version,
            "lineage": list(result.pack.lineage),
        },
        "at": result.at.isoformat(),
        "parameters": parameters_in_force(result.pack, result.at),
        "inputs": {"sha256": hashlib.sha256(canonical).hexdigest(), "documents": inputs},
        "summary": result.counts(),
        "budgets": budgets,
        "findings": [f.as_dict() for f in result.findings],
    }


def teacher_budget_rows(result: CheckResult, school_id: str, staff_id: str) -> list[dict[str, Any]]:
    """One teacher's budget lines, for display and JSON.

    A line that receives the hours of committees and working groups the teacher is not a
    member of (Appendix 2's "additional balance of time from meetings") carries them as
    ``gained_hours``, and the groups with their hours as ``gained_from``.
    """
    if result.pack.budget is None:
        return []
    frame = teacher_budgets(result.pack.budget, result.tables, result.pack.parameters, result.at)
    mine = frame.filter((pl.col("school_id") == school_id) & (pl.col("staff_id") == staff_id))
    gained = {
        row["line"]: row
        for row in returned_hours(result.pack.budget, mine, result.tables.groups).iter_rows(
            named=True
        )
    }
    labels = {line.id: line.label for line in result.pack.budget.lines}
    rows = []
    for row in mine.iter_rows(named=True):
        line: dict[str, Any] = {
            "id": row["line"],
            "label": labels[row["line"]],
            "hours": round(row["hours"], 2),
            "planned_hours": None if row["planned"] is None else round(row["planned"], 2),
        }
        if row["line"] in gained:
            line["gained_hours"] = round(gained[row["line"]]["returned"], 2)
            line["gained_from"] = gained[row["line"]]["working"]
        rows.append(line)
    return rows
