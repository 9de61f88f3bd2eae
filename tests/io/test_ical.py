"""Events from .ics files, and feeds of a school's or a teacher's year."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from fairload.core.errors import InputError, InputErrors
from fairload.core.school_year import SchoolYear
from fairload.io.ical import events_to_ics, parse_ics


def _calendar(*vevents: str) -> str:
    body = "".join(
        "BEGIN:VEVENT\nDTSTAMP:20250601T000000Z\n" + v.strip() + "\nEND:VEVENT\n" for v in vevents
    )
    return f"BEGIN:VCALENDAR\nVERSION:2.0\nPRODID:-//test//EN\n{body}END:VCALENDAR\n"


def _one(vevent: str) -> dict[str, object]:
    (event,) = parse_ics(_calendar(vevent), "feed.ics").events
    return event.fields


def _problems(text: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_ics(text, "feed.ics")
    return [str(e) for e in caught.value.errors]


TIMED = """
UID:e1@example.com
DTSTART;TZID=Europe/London:20251106T163000
DTEND;TZID=Europe/London:20251106T190000
"""


def test_it_takes_the_category_from_categories_ignoring_case_and_spaces() -> None:
    assert _one(TIMED + "SUMMARY:S4\nCATEGORIES:Work,Parents Evening")["category"] == (
        "parents-evening"
    )


def test_it_takes_the_category_from_x_fairload_category() -> None:
    assert _one(TIMED + "SUMMARY:Pupil progress\nX-FAIRLOAD-CATEGORY:moderation")["category"] == (
        "moderation"
    )


@pytest.mark.parametrize(
    ("summary", "category"),
    [
        ("S2 Parents' evening", "parents-evening"),
        ("INSET: literacy", "in-service"),
        ("Maths department meeting", "department-meeting"),
        ("Whole staff meeting", "staff-meeting"),
        ("Lesson observation: 3B", "observation"),
        ("Interim reports due", "report"),
        ("EIS union meeting", "union-meeting"),
        ("Invigilation: prelims", "invigilation"),
        ("Cover for absent colleague", "cover"),
        ("Mocksted week observation", "mock-inspection"),
    ],
)
def test_it_finds_the_category_from_a_keyword_in_the_title(summary: str, category: str) -> None:
    assert _one(TIMED + f"SUMMARY:{summary}")["category"] == category


def test_it_reports_an_event_it_cannot_categorise_with_file_line_and_title() -> None:
    text = _calendar(TIMED + "SUMMARY:Staff meeting", TIMED.replace("e1", "e2") + "SUMMARY:Quiz")
    (problem,) = _problems(text)
    assert problem.startswith("feed.ics:11: VEVENT 'Quiz': cannot tell its category")
    assert "staff-meeting" in problem


def test_it_rejects_an_x_fairload_category_that_is_not_one() -> None:
    (problem,) = _problems(_calendar(TIMED + "SUMMARY:x\nX-FAIRLOAD-CATEGORY:fun"))
    assert "X-FAIRLOAD-CATEGORY 'fun' is not a fairload category" in problem


def test_it_gives_local_wall_clock_times_for_utc_events() -> None:
    event = _one("UID:u\nSUMMARY:Staff meeting\nDTSTART:20251001T144500Z\nDTEND:20251001T154500Z")
    assert (event["date"], event["start"], event["end"]) == ("2025-10-01", "15:45", "16:45")


def test_it_keeps_a_floating_time_as_written() -> None:
    event = _one("UID:u\nSUMMARY:Staff meeting\nDTSTART:20251201T154500\nDURATION:PT90M")
    assert (event["start"], event["end"]) == ("15:45", "17:15")


def test_it_makes_an_all_day_inset_an_in_service_day_with_dtend_exclusive() -> None:
    text = _calendar("UID:i\nSUMMARY:INSET\nDTSTART;VALUE=DATE:20251117\nDTEND;VALUE=DATE:20251119")
    result = parse_ics(text, "feed.ics")
    assert result.inservice_days == (date(2025, 11, 17), date(2025, 11, 18))
    assert result.events == ()


def test_it_rejects_an_all_day_event_that_is_not_in_service() -> None:
    (problem,) = _problems(
        _calendar("UID:s\nSUMMARY:Sports day report\nDTSTART;VALUE=DATE:20250612")
    )
    assert "all-day event carries no hours" in problem
    assert "start and end times" in problem


def test_it_rejects_a_recurring_event_without_a_school_year_to_bound_it() -> None:
    (problem,) = _problems(_calendar(TIMED + "SUMMARY:Staff meeting\nRRULE:FREQ=WEEKLY;COUNT=5"))
    assert "needs the school year" in problem


YEAR = (date(2025, 8, 13), date(2026, 6, 26))


def test_it_expands_a_weekly_meeting_into_one_event_per_occurrence() -> None:
    text = _calendar(TIMED + "SUMMARY:Staff meeting\nRRULE:FREQ=WEEKLY;COUNT=5")
    events = parse_ics(text, "feed.ics", YEAR).events
    assert [e.fields["date"] for e in events] == [
        "2025-11-06",
        "2025-11-13",
        "2025-11-20",
        "2025-11-27",
        "2025-12-04",
    ]
    assert {e.fields["start"] for e in events} == {"16:30"}
    assert len({e.fields["id"] for e in events}) == 5


def test_it_leaves_out_occurrences_excluded_by_exdate() -> None:
    vevent = TIMED + (
        "SUMMARY:Staff meeting\nRRULE:FREQ=WEEKLY;COUNT=3\n"
        "EXDATE;TZID=Europe/London:20251113T163000"
    )
    events = parse_ics(_calendar(vevent), "feed.ics", YEAR).events
    assert [e.fields["date"] for e in events] == ["2025-11-06", "2025-11-20"]


def test_it_stops_an_open_ended_rule_at_the_end_of_the_school_year() -> None:
    text = _calendar(TIMED + "SUMMARY:Staff meeting\nRRULE:FREQ=MONTHLY")
    dates = [e.fields["date"] for e in parse_ics(text, "feed.ics", YEAR).events]
    assert dates[0] == "2025-11-06"
    assert dates[-1] == "2026-06-06"


def test_it_rejects_an_event_running_over_midnight() -> None:
    (problem,) = _problems(
        _calendar("UID:x\nSUMMARY:Staff meeting\nDTSTART:20251001T220000\nDTEND:20251002T010000")
    )
    assert "same day" in problem


def test_it_reads_attendees_from_x_fairload_attendees() -> None:
    event = _one(TIMED + "SUMMARY:Staff meeting\nX-FAIRLOAD-ATTENDEES:t1, pt3")
    assert event["attendees"] == ["t1", "pt3"]


def test_it_invites_everyone_when_no_attendees_are_given() -> None:
    assert "attendees" not in _one(TIMED + "SUMMARY:Staff meeting")


def test_it_makes_ids_from_uids_and_keeps_them_unique() -> None:
    text = _calendar(
        "UID:a b/c@example.com\nSUMMARY:Staff meeting\nDTSTART:20251001T154500\n"
        "DTEND:20251001T164500",
        "UID:a b/c@other.example\nSUMMARY:Staff meeting\nDTSTART:20251008T154500\n"
        "DTEND:20251008T164500",
    )
    assert [e.fields["id"] for e in parse_ics(text, "feed.ics").events] == ["a-b-c", "a-b-c-2"]


def test_it_reports_text_that_is_not_icalendar() -> None:
    with pytest.raises(InputError, match="not valid iCalendar"):
        parse_ics("hello\n", "feed.ics")


def test_a_school_feed_round_trips_titles_dates_times_and_categories(
    fixture_year: SchoolYear,
) -> None:
    feed = events_to_ics(fixture_year, stamp=datetime(2025, 6, 1, tzinfo=UTC))
    back = parse_ics(feed.decode(), "feed.ics")
    expected = [
        (e.id, e.title, e.category, e.date.isoformat(), f"{e.start:%H:%M}", f"{e.end:%H:%M}")
        for e in fixture_year.events
    ]
    got = [
        tuple(i.fields[k] for k in ("id", "title", "category", "date", "start", "end"))
        for i in back.events
    ]
    assert got == expected
    assert back.inservice_days == fixture_year.calendar.inservice_days


def test_a_school_feed_keeps_who_attends(fixture_year: SchoolYear) -> None:
    back = parse_ics(events_to_ics(fixture_year).decode(), "feed.ics")
    department = next(i for i in back.events if i.fields["id"] == "dm1")
    assert department.fields["attendees"] == ["pt3", "t1"]


def test_a_teachers_feed_holds_only_their_events(fixture_year: SchoolYear) -> None:
    back = parse_ics(events_to_ics(fixture_year, "t2").decode(), "feed.ics")
    ids = {i.fields["id"] for i in back.events}
    assert "dm1" not in ids  # the maths department meeting
    assert "pe1" in ids


def test_a_feed_is_the_same_bytes_for_the_same_year_and_stamp(fixture_year: SchoolYear) -> None:
    stamp = datetime(2025, 6, 1, tzinfo=UTC)
    assert events_to_ics(fixture_year, stamp=stamp) == events_to_ics(fixture_year, stamp=stamp)


def test_a_feed_for_an_unknown_teacher_is_an_input_error(fixture_year: SchoolYear) -> None:
    with pytest.raises(InputError, match="no staff id 'zz'"):
        events_to_ics(fixture_year, "zz")


def test_it_rejects_an_event_that_starts_at_a_time_but_ends_on_a_date() -> None:
    (problem,) = _problems(
        _calendar(
            "UID:x\nSUMMARY:Staff meeting\nDTSTART:20251001T154500\nDTEND;VALUE=DATE:20251002"
        )
    )
    assert "cannot read its dates" in problem
    assert "same type" in problem


def test_it_reports_an_event_without_a_start() -> None:
    (problem,) = _problems(_calendar("UID:x\nSUMMARY:Staff meeting"))
    assert "cannot read its dates" in problem


# ------------------------------------------------------------------ files the libraries cannot read

WEEKLY_TIMED = TIMED + "SUMMARY:Staff meeting\n"
WINDOW = (date(2025, 8, 13), date(2026, 6, 26))
DOUBLE_TZID = """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//test//EN
BEGIN:VTIMEZONE
TZID:Europe/London
TZID:Europe/Paris
BEGIN:STANDARD
DTSTART:19701025T020000
TZOFFSETFROM:+0100
TZOFFSETTO:+0000
END:STANDARD
END:VTIMEZONE
BEGIN:VEVENT
UID:e1@example.com
SUMMARY:Staff meeting
DTSTART;TZID=Europe/London:20251106T163000
DTEND;TZID=Europe/London:20251106T190000
END:VEVENT
END:VCALENDAR
"""


def _located_problems(text: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_ics(text, "feed.ics", WINDOW)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize(
    ("rule", "expected"),
    [
        # BadRuleStringFormat from dateutil before the mend
        ("FREQ=WEEKLY;COUNT=3X", "feed.ics:10: RRULE: the repeat rule cannot be read: "
         "COUNT '3X' is not a whole number from 1"),
        ("FREQ=WEEKLY;UNTIL=20251201T000000Zjunk", "feed.ics:10: RRULE: the repeat rule cannot "
         "be read: UNTIL '20251201T000000Zjunk' is not a date (20260701)"),
        ("FREQ=WEEKLY;BYDAY=XX", "feed.ics:10: RRULE: the repeat rule cannot be read: "
         "BYDAY 'XX' is not in the form RFC 5545 gives"),
        # before the mend: read as one event, under-counting a weekly meeting
        ("junk", "feed.ics:10: RRULE: the repeat rule cannot be read: 'junk' is not NAME=VALUE"),
        ("COUNT=3", "feed.ics:10: RRULE: the repeat rule cannot be read: it has no FREQ"),
    ],
    ids=["count with junk", "until with junk", "a day that is not one", "no parts", "no FREQ"],
)  # fmt: skip
def test_a_repeat_rule_that_cannot_be_read_is_an_error_at_its_line(rule: str, expected: str):
    (problem,) = _located_problems(_calendar(WEEKLY_TIMED + f"RRULE:{rule}"))
    assert problem.startswith(expected)


def test_a_repeat_rule_with_interval_0_is_refused_rather_than_repeating_for_ever() -> None:
    # Before the mend the expansion never ended (the import hung).
    (problem,) = _located_problems(_calendar(WEEKLY_TIMED + "RRULE:FREQ=WEEKLY;INTERVAL=0"))
    assert "INTERVAL '0' is not a whole number from 1" in problem


def test_a_time_zone_with_two_tzids_is_an_error_at_the_second() -> None:
    # Before the mend: AttributeError "'list' object has no attribute 'strip'".
    (problem,) = _located_problems(DOUBLE_TZID)
    assert problem.startswith("feed.ics:6: TZID: VTIMEZONE has TZID twice")


def test_an_event_with_two_starts_is_an_error_at_the_second() -> None:
    (problem,) = _located_problems(_calendar(TIMED + "SUMMARY:x\nDTSTART:20251106T170000"))
    assert problem.startswith("feed.ics:10: DTSTART: VEVENT has DTSTART twice")


@pytest.mark.parametrize(
    "broken",
    ["RRULE:FREQ=WEEKLY;COUNT=3\nRDATE:junk", "RRULE:FREQ=WEEKLY;COUNT=3\nEXDATE:junk",
     "RRULE:FREQ=DAILY;COUNT=3\nRECURRENCE-ID:junk"],
    ids=["RDATE", "EXDATE", "RECURRENCE-ID"],
)  # fmt: skip
def test_a_broken_property_of_a_recurring_event_is_that_events_error(broken: str) -> None:
    # Before the mend: BrokenCalendarProperty ("Cannot access 'dts' on broken property").
    (problem,) = _located_problems(_calendar(WEEKLY_TIMED + broken))
    assert problem.startswith("feed.ics:4: VEVENT 'Staff meeting': cannot read it (")
