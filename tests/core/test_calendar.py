"""The school year as working days and weeks, bank holidays from the `holidays` package."""

from __future__ import annotations

import json
import subprocess
import sys
from datetime import date

import pytest

from fairload.core import calendar, diskcache
from fairload.core.calendar import bank_holidays, monday_of, school_period
from fairload.core.school_year import Nation

from .conftest import School


def period_of(school: School, nation: Nation | None = None):
    year = school.year()
    return school_period(year.calendar, nation or year.school.nation)


@pytest.mark.parametrize(
    ("nation", "day", "name"),
    [
        pytest.param(
            Nation.SCOTLAND, date(2025, 12, 25), "Christmas Day", id="christmas, scotland"
        ),
        pytest.param(
            Nation.SCOTLAND, date(2026, 1, 2), "New Year Holiday", id="2 january, scotland"
        ),
        pytest.param(
            Nation.SCOTLAND,
            date(2025, 8, 4),
            "Summer Bank Holiday",
            id="first monday of august, scotland",
        ),
        pytest.param(
            Nation.SCOTLAND,
            date(2025, 12, 1),
            "Saint Andrew's Day (observed)",
            id="st andrew's, observed",
        ),
        pytest.param(
            Nation.ENGLAND,
            date(2025, 8, 25),
            "Late Summer Bank Holiday",
            id="last monday of august, england",
        ),
        pytest.param(
            Nation.ENGLAND, date(2026, 4, 6), "Easter Monday", id="easter monday, england"
        ),
    ],
)
def test_bank_holidays_come_from_the_holidays_package(nation, day, name):
    assert bank_holidays(nation, day.year)[day] == name


@pytest.mark.parametrize(
    ("nation", "day"),
    [
        pytest.param(
            Nation.SCOTLAND, date(2025, 8, 25), id="late august is not a scottish holiday"
        ),
        pytest.param(
            Nation.SCOTLAND, date(2026, 4, 6), id="easter monday is not a scottish holiday"
        ),
        pytest.param(Nation.ENGLAND, date(2026, 1, 2), id="2 january is not an english holiday"),
        pytest.param(Nation.ENGLAND, date(2025, 12, 1), id="st andrew's is not an english holiday"),
    ],
)
def test_each_nation_has_its_own_bank_holidays(nation, day):
    assert day not in bank_holidays(nation, day.year)


def test_the_shipped_bank_holidays_are_the_installed_holidays_releases_own():
    # Every nation and year of the snapshot, day and name and in the package's order.
    assert json.loads(calendar.SNAPSHOT.read_text("utf-8")) == calendar.snapshot_document(), (
        "src/fairload/core/data/bank-holidays.json is stale: run `make docs`"
    )


def test_the_shipped_bank_holidays_are_read_only_under_the_release_that_made_them():
    assert calendar._snapshot(calendar._holidays_release())  # the installed release: read
    assert calendar._snapshot("0.1") == {}
    assert calendar._snapshot("") == {}  # no holidays distribution found: not read


def test_a_year_outside_the_snapshot_is_kept_in_the_cache_on_disk(tmp_path, monkeypatch):
    year = calendar.SNAPSHOT_YEARS.stop
    monkeypatch.setattr(diskcache, "_directory", tmp_path)
    bank_holidays.cache_clear()
    try:
        found = bank_holidays(Nation.WALES, year)
        assert list((tmp_path / "bank-holidays").glob("*.pickle"))
        bank_holidays.cache_clear()
        assert (
            bank_holidays(Nation.WALES, year)
            == found
            == calendar._from_holidays(Nation.WALES, year)
        )
    finally:
        bank_holidays.cache_clear()


