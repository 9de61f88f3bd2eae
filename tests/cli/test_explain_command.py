"""`fairload explain`: a finding's clause, figures and working."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from cli_support import Run, WriteSchool


@pytest.fixture
def long_meeting_school(school_document: dict[str, Any], write_school: WriteSchool) -> Path:
    school_document["events"].append(
        {
            "id": "sm2",
            "title": "Curriculum evening",
            "category": "staff-meeting",
            "date": "2025-10-01",
            "start": "15:45",
            "end": "18:15",
        }
    )
    return write_school(school_document)


def test_it_shows_the_clause_and_each_parameters_effective_date(
    run: Run, long_meeting_school: Path
) -> None:
    result = run("explain", long_meeting_school, "meeting-max-duration")
    assert result.exit_code == 0, result.output
    assert "Clause    7.3" in result.stdout
    assert "meeting_max_hours = 2 hours" in result.stdout
    assert "in force from 2014-08-01" in result.stdout


def test_it_shows_the_figures_and_the_data_used(run: Run, long_meeting_school: Path) -> None:
    text = run("explain", long_meeting_school, "meeting-max-duration").stdout
    assert "Actual    2.5" in text
    assert "Limit     2" in text
    assert "title: Curriculum evening" in text
    assert "Fix" in text


def test_it_quotes_the_agreement_where_the_pack_does(run: Run, long_meeting_school: Path) -> None:
    text = run("explain", long_meeting_school, "meeting-max-duration").stdout
    assert "unacceptable for any individual meeting to last longer than 2 hours" in text


def test_it_explains_as_json_with_the_working(run: Run, long_meeting_school: Path) -> None:
    result = run("explain", long_meeting_school, "meeting-max", "--format", "json")
    finding = json.loads(result.stdout)["finding"]
    assert finding["clause"] == "7.3"
    assert finding["reference"]["document"] == "South Ayrshire JNCT2.7"
    assert finding["working"]["parameters"][0]["effective"] == "2014-08-01"


def test_it_exits_2_for_a_finding_that_is_not_there(run: Run, long_meeting_school: Path) -> None:
    result = run("explain", long_meeting_school, "class-contact-max")
    assert result.exit_code == 2
    assert "no finding 'class-contact-max'" in result.stderr


def test_it_shows_the_rules_prose_filled_from_its_parameters(
    run: Run, long_meeting_school: Path
) -> None:
    text = run("explain", long_meeting_school, "meeting-max-duration").stdout
    assert "No single meeting longer than 2 hours" in text
    assert "shorten it to 2 hours or less" in text
    assert "{" not in text


def test_it_shows_the_reading_the_pack_took_of_8_9(
    run: Run, school_document: dict[str, Any], write_school: WriteSchool
) -> None:
    guidance = next(s for s in school_document["staff"] if s["id"] == "ptg")
    guidance["contact_periods_per_week"] = 24
    text = run("explain", write_school(school_document), "management-time-guidance").stdout
    assert "guidance_periods_before_management_time = 0 periods/week" in text
    assert "reading: 10 periods in total." in text
