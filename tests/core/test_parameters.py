"""Dated parameters: the value in force on a date, with its clause; the SA figures."""

from __future__ import annotations

from datetime import date

import pytest

from fairload.core.calendar import DAYS_PER_WORKING_WEEK
from fairload.core.errors import PackError
from fairload.core.parameters import DatedValue, Parameter, ParameterSet
from fairload.core.reference import Document, Reference

from .conftest import make_parameters, south_ayrshire

JNCT = Document("jnct", "South Ayrshire JNCT2.7")
CLAUSE_12_1 = Reference(JNCT, "12.1", "the 2 hours allocated for each individual review")
AUGUST_2014 = date(2014, 8, 1)
SESSION_2025 = date(2025, 8, 13)

# PRD (12.1): 2 hours per review until 2014/15 raised it to 3.
REVIEW_HOURS = Parameter(
    "review_hours_per_year",
    "Personal review and development",
    "hours/year",
    (
        DatedValue(date(2010, 8, 1), 2, CLAUSE_12_1),
        DatedValue(AUGUST_2014, 3, Reference(JNCT, "12.1", "has increased to 3 hours")),
    ),
)


@pytest.mark.parametrize(
    ("when", "hours"),
    [
        pytest.param(date(2010, 8, 1), 2, id="on the first value's date"),
        pytest.param(date(2014, 7, 31), 2, id="the day before the change"),
        pytest.param(AUGUST_2014, 3, id="on the day of the change"),
        pytest.param(SESSION_2025, 3, id="long after the change"),
    ],
)
def test_the_value_in_force_is_the_latest_that_has_taken_effect(when, hours):
    assert REVIEW_HOURS.at(when).value == hours


def test_the_value_in_force_carries_its_own_effective_date_and_clause():
    dated = REVIEW_HOURS.at(SESSION_2025)

    assert dated.effective == AUGUST_2014
    assert dated.reference.quote == "has increased to 3 hours"


def test_before_the_first_value_there_is_no_value_in_force():
    with pytest.raises(PackError) as caught:
        REVIEW_HOURS.at(date(2010, 7, 31))

    assert "no value in force on 2010-07-31" in caught.value.message
    assert "2010-08-01" in caught.value.hint


def test_a_value_of_none_withdraws_the_parameter_from_its_date():
    withdrawn = Parameter(
        "old",
        "",
        "hours",
        (DatedValue(AUGUST_2014, 2, CLAUSE_12_1), DatedValue(SESSION_2025, None, CLAUSE_12_1)),
    )

    assert withdrawn.at(date(2020, 1, 1)).value == 2
    with pytest.raises(PackError, match="no value in force"):
        withdrawn.at(SESSION_2025)


def test_a_parameter_needs_at_least_one_value():
    with pytest.raises(ValueError, match="has no values"):
        Parameter("empty", "", "hours", ())


@pytest.mark.parametrize(
    "dates",
    [
        pytest.param([date(2020, 1, 1), date(2014, 8, 1)], id="out of order"),
        pytest.param([AUGUST_2014, AUGUST_2014], id="the same date twice"),
    ],
)
def test_effective_dates_must_be_distinct_and_ordered(dates):
    with pytest.raises(ValueError, match="distinct and ordered"):
        Parameter("x", "", "hours", tuple(DatedValue(d, 1, CLAUSE_12_1) for d in dates))


def test_a_reference_needs_a_clause():
    with pytest.raises(ValueError, match="needs a clause"):
        Reference(JNCT, "  ")


def test_a_reference_cites_the_document_and_clause():
    assert Reference(JNCT, "7.3").citation == "South Ayrshire JNCT2.7, 7.3"


def test_a_resolved_parameter_shows_its_value_unit_date_and_clause():
    resolved = ParameterSet({"review_hours_per_year": REVIEW_HOURS}).resolve(
        "review_hours_per_year", SESSION_2025
    )

    assert resolved.as_dict() == {
        "name": "review_hours_per_year",
        "value": 3,
        "unit": "hours/year",
        "effective": "2014-08-01",
        "reference": {
            "document": "South Ayrshire JNCT2.7",
            "clause": "12.1",
            "quote": "has increased to 3 hours",
        },
    }


def test_an_unknown_parameter_is_a_pack_error():
    with pytest.raises(PackError, match="unknown parameter 'meeting_max_hour'"):
        make_parameters(meeting_max_hours=2).resolve("meeting_max_hour", SESSION_2025)


@pytest.mark.parametrize(
    ("written", "number"),
    [
        pytest.param("1/3", 1 / 3, id="a third"),
        pytest.param(
            " 1 / 2 ",
            0.5,
            id="a half, spaced",
        ),
        pytest.param(22.5, 22.5, id="a decimal"),
        pytest.param(38, 38.0, id="a whole number"),
    ],
)
def test_a_number_may_be_written_as_a_fraction(written, number):
    assert make_parameters(x=written).number("x", SESSION_2025) == number


@pytest.mark.parametrize(
    "value",
    [
        pytest.param(True, id="a flag"),
        pytest.param("two hours", id="text"),
        pytest.param([1, 2], id="a list"),
        pytest.param("1/3 of contact", id="text that starts like a fraction"),
    ],
)
def test_a_value_that_is_not_a_number_is_refused_as_one(value):
    with pytest.raises(PackError, match="not a number"):
        make_parameters(x=value).number("x", SESSION_2025)


