"""`--events FILE.ics`: a school's calendar events imported from iCalendar."""

from __future__ import annotations

import json
from pathlib import Path

from cli_support import FIXTURE, Run

PARENTS_EVENINGS = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
BEGIN:VEVENT
UID:s5-parents@school.example
DTSTAMP:20250601T000000Z
SUMMARY:S5 consultations
CATEGORIES:Parents Evening
DTSTART;TZID=Europe/London:20251120T160000
DTEND;TZID=Europe/London:20251120T193000
END:VEVENT
BEGIN:VEVENT
UID:s2-parents@school.example
DTSTAMP:20250601T000000Z
SUMMARY:S2 parents' evening
DTSTART;TZID=Europe/London:20260212T163000
DTEND;TZID=Europe/London:20260212T190000
END:VEVENT
END:VCALENDAR
"""

UNKNOWN = """\
BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//test//EN
BEGIN:VEVENT
UID:social@school.example
DTSTAMP:20250601T000000Z
SUMMARY:Staff social
DTSTART;TZID=Europe/London:20251212T170000
DTEND;TZID=Europe/London:20251212T190000
END:VEVENT
END:VCALENDAR
"""


def _ics(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "calendar.ics"
    path.write_text(text)
    return path


def test_it_plans_parents_evenings_found_by_category_and_by_title(run: Run, tmp_path: Path) -> None:
    events = _ics(tmp_path, PARENTS_EVENINGS)
    result = run("budget", FIXTURE, "--events", events, "--format", "json")
    assert result.exit_code == 0, result.output
    lines = {line["id"]: line for line in json.loads(result.stdout)["budget"]["categories"]}
    assert lines["parents-meetings"]["planned_hours"] == 2.5 + 3.5 + 2.5


def test_it_checks_imported_events_against_the_pack(run: Run, tmp_path: Path) -> None:
    events = _ics(tmp_path, PARENTS_EVENINGS)
    result = run("check", FIXTURE, "--events", events, "--format", "json")
    findings = json.loads(result.stdout)["findings"]
    assert result.exit_code == 1
    assert [f["subject"]["id"] for f in findings] == ["s5-parents"]
    assert findings[0]["rule"] == "parents-evening-appointments"


def test_it_exits_2_naming_the_line_of_an_event_with_no_category(run: Run, tmp_path: Path) -> None:
    result = run("check", FIXTURE, "--events", _ics(tmp_path, UNKNOWN))
    assert result.exit_code == 2
    assert "calendar.ics:4" in result.stderr
    assert "'Staff social'" in result.stderr
    assert "parents-evening" in result.stderr


def test_it_reports_an_imported_event_outside_the_year_at_its_line_in_the_ics(
    run: Run, tmp_path: Path
) -> None:
    events = _ics(tmp_path, PARENTS_EVENINGS.replace("20260212", "20260812"))
    result = run("check", FIXTURE, "--events", events)
    assert result.exit_code == 2
    assert "calendar.ics:12: date" in result.stderr
    assert "outside the school year" in result.stderr


def test_it_refuses_events_for_several_schools_at_once(run: Run, tmp_path: Path) -> None:
    result = run("check", FIXTURE, FIXTURE, "--events", _ics(tmp_path, PARENTS_EVENINGS))
    assert result.exit_code == 2
    assert "--events" in result.stderr
