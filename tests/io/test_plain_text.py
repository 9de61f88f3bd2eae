"""A check's plain text laid out without Rich's console (io.plain_text, check_report
.check_text) is the text Rich writes off a terminal, character for character."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.console import RenderableType
from rich.padding import Padding
from rich.text import Text

from fairload.core.check import run_check
from fairload.core.packs import load_bundled
from fairload.core.tables import tables_from_years
from fairload.io import check_report, plain_text, report_format
from fairload.io.school_file import load_school_year

EXAMPLES = sorted((Path(__file__).parents[2] / "examples").glob("*.yaml"))

#: Text of the kinds reports hold: words, runs of spaces, long words to fold, dashes,
#: accents, wide (CJK) and zero-width (combining) characters, brackets, and now and then
#: a newline or a tab, which plain_text leaves to Rich.
_WORD = st.text(
    st.sampled_from([*"abcdefghij", *"ABC", "—", "é", "’", "漢", "\u0301", "[", "]", "0", "."]),
    min_size=1,
    max_size=30,
)
_TEXT = st.lists(
    st.one_of(_WORD, st.sampled_from([" ", "  ", "   ", "\n", "\t"]), st.just("x" * 120)),
    max_size=40,
).map("".join)


def _rich(renderable: RenderableType) -> str:
    """What Rich writes off a terminal (report_format.console_for), trailing spaces trimmed."""
    stream = io.StringIO()
    report_format.console_for(stream).print(renderable)
    return stream.getvalue()


def _joined(lines: list[str] | None) -> str | None:
    return None if lines is None else "".join(f"{line}\n" for line in lines)


@given(text=_TEXT, indent=st.sampled_from([0, 2, 4]))
def test_a_paragraph_is_wrapped_as_rich_wraps_it(text: str, indent: int) -> None:
    lines = plain_text.paragraph(text, indent)
    rendered = Padding(Text(text), (0, 0, 0, indent)) if indent else Text(text)

    if "\n" in text or "\t" in text:
        assert lines is None  # left to Rich
    else:
        assert _joined(lines) == _rich(rendered)


_CELL = st.one_of(_WORD, st.sampled_from(["", "855", "—", "11.5", "Appendix 1"]))


@given(
    title=st.one_of(st.just(""), _TEXT),
    caption=st.one_of(st.just(""), _TEXT),
    footers=st.lists(_CELL, min_size=3, max_size=3),
    rows=st.lists(st.lists(_CELL, min_size=3, max_size=3), max_size=6),
    wide=st.booleans(),
)
def test_a_budget_shaped_table_is_laid_out_as_rich_lays_it_out(
    title: str, caption: str, footers: list[str], rows: list[list[str]], wide: bool
) -> None:
    if wide:  # a table wider than the page: Rich narrows its columns
        rows = [*rows, ["w" * 50, "w" * 30, "w" * 20]]
    columns = [("Heading", "left", footers[0]), ("Hours", "right", footers[1])]
    columns.append(("Clause", "left", footers[2]))
    table = plain_text.rich_table(title, caption, columns, rows)

    lines = plain_text.table(title, caption, columns, rows)

    if wide:
        assert lines is None
    if lines is not None:  # else: markup, a newline or too wide, left to Rich
        assert _joined(lines) == _rich(table)


@pytest.mark.parametrize(
    "paths",
    [pytest.param([path], id=path.stem) for path in EXAMPLES]
    + [pytest.param([p for p in EXAMPLES if "south-ayrshire" in p.name], id="two schools")],
)
def test_a_checks_plain_text_is_what_rich_prints(paths: list[Path]) -> None:
    years = [load_school_year(path) for path in paths]
    result = run_check(load_bundled(years[0].school.pack), tables_from_years(years))
    stream = io.StringIO()
    check_report.print_check(result, report_format.console_for(stream))

    assert check_report.check_text(result) == stream.getvalue()
