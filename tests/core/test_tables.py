"""Columnar inputs: the frames every rule template reads."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fairload.core.tables import SCHEMAS, frame, tables_from_years

from .conftest import School


def staff_row(school: School, staff_id: str) -> dict:
    return school.tables().staff.filter(pl.col("staff_id") == staff_id).row(0, named=True)


def event_row(school: School, event_id: str) -> dict:
    return school.tables().events.filter(pl.col("event_id") == event_id).row(0, named=True)


def test_every_frame_has_its_standard_columns(school):
    tables = school.tables()

    for name, columns in SCHEMAS.items():
        assert getattr(tables, name).schema == pl.Schema(columns), name


def test_an_empty_frame_still_has_its_columns():
    assert frame("events", []).columns == list(SCHEMAS["events"])


def test_the_school_row_counts_its_days_and_weeks(school):
    row = school.tables().schools.row(0, named=True)

    assert (row["working_days"], row["pupil_days"], row["inservice_days"]) == (195, 190, 5)
    assert row["working_weeks"] == 39


def test_contact_periods_become_hours_at_the_schools_period_length(school):
    row = staff_row(school, "dht6")

    assert row["contact_hours_per_week"] == pytest.approx(11 * 50 / 60)
    assert row["management_hours_per_week"] == pytest.approx(16 * 50 / 60)
    assert row["non_contact_periods_per_week"] == 33 - 11


def test_contact_hours_given_directly_are_kept(school):
    row = staff_row(school, "pb")

    assert row["contact_hours_per_week"] == 18
    # 8.8 counts periods: 18 hours are 21.6 periods of 50 minutes, so 11.4 are free.
    assert row["non_contact_periods_per_week"] == pytest.approx(33 - 18 * 60 / 50)


def test_hours_given_directly_win_over_periods(school):
    school.set_staff("pt3", management_hours_per_week=3)

    assert staff_row(school, "pt3")["management_hours_per_week"] == 3


def test_the_teaching_share_is_contact_over_timetabled_hours(school):
    school.set_staff("t1", timetabled_hours_per_week=25)

    assert staff_row(school, "t1")["teaching_share"] == pytest.approx(22.5 / 25)


@pytest.mark.parametrize(
    ("start", "end", "after_school", "evening"),
    [
        pytest.param("15:30", "16:30", True, True, id="starting as pupils leave"),
        pytest.param("15:00", "15:30", False, False, id="ending as pupils leave"),
        # NUT ASOS Instruction 2: "meetings outside school session times". A meeting that
        # starts before pupils leave and runs past it is after school (it was not).
        pytest.param("15:00", "16:00", True, True, id="running past the pupil day"),
        pytest.param("08:00", "08:45", False, False, id="before school"),
    ],
)
def test_an_event_is_after_school_or_into_the_evening_by_the_pupil_day(
    school, start, end, after_school, evening
):
    school.add_event("Event", "other", "2025-10-01", start, end, id="x")

    row = event_row(school, "x")

    assert (row["after_school"], row["evening"]) == (after_school, evening)


def test_an_event_row_has_its_week_term_and_hours(school):
    row = event_row(school, "pe1")

    assert (row["date"], row["week"], row["term"], row["hours"]) == (
        date(2025, 11, 6),
        13,
        "Autumn",
        2.5,
    )


def test_attendance_is_a_row_per_person_per_event(school):
    attendance = school.tables().attendance

    assert attendance.filter(pl.col("event_id") == "sm1").height == 8
    assert attendance.filter(pl.col("event_id") == "dm1")["staff_id"].to_list() == ["pt3", "t1"]


def test_the_observer_and_observed_have_their_roles(school):
    school.add_event(
        "Observation",
        "observation",
        "2025-10-01",
        "10:00",
        "10:50",
        id="obs",
        attendees=["t1", "ht"],
        observer="ht",
        observed="t1",
    )

    rows = school.tables().attendance.filter(pl.col("event_id") == "obs")

    assert dict(rows.select("staff_id", "role").iter_rows()) == {"t1": "observed", "ht": "observer"}


def test_policy_answers_are_lower_case_text(school):
    policy = dict(school.tables().policy.select("question", "answer").iter_rows())

    assert policy == {
        "daily-or-weekly-time-tracking": "false",
        "work-outwith-premises-protocol-agreed": "true",
        "staff-expected-at-parents-evenings-for-groups-not-taught": "false",
    }


def test_the_process_row_lists_who_signed(school):
    row = school.tables().process.row(0, named=True)

    assert row["signed_roles"] == ["head-teacher", "union-rep"]
    assert row["year_start"] == date(2025, 8, 13)
    assert (row["vote_in_favour"], row["vote_eligible"]) == (6, 8)


def test_many_schools_share_one_set_of_frames():
    first, second = School(), School()
    second.school["id"] = "second-academy"

    tables = tables_from_years([first.year(), second.year()])

    assert tables.schools.height == 2
    assert tables.staff.height == 16
    assert set(tables.years) == {"test-academy", "second-academy"}


def test_the_same_school_twice_is_refused():
    with pytest.raises(ValueError, match="school id 'test-academy' appears twice"):
        tables_from_years([School().year(), School().year()])


# --- attendance joined to events: integer keys, checked against the texts -----------------


@pytest.fixture(params=["one join", "hashed keys"])
def pairing(request, monkeypatch):
    """Both ways of pairing: one join on the texts (few rows) and hashed integer keys."""
    from fairload.core import tables

    monkeypatch.setattr(tables, "_SMALL", 10**9 if request.param == "one join" else 0)
    return request.param


def _plain_join(tables) -> pl.DataFrame:
    return tables.attendance.join(tables.events, on=["school_id", "event_id"], how="inner")


def _awkward(school: School):
    """A school's frames plus attendance of an event it does not have, a second school
    with the same event ids, and rows with missing keys: none may pair wrongly."""
    from dataclasses import replace

    tables = school.tables()
    other = tables.events.with_columns(school_id=pl.lit("other"), title=pl.lit("Elsewhere"))
    stray = pl.DataFrame(
        [
            {"school_id": tables.events["school_id"][0], "event_id": "no-such-event"},
            {"school_id": None, "event_id": tables.events["event_id"][0]},
            {"school_id": "other", "event_id": tables.events["event_id"][1]},
            {"school_id": tables.events["school_id"][0], "event_id": None},
        ]
    ).with_columns(staff_id=pl.lit("s1"), role=pl.lit("attendee"))
    attendance = pl.concat([stray.head(2), tables.attendance, stray.tail(2)], how="diagonal")
    return replace(
        tables,
        events=pl.concat([tables.events, other]),
        attendance=attendance.select(tables.attendance.columns).cast(SCHEMAS["attendance"]),
    )


def test_attended_events_is_the_join_of_attendance_and_events_in_attendance_order(school, pairing):
    tables = _awkward(school)

    assert tables.attended_events().equals(_plain_join(tables))


def test_attended_events_with_columns_has_only_those_of_the_events(school, pairing):
    tables = _awkward(school)

    chosen = tables.attended_events("hours", "category")

    assert chosen.columns == [*SCHEMAS["attendance"], "category", "hours"]
    assert chosen.equals(_plain_join(tables).select(chosen.columns))


def test_a_hash_collision_never_pairs_the_wrong_event(school, monkeypatch):
    from fairload.core import tables as module

    monkeypatch.setattr(module, "_SMALL", 0)
    tables = _awkward(school)
    expected = _plain_join(tables)
    # Every key hashes alike: each attendance row meets every event on the integer key.
    monkeypatch.setattr(pl.Expr, "hash", lambda self, seed=0: pl.lit(7, dtype=pl.UInt64))

    assert tables.attended_events().equals(expected)


@pytest.mark.parametrize(
    "where",
    [
        pl.col("category") == "staff-meeting",
        pl.col("category").is_in(["in-service", "parents-evening"]) & (pl.col("hours") > 1),
        pl.col("school_id") == "other",
        pl.col("staff_id") == "t1",  # an attendance column: filtered after the join
        pl.col("category") == "no such category",
    ],
    ids=["one category", "categories and hours", "school", "attendance column", "none"],
)
def test_attended_events_where_is_the_join_filtered_in_order(school, pairing, where):
    tables = _awkward(school)
    expected = _plain_join(tables).filter(where)
    assert not expected.is_empty() or "no such" in str(where)

    chosen = tables.attended_events("title", "hours", where=where)

    assert chosen.equals(expected.select(chosen.columns))
    assert tables.attended_events(where=where).equals(expected)
