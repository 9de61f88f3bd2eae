"""A calendar file the iCalendar libraries cannot read is a located problem, never a 500."""

from __future__ import annotations

import pytest

from .test_imports import ICS, checksum, preview_of, problems_in, row_counts

EVENT_END = "DTEND;TZID=Europe/London:20251120T190000"
TIMEZONE = (
    "PRODID:-//test//EN\nBEGIN:VTIMEZONE\nTZID:Europe/London\nTZID:Europe/Paris\n"
    "BEGIN:STANDARD\nDTSTART:19701025T020000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0000\n"
    "END:STANDARD\nEND:VTIMEZONE"
)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (EVENT_END, EVENT_END + "\nRRULE:FREQ=WEEKLY;COUNT=3X",
         ("calendar.ics", "10", "RRULE", "the repeat rule cannot be read: COUNT '3X'")),
        (EVENT_END, EVENT_END + "\nRRULE:FREQ=WEEKLY;UNTIL=20251201Tjunk",
         ("calendar.ics", "10", "RRULE", "the repeat rule cannot be read: UNTIL")),
        ("PRODID:-//test//EN", TIMEZONE,
         ("calendar.ics", "6", "TZID", "VTIMEZONE has TZID twice")),
        (EVENT_END, EVENT_END + "\nRRULE:FREQ=WEEKLY;COUNT=2\nEXDATE:junk",
         ("calendar.ics", "4", "", "VEVENT 'S2 parents' evening': cannot read it")),
    ],
    ids=["COUNT with junk", "UNTIL with junk", "two TZIDs", "a broken EXDATE"],
)  # fmt: skip
def test_a_calendar_the_libraries_cannot_read_is_a_located_problem(as_user, old, new, expected):
    head = as_user("head")
    before, counts = checksum(), row_counts()
    assert old in ICS

    response = head.get(preview_of(head, "events-ics", "calendar.ics", ICS.replace(old, new)))

    assert response.status_code == 200  # a 500 before the mend
    (found,) = problems_in(response.content.decode())
    assert found[:3] == expected[:3]
    assert found[3].startswith(expected[3])
    assert (checksum(), row_counts()) == (before, counts)
