"""The console a report is written to: Rich's own on a terminal, plain text otherwise.

A module of its own, light to import: the replay of an unchanged check
(``check_replay``) writes plain text without importing Rich.
"""

from __future__ import annotations

import io
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console

#: The width of plain text (piped or saved), so a report reads the same anywhere.
PLAIN_WIDTH = 100


class TrimmedLines(io.TextIOBase):
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
    from rich.console import Console

    if stream.isatty():
        return Console(file=stream, highlight=False)
    return Console(
        file=TrimmedLines(stream),  # type: ignore[arg-type]
        width=PLAIN_WIDTH,
        color_system=None,
        highlight=False,
        emoji=False,
    )
