"""Arithmetic over parameter names: every figure a pack computes is traceable."""

from __future__ import annotations

from datetime import date

import pytest

from fairload.core.errors import PackError
from fairload.core.expressions import evaluate, parameter_names, validate_expression

from .conftest import make_parameters, south_ayrshire

SESSION_2025 = date(2025, 8, 13)

APPENDIX_1 = [
    {"multiply": ["contact_weeks_per_year", "class_contact_max_hours_per_week"]},
    {"multiply": ["contact_weeks_per_year", "personal_allowance_hours_per_week"]},
    "inservice_hours_per_year",
    "assessment_reporting_recording_hours_per_year",
    "planning_hours_per_year",
    "staff_meetings_hours_per_year",
    "review_hours_per_year",
    "union_meetings_hours_per_year",
    "parents_meetings_hours_per_year",
    "balance_of_time_hours_per_year",
]


@pytest.mark.parametrize(
    ("expression", "value"),
    [
        pytest.param(
            {"multiply": ["contact_weeks_per_year", "class_contact_max_hours_per_week"]},
            855,
            id="class contact is 38 x 22.5 = 855",
        ),
        pytest.param(
            {"multiply": ["contact_weeks_per_year", "personal_allowance_hours_per_week"]},
            285,
            id="personal allowance is 38 x 7.5 = 285",
        ),
        pytest.param({"sum": APPENDIX_1}, 1365, id="appendix 1 adds to 1365"),
        pytest.param(
            {"divide": ["annual_hours", "working_hours_per_week"]}, 39, id="1365 / 35 = 39 weeks"
        ),
        pytest.param(
            {"subtract": ["annual_hours", {"sum": APPENDIX_1[:-1]}]},
            34,
            id="the balance of time is what is left: 34",
        ),
        pytest.param(
            {
                "multiply": [
                    "personal_allowance_share_of_contact",
                    "class_contact_max_hours_per_week",
                ]
            },
            7.5,
            id="a third of 22.5 is 7.5",
        ),
    ],
)
def test_it_evaluates_the_figures_of_appendix_1(expression, value):
    result, _ = evaluate(expression, south_ayrshire().parameters, SESSION_2025)

    assert result == value


def test_it_returns_every_parameter_it_read_with_its_date_and_clause():
    _, used = evaluate(
        {"multiply": ["contact_weeks_per_year", "class_contact_max_hours_per_week"]},
        south_ayrshire().parameters,
        SESSION_2025,
    )

    assert [(p.name, p.value, p.effective, p.reference.clause) for p in used] == [
        ("contact_weeks_per_year", 38, date(2014, 8, 1), "Appendix 1"),
        ("class_contact_max_hours_per_week", 22.5, date(2006, 8, 1), "3.1"),
    ]


def test_subtract_takes_everything_after_the_first_operand_away():
    parameters = make_parameters(total=10, a=1, b=2)

    assert evaluate({"subtract": ["total", "a", "b"]}, parameters, SESSION_2025)[0] == 7


def test_parameter_names_lists_every_name_in_order():
    expression = {"sum": ["a", {"multiply": ["b", "c"]}, {"divide": ["d", "a"]}]}

    assert parameter_names(expression) == ["a", "b", "c", "d", "a"]


def test_a_parameter_name_is_a_valid_expression():
    validate_expression("a", make_parameters(a=1), "rule x")


@pytest.mark.parametrize(
    ("expression", "message"),
    [
        pytest.param(2, "2 is not an expression", id="a bare number"),
        pytest.param({"multiply": ["a", 2]}, "2 is not an expression", id="a number inside"),
        pytest.param({"power": ["a", "a"]}, "is not an expression", id="an unknown operator"),
        pytest.param({"sum": "a"}, "is not an expression", id="operands not in a list"),
        pytest.param({"sum": ["a"], "multiply": ["a"]}, "is not an expression", id="two operators"),
        pytest.param("b", "unknown parameter 'b'", id="an unknown name"),
        pytest.param({"sum": ["a", "b"]}, "unknown parameter 'b'", id="an unknown name inside"),
    ],
)
def test_a_malformed_expression_is_refused_saying_where(expression, message):
    with pytest.raises(PackError) as caught:
        validate_expression(expression, make_parameters(a=1), "rule meeting-max-duration")

    assert caught.value.message.startswith("rule meeting-max-duration: ")
    assert message in caught.value.message


def test_a_number_is_refused_with_the_advice_to_make_it_a_parameter():
    with pytest.raises(PackError) as caught:
        validate_expression(2, make_parameters(a=1), "rule x")

    assert "numbers belong in parameters, with their clause" in caught.value.hint


def test_evaluating_an_unknown_operator_is_a_pack_error():
    with pytest.raises(PackError, match="unknown operator 'power'"):
        evaluate({"power": ["a", "a"]}, make_parameters(a=2), SESSION_2025)
