"""A school year's dates from a council's term-dates calendar (.ics)."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairload.core.calendar import school_period
from fairload.core.errors import InputErrors
from fairload.core.school_format import parse_school_year
from fairload.io.ical import parse_ics
from fairload.io.term_dates import parse_term_dates, read_term_dates, school_document_with_dates

COUNCIL = Path(__file__).parent / "data" / "south-ayrshire-2025-26-term-dates.ics"


def _calendar(*vevents: str) -> str:
    body = "".join(
        f"BEGIN:VEVENT\nUID:u{n}\nDTSTAMP:20250301T000000Z\n{v.strip()}\nEND:VEVENT\n"
        for n, v in enumerate(vevents)
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n"


def _problems(*vevents: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_term_dates(_calendar(*vevents), "terms.ics")
    return [str(e) for e in caught.value.errors]


AUTUMN = "SUMMARY:Autumn term\nDTSTART;VALUE=DATE:20250813\nDTEND;VALUE=DATE:20251220"


def test_the_councils_calendar_gives_the_years_span_terms_holidays_and_in_service_days() -> None:
    year = read_term_dates(COUNCIL).year_section()

    assert (year["label"], year["start"], year["end"]) == ("2025-26", "2025-08-13", "2026-06-26")
    assert [(t["name"], t["start"], t["end"]) for t in year["terms"]] == [
        ("Autumn term", "2025-08-13", "2025-12-19"),
        ("Spring term", "2026-01-06", "2026-04-02"),
        ("Summer term", "2026-04-20", "2026-06-26"),
    ]
    assert year["inservice_days"] == [
        "2025-08-13",
        "2025-08-14",
        "2025-11-17",
        "2026-02-16",
        "2026-05-05",
    ]
    assert [(c["name"], c["start"], c["end"]) for c in year["closures"]] == [
        ("September weekend holiday", "2025-09-26", "2025-09-29"),
        ("October break", "2025-10-13", "2025-10-17"),
        ("Christmas holiday", "2025-12-20", "2026-01-05"),
        ("February mid-term holiday", "2026-02-12", "2026-02-13"),
        ("Easter holiday", "2026-04-03", "2026-04-17"),
    ]


def test_the_same_file_is_refused_as_events_since_it_has_no_categories() -> None:
    with pytest.raises(InputErrors) as caught:
        parse_ics(COUNCIL.read_text(encoding="utf-8"), str(COUNCIL))
    first = str(caught.value.errors[0])
    assert "VEVENT 'Summer holiday': cannot tell its category" in first
    assert "is read by `fairload term-dates`" in first


def test_weekdays_between_terms_that_no_holiday_covers_are_closed() -> None:
    spring = "SUMMARY:Spring term\nDTSTART;VALUE=DATE:20260106\nDTEND;VALUE=DATE:20260403"

    year = parse_term_dates(_calendar(AUTUMN, spring), "terms.ics").year_section()

    assert year["closures"] == [
        {"name": "Between Autumn term and Spring term", "start": "2025-12-22", "end": "2026-01-05"}
    ]


def test_the_fixture_school_given_the_councils_dates_keeps_its_working_days(
    fixture_path: Path,
) -> None:
    document = school_document_with_dates(fixture_path, read_term_dates(COUNCIL))

    year = parse_school_year(document, "school.yaml")
    # The fixture closes on its last day, 26 June; the council's calendar does not.
    assert school_period(year.calendar, year.school.nation).working_day_count == 195 + 1
    assert len(year.calendar.terms) == 3
    assert year.calendar.open_on_bank_holidays  # kept from the school's own file
    assert document["events"][0]["id"] == "ins1"  # the rest of the file as it was


def test_a_school_event_outside_the_councils_year_is_located_in_the_school_file(
    tmp_path: Path, fixture_path: Path
) -> None:
    terms = tmp_path / "terms.ics"
    terms.write_text(_calendar(AUTUMN.replace("20251220", "20251001")), encoding="utf-8")

    with pytest.raises(InputErrors) as caught:
        school_document_with_dates(fixture_path, read_term_dates(terms))

    problem = str(caught.value.errors[0])
    assert problem.startswith(f"{fixture_path}:")
    assert "is outside the school year (2025-08-13 to 2025-09-30)" in problem


@pytest.mark.parametrize(
    ("vevent", "expected"),
    [
        pytest.param(
            "SUMMARY:Staff meeting\nDTSTART:20250903T154500\nDTEND:20250903T164500",
            "terms.ics:11: VEVENT 'Staff meeting': it has times, but a term-dates file holds "
            "whole days",
            id="a timed event",
        ),
        pytest.param(
            "SUMMARY:Sports day\nDTSTART;VALUE=DATE:20260605",
            "terms.ics:11: VEVENT 'Sports day': cannot tell whether it is a term, a holiday or "
            "an in-service day",
            id="an event of no kind",
        ),
        pytest.param(
            "SUMMARY:INSET\nDTSTART;VALUE=DATE:20250905\nRRULE:FREQ=WEEKLY;COUNT=2",
            "terms.ics:11: VEVENT 'INSET': a term date must not repeat",
            id="a repeating event",
        ),
    ],
)
def test_a_bad_event_is_refused_with_its_line(vevent: str, expected: str) -> None:
    (problem, *_) = _problems(AUTUMN, vevent)
    assert problem.startswith(expected)


def test_a_term_start_without_an_end_is_refused() -> None:
    (problem,) = _problems(AUTUMN, "SUMMARY:Spring term starts\nDTSTART;VALUE=DATE:20260106")
    assert "VEVENT 'Spring term starts': no event gives the end of 'Spring term'" in problem


def test_overlapping_terms_are_refused() -> None:
    (problem,) = _problems(
        AUTUMN, "SUMMARY:Winter term\nDTSTART;VALUE=DATE:20251201\nDTEND;VALUE=DATE:20260301"
    )
    assert "term 'Winter term' starts on 2025-12-01, before 'Autumn term' ends on 2025-12-19" in (
        problem
    )


def test_a_calendar_with_no_terms_is_refused() -> None:
    (problem,) = _problems("SUMMARY:In-service day\nDTSTART;VALUE=DATE:20250813")
    assert problem == (
        "terms.ics: the calendar has no terms\n  A term-dates file needs all-day events for "
        "the terms, e.g. 'Autumn term'."
    )


def test_a_kind_may_be_declared_instead_of_read_from_the_title() -> None:
    dates = parse_term_dates(
        _calendar(
            AUTUMN, "SUMMARY:Pupils off\nX-FAIRLOAD-KIND:holiday\nDTSTART;VALUE=DATE:20251003"
        ),
        "terms.ics",
    )
    assert [h.name for h in dates.holidays] == ["Pupils off"]
