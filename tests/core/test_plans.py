"""Plans: a breach's working is built only where there are breaches, in a second round;
what a rule builds from the pack alone is kept, and never what it reads from the tables."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fairload.core.keep import kept
from fairload.core.rules import Context, condition
from fairload.core.tables import Tables, frame
from fairload.core.templates.base import Plan, collect_plans, emit_later, teacher_subject

from .conftest import make_parameters, make_rule

AT = date(2025, 8, 13)
RULE = make_rule("period_cap", message="{name}: {actual} over {limit} ({extra})")


def _violations(hours: list[float]) -> pl.LazyFrame:
    rows = pl.DataFrame(
        {
            "school_id": ["s"] * len(hours),
            "staff_id": [f"t{i}" for i in range(len(hours))],
            "name": [f"Teacher {i}" for i in range(len(hours))],
            "actual": hours,
        },
        schema={
            "school_id": pl.String,
            "staff_id": pl.String,
            "name": pl.String,
            "actual": pl.Float64,
        },
    )
    return rows.lazy().filter(pl.col("actual") > 3).with_columns(limit=pl.lit(3.0))


def _detailed(hours: list[float], built: list[int]) -> Plan:
    def details(found: pl.LazyFrame) -> pl.LazyFrame:
        built.append(1)
        return found.with_columns(extra=pl.lit("the working"))

    return emit_later(
        RULE,
        _violations(hours),
        details=details,
        subject=teacher_subject,
        default_message="",
        parameters=[],
        data_columns=["extra"],
    )


@pytest.mark.parametrize("together", [True, False], ids=["one school", "a country"])
def test_a_rule_that_finds_nothing_never_builds_its_working(together: bool) -> None:
    built: list[int] = []
    assert collect_plans([_detailed([1.0, 2.0], built)], together=together) == [[]]
    assert built == []


@pytest.mark.parametrize("together", [True, False], ids=["one school", "a country"])
def test_a_breach_gets_its_working_from_the_second_round(together: bool) -> None:
    built: list[int] = []
    plans = [_detailed([1.0, 4.0, 5.0], built), _detailed([], built)]
    (found, nothing) = collect_plans(plans, together=together)
    assert nothing == []
    assert built == [1]  # built once, for the rule that found something
    assert [f.subject.id for f in found] == ["t1", "t2"]
    assert found[0].working.data == {"extra": "the working"}
    assert found[0].message.startswith("Teacher 1: 4 over 3 (the working)")


def test_plans_added_and_changed_keep_their_order_across_rounds() -> None:
    built: list[int] = []
    first = _detailed([4.0], built)
    second = emit_later(
        RULE,
        _violations([6.0]).with_columns(extra=pl.lit("plain")),
        subject=teacher_subject,
        default_message="",
        parameters=[],
    )
    changed = (first + second).then(lambda found: [f for f in found if f.actual != 6.0])
    ((only,),) = collect_plans([changed])
    assert only.actual == 4.0 and only.working.data == {"extra": "the working"}


def test_what_is_kept_is_made_once_for_the_same_objects_and_again_for_others() -> None:
    made: list[str] = []
    anchor, other = object(), object()

    def build(label: str) -> str:
        made.append(label)
        return label

    assert kept((anchor,), "key", lambda: build("first")) == "first"
    assert kept((anchor,), "key", lambda: build("again")) == "first"
    assert kept((other,), "key", lambda: build("other")) == "other"
    assert kept((anchor,), "another key", lambda: build("another")) == "another"
    assert made == ["first", "other", "another"]


def test_a_where_on_the_policy_answers_is_read_from_each_check_s_tables() -> None:
    """A where's expression is kept per pack and date, except one that reads the school's
    answers: two schools' checks under one pack must not share it."""
    parameters = make_parameters(limit=1)
    where = {"policy": {"q1": "yes"}}

    def selects(answer: str) -> list[str]:
        tables = _policy_tables(answer)
        expr, _ = condition(where, Context(tables, parameters, AT))
        return tables.schools.filter(expr)["school_id"].to_list()

    assert selects("yes") == ["s"]
    assert selects("no") == []


def _policy_tables(answer: str) -> Tables:
    empty = {name: frame(name, []) for name in ("staff", "events", "attendance", "allocations")}
    return Tables(
        schools=frame("schools", [{"school_id": "s", "name": "S"}]),
        policy=frame("policy", [{"school_id": "s", "question": "q1", "answer": answer}]),
        process=frame("process", []),
        years={},
        **empty,
    )
