"""The one scan of how deep a school-year file nests (the CLI's reader and the web's)."""

from __future__ import annotations

import pytest

from fairload.core.nesting import MOST_DEPTH, nesting_problems


def _school(nesting: str) -> str:
    return f"format: fairload/school-year@1\nschool: {nesting}\n"


def test_a_file_nested_to_the_limit_is_let_through() -> None:
    assert nesting_problems(_school("[" * MOST_DEPTH + "]" * MOST_DEPTH), "a.yaml") == []


def test_one_level_more_is_refused_at_its_line() -> None:
    deeper = MOST_DEPTH + 1
    (problem,) = nesting_problems(_school("[" * deeper + "]" * deeper), "a.yaml")
    assert (problem.location.file, problem.location.line) == ("a.yaml", 2)
    assert problem.message == f"the file is nested more than {MOST_DEPTH} levels deep here"


@pytest.mark.parametrize(
    "value",
    [
        '"' + "[" * 100 + '"',  # in quotes
        "Meeting " + "[" * 100,  # inside a plain scalar
        "x  # " + "[" * 100,  # in a comment
    ],
)
def test_brackets_that_open_no_value_do_not_count(value: str) -> None:
    assert nesting_problems(_school(value), "a.yaml") == []


def test_block_levels_count_indentation_and_dashes() -> None:
    text = "events:\n" + "  " * MOST_DEPTH + "- - x\n"
    (problem,) = nesting_problems(text, "a.yaml")
    assert problem.location.line == 2