def test_a_fraction_over_zero_is_a_pack_error():
    with pytest.raises(PackError, match="x"):
        make_parameters(x="1/0").number("x", SESSION_2025)


def test_a_third_of_22_5_hours_is_exactly_7_5():
    parameters = south_ayrshire().parameters
    share = parameters.number("personal_allowance_share_of_contact", SESSION_2025)
    contact = parameters.number("class_contact_max_hours_per_week", SESSION_2025)

    assert share * contact == 7.5
    assert parameters.value("personal_allowance_share_of_contact", SESSION_2025) == "1/3"


# Every figure of JNCT2.7 the pack holds, with the clause it comes from.
SOUTH_AYRSHIRE_FIGURES = [
    ("working_hours_per_week", 35, "8.1"),
    ("annual_hours", 1365, "Appendix 1"),
    ("working_days_per_year", 195, "Appendix 1"),
    ("contact_weeks_per_year", 38, "Appendix 1"),
    ("class_contact_max_hours_per_week", 22.5, "3.1"),
    ("probationer_contact_max_hours_per_week", 18.5, "3.2"),
    ("probationer_contact_recommended_hours_per_week", 18, "3.2"),
    ("personal_allowance_hours_per_week", 7.5, "8.1"),
    ("collegiate_hours_per_week", 5, "8.1"),
    ("inservice_hours_per_year", 30, "Appendix 1"),
    ("assessment_reporting_recording_hours_per_year", 60, "5.1"),
    ("written_reports_per_pupil_per_session", 1, "5.2"),
    ("parents_meetings_hours_per_year", 30, "6.1"),
    ("parents_evening_appointments_max_hours", 2.5, "6.2"),
    ("staff_meetings_hours_per_year", 40, "Appendix 1"),
    ("meeting_max_hours", 2, "7.3"),
    ("planning_hours_per_year", 25, "10.1"),
    ("review_hours_per_year", 3, "12.1"),
    ("union_meetings_hours_per_year", 3, "13"),
    ("balance_of_time_hours_per_year", 34, "Appendix 1"),
    ("periods_per_week", 33, "8.1"),
    ("period_minutes", 50, "8.1"),
    ("contact_periods_max_per_week", 27, "8.1"),
    ("non_contact_periods_min_per_week", 6, "8.1"),
]


@pytest.mark.parametrize(
    ("name", "figure", "clause"), SOUTH_AYRSHIRE_FIGURES, ids=[f[0] for f in SOUTH_AYRSHIRE_FIGURES]
)
def test_each_south_ayrshire_figure_is_in_force_with_its_clause(name, figure, clause):
    resolved = south_ayrshire().parameters.resolve(name, SESSION_2025)

    assert resolved.value == figure
    assert resolved.reference.clause == clause
    assert resolved.reference.quote


def test_every_south_ayrshire_parameter_quotes_its_source():
    parameters = south_ayrshire().parameters
    for name in parameters.parameters:
        assert parameters.resolve(name, SESSION_2025).reference.quote, name


def test_class_contact_has_been_22_5_hours_since_august_2006():
    resolved = south_ayrshire().parameters.resolve(
        "class_contact_max_hours_per_week", date(2006, 8, 1)
    )

    assert resolved.value == 22.5
    assert resolved.effective == date(2006, 8, 1)


def test_the_agreement_has_no_figures_before_it_took_effect():
    with pytest.raises(PackError, match="no value in force on 2014-07-31"):
        south_ayrshire().parameters.resolve("annual_hours", date(2014, 7, 31))


def test_the_35_hour_week_over_39_weeks_is_the_1365_hour_year():
    parameters = south_ayrshire().parameters
    weeks = parameters.number("working_days_per_year", SESSION_2025) / DAYS_PER_WORKING_WEEK

    assert weeks == 39
    assert parameters.number("working_hours_per_week", SESSION_2025) * weeks == 1365
    assert parameters.number("annual_hours", SESSION_2025) == 1365


def test_27_periods_of_50_minutes_are_the_22_5_hour_maximum():
    parameters = south_ayrshire().parameters
    periods = parameters.number("contact_periods_max_per_week", SESSION_2025)
    minutes = parameters.number("period_minutes", SESSION_2025)

    assert periods * minutes / 60 == parameters.number(
        "class_contact_max_hours_per_week", SESSION_2025
    )


def test_33_periods_less_27_leaves_the_minimum_6_non_contact_periods():
    parameters = south_ayrshire().parameters

    assert parameters.number("periods_per_week", SESSION_2025) - parameters.number(
        "contact_periods_max_per_week", SESSION_2025
    ) == parameters.number("non_contact_periods_min_per_week", SESSION_2025)


def test_the_week_divides_into_contact_personal_and_collegiate_time():
    parameters = south_ayrshire().parameters
    parts = [
        "class_contact_max_hours_per_week",
        "personal_allowance_hours_per_week",
        "collegiate_hours_per_week",
    ]

    assert sum(parameters.number(p, SESSION_2025) for p in parts) == 35
