"""`where` conditions select rows; figures are formatted as a person writes them."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fairload.core.errors import PackError
from fairload.core.rules import Context, condition
from fairload.core.units import format_number

from .conftest import make_parameters

STAFF = pl.DataFrame(
    {
        "staff_id": ["t1", "pt3", "dht6", "pb"],
        "post": ["teacher", "principal-teacher", "depute-head", "teacher"],
        "job_size": [None, 3, 6, None],
        "fte": [1.0, 1.0, 1.0, 0.6],
        "probationer": [False, False, False, True],
    }
)


def chosen(where) -> list[str]:
    context = Context(
        tables=None, parameters=make_parameters(half=0.5, whole=1), at=date(2025, 8, 13)
    )
    expr, _ = condition(where, context)
    return STAFF.filter(expr)["staff_id"].to_list()


@pytest.mark.parametrize(
    ("where", "ids"),
    [
        pytest.param(None, ["t1", "pt3", "dht6", "pb"], id="no condition selects everyone"),
        pytest.param({"post": "teacher"}, ["t1", "pb"], id="a value"),
        pytest.param(
            {"post": ["depute-head", "principal-teacher"]}, ["pt3", "dht6"], id="one of a list"
        ),
        pytest.param({"post": {"not": "teacher"}}, ["pt3", "dht6"], id="not a value"),
        pytest.param({"post": {"not": ["teacher", "depute-head"]}}, ["pt3"], id="none of a list"),
        pytest.param({"job_size": {"present": True}}, ["pt3", "dht6"], id="present"),
        pytest.param({"job_size": {"present": False}}, ["t1", "pb"], id="absent"),
        pytest.param(
            {"fte": {"at_least": "whole"}}, ["t1", "pt3", "dht6"], id="at least a parameter"
        ),
        pytest.param({"fte": {"less_than": "whole"}}, ["pb"], id="less than a parameter"),
        pytest.param(
            {"fte": {"more_than": "half"}, "probationer": True}, ["pb"], id="two conditions"
        ),
        pytest.param(
            {"any_of": [{"post": "depute-head"}, {"probationer": True}]},
            ["dht6", "pb"],
            id="any of",
        ),
    ],
)
def test_a_where_condition_selects_rows(where, ids):
    assert chosen(where) == ids


def test_a_comparison_reports_the_parameters_it_read():
    context = Context(tables=None, parameters=make_parameters(whole=1), at=date(2025, 8, 13))

    _, used = condition({"fte": {"at_least": "whole"}}, context)

    assert [p.name for p in used] == ["whole"]


def test_an_unknown_condition_is_a_pack_error():
    with pytest.raises(PackError, match="unknown condition 'between' on column 'fte'"):
        chosen({"fte": {"between": ["half", "whole"]}})


@pytest.mark.parametrize(
    ("value", "text"),
    [
        pytest.param(22.5, "22.5", id="a half"),
        pytest.param(1365.0, "1365", id="a whole float"),
        pytest.param(16, "16", id="an int"),
        pytest.param(23.333333, "23.33", id="two places"),
        pytest.param(2.25, "2.25", id="a quarter"),
        pytest.param(0.1, "0.1", id="a tenth"),
        pytest.param(None, "none", id="nothing"),
    ],
)
def test_figures_are_written_as_a_person_writes_them(value, text):
    assert format_number(value) == text


def test_a_policy_condition_selects_the_rows_of_schools_that_answered_so():
    """NUT ASOS Instruction 6 binds only "in any school which refuses" the limit: a rule
    selects such schools' rows by their answer to the workload question."""
    policy = pl.DataFrame(
        {
            "school_id": ["refuses", "accepts"],
            "question": ["observation-limit-accepted"] * 2,
            "answer": ["false", "true"],
        }
    )
    tables = type("Tables", (), {"policy": policy})()
    context = Context(tables=tables, parameters=make_parameters(), at=date(2025, 8, 13))
    events = pl.DataFrame({"school_id": ["refuses", "accepts", "silent"], "event_id": [1, 2, 3]})

    expr, _ = condition({"policy": {"observation-limit-accepted": False}}, context)

    assert events.filter(expr)["school_id"].to_list() == ["refuses"]
