"""Budget reports: a school's Appendix 1 (default, agreed and planned hours per heading)
and one teacher's Appendix 2 lines, as a table, JSON (``fairload/budget@1``) or Markdown.
The JSON shape is versioned and only ever gains keys."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult
from fairload.core.school_year import StaffMember
from fairload.io import plain_text
from fairload.io.plain_text import Column
from fairload.io.report_format import hours, markdown_table

if TYPE_CHECKING:  # Rich only where a table is printed through it
    from rich.table import Table

BUDGET_FORMAT = "fairload/budget@1"


def budget_parts(
    budget: SchoolBudget, result: CheckResult | None = None
) -> tuple[str, str, list[Column], list[list[str]]]:
    """Appendix 1 for one school, as the title, caption, columns and rows of its table."""
    school = ""
    if result is not None and budget.school_id in result.tables.years:
        school = f" — {result.tables.years[budget.school_id].school.name}"
    columns: list[Column] = [
        ("Heading", "left", "Total"),
        ("Default", "right", ""),
        ("Agreed", "right", hours(budget.total)),
        ("Planned", "right", ""),
        ("Clause", "left", ""),
    ]
    rows = [
        [
            line.label,
            hours(line.default_hours),
            hours(line.hours),
            hours(line.planned_hours),
            line.reference.clause if line.reference else "",
        ]
        for line in budget.lines
    ]
    caption = (
        f"Per full-time teacher. {budget.reference.citation}. "
        "Planned: the busiest full-time teacher's calendar."
    )
    return f"{budget.title}{school}", caption, columns, rows


def budget_table(budget: SchoolBudget, result: CheckResult | None = None) -> Table:
    """Appendix 1 for one school: per heading, the default, agreed and planned hours."""
    from rich.text import Text

    title, caption, columns, rows = budget_parts(budget, result)
    # Heading and clause as Text: never read as markup.
    cells = [[Text(row[0]), *row[1:4], Text(row[4])] for row in rows]
    return plain_text.rich_table(title, caption, columns, cells)


def school_budget_markdown(budget: SchoolBudget) -> list[str]:
    lines = [f"## {budget.title}: {budget.school_id}", ""]
    rows: list[list[object]] = [*budget_parts(budget)[3]]
    rows.append(["**Total**", "", hours(budget.total), "", budget.reference.clause])
    return lines + markdown_table(["Heading", "Default", "Agreed", "Planned", "Clause"], rows)


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
    from rich import box
    from rich.table import Table
    from rich.text import Text

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
    lines += markdown_table(["Heading", "Hours", "Planned"], body)
    lines += ["", *gained_notes(rows)] if gained_notes(rows) else []
    return "\n".join(lines) + "\n"
