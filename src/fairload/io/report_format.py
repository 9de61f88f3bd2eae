"""What every report of the command line shares: the console, how hours and figures are
written, JSON text, Markdown tables and the colours of the severities.

Text goes through Rich: coloured on a terminal, plain 100-column text otherwise, so a
piped or saved report has no escape codes. Data is printed as ``Text`` rather than
markup, because messages and titles may contain brackets Rich would otherwise parse.
Each report has its module: ``check_report``, ``budget_report``, ``explain_report`` and
``pack_report``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from fairload.core.findings import Severity
from fairload.io.console import PLAIN_WIDTH as PLAIN_WIDTH
from fairload.io.console import console_for as console_for

if TYPE_CHECKING:  # Rich only where a report is printed through it (not a check's plain text)
    from rich.console import Console
    from rich.text import Text

STYLES = {
    Severity.BREACH: "bold red",
    Severity.WARNING: "yellow",
    Severity.NEEDS_AGREEMENT: "cyan",
    Severity.INFO: "dim",
}


def hours(value: float | None) -> str:
    """Hours as a person writes them: 1365, 348.33, or a dash for none."""
    if value is None:
        return "—"
    return f"{value:.2f}".rstrip("0").rstrip(".")


def figure(value: object) -> str:
    if isinstance(value, float):
        return hours(value)
    return "—" if value is None else str(value)


def to_json(document: Any) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False, default=str)


def _cell(value: object) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ")


def markdown_table(headers: list[str], rows: Iterable[list[object]]) -> list[str]:
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(_cell(v) for v in row) + " |" for row in rows]
    return lines


def indented(console: Console, spaces: int, text: Text) -> None:
    """Print ``text`` indented; Padding keeps wrapped lines under their first one."""
    from rich.padding import Padding

    console.print(Padding(text, (0, 0, 0, spaces)))
