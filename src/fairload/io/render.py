"""Check results, budgets and explanations as text for people, JSON for programs, Markdown.

Text goes through Rich: coloured on a terminal, plain 100-column text otherwise, so a
piped or saved report has no escape codes. Data is printed as ``Text`` rather than
markup, because messages and titles may contain brackets Rich would otherwise parse.
The JSON shapes are versioned (``fairload/check@1`` …) and only ever gain keys.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable, Mapping
from typing import Any, TextIO

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult
from fairload.core.findings import SEVERITY_HEADINGS, Finding, Severity
from fairload.core.packs import Pack
from fairload.core.school_year import StaffMember

CHECK_FORMAT = "fairload/check@1"
BUDGET_FORMAT = "fairload/budget@1"
EXPLAIN_FORMAT = "fairload/explain@1"
PLAIN_WIDTH = 100

_STYLES = {
    Severity.BREACH: "bold red",
    Severity.WARNING: "yellow",
    Severity.NEEDS_AGREEMENT: "cyan",
    Severity.INFO: "dim",
}
_COUNTED = {
    Severity.BREACH: ("breach", "breaches"),
    Severity.WARNING: ("warning", "warnings"),
    Severity.NEEDS_AGREEMENT: ("needing agreement", "needing agreement"),
    Severity.INFO: ("note", "notes"),
}


class _TrimmedLines(io.TextIOBase):
    """Passes text on line by line without the trailing spaces Rich pads tables with,
    so saved reports diff cleanly."""

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.pending = ""

    def write(self, text: str) -> int:
        *done, self.pending = (self.pending + text).split("\n")
        for line in done:
            self.stream.write(line.rstrip() + "\n")
        return len(text)

    def flush(self) -> None:
        self.stream.flush()


def console_for(stream: TextIO) -> Console:
    """A console writing to ``stream``: Rich's own on a terminal, plain text otherwise."""
    if stream.isatty():
        return Console(file=stream, highlight=False)
    return Console(
        file=_TrimmedLines(stream),  # type: ignore[arg-type]
        width=PLAIN_WIDTH,
        color_system=None,
        highlight=False,
        emoji=False,
    )


def hours(value: float | None) -> str:
    """Hours as a person writes them: 1365, 348.33, or a dash for none."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def figure(value: object) -> str:
    if isinstance(value, float):
        return hours(value)
    return "—" if value is None else str(value)


def working_value(value: object) -> str:
    """A parameter's value in a working: a whole table would bury the row that was used,
    which the working's data shows, so a table is named by its size."""
    if isinstance(value, list) and len(value) > 3 and all(isinstance(v, dict) for v in value):
        return f"(a table of {len(value)} rows; the row used is under Data)"
    return figure(value)


def summary_line(counts: Mapping[str, int]) -> str:
    """``1 breach, 2 warnings, 0 needing agreement, 0 notes``."""
    parts = []
    for severity, (one, many) in _COUNTED.items():
        n = counts.get(severity.value, 0)
        parts.append(f"{n} {one if n == 1 else many}")
    return ", ".join(parts)


def _pack_line(result: CheckResult) -> str:
    pack = result.pack
    return f"{pack.title} ({pack.id} {pack.version}), read at {result.at.isoformat()}"


def _school_budgets(result: CheckResult) -> dict[str, SchoolBudget]:
    budgets = {}
    for school_id in result.tables.years:
        budget = result.school_budget(school_id)
        if budget is not None:
            budgets[school_id] = budget
    return budgets


# Check: text ---------------------------------------------------------------------------


def print_check(result: CheckResult, console: Console) -> None:
    """The summary, the findings grouped by severity, then each school's budget."""
    several = len(result.tables.years) > 1
    console.print(Text(_pack_line(result), style="bold"))
    for school_id, year in result.tables.years.items():
        counts = {s.value: 0 for s in Severity}
        for finding in result.findings:
            if finding.school_id == school_id:
                counts[finding.severity.value] += 1
        console.print(Text(f"{year.school.name} ({school_id}): {summary_line(counts)}"))
    for severity in Severity:
        group = [f for f in result.findings if f.severity is severity]
        if not group:
            continue
        console.print()
        console.print(Text(SEVERITY_HEADINGS[severity], style=f"{_STYLES[severity]} underline"))
        for finding in group:
            _print_finding(finding, console, show_school=several)
    for budget in _school_budgets(result).values():
        console.print()
        console.print(budget_table(budget, result))


