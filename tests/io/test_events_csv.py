"""Calendar events from and to CSV: located problems, who attends, and a round trip."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.errors import InputErrors
from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import Event, Post, SchoolYear, StaffMember
from fairload.io.events_csv import event_columns, events_to_csv, parse_events_csv
from fairload.io.ical import categories
from fairload.io.staff_csv import CHECKED_KEYWORDS, properties, resolved

# Text as a person types it into a cell: any letters, and the characters CSV must quote.
CELL_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")) | st.sampled_from("\n,\";'"),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip() and s != "")
STAFF_IDS = st.from_regex(r"[A-Za-z0-9][A-Za-z0-9._-]{0,6}", fullmatch=True)

STAFF = [
    {"id": "ht", "name": "Morag Head", "post": "head-teacher"},
    {"id": "pt3", "name": "Ailsa Principal", "post": "principal-teacher", "department": "maths"},
    {"id": "t1", "name": "Kirsty Teacher", "post": "teacher", "department": "maths"},
    {"id": "t2", "name": "Duncan Teacher", "post": "teacher", "department": "english"},
]
HEADER = "id,title,category,date,start,end,attendees\n"


def year_with(staff: list[dict[str, Any]], events: list[dict[str, Any]]) -> SchoolYear:
    """A minimal school year (2025-08-13 to 2026-06-26) around the rows, parsed by the core."""
    document = {
        "format": FORMAT,
        "school": {
            "id": "wee",
            "name": "Wee Primary",
            "authority": "South Ayrshire Council",
            "pack": "scotland/south-ayrshire-jnct-2.7",
            "sector": "primary",
            "nation": "scotland",
            "roll": 45,
            "pupil_day": {"start": "09:00", "end": "15:00"},
        },
        "year": {
            "label": "2025-26",
            "start": "2025-08-13",
            "end": "2026-06-26",
            "terms": [{"name": "Whole year", "start": "2025-08-13", "end": "2026-06-26"}],
            "inservice_days": ["2025-08-13"],
        },
        "staff": staff,
        "events": events,
    }
    return parse_school_year(document, "test")


def problems(text: str) -> list[str]:
    with pytest.raises(InputErrors) as caught:
        parse_events_csv(text, "events.csv")
    return [str(e) for e in caught.value.errors]


def test_it_reads_each_row_as_an_event_of_the_format() -> None:
    text = HEADER + (
        "sm1,Whole-school meeting,staff-meeting,2025-09-03,15:45,16:45,all\n"
        "pe1,S4 parents' evening,Parents Evening,06/11/2025,16:30,19:00,\n"
        "dm1,Maths department,department-meeting,2025-09-10,3:45,16.45,pt3; t1\n"
    )

    events = parse_events_csv(text, "events.csv").events

    assert events == [
        {
            "id": "sm1",
            "title": "Whole-school meeting",
            "category": "staff-meeting",
            "date": "2025-09-03",
            "start": "15:45",
            "end": "16:45",
            "attendees": "all",
        },
        {
            "id": "pe1",
            "title": "S4 parents' evening",
            "category": "parents-evening",
            "date": "2025-11-06",
            "start": "16:30",
            "end": "19:00",
        },
        {
            "id": "dm1",
            "title": "Maths department",
            "category": "department-meeting",
            "date": "2025-09-10",
            "start": "03:45",
            "end": "16:45",
            "attendees": ["pt3", "t1"],
        },
    ]
    year = year_with(STAFF, events)
    assert [e.attendees for e in year.events] == [
        ("ht", "pt3", "t1", "t2"),
        ("ht", "pt3", "t1", "t2"),
        ("pt3", "t1"),
    ]


@pytest.mark.parametrize(
    ("cell", "attendees"),
    [
        ("all", ("ht", "pt3", "t1", "t2")),
        ("Everyone", ("ht", "pt3", "t1", "t2")),
        ("", ("ht", "pt3", "t1", "t2")),
        ("none", ()),
        ("t2;ht", ("t2", "ht")),
        ("t2, ht", ("t2", "ht")),
        ("department:maths", ("pt3", "t1")),
        ("post:Head Teacher; department:english", ("ht", "t2")),
        ("department:english;t1", ("t2", "t1")),
    ],
)
def test_attendees_are_everyone_nobody_ids_or_whole_posts_and_departments(
    cell: str, attendees: tuple[str, ...]
) -> None:
    text = HEADER + f'sm1,Meeting,staff-meeting,2025-09-03,15:45,16:45,"{cell}"\n'

    (event,) = year_with(STAFF, parse_events_csv(text, "events.csv").events).events

    assert event.attendees == attendees


def test_an_observation_without_attendees_involves_only_its_observer_and_observed() -> None:
    text = (
        "title,category,date,start,end,observer,observed,foreseeable,during_ppa\n"
        "Lesson observation,observation,2025-10-08,10:00,11:00,ht,t1,yes,no\n"
    )

    (event,) = year_with(STAFF, parse_events_csv(text, "events.csv").events).events

    assert (event.attendees, event.observer, event.observed) == ((), "ht", "t1")
    assert (event.foreseeable, event.during_ppa) == (True, False)


def test_every_problem_is_reported_at_once_with_its_line_and_column() -> None:
    text = HEADER + (
        "sm1,Meeting,staff meeting,31/02/2025,16:00,15:00,all\n"
        "sm2,,parent-evening,2025-09-03,25:00,16:00,post:boss\n"
        "sm1,Third,staff-meeting,2025-9-3,15:45,16:45:30,t 1\n"
    )

    assert problems(text) == [
        "events.csv:2: date: '31/02/2025' is not a date in the calendar\n"
        "  Write the date as YYYY-MM-DD (2025-09-03) or DD/MM/YYYY (03/09/2025).",
        "events.csv:2: end: it ends at 15:00, not after it starts at 16:00\n"
        "  An event starts and ends on the same day; check the two times.",
        "events.csv:3: title: no title given\n  Every row needs a value in the 'title' column.",
        "events.csv:3: category: 'parent-evening' is not allowed here\n"
        "  Did you mean 'parents-evening'? Expected one of: " + ", ".join(categories()),
        "events.csv:3: start: '25:00' is not a time of day\n"
        "  Write the time as HH:MM on the 24-hour clock (15:45).",
        "events.csv:3: attendees: 'boss' is not a post\n  Posts: " + ", ".join(Post) + ".",
        "events.csv:4: date: '2025-9-3' is not a date\n"
        "  Write the date as YYYY-MM-DD (2025-09-03) or DD/MM/YYYY (03/09/2025).",
        "events.csv:4: end: '16:45:30' has seconds\n  Give the time to the minute: HH:MM.",
        "events.csv:4: attendees: 't 1' is not a staff id\n"
        "  Write staff ids separated by ';', or all, or none; "
        "post:<post> or department:<name> for a whole post or department.",
        "events.csv:4: id: event id 'sm1' is used twice (also on line 2)\n"
        "  Give each event its own id.",
    ]


def test_an_unknown_column_and_missing_ones_are_named() -> None:
    found = problems("title,categroy,date,start\nMeeting,staff-meeting,2025-09-03,15:45\n")

    assert found[0].startswith(
        "events.csv:1: categroy: unknown column 'categroy'\n  Did you mean 'category'?"
    )
    assert found[1:] == [
        "events.csv:1: the column 'category' is missing\n  Add a column named 'category'.",
        "events.csv:1: the column 'end' is missing\n  Add a column named 'end'.",
    ]


def test_the_columns_are_the_formats_event_fields() -> None:
    assert set(event_columns()) == set(properties("event"))
    for name, spec in properties("event").items():
        if name not in ("date", "start", "end", "attendees"):  # read by their own readers
            assert set(resolved(spec)) <= CHECKED_KEYWORDS, name


def test_the_writer_names_the_optional_columns_only_when_an_event_uses_them() -> None:
    everyone = ("ht", "t1")
    day, one, two = date(2025, 9, 3), time(15), time(16)
    events = [
        Event("sm1", "Staff meeting", "staff-meeting", day, one, two, everyone),
        Event("obs1", "Observation", "observation", day, one, two, (), "ht", "t1"),
        Event("gt1", "=Gained time", "gained-time", day, one, two, ("t1",), activity="PPA"),
        Event("x1", "Nobody", "other", day, one, two, ()),
    ]

    assert events_to_csv(events, everyone) == (
        "id,title,category,date,start,end,attendees,observer,observed,activity\r\n"
        "sm1,Staff meeting,staff-meeting,2025-09-03,15:00,16:00,all,,,\r\n"
        "obs1,Observation,observation,2025-09-03,15:00,16:00,,ht,t1,\r\n"
        "gt1,'=Gained time,gained-time,2025-09-03,15:00,16:00,t1,,,PPA\r\n"
        "x1,Nobody,other,2025-09-03,15:00,16:00,none,,,\r\n"
    )


@st.composite
def years_of_events(draw: st.DrawFn) -> tuple[list[StaffMember], list[Event]]:
    ids = draw(st.lists(STAFF_IDS, min_size=1, max_size=5, unique=True))
    staff = [StaffMember(i, f"Teacher {i}", Post.TEACHER) for i in ids]
    everyone = tuple(ids)
    events = []
    event_ids = draw(st.lists(STAFF_IDS, max_size=6, unique=True))
    for event_id in event_ids:
        start = draw(st.integers(min_value=0, max_value=23 * 60 + 58))
        end = draw(st.integers(min_value=start + 1, max_value=23 * 60 + 59))
        observation = draw(st.booleans())
        observer = draw(st.sampled_from(ids)) if observation else None
        observed = draw(st.sampled_from(ids)) if observation else None
        attendees = draw(
            st.just(everyone) | st.just(()) | st.lists(st.sampled_from(ids), unique=True).map(tuple)
        )
        events.append(
            Event(
                id=event_id,
                title=draw(CELL_TEXT),
                category=draw(st.sampled_from(categories())),
                date=date(2025, 8, 13) + timedelta(days=draw(st.integers(0, 317))),
                start=time(start // 60, start % 60),
                end=time(end // 60, end % 60),
                attendees=attendees,
                observer=observer,
                observed=observed,
                activity=draw(st.none() | CELL_TEXT),
                foreseeable=draw(st.none() | st.booleans()),
                during_ppa=draw(st.booleans()),
            )
        )
    return staff, events


@pytest.mark.slow  # examples: the Hypothesis profile's (tests/conftest.py)
@given(years_of_events())
def test_reading_written_events_gives_back_the_same_events(
    year: tuple[list[StaffMember], list[Event]],
) -> None:
    staff, events = year
    text = events_to_csv(events, [s.id for s in staff])

    read = parse_events_csv(text, "events.csv").events
    rows = [{"id": s.id, "name": s.name, "post": s.post.value} for s in staff]

    assert year_with(rows, read).events == tuple(events)
