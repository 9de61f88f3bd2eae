"""The report of a check: the summary, the findings grouped by severity and each school's
budget, as text, JSON (``fairload/check@1``) or Markdown. The JSON shape is versioned and
only ever gains keys."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult
from fairload.core.findings import OUTSIDE_MANDATE, SEVERITY_HEADINGS, Finding, Severity
from fairload.io import plain_text
from fairload.io.budget_report import budget_parts, budget_table, school_budget_markdown
from fairload.io.report_format import STYLES, markdown_table

if TYPE_CHECKING:  # Rich only where the report is printed through it
    from rich.console import Console, RenderableType

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


#: A line of the text report: its indent and its pieces of text, each with its style
#: (the first piece's is the line's own); None is a blank line.
Line = tuple[int, tuple[tuple[str, str | None], ...]]


def print_check(result: CheckResult, console: Console) -> None:
    """The summary, the findings grouped by severity, then each school's budget.

    Printed as one group: each ``console.print`` sets up a render of its own, and a
    report is a few dozen lines (issue 8: printing was a tenth of a check)."""
    from rich.console import Group

    console.print(Group(*check_lines(result)))


def check_lines(result: CheckResult) -> Iterator[RenderableType]:
    """What ``print_check`` prints, line by line (a blank line is a ``NewLine``)."""
    from rich.console import NewLine
    from rich.padding import Padding
    from rich.text import Text

    for item in _report(result):
        if item is None:
            yield NewLine()
        elif isinstance(item, SchoolBudget):
            yield budget_table(item, result)
        else:
            indent, ((first, style), *rest) = item
            text = Text(first, style=style or "")
            for piece, piece_style in rest:
                text.append(piece, style=piece_style)
            yield Padding(text, (0, 0, 0, indent)) if indent else text


def check_text(result: CheckResult) -> str | None:
    """What ``print_check`` prints to plain text (``console.console_for`` off a terminal),
    trailing spaces trimmed, worked out without Rich's console (``plain_text``); None
    where a line is not of the simple shapes ``plain_text`` lays out."""
    lines: list[str] = []
    for item in _report(result):
        if item is None:
            lines.append("")
            continue
        if isinstance(item, SchoolBudget):
            written = plain_text.table(*budget_parts(item, result))
        else:
            indent, pieces = item
            written = plain_text.paragraph("".join(text for text, _ in pieces), indent)
        if written is None:
            return None
        lines += written
    return "".join(f"{line}\n" for line in lines)


def _report(result: CheckResult) -> Iterator[Line | SchoolBudget | None]:
    """The report's lines, blank lines (None) and budgets, in order."""
    several = len(result.tables.years) > 1
    yield (0, ((pack_line(result), "bold"),))
    for school_id, year in result.tables.years.items():
        counts = {s.value: 0 for s in Severity}
        for finding in result.findings:
            if finding.school_id == school_id:
                counts[finding.severity.value] += 1
        yield (0, ((f"{year.school.name} ({school_id}): {summary_line(counts)}", None),))
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        yield None
        yield (0, ((SEVERITY_HEADINGS[severity], f"{STYLES[severity]} underline"),))
        for finding in group:
            yield from _finding_lines(finding, show_school=several)
    for budget in school_budgets(result).values():
        yield None
        yield budget


def _finding_lines(finding: Finding, *, show_school: bool) -> Iterator[Line]:
    head: list[tuple[str, str | None]] = [
        (finding.severity.value.upper(), STYLES[finding.severity]),
        (f"  {finding.rule}  ", None),
        (finding.reference.citation, "italic"),
    ]
    if show_school:
        head.append((f"  [{finding.school_id}]", None))
    yield (2, tuple(head))
    lines: list[tuple[str, str | None]] = [(finding.message, "bold")]
    if finding.refuse:
        outside = " (under instructions not in force at this date)" if finding.caveat else ""
        lines.append((f"members may refuse{outside}: {finding.refuse}", None))
    if finding.fix:
        lines.append((f"fix: {finding.fix}", None))
    if finding.mandate_note:
        lines.append((finding.mandate_note, "italic"))
    lines.append((f"id: {finding.id}", "dim"))
    for line in lines:
        yield (4, (line,))


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
