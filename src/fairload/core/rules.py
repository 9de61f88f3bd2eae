"""Rule instances (from a pack's YAML) and the context a template evaluates them in."""

from __future__ import annotations

import json
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any, TypeVar, cast

import polars as pl

from fairload.core.budgets import (
    BudgetSpec,
    long_budgets,
    teacher_budget_columns,
    teacher_budget_lines,
    teacher_budget_plan,
)
from fairload.core.errors import PackError
from fairload.core.expressions import Expression, evaluate
from fairload.core.findings import Severity
from fairload.core.keep import kept
from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.reference import Reference
from fairload.core.tables import Tables, filtered

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Rule:
    """An instance of a rule template, with its settings, severity and clause."""

    id: str
    template: str
    title: str
    severity: Severity
    reference: Reference
    settings: Mapping[str, Any]
    pack_id: str
    refuse: str | None = None
    fix: str | None = None
    message: str | None = None
    effective_from: date | None = None
    effective_to: date | None = None
    instruction: int | None = None

    def in_force(self, when: date) -> bool:
        if self.effective_from and when < self.effective_from:
            return False
        return not (self.effective_to and when > self.effective_to)


@dataclass(eq=False)
class Later:
    """A frame a probe reads (:class:`~fairload.core.templates.base.Probe`), made when
    it is collected, after every rule's plan is built: what it holds can then depend on
    what all their tests read. ``columns`` are the columns it may have, for a test's
    check that it reads only what is there."""

    columns: frozenset[str]
    make: Callable[[], pl.LazyFrame] | None = None
    #: whether a test reads the budget's planned hours (None: the frame is not made yet)
    planned: bool | None = None
    _made: pl.LazyFrame | None = None

    def lazy(self) -> pl.LazyFrame:
        if self._made is None:
            assert self.make is not None
            self.planned = bool(self.planned)
            self._made = self.make()
        return self._made


@dataclass
class Context:
    """What a template sees: the tables, the pack's parameters, and the date of the check."""

    tables: Tables
    parameters: ParameterSet
    at: date
    budget: BudgetSpec | None = None
    #: the pack's workload questions, id -> text, so a finding quotes the question
    questions: Mapping[str, str] = field(default_factory=dict)
    _teacher_budgets: pl.DataFrame | None = field(default=None, repr=False)
    _once: dict[str, Any] = field(default_factory=dict, repr=False)

    def number(self, expression: Expression) -> tuple[float, list[ResolvedParameter]]:
        anchors = (
            (self.parameters,) if isinstance(expression, str) else (expression, self.parameters)
        )
        key = (self.at, expression) if isinstance(expression, str) else self.at
        value, used = kept(anchors, key, lambda: evaluate(expression, self.parameters, self.at))
        return value, list(used)

    def teacher_budgets(self) -> pl.DataFrame:
        """Every teacher's budget, a line a row, computed once per check (several rules
        read it)."""
        if self._teacher_budgets is None:
            assert self.budget is not None
            self._teacher_budgets = long_budgets(self.budget, self.teacher_budget_lines())
        return self._teacher_budgets

    def teacher_budget_lines(self) -> pl.DataFrame:
        """Every teacher's budget, a teacher a row (:func:`teacher_budget_lines`), once
        per check."""
        budget = self.budget
        if budget is None:
            raise PackError("the pack has no budget")
        return self.once(
            "budget-lines",
            lambda: teacher_budget_lines(budget, self.tables, self.parameters, self.at),
        )

    def budget_tested(self, test: pl.Expr) -> pl.DataFrame | Later:
        """What a budget rule's ``test`` reads: the wide budget, or for one school whose
        budget is not made yet its plan (:func:`teacher_budget_plan`), collected with
        the other rules' tests: a check whose budget rules' tests find nothing to look
        at never makes it (one ``collect`` less). The plan is made once every rule has
        said what its test reads: without the planned hours if none reads them (they
        are the attendance's, most of the plan's time)."""
        budget = self.budget
        if budget is None:
            raise PackError("the pack has no budget")
        if not self.tables.small or "budget-lines" in self._once:
            return self.teacher_budget_lines()
        planned = kept((test,), "reads-planned", lambda: _reads_planned(test))
        tested = self.once(
            "budget-tested", lambda: Later(frozenset(teacher_budget_columns(budget)))
        )
        if planned and tested.planned is False:  # made already, without them: anew
            tested = self._once["budget-tested"] = Later(tested.columns)
        if planned:
            tested.planned = True
        if tested.make is None:
            tested.make = lambda: teacher_budget_plan(
                budget, self.tables, self.parameters, self.at, planned=tested.planned is True
            )
        return tested

    def kept(self, rule: Rule, key: Hashable, build: Callable[[], T]) -> T:
        """``build()`` for this rule of this pack at this date, made once (:func:`kept`):
        it must not read the tables. A rule whose settings read the school's policy
        answers (a ``where`` on ``policy``) has it made each check: its conditions do."""
        if kept((rule,), "reads-policy", lambda: _reads_policy(rule.settings)):
            return build()
        return kept((rule, self.parameters, self.budget), (self.at, key), build)

    def selected(
        self, name: str, frame: Callable[[], pl.DataFrame], where: Mapping[str, Any] | None
    ) -> pl.DataFrame:
        """The rows of ``frame()`` (called ``name``) that ``where`` selects, chosen once per
        check: several rules select the same rows (a primary school's rules)."""
        key = json.dumps([name, where], sort_keys=True, default=str)
        return self.once(key, lambda: filtered(frame(), condition(where, self)[0]))

    def teacher_keys(self) -> list[str]:
        """:attr:`Tables.teacher_keys`: staff_id alone for one school."""
        return self.tables.teacher_keys

    def school_column(self) -> list[pl.Expr]:
        """What a frame grouped by :meth:`teacher_keys` adds back: the school's id."""
        if self.teacher_keys()[0] == "school_id":
            return []
        return [pl.lit(self.tables.schools.item(0, "school_id")).alias("school_id")]

    def once(self, key: str, build: Callable[[], T]) -> T:
        """``build()``, made once per check: a frame several rules read."""
        if key not in self._once:
            self._once[key] = build()
        return cast(T, self._once[key])

    def value(self, name: str) -> tuple[Any, ResolvedParameter]:
        resolved = self.parameters.resolve(name, self.at)
        return resolved.value, resolved


