"""Every importer, fuzzed: a located error or a valid result, never anything else.

Cases are good files with random edits (tests/fuzz/strategies.py); ``FAIRLOAD_FUZZ=ci`` runs
thousands of each. Run: ``FAIRLOAD_FUZZ=ci pytest tests/fuzz``.
"""

from __future__ import annotations

import json
from pathlib import Path

from hypothesis import example, given

from fairload.core.errors import InputError, InputErrors
from fairload.core.school_year import SchoolYear
from fairload.io.events_csv import events_to_csv, parse_events_csv
from fairload.io.ical import CalendarImport, events_to_ics, parse_ics
from fairload.io.school_file import dump_school_year, load_school_year
from fairload.io.staff_csv import parse_staff_csv, staff_columns, staff_to_csv
from tests.fuzz.strategies import files, fuzz_settings, located

FIXTURE = (
    Path(__file__).parents[2]
    / "src/fairload/packs/scotland/south-ayrshire-jnct-2.7/tests/school.yaml"
)
GOOD_YEAR = FIXTURE.read_text()
GOOD_JSON = json.dumps(dump_school_year(load_school_year(FIXTURE)), indent=1, ensure_ascii=False)
_YEAR = load_school_year(FIXTURE)
GOOD_STAFF = staff_to_csv(_YEAR.staff)
GOOD_EVENTS = events_to_csv(_YEAR.events, [s.id for s in _YEAR.staff])
GOOD_ICS = events_to_ics(_YEAR).decode()
WINDOW = (_YEAR.calendar.dates.start, _YEAR.calendar.dates.end)


@fuzz_settings()
@given(files(GOOD_STAFF))
def test_a_staff_csv_reads_or_is_refused_with_located_problems(text: str) -> None:
    try:
        read = parse_staff_csv(text, "staff.csv")
    except (InputError, InputErrors) as error:
        located(error, "staff.csv")
        return
    assert set(read.columns) <= set(staff_columns())
    for record in read.records:
        assert {"id", "name", "post"} <= record.fields.keys()


@fuzz_settings()
@given(files(GOOD_EVENTS))
def test_an_events_csv_reads_or_is_refused_with_located_problems(text: str) -> None:
    try:
        read = parse_events_csv(text, "events.csv")
    except (InputError, InputErrors) as error:
        located(error, "events.csv")
        return
    for record in read.records:
        assert {"title", "category", "date", "start", "end"} <= record.fields.keys()


@fuzz_settings()
@given(files(GOOD_ICS))
def test_a_calendar_reads_or_is_refused_with_located_problems(text: str) -> None:
    try:
        read = parse_ics(text, "feed.ics", WINDOW)
    except (InputError, InputErrors) as error:
        located(error, "feed.ics")
        return
    assert isinstance(read, CalendarImport)
    for event in read.events:
        assert {"id", "title", "category", "date", "start", "end"} <= event.fields.keys()


def _loads_or_is_located(path: Path, text: str) -> None:
    # A lone surrogate becomes bytes that are not UTF-8: a badly encoded file, refused located.
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        year = load_school_year(path)
    except (InputError, InputErrors) as error:
        located(error, str(path))
        return
    assert isinstance(year, SchoolYear)


@fuzz_settings()
@given(text=files(GOOD_YEAR))
@example(text="\ud800" + GOOD_YEAR)  # CI's slow run found it: bytes that are not UTF-8
def test_a_yaml_school_year_loads_or_is_refused_with_located_problems(
    tmp_path: Path, text: str
) -> None:
    _loads_or_is_located(tmp_path / "school.yaml", text)


@fuzz_settings()
@given(text=files(GOOD_JSON))
def test_a_json_school_year_loads_or_is_refused_with_located_problems(
    tmp_path: Path, text: str
) -> None:
    _loads_or_is_located(tmp_path / "school.json", text)


@fuzz_settings(0.5)
@given(files(GOOD_ICS))
def test_a_school_year_with_a_calendar_loads_or_is_refused_with_located_problems(
    tmp_path: Path, text: str
) -> None:
    calendar = tmp_path / "feed.ics"
    calendar.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        year = load_school_year(FIXTURE, [calendar])
    except (InputError, InputErrors) as error:
        located(error, str(calendar), str(FIXTURE))
        return
    assert isinstance(year, SchoolYear)