def _print_finding(finding: Finding, console: Console, *, show_school: bool) -> None:
    head = Text(finding.severity.value.upper(), style=_STYLES[finding.severity])
    head.append(f"  {finding.rule}  ")
    head.append(finding.reference.citation, style="italic")
    if show_school:
        head.append(f"  [{finding.school_id}]")
    _indented(console, 2, head)
    lines = [Text(finding.message, style="bold")]
    if finding.refuse:
        outside = " (under instructions not in force at this date)" if finding.caveat else ""
        lines.append(Text(f"members may refuse{outside}: {finding.refuse}"))
    if finding.fix:
        lines.append(Text(f"fix: {finding.fix}"))
    lines.append(Text(f"id: {finding.id}", style="dim"))
    for line in lines:
        _indented(console, 4, line)


def budget_table(budget: SchoolBudget, result: CheckResult | None = None) -> Table:
    """Appendix 1 for one school: per heading, the default, agreed and planned hours."""
    school = ""
    if result is not None and budget.school_id in result.tables.years:
        school = f" — {result.tables.years[budget.school_id].school.name}"
    table = Table(
        title=f"{budget.title}{school}",
        caption=f"Per full-time teacher. {budget.reference.citation}. "
        "Planned: the busiest full-time teacher's calendar.",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        title_justify="left",
        caption_justify="left",
    )
    table.add_column("Heading", footer="Total")
    table.add_column("Default", justify="right")
    table.add_column("Agreed", justify="right", footer=hours(budget.total))
    table.add_column("Planned", justify="right")
    table.add_column("Clause")
    for line in budget.lines:
        table.add_row(
            Text(line.label),
            hours(line.default_hours),
            hours(line.hours),
            hours(line.planned_hours),
            Text(line.reference.clause if line.reference else ""),
        )
    return table


# Check: JSON and Markdown ---------------------------------------------------------------


def check_json(result: CheckResult) -> dict[str, Any]:
    """The stable ``fairload/check@1`` document; ``budgets`` appears for several schools."""
    budgets = _school_budgets(result)
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


