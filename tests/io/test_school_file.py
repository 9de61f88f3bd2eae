"""School-year files: loading, dumping, and merging iCalendar events."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from fairload.core.errors import InputError, InputErrors
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear
from fairload.io.school_file import dump_school_year, load_school_year

UNION_MEETING_ICS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VEVENT
UID:tu2@school.example
DTSTAMP:20250601T000000Z
SUMMARY:Union meeting
DTSTART;TZID=Europe/London:20260304T153000
DTEND;TZID=Europe/London:20260304T163000
X-FAIRLOAD-ATTENDEES:t1,t2
END:VEVENT
BEGIN:VEVENT
UID:inset@school.example
DTSTAMP:20250601T000000Z
SUMMARY:INSET day
DTSTART;VALUE=DATE:20260105
END:VEVENT
END:VCALENDAR
"""


def test_parsing_a_dumped_year_gives_the_same_year(fixture_year: SchoolYear) -> None:
    assert parse_school_year(dump_school_year(fixture_year)) == fixture_year


def test_a_dumped_year_keeps_its_cycle_groups_and_dated_committee() -> None:
    """Before, the dump left out the agreement's groups and committee."""
    record = Path(__file__).parents[1] / "web" / "fixtures" / "agreement-record.yaml"
    year = load_school_year(record)

    dumped = dump_school_year(year)

    assert parse_school_year(dumped) == year
    assert [g["id"] for g in dumped["agreement"]["groups"]] == ["literacy", "eco"]
    assert dumped["agreement"]["committee"]["members"][3]["to"] == "2025-03-31"


def test_a_dumped_year_is_plain_json(fixture_year: SchoolYear) -> None:
    text = json.dumps(dump_school_year(fixture_year))
    assert json.loads(text)["format"] == "fairload/school-year@1"


def test_a_dumped_year_leaves_out_defaults_and_whole_staff_attendees(
    fixture_year: SchoolYear,
) -> None:
    document = dump_school_year(fixture_year)
    assert "fte" not in document["staff"][0]
    assert document["staff"][-1]["fte"] == 0.6
    events = {e["id"]: e for e in document["events"]}
    assert "attendees" not in events["sm1"]
    assert events["dm1"]["attendees"] == ["pt3", "t1"]


def test_it_loads_a_json_school_year(fixture_year: SchoolYear, tmp_path: Path) -> None:
    path = tmp_path / "school.json"
    path.write_text(json.dumps(dump_school_year(fixture_year)))
    assert load_school_year(path) == fixture_year


def test_it_refuses_a_file_type_it_does_not_read(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="not a school-year file type"):
        load_school_year(tmp_path / "school.txt")


def test_it_points_an_unknown_key_at_its_own_line(tmp_path: Path, fixture_path: Path) -> None:
    text = fixture_path.read_text().replace("probationer: true,", "probationer: true, fet: 1,")
    path = tmp_path / "school.yaml"
    path.write_text(text)
    line = next(n for n, row in enumerate(text.splitlines(), 1) if "fet: 1" in row)
    with pytest.raises(InputErrors) as caught:
        load_school_year(path)
    (problem,) = caught.value.errors
    assert str(problem).startswith(f"{path}:{line}: staff[6].fet: unknown key 'fet'")


def test_it_adds_events_and_in_service_days_from_an_ics_file(
    tmp_path: Path, fixture_path: Path
) -> None:
    feed = tmp_path / "union.ics"
    feed.write_text(UNION_MEETING_ICS)
    year = load_school_year(fixture_path, [feed])
    added = next(e for e in year.events if e.id == "tu2")
    assert (added.category, added.attendees, added.hours) == ("union-meeting", ("t1", "t2"), 1.0)
    assert year.calendar.inservice_days[-1].isoformat() == "2026-01-05"


def test_it_reports_an_imported_events_problem_at_its_line_in_the_ics(
    tmp_path: Path, fixture_path: Path
) -> None:
    feed = tmp_path / "union.ics"
    feed.write_text(UNION_MEETING_ICS.replace("t1,t2", "t1,nobody"))
    with pytest.raises(InputErrors) as caught:
        load_school_year(fixture_path, [feed])
    (problem,) = caught.value.errors
    assert str(problem).startswith(f"{feed}:4: attendees: unknown staff id 'nobody'")


def test_it_reports_problems_in_several_ics_files_together(
    tmp_path: Path, fixture_path: Path
) -> None:
    paths = []
    for name in ("a.ics", "b.ics"):
        paths.append(tmp_path / name)
        paths[-1].write_text(UNION_MEETING_ICS.replace("Union meeting", "Quiz"))
    with pytest.raises(InputErrors) as caught:
        load_school_year(fixture_path, paths)
    assert [e.location.file for e in caught.value.errors if e.location] == [str(p) for p in paths]


def test_it_adds_imported_events_to_a_file_that_has_none(
    tmp_path: Path, fixture_year: SchoolYear
) -> None:
    document = dump_school_year(fixture_year)
    del document["events"]
    school = tmp_path / "school.yaml"
    school.write_text(yaml.safe_dump(document))
    feed = tmp_path / "union.ics"
    feed.write_text(UNION_MEETING_ICS)
    assert [e.id for e in load_school_year(school, [feed]).events] == ["tu2"]


def test_a_balance_of_time_proforma_round_trips(tmp_path: Path, fixture_path: Path) -> None:
    document = yaml.safe_load(fixture_path.read_text(encoding="utf-8"))
    document["proformas"] = [
        {
            "staff": "t1",
            "activities": {"cpd": 12.5, "curriculum-development": 21.5},
            "signatures": [
                {"role": "teacher", "name": "Kirsty Teacher", "signed_on": "2025-09-15"}
            ],
        }
    ]
    path = tmp_path / "school.yaml"
    path.write_text(yaml.safe_dump(document), encoding="utf-8")
    year = load_school_year(path)
    again = tmp_path / "again.yaml"
    again.write_text(yaml.safe_dump(dump_school_year(year)), encoding="utf-8")
    assert load_school_year(again) == year
    assert year.proformas[0].activities == {"cpd": 12.5, "curriculum-development": 21.5}
