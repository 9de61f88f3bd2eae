"""What every report of the command line shares: the console, how hours and figures are
written, JSON text, Markdown tables and the colours of the severities.

Text goes through Rich: coloured on a terminal, plain 100-column text otherwise, so a
piped or saved report has no escape codes. Data is printed as ``Text`` rather than
markup, because messages and titles may contain brackets Rich would otherwise parse.
Each report has its module: ``check_report``, ``budget_report``, ``explain_report`` and
``pack_report``.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterable
from typing import Any, TextIO

from rich.console import Console
from rich.padding import Padding
from rich.text import Text

from fairload.core.findings import Severity

PLAIN_WIDTH = 100

STYLES = {
    Severity.BREACH: "bold red",
    Severity.WARNING: "yellow",
    Severity.NEEDS_AGREEMENT: "cyan",
    Severity.INFO: "dim",
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
    console.print(Padding(text, (0, 0, 0, spaces)))