def to_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def _markdown_table(headers: list[str], rows: Iterable[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def check_markdown(result: CheckResult) -> str:
    """A heading, the summary, the findings and each budget as Markdown tables."""
    lines = [f"# fairload check: {', '.join(result.tables.years)}", "", _pack_line(result), ""]
    lines += ["## Summary", ""]
    counts = result.counts()
    lines += _markdown_table(
        ["Severity", "Findings"], [[SEVERITY_HEADINGS[s], counts[s.value]] for s in Severity]
    )
    lines += ["", "## Findings", ""]
    if result.findings:
        lines += _markdown_table(
            ["Severity", "Rule", "Clause", "Message"],
            [[f.severity.value, f.rule, f.reference.citation, f.message] for f in result.findings],
        )
    else:
        lines.append("No findings.")
    for budget in _school_budgets(result).values():
        lines += ["", *school_budget_markdown(budget)]
    return "\n".join(lines) + "\n"


def school_budget_markdown(budget: SchoolBudget) -> list[str]:
    lines = [f"## {budget.title}: {budget.school_id}", ""]
    rows: list[list[object]] = [
        [
            line.label,
            hours(line.default_hours),
            hours(line.hours),
            hours(line.planned_hours),
            line.reference.clause if line.reference else "",
        ]
        for line in budget.lines
    ]
    rows.append(["**Total**", "", hours(budget.total), "", budget.reference.clause])
    return lines + _markdown_table(["Heading", "Default", "Agreed", "Planned", "Clause"], rows)


# Budgets --------------------------------------------------------------------------------


def budget_json(
    result: CheckResult,
    school_id: str,
    teacher: StaffMember | None = None,
    rows: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """``fairload/budget@1``: the school's budget, or one teacher's lines and their total."""
    document: dict[str, Any] = {
        "format": BUDGET_FORMAT,
        "pack": {"id": result.pack.id, "version": result.pack.version},
        "at": result.at.isoformat(),
        "school": school_id,
    }
    if teacher is None:
        budget = result.school_budget(school_id)
        document["budget"] = budget.as_dict() if budget else None
    else:
        document["teacher"] = {"id": teacher.id, "name": teacher.name, "fte": teacher.fte}
        document["lines"] = rows or []
        document["total"] = round(sum(r["hours"] for r in rows or []), 2)
    return document


def teacher_table(teacher: StaffMember, rows: list[dict[str, Any]]) -> Table:
    table = Table(
        title=f"{teacher.name} ({teacher.id}), FTE {hours(teacher.fte)}",
        box=box.SIMPLE_HEAD,
        show_footer=True,
        title_justify="left",
    )
    table.add_column("Heading", footer="Total")
    table.add_column("Hours", justify="right", footer=hours(sum(r["hours"] for r in rows)))
    table.add_column("Planned", justify="right")
    for row in rows:
        table.add_row(Text(row["label"]), hours(row["hours"]), hours(row["planned_hours"]))
    notes = gained_notes(rows)
    if notes:
        table.caption = "\n".join(notes)
        table.caption_justify = "left"
    return table


def gained_notes(rows: list[dict[str, Any]]) -> list[str]:
    """Appendix 2's total: a line plus the hours its headings' unused time gives back."""
    return [
        f"{row['label']} to account for: {hours(row['hours'])} + "
        f"{hours(row['gained_hours'])} gained from groups not joined "
        f"({row.get('gained_from', '')}) = "
        f"{hours(row['hours'] + row['gained_hours'])} hours"
        for row in rows
        if row.get("gained_hours")
    ]


def teacher_markdown(teacher: StaffMember, rows: list[dict[str, Any]]) -> str:
    lines = [f"# {teacher.name} ({teacher.id}), FTE {hours(teacher.fte)}", ""]
    body: list[list[object]] = [
        [r["label"], hours(r["hours"]), hours(r["planned_hours"])] for r in rows
    ]
    body.append(["**Total**", hours(sum(r["hours"] for r in rows)), ""])
    lines += _markdown_table(["Heading", "Hours", "Planned"], body)
    lines += ["", *gained_notes(rows)] if gained_notes(rows) else []
    return "\n".join(lines) + "\n"


# Explain --------------------------------------------------------------------------------


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
    _indented(console, 2, Text("Parameters", style="bold"))
    for parameter in finding.working.parameters:
        _indented(
            console,
            4,
            Text(f"{parameter.name} = {working_value(parameter.value)} {parameter.unit}"),
        )
        source = parameter.reference
        _indented(
            console,
            6,
            Text(f"in force from {parameter.effective.isoformat()}; {source.citation}"),
        )
        if source.quote:
            _indented(console, 6, Text(f"“{source.quote}”", style="italic"))
        if parameter.reading:
            _indented(console, 6, Text(f"reading: {parameter.reading}"))
    if not finding.working.parameters:
        _indented(console, 4, Text("(none)"))
    _indented(console, 2, Text("Data", style="bold"))
    for key, value in finding.working.data.items():
        if isinstance(value, list):
            _indented(console, 4, Text(f"{key}:"))
            for item in value:
                _indented(console, 6, Text(figure(item)))
        else:
            _indented(console, 4, Text(f"{key}: {figure(value)}"))


def _indented(console: Console, spaces: int, text: Text) -> None:
    # Padding keeps wrapped lines under their first one.
    console.print(Padding(text, (0, 0, 0, spaces)))


# Packs ----------------------------------------------------------------------------------


def pack_summary(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "title": pack.title,
        "jurisdiction": pack.jurisdiction,
        "version": pack.version,
        "extends": pack.extends,
        "rules": len(pack.rules),
    }


def print_packs(packs: list[Pack], console: Console) -> None:
    """One block a pack: long titles and jurisdictions read badly in narrow columns."""
    for pack in packs:
        head = Text(pack.id, style="bold")
        head.append(f"  {pack.version}  {len(pack.rules)} rules")
        if pack.extends:
            head.append(f"  extends {pack.extends}")
        console.print(head)
        _indented(console, 2, Text(pack.title))
        _indented(console, 2, Text(pack.jurisdiction, style="dim"))


def pack_json(pack: Pack) -> dict[str, Any]:
    """A pack in full: its manifest, every dated parameter value, and its rules."""
    summary = {k: v for k, v in pack_summary(pack).items() if k != "rules"}
    return {
        **summary,
        "rules": [
            {
                "id": r.id,
                "title": r.title,
                "template": r.template,
                "severity": r.severity.value,
                "reference": r.reference.as_dict(),
                "effective_from": r.effective_from.isoformat() if r.effective_from else None,
                "effective_to": r.effective_to.isoformat() if r.effective_to else None,
            }
            for r in pack.rules
        ],
        "effective_from": pack.effective_from.isoformat() if pack.effective_from else None,
        "mandates": [
            {
                "pack": m.pack_id,
                "from": m.start.isoformat(),
                "to": m.end.isoformat() if m.end else None,
                "clause": m.reference.clause,
                "note": m.note or None,
            }
            for m in pack.mandates
        ],
        "description": pack.description,
        "lineage": list(pack.lineage),
        "documents": [
            {"id": d.id, "title": d.title, "url": d.url, "date": d.date}
            for d in pack.documents.values()
        ],
        "parameters": [
            {
                "name": p.name,
                "description": p.description,
                "unit": p.unit,
                "pack": p.pack_id,
                "values": [
                    {
                        "effective": v.effective.isoformat(),
                        "value": v.value,
                        "reference": v.reference.as_dict(),
                    }
                    for v in p.values
                ],
            }
            for p in sorted(pack.parameters.parameters.values(), key=lambda p: p.name)
        ],
    }


def _short(value: object) -> str:
    # Look-up tables are lists of rows; their rows are in `packs show --format json`.
    if isinstance(value, list) and value and isinstance(value[0], dict):
        return f"table of {len(value)} rows"
    return figure(value)


def print_pack(pack: Pack, console: Console) -> None:
    """A pack's manifest, documents, every dated parameter value, and its rules."""
    console.print(Text(f"{pack.title}", style="bold"))
    facts = Table.grid(padding=(0, 2))
    facts.add_column(style="bold", no_wrap=True)
    facts.add_column()
    for label, value in (
        ("Id", pack.id),
        ("Version", pack.version),
        ("Jurisdiction", pack.jurisdiction),
        ("Extends", pack.extends),
        ("In force from", pack.effective_from.isoformat() if pack.effective_from else None),
        *(
            (
                "Mandate",
                f"{m.title}: in force {m.span} ({m.reference.citation}). {m.note}".strip(),
            )
            for m in pack.mandates
        ),
        ("Documents", "; ".join(d.title for d in pack.documents.values())),
        ("Description", pack.description.strip() or None),
    ):
        if value:
            facts.add_row(label, Text(value))
    console.print(facts)
    console.print()
    console.print(Text("Parameters", style="bold underline"))
    for parameter in sorted(pack.parameters.parameters.values(), key=lambda p: p.name):
        head = Text(parameter.name, style="bold")
        head.append(f" ({parameter.unit}): {parameter.description}")
        _indented(console, 2, head)
        for dated in parameter.values:
            _indented(
                console,
                4,
                Text(
                    f"from {dated.effective.isoformat()}: {_short(dated.value)}"
                    f" — {dated.reference.citation}"
                ),
            )
    console.print()
    console.print(Text("Rules", style="bold underline"))
    for rule in pack.rules:
        head = Text(rule.id, style="bold")
        head.append("  ")
        head.append(rule.severity.value, style=_STYLES[rule.severity])
        head.append(f"  {rule.template}")
        _indented(console, 2, head)
        _indented(console, 4, Text(f"{rule.title} — {rule.reference.citation}"))
