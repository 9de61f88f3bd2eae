"""The explanation of one finding: everything about it, down to each parameter's value,
date and clause, as text or JSON (``fairload/explain@1``, versioned, only gains keys)."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

from fairload.core.check import CheckResult
from fairload.core.findings import Finding
from fairload.io.report_format import figure, indented

EXPLAIN_FORMAT = "fairload/explain@1"


def working_value(value: object) -> str:
    """A parameter's value in a working: a whole table would bury the row that was used,
    which the working's data shows, so a table is named by its size."""
    if isinstance(value, list) and len(value) > 3 and all(isinstance(v, dict) for v in value):
        return f"(a table of {len(value)} rows; the row used is under Data)"
    return figure(value)


def explanation_json(result: CheckResult, finding: Finding) -> dict[str, Any]:
    return {
        "format": EXPLAIN_FORMAT,
        "pack": {"id": result.pack.id, "version": result.pack.version},
        "at": result.at.isoformat(),
        "finding": {**finding.as_dict(), "reference": finding.reference.as_dict()},
    }


def print_explanation(finding: Finding, console: Console) -> None:
    """Everything about one finding, down to each parameter's value, date and clause."""
    reference = finding.reference
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    subject = finding.subject
    rows = [
        ("Finding", finding.id),
        ("Rule", f"{finding.rule} — {finding.title}"),
        ("Severity", finding.severity.value),
        ("Document", reference.document.title),
        ("Clause", reference.clause),
        ("Quote", f"“{reference.quote}”" if reference.quote else None),
        ("Subject", f"{subject.kind.value} {subject.id}: {subject.label} ({finding.school_id})"),
        ("Message", finding.message),
        ("Actual", figure(finding.actual)),
        ("Limit", figure(finding.limit)),
        ("Members may refuse", finding.refuse),
        ("Fix", finding.fix),
        ("Not in force", finding.caveat if finding.rule != "mandate" else None),
    ]
    for label, value in rows:
        if value is not None:
            facts.add_row(label, Text(value))
    console.print(facts)
    console.print()
    console.print(Text("Working", style="bold underline"))
    indented(console, 2, Text("Parameters", style="bold"))
    for parameter in finding.working.parameters:
        indented(
            console,
            4,
            Text(f"{parameter.name} = {working_value(parameter.value)} {parameter.unit}"),
        )
        source = parameter.reference
        indented(
            console,
            6,
            Text(f"in force from {parameter.effective.isoformat()}; {source.citation}"),
        )
        if source.quote:
            indented(console, 6, Text(f"“{source.quote}”", style="italic"))
        if parameter.reading:
            indented(console, 6, Text(f"reading: {parameter.reading}"))
    if not finding.working.parameters:
        indented(console, 4, Text("(none)"))
    indented(console, 2, Text("Data", style="bold"))
    for key, value in finding.working.data.items():
        if isinstance(value, list):
            indented(console, 4, Text(f"{key}:"))
            for item in value:
                indented(console, 6, Text(figure(item)))
        else:
            indented(console, 4, Text(f"{key}: {figure(value)}"))
