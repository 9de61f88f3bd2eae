"""The report of a check: the summary, the findings grouped by severity and each school's
budget, as text, JSON (``fairload/check@1``) or Markdown. The JSON shape is versioned and
only ever gains keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from rich.console import Console, Group, NewLine, RenderableType
from rich.padding import Padding
from rich.text import Text

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult
from fairload.core.findings import OUTSIDE_MANDATE, SEVERITY_HEADINGS, Finding, Severity
from fairload.io.budget_report import budget_table, school_budget_markdown
from fairload.io.report_format import STYLES, markdown_table

CHECK_FORMAT = "fairload/check@1"

_COUNTED = {
    Severity.BREACH: ("breach", "breaches"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.NEEDS_AGREEMENT: ("needing agreement", "needing agreement"),
    Severity.INFO: ("note", "notes"),
}


def summary_line(counts: Mapping[str, int]) -> str:
    """``1 breach, 2 warnings, 0 needing agreement, 0 notes``."""
    parts = []
    for severity, (one, many) in _COUNTED.items():
        n = counts.get(severity.value, 0)
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def pack_line(result: CheckResult) -> str:
    pack = result.pack
    return f"{pack.title} ({pack.id} {pack.version}), read at {result.at.isoformat()}"


def school_budgets(result: CheckResult) -> dict[str, SchoolBudget]:
    budgets = {}
    for school_id in result.tables.years:
        budget = result.school_budget(school_id)
        if budget is not None:
            budgets[school_id] = budget
    return budgets


def print_check(result: CheckResult, console: Console) -> None:
    """The summary, the findings grouped by severity, then each school's budget.

    Printed as one group: each ``console.print`` sets up a render of its own, and a
    report is a few dozen lines (issue 8: printing was a tenth of a check)."""
    console.print(Group(*check_lines(result)))


def check_lines(result: CheckResult) -> Iterator[RenderableType]:
    """What ``print_check`` prints, line by line (a blank line is a ``NewLine``)."""
    several = len(result.tables.years) > 1
    yield Text(pack_line(result), style="bold")
    for school_id, year in result.tables.years.items():
        counts = {s.value: 0 for s in Severity}
        for finding in result.findings:
            if finding.school_id == school_id:
                counts[finding.severity.value] += 1
        yield Text(f"{year.school.name} ({school_id}): {summary_line(counts)}")
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        yield NewLine()
        yield Text(SEVERITY_HEADINGS[severity], style=f"{STYLES[severity]} underline")
        for finding in group:
            yield from _finding_lines(finding, show_school=several)
    for budget in school_budgets(result).values():
        yield NewLine()
        yield budget_table(budget, result)


def _finding_lines(finding: Finding, *, show_school: bool) -> Iterator[RenderableType]:
    head = Text(finding.severity.value.upper(), style=STYLES[finding.severity])
    head.append(f"  {finding.rule}  ")
    head.append(finding.reference.citation, style="italic")
    if show_school:
        head.append(f"  [{finding.school_id}]")
    yield Padding(head, (0, 0, 0, 2))
    lines = [Text(finding.message, style="bold")]
    if finding.refuse:
        outside = " (under instructions not in force at this date)" if finding.caveat else ""
        lines.append(Text(f"members may refuse{outside}: {finding.refuse}"))
    if finding.fix:
        lines.append(Text(f"fix: {finding.fix}"))
    if finding.mandate_note:
        lines.append(Text(finding.mandate_note, style="italic"))
    lines.append(Text(f"id: {finding.id}", style="dim"))
    for line in lines:
        yield Padding(line, (0, 0, 0, 4))


def check_json(result: CheckResult) -> dict[str, Any]:
    """The stable ``fairload/check@1`` document; ``budgets`` appears for several schools."""
    budgets = school_budgets(result)
    first = next(iter(budgets.values()), None)
    document: dict[str, Any] = {
        "format": CHECK_FORMAT,
        "pack": {"id": result.pack.id, "version": result.pack.version},
        "at": result.at.isoformat(),
        "schools": list(result.tables.years),
        "summary": result.counts(),
        "findings": [f.as_dict() for f in result.findings],
        "budget": first.as_dict() if first else None,
    }
    if len(result.tables.years) > 1:
        document["budgets"] = {school_id: b.as_dict() for school_id, b in budgets.items()}
    return document


def _severity_cell(finding: Finding) -> str:
    """A finding's severity, marked where its instruction is checked outside its mandate."""
    if finding.outside_mandate:
        return f"{finding.severity.value} ({OUTSIDE_MANDATE})"
    return finding.severity.value


def check_markdown(result: CheckResult) -> str:
    """A heading, the summary, the findings and each budget as Markdown tables."""
    lines = [f"# fairload check: {', '.join(result.tables.years)}", "", pack_line(result), ""]
    lines += ["## Summary", ""]
    counts = result.counts()
    lines += markdown_table(
        ["Severity", "Findings"], [[SEVERITY_HEADINGS[s], counts[s.value]] for s in Severity]
    )
    lines += ["", "## Findings", ""]
    if result.findings:
        lines += markdown_table(
            ["Severity", "Rule", "Clause", "Message"],
            [[_severity_cell(f), f.rule, f.reference.citation, f.message] for f in result.findings],
        )
    else:
        lines.append("No findings.")
    for budget in school_budgets(result).values():
        lines += ["", *school_budget_markdown(budget)]
    return "\n".join(lines) + "\n"
