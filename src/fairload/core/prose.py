"""Figures in prose come from their parameters.

A rule's ``title``, ``fix``, ``refuse`` and ``message`` may name a parameter in braces:
``An after-school meeting lasts at most {after_school_meeting_max_hours}``. The check
fills it with the value in force at the reading date, written with its unit by
:func:`fairload.core.units.quantity` ("1 hour", "4.5 hours", "3 periods", "1/3"), so a
change to the YAML value changes every sentence that shows it. ``{name:number}`` writes
the bare figure ("a 2-hour meeting"); ``{name:hours}`` (any unit noun) names the unit.

A title, fix or refusal may name only parameters; a message may also name the fields
of the finding's row (``{name}``, ``{actual}``, ``{limit}`` …), which the template fills.
"""

from __future__ import annotations

import difflib
import string
from collections.abc import Iterable
from dataclasses import replace
from datetime import date

from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.rules import Rule
from fairload.core.units import format_number, quantity

#: The rule fields that are prose.
PROSE_FIELDS = ("title", "fix", "refuse", "message")
#: Fields that may only name parameters (a message may also name its row's fields).
PARAMETER_ONLY = ("title", "fix", "refuse")

_FORMATTER = string.Formatter()


def placeholders(text: str) -> list[tuple[str, str]]:
    """The ``{field:spec}`` placeholders of a text, as (field, spec) pairs."""
    return [(name, spec or "") for _, name, spec, _ in _FORMATTER.parse(text) if name is not None]


def suggestion(name: str, known: Iterable[str]) -> str:
    """'Did you mean …?' for a misspelt name, or ''."""
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.75)
    return f"Did you mean '{close[0]}'? " if close else ""


def prose_problem(text: str, field: str, parameters: ParameterSet) -> tuple[str, str] | None:
    """Why a rule's prose cannot be filled (message, hint), or None if it can.

    A title, fix or refusal must name only parameters; a message's placeholder that is
    not a parameter but is close to one's name is taken as a misspelling. A parameter
    named in prose must hold a figure (not a list or a table).
    """
    names = parameters.parameters
    for name, _spec in placeholders(text):
        if name in names:
            values = [v.value for v in names[name].values]
            if any(isinstance(v, list | dict) for v in values):
                return (
                    f"'{{{name}}}' in {field}: parameter '{name}' is a table, not a figure",
                    "Name a parameter holding one figure, or write the words without it.",
                )
            continue
        if field in PARAMETER_ONLY or suggestion(name, names):
            return (
                f"'{{{name}}}' in {field} names no parameter",
                suggestion(name, names)
                + "A figure in prose must name a parameter of the pack (see parameters.yaml)"
                + (
                    "; a message may also name its finding's fields." if field == "message" else "."
                ),
            )
    return None


def figure(parameter: ResolvedParameter, spec: str) -> str:
    """A parameter's value as prose: with its unit, bare (``number``), or another noun."""
    if spec == "number":
        value = parameter.value
        return value if isinstance(value, str) else format_number(value)
    return quantity(parameter.value, spec or parameter.unit)


def fill(
    text: str, parameters: ParameterSet, at: date, *, keep_others: bool = False
) -> tuple[str, list[ResolvedParameter]]:
    """The text with its parameter placeholders filled at ``at``, and the parameters read.

    With ``keep_others`` (a message), other placeholders and literal braces are kept for
    the template to fill from the finding's row.
    """
    out: list[str] = []
    used: list[ResolvedParameter] = []
    for literal, name, spec, conversion in _FORMATTER.parse(text):
        out.append(literal.replace("{", "{{").replace("}", "}}") if keep_others else literal)
        if name is None:
            continue
        if name in parameters:
            resolved = parameters.resolve(name, at)
            used.append(resolved)
            shown = figure(resolved, spec or "")
            out.append(shown.replace("{", "{{").replace("}", "}}") if keep_others else shown)
        else:
            out.append(
                "{"
                + name
                + (f"!{conversion}" if conversion else "")
                + (f":{spec}" if spec else "")
                + "}"
            )
    return "".join(out), used


def fill_rule(rule: Rule, parameters: ParameterSet, at: date) -> Rule:
    """The rule with its prose filled at the reading date (a rule without placeholders is
    returned as it is)."""
    changes: dict[str, str] = {}
    for field in PROSE_FIELDS:
        text = getattr(rule, field)
        if text and "{" in text:
            filled, _ = fill(text, parameters, at, keep_others=field == "message")
            changes[field] = filled
    return replace(rule, **changes) if changes else rule  # type: ignore[arg-type]