def _reads_planned(test: pl.Expr) -> bool:
    return any(name.startswith("planned::") for name in test.meta.root_names())


# A `where` mapping selects rows: column -> scalar (equal), list (one of),
# {not: [..]}, {at_least: param}, {more_than: param}, {at_most: param}, {present: bool};
# `policy: {question: answer}` selects the rows of schools that answered the workload
# question so (an unanswered question selects none).
_COMPARISONS = {
    "at_least": lambda c, v: c >= v,
    "more_than": lambda c, v: c > v,
    "at_most": lambda c, v: c <= v,
    "less_than": lambda c, v: c < v,
}


def condition(
    where: Mapping[str, Any] | None, context: Context
) -> tuple[pl.Expr, list[ResolvedParameter]]:
    """A Polars expression for a ``where`` mapping, and the parameters it read.

    Built once per pack and date (:func:`kept`) unless it reads the tables (``policy``)."""
    if _reads_policy(where):
        return _condition(where, context)
    expr, used = kept(
        (where, context.parameters), ("condition", context.at), lambda: _condition(where, context)
    )
    return expr, list(used)


def _reads_policy(where: Any) -> bool:
    if isinstance(where, Mapping):
        return "policy" in where or any(_reads_policy(v) for v in where.values())
    if isinstance(where, list):
        return any(_reads_policy(v) for v in where)
    return False


def _condition(
    where: Mapping[str, Any] | None, context: Context
) -> tuple[pl.Expr, list[ResolvedParameter]]:
    expr = pl.lit(True)
    used: list[ResolvedParameter] = []
    for column, wanted in (where or {}).items():
        if column == "policy":
            expr = expr & _answered(wanted, context)
            continue
        if column == "any_of":
            alternatives = [condition(option, context) for option in wanted]
            expr = expr & pl.any_horizontal([a for a, _ in alternatives])
            used += [p for _, ps in alternatives for p in ps]
            continue
        col = pl.col(column)
        if isinstance(wanted, list):
            expr = expr & col.is_in(wanted)
        elif isinstance(wanted, dict):
            ((op, operand),) = wanted.items()
            if op == "not":
                expr = expr & ~col.is_in(operand if isinstance(operand, list) else [operand])
            elif op == "present":
                present = col.is_not_null() & (col.cast(pl.Float64, strict=False).fill_null(1) != 0)
                expr = expr & (present if operand else ~present)
            elif op in _COMPARISONS:
                value, params = context.number(operand)
                used += params
                expr = expr & _COMPARISONS[op](col, value).fill_null(False)
            else:
                raise PackError(f"unknown condition '{op}' on column '{column}'")
        else:
            expr = expr & (col == wanted).fill_null(False)
    return expr, used


def _answered(answers: Mapping[str, Any], context: Context) -> pl.Expr:
    """Rows of schools whose answer to each question is the one given (or one of a list)."""
    expr = pl.lit(True)
    policy = context.tables.policy
    for question, wanted in answers.items():
        options = wanted if isinstance(wanted, list) else [wanted]
        schools = policy.filter(
            (pl.col("question") == question)
            & pl.col("answer").is_in([str(o).lower() for o in options])
        ).get_column("school_id")
        expr = expr & pl.col("school_id").is_in(schools.to_list())
    return expr
