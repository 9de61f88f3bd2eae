"""Reports for people and programs (report_format, check_report)."""

from __future__ import annotations

import io

import pytest

from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_bundled
from fairload.core.school_year import SchoolYear
from fairload.core.tables import tables_from_years
from fairload.io import check_report, report_format


@pytest.fixture(scope="module")
def result(fixture_year: SchoolYear) -> CheckResult:
    pack = load_bundled(fixture_year.school.pack)
    return run_check(pack, tables_from_years([fixture_year]))


@pytest.mark.parametrize(
    ("value", "shown"), [(1365.0, "1365"), (348.3333, "348.33"), (2.5, "2.5"), (None, "—")]
)
def test_it_shows_hours_as_a_person_writes_them(value: float | None, shown: str) -> None:
    assert report_format.hours(value) == shown


def test_it_counts_findings_in_words() -> None:
    counts = {"breach": 1, "warning": 2, "needs-agreement": 0, "info": 1}
    assert check_report.summary_line(counts) == (
        "1 breach, 2 warnings, 0 needing agreement, 1 note"
    )


def test_it_writes_plain_100_column_text_when_not_a_terminal(result: CheckResult) -> None:
    stream = io.StringIO()
    console = report_format.console_for(stream)
    check_report.print_check(result, console)
    text = stream.getvalue()
    assert console.width == 100
    assert "\x1b[" not in text
    assert all(line == line.rstrip() for line in text.splitlines())


def test_it_escapes_pipes_in_markdown_cells() -> None:
    assert report_format.markdown_table(["a"], [["x | y"]])[-1] == "| x \\| y |"


def test_its_check_json_is_versioned_and_names_the_pack(result: CheckResult) -> None:
    document = check_report.check_json(result)
    assert document["format"] == "fairload/check@1"
    assert document["pack"] == {"id": result.pack.id, "version": result.pack.version}
    assert document["at"] == "2025-08-13"
    assert "budgets" not in document
