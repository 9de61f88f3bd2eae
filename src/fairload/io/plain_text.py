"""Plain text laid out as Rich lays it out, for the simple shapes of a report, without
importing Rich's console (a tenth of a check, with the rendering: issue 8).

A report written to a pipe or a file is Rich's plain 100-column text
(``console.console_for``), trailing spaces trimmed (``console.TrimmedLines``). For a
paragraph of one line of printable text, and a table in the shape of the budget's
(``box.SIMPLE_HEAD``, a footer, a title and a caption, left-justified, that fits the
width), the characters are worked out here, line breaks by Rich's own word wrapping
(``rich._wrap.divide_line``, which imports none of the console). Anything else (a
newline, a tab or another control character, a ``[`` Rich could read as markup, a table
too wide, a Rich without that function) is ``None``: the caller prints through Rich as
before. tests/io/test_plain_text.py holds these lines to Rich's on the same values.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import TYPE_CHECKING

from fairload.io.console import PLAIN_WIDTH

if TYPE_CHECKING:
    from rich.console import RenderableType
    from rich.table import Table

#: A table column: its header, how its cells are justified ("left", "right") and footer.
Column = tuple[str, str, str]


def simple(text: str, *, markup: bool = False) -> bool:
    """Whether ``text`` is one line of printable characters and, where Rich reads it as
    markup (a table's ``str`` cells, title and caption), holds no ``[``."""
    return text.isprintable() and not (markup and "[" in text)


def wrapped(text: str, width: int) -> list[str] | None:
    """``text`` in lines of at most ``width`` cells, broken where Rich breaks it."""
    try:
        from rich._wrap import divide_line
    except ImportError:  # a Rich that moved it: the caller prints through Rich
        return None
    bounds = [0, *divide_line(text, width, fold=True), len(text)]
    return [text[start:end].rstrip() for start, end in pairwise(bounds)]


def paragraph(text: str, indent: int = 0, width: int = PLAIN_WIDTH) -> list[str] | None:
    """``text`` wrapped as ``Text(text)`` (or, indented, ``Padding(Text(text), (0, 0, 0,
    indent))``) prints it, each line without its trailing spaces."""
    if not simple(text):
        return None
    lines = wrapped(text, width - indent)
    return None if lines is None else [(" " * indent + line).rstrip() for line in lines]


def rich_table(
    title: str,
    caption: str,
    columns: Sequence[Column],
    rows: Sequence[Sequence[RenderableType]],
) -> Table:
    """The Rich table ``table`` lays out: ``box.SIMPLE_HEAD``, a footer, the title and
    the caption left-justified."""
    from rich import box
    from rich.table import Table

    made = Table(
        title=title,
        caption=caption,
        box=box.SIMPLE_HEAD,
        show_footer=True,
        title_justify="left",
        caption_justify="left",
    )
    for header, justify, footer in columns:
        made.add_column(header, justify=justify, footer=footer)  # type: ignore[arg-type]
    for row in rows:
        made.add_row(*row)
    return made


def table(
    title: str, caption: str, columns: Sequence[Column], rows: Sequence[Sequence[str]]
) -> list[str] | None:
    """The lines ``rich_table`` prints for these text cells, each without its trailing
    spaces; None unless it fits the width (and ``simple``)."""
    from rich.cells import cell_len

    cells = [[c[0] for c in columns], *rows, [c[2] for c in columns]]
    texts = [title, caption, *(text for row in cells for text in row)]
    if not all(simple(text, markup=True) for text in texts):
        return None
    # Each column as wide as its widest cell and one space each side; the edges and the
    # dividers between columns are a space each (SIMPLE_HEAD).
    widths = [max(cell_len(row[i]) for row in cells) + 2 for i in range(len(columns))]
    table_width = sum(widths) + len(widths) + 1
    if table_width > PLAIN_WIDTH:
        return None  # Rich would narrow the columns and wrap their cells

    def row_line(row: Sequence[str]) -> str:
        parts = []
        for text, width, (_, justify, _) in zip(row, widths, columns, strict=True):
            space = " " * (width - 2 - cell_len(text))
            parts.append(f" {space}{text} " if justify == "right" else f" {text}{space} ")
        return (" " + " ".join(parts)).rstrip()

    title_lines = wrapped(title, table_width) if title else []
    caption_lines = wrapped(caption, table_width) if caption else []
    if title_lines is None or caption_lines is None:
        return None
    return [
        *title_lines,
        "",  # the top edge
        row_line(cells[0]),
        " " + "─" * (table_width - 2),
        *(row_line(row) for row in rows),
        "",  # the line above the footer
        row_line(cells[-1]),
        "",  # the bottom edge
        *caption_lines,
    ]
