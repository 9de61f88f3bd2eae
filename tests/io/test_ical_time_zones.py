"""How .ics times are read: converted to the school's local time (Europe/London), and
refused, saying so, when the result would fall outside the school day."""

from __future__ import annotations

import pytest

from fairload.core.errors import InputErrors
from fairload.io.ical import parse_ics


def _calendar(vevent: str) -> str:
    return (
        "BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\nBEGIN:VEVENT\n"
        "DTSTAMP:20250601T000000Z\nUID:m1\nSUMMARY:Staff meeting\n"
        f"{vevent.strip()}\nEND:VEVENT\nEND:VCALENDAR\n"
    )


def _times(vevent: str) -> tuple[object, object, object]:
    (event,) = parse_ics(_calendar(vevent), "feed.ics").events
    return event.fields["date"], event.fields["start"], event.fields["end"]


def _problem(vevent: str) -> str:
    with pytest.raises(InputErrors) as caught:
        parse_ics(_calendar(vevent), "feed.ics")
    (error,) = caught.value.errors
    return str(error)


@pytest.mark.parametrize(
    ("vevent", "local"),
    [
        pytest.param(
            "DTSTART:20251001T144500Z\nDTEND:20251001T154500Z",
            ("2025-10-01", "15:45", "16:45"),
            id="UTC in British Summer Time is an hour behind",
        ),
        pytest.param(
            "DTSTART:20251203T154500Z\nDTEND:20251203T164500Z",
            ("2025-12-03", "15:45", "16:45"),
            id="UTC in winter is the school's time",
        ),
        pytest.param(
            "DTSTART;TZID=America/New_York:20251001T104500\n"
            "DTEND;TZID=America/New_York:20251001T114500",
            ("2025-10-01", "15:45", "16:45"),
            id="New York's 10:45 is London's 15:45",
        ),
        pytest.param(
            "DTSTART;TZID=Europe/Paris:20260325T164500\nDTEND;TZID=Europe/Paris:20260325T174500",
            ("2026-03-25", "15:45", "16:45"),
            id="Paris is an hour ahead",
        ),
        pytest.param(
            "DTSTART:20251201T154500\nDTEND:20251201T164500",
            ("2025-12-01", "15:45", "16:45"),
            id="a floating time is the school's",
        ),
    ],
)
def test_a_time_in_any_zone_is_read_as_the_schools_local_time(vevent: str, local: tuple) -> None:
    assert _times(vevent) == local


def test_the_clocks_changing_between_two_utc_events_keeps_both_at_the_same_local_time() -> None:
    # 29 March 2026: British Summer Time starts. 15:45 local is 15:45Z before, 14:45Z after.
    assert _times("DTSTART:20260325T154500Z\nDTEND:20260325T164500Z")[1] == "15:45"
    assert _times("DTSTART:20260401T144500Z\nDTEND:20260401T154500Z")[1] == "15:45"


def test_a_time_that_converts_to_before_the_school_day_says_so_with_both_times() -> None:
    # Meant as 15:30 in the school, written as 15:30 Auckland time: 04:30 in London.
    problem = _problem(
        "DTSTART;TZID=Pacific/Auckland:20251001T153000\nDTEND;TZID=Pacific/Auckland:20251001T163000"
    )
    assert problem.startswith("feed.ics:4: VEVENT 'Staff meeting': 03:30–04:30 on 2025-10-01")
    assert "(15:30–16:30 NZDT as given) is outside the school day (06:00–22:00)" in problem
    assert "fix the event's TZID" in problem


def test_a_time_that_converts_to_after_the_school_day_says_so() -> None:
    problem = _problem(
        "DTSTART;TZID=America/Chicago:20251001T160000\nDTEND;TZID=America/Chicago:20251001T170000"
    )
    assert "22:00–23:00 on 2025-10-01 (16:00–17:00 CDT as given) is outside the school day" in (
        problem
    )


def test_a_floating_time_in_the_night_is_outside_the_school_day_too() -> None:
    problem = _problem("DTSTART:20251001T030000\nDTEND:20251001T040000")
    assert "03:00–04:00 on 2025-10-01 is outside the school day" in problem


@pytest.mark.parametrize(
    ("start", "end"),
    [
        pytest.param("060000", "070000", id="06:00 is the earliest"),
        pytest.param("210000", "220000", id="22:00 is the latest"),
    ],
)
def test_the_school_day_bounds_are_inclusive(start: str, end: str) -> None:
    assert _times(f"DTSTART:20251201T{start}\nDTEND:20251201T{end}")[1] == f"{start[:2]}:00"


def test_a_converted_event_that_crosses_midnight_names_its_time_as_given() -> None:
    problem = _problem(
        "DTSTART;TZID=America/Los_Angeles:20251001T150000\n"
        "DTEND;TZID=America/Los_Angeles:20251001T170000"
    )
    assert "runs from 2025-10-01 23:00 to 2025-10-02 01:00 (15:00–17:00 PDT as given)" in problem