def test_a_year_of_the_snapshot_is_read_without_importing_holidays():
    program = (
        "import sys\n"
        "from fairload.core.calendar import bank_holidays\n"
        "from fairload.core.school_year import Nation\n"
        "days = bank_holidays(Nation.SCOTLAND, 2025)\n"
        "print(len(days), 'holidays' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [str(len(bank_holidays(Nation.SCOTLAND, 2025))), "False"]


def test_the_compliant_school_works_195_days_over_39_weeks(school):
    period = period_of(school)

    assert period.working_day_count == 195
    assert period.working_weeks == 39
    assert period.pupil_day_count == 190


def test_working_weeks_are_working_days_over_five(school):
    school.year_section["closures"].append(
        {"name": "Storm", "start": "2026-03-09", "end": "2026-03-10"}
    )

    period = period_of(school)

    assert period.working_day_count == 193
    assert period.working_weeks == 193 / 5


def test_35_hours_a_week_over_the_working_weeks_is_1365(school):
    assert 35 * period_of(school).working_weeks == 1365


def test_christmas_day_is_not_a_working_day(school):
    assert not period_of(school).is_working_day(date(2025, 12, 25))


def test_a_bank_holiday_in_term_is_not_a_working_day(school):
    # The Scottish May Day falls in the summer term and the school stays shut.
    period = period_of(school)

    assert not period.is_working_day(date(2026, 5, 4))
    assert (date(2026, 5, 4), "May Day") in period.bank_holidays_in_term


def test_a_closure_removes_its_days(school):
    school.year_section["closures"].append(
        {"name": "Storm", "start": "2026-03-10", "end": "2026-03-10"}
    )

    period = period_of(school)

    assert not period.is_working_day(date(2026, 3, 10))
    assert period.working_day_count == 194


def test_a_weekend_is_never_a_working_day(school):
    period = period_of(school)

    assert not period.is_working_day(date(2025, 8, 16))
    assert not period.is_working_day(date(2025, 8, 17))


def test_open_on_bank_holidays_keeps_a_bank_holiday_as_a_working_day(school):
    assert period_of(school).is_working_day(date(2025, 12, 1))


def test_without_open_on_bank_holidays_the_day_is_lost(school):
    school.year_section["open_on_bank_holidays"].remove("2025-12-01")

    period = period_of(school)

    assert not period.is_working_day(date(2025, 12, 1))
    assert period.working_day_count == 194
    assert (date(2025, 12, 1), "Saint Andrew's Day (observed)") in period.bank_holidays_in_term


def test_the_same_year_in_england_loses_english_bank_holidays(school):
    period = period_of(school, Nation.ENGLAND)

    assert not period.is_working_day(date(2025, 8, 25))
    assert period.is_working_day(date(2026, 5, 4)) is False
    assert period_of(school).is_working_day(date(2025, 8, 25))


@pytest.mark.parametrize(
    ("day", "week"),
    [
        pytest.param(date(2025, 8, 13), 1, id="the first day is in week 1"),
        pytest.param(date(2025, 8, 11), 1, id="the monday of the first week"),
        pytest.param(date(2025, 8, 17), 1, id="the first sunday"),
        pytest.param(date(2025, 8, 18), 2, id="the next monday starts week 2"),
        pytest.param(date(2026, 1, 6), 22, id="the spring term"),
        pytest.param(date(2026, 6, 26), 46, id="the last day"),
    ],
)
def test_school_weeks_run_monday_to_sunday_from_the_first_week(school, day, week):
    assert period_of(school).week_of(day) == week


def test_monday_of_a_wednesday():
    assert monday_of(date(2025, 8, 13)) == date(2025, 8, 11)


@pytest.mark.parametrize(
    ("day", "term"),
    [
        pytest.param(date(2025, 9, 3), "Autumn", id="autumn"),
        pytest.param(date(2026, 3, 6), "Spring", id="spring"),
        pytest.param(date(2026, 5, 5), "Summer", id="summer"),
        pytest.param(date(2026, 1, 1), None, id="between terms"),
    ],
)
def test_a_day_belongs_to_its_term(school, day, term):
    assert period_of(school).term_of(day) == term


def test_in_service_days_are_working_days_but_not_pupil_days(school):
    period = period_of(school)

    assert period.is_working_day(date(2025, 8, 13))
    assert period.working_day_count - period.pupil_day_count == 5
