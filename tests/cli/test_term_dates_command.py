"""`fairload term-dates`: a school year's dates from a council's calendar."""

from __future__ import annotations

from pathlib import Path

import yaml
from cli_support import FIXTURE, Run

COUNCIL = Path(__file__).parents[1] / "io" / "data" / "south-ayrshire-2025-26-term-dates.ics"


def test_it_prints_the_year_section_of_the_councils_calendar(run: Run) -> None:
    result = run("term-dates", str(COUNCIL))

    assert result.exit_code == 0, result.output
    year = yaml.safe_load(result.stdout)["year"]
    assert (year["start"], year["end"], len(year["terms"])) == ("2025-08-13", "2026-06-26", 3)


def test_it_writes_the_school_file_with_the_councils_dates_and_the_result_checks(
    run: Run, tmp_path: Path
) -> None:
    target = tmp_path / "school.yaml"

    result = run("term-dates", str(COUNCIL), "--school", str(FIXTURE), "--output", str(target))

    assert result.exit_code == 0, result.output
    written = yaml.safe_load(target.read_text(encoding="utf-8"))
    assert written["year"]["terms"][1]["name"] == "Spring term"
    assert run("check", str(target)).exit_code in (0, 1)  # a school year fairload reads


def test_a_bad_calendar_exits_2_with_located_errors_and_writes_nothing(
    run: Run, tmp_path: Path
) -> None:
    bad = tmp_path / "terms.ics"
    bad.write_text(
        COUNCIL.read_text(encoding="utf-8").replace("SUMMARY:INSET", "SUMMARY:Sports day"),
        encoding="utf-8",
    )
    target = tmp_path / "school.yaml"

    result = run("term-dates", str(bad), "--school", str(FIXTURE), "--output", str(target))

    assert result.exit_code == 2
    assert f"{bad}:40: VEVENT 'Sports day': cannot tell whether it is a term" in result.stderr
    assert not target.exists()
