"""Arithmetic over parameter names, so a pack can say "38 × 22.5" without a literal.

An expression is a parameter name, or ``{multiply: [...]}``, ``{sum: [...]}``,
``{subtract: [a, b]}`` or ``{divide: [a, b]}`` of expressions. Numbers are not
allowed: every figure must be a parameter with a clause.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from datetime import date
from functools import reduce
from typing import Any

from fairload.core.errors import PackError
from fairload.core.parameters import ParameterSet, ResolvedParameter

Expression = str | dict[str, list[Any]]

_OPERATORS: dict[str, Callable[[list[float]], float]] = {
    "multiply": lambda xs: reduce(lambda a, b: a * b, xs, 1.0),
    "sum": lambda xs: sum(xs),
    "subtract": lambda xs: xs[0] - sum(xs[1:]),
    "divide": lambda xs: xs[0] / xs[1],
}


def parameter_names(expression: Expression) -> list[str]:
    """Every parameter an expression reads, in order, for checks and workings."""
    if isinstance(expression, str):
        return [expression]
    (operands,) = expression.values()
    return [name for operand in operands for name in parameter_names(operand)]


def validate_expression(expression: Any, parameters: ParameterSet, where: str) -> None:
    """Raise PackError if the expression is malformed or names an unknown parameter."""
    if isinstance(expression, str):
        if expression not in parameters:
            close = difflib.get_close_matches(expression, list(parameters.parameters), n=3)
            hint = "Declare it in parameters.yaml with its clause"
            hint += f"; did you mean {', '.join(close)}?" if close else "."
            raise PackError(f"{where}: unknown parameter '{expression}'", hint=hint)
        return
    if (
        isinstance(expression, dict)
        and len(expression) == 1
        and next(iter(expression)) in _OPERATORS
        and isinstance(next(iter(expression.values())), list)
    ):
        for operand in next(iter(expression.values())):
            validate_expression(operand, parameters, where)
        return
    raise PackError(
        f"{where}: {expression!r} is not an expression",
        hint="Use a parameter name or {multiply|sum|subtract|divide: [names…]}; "
        "numbers belong in parameters, with their clause.",
    )


def evaluate(
    expression: Expression, parameters: ParameterSet, when: date
) -> tuple[float, list[ResolvedParameter]]:
    """The value of an expression at a date, with the parameters it used."""
    if isinstance(expression, str):
        return parameters.number(expression, when), [parameters.resolve(expression, when)]
    ((operator, operands),) = expression.items()
    if operator not in _OPERATORS:
        raise PackError(f"unknown operator '{operator}'")
    results = [evaluate(operand, parameters, when) for operand in operands]
    used = [p for _, ps in results for p in ps]
    return _OPERATORS[operator]([value for value, _ in results]), used
