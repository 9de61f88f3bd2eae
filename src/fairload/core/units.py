"""How figures are written in sentences: the one place that formats a number with its unit.

``quantity(1, "hours/week")`` is "1 hour", ``quantity(4.5, "hours")`` "4.5 hours",
``quantity(3, "periods/week")`` "3 periods", ``quantity("1/3", "ratio")`` "1/3". Every
sentence the core writes, and every figure a pack's prose names, goes through here.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from functools import cache
from typing import Any

_FRACTION = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")

#: Units whose values are shown as bare figures (no noun after them).
BARE_UNITS = frozenset({"ratio", "fte", "share"})


def format_number(value: float | int | None, places: int = 2) -> str:
    """Hours and counts as a person writes them: 2.5, 3, 16 (``places`` at most)."""
    if value is None:
        return "none"
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.{places}f}".rstrip("0").rstrip(".")


def noun(unit: str) -> str:
    """The noun a unit counts: 'hours/week' → 'hours', 'periods/week' → 'periods'."""
    return unit.split("/", 1)[0].strip()


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word


def quantity(value: Any, unit: str) -> str:
    """A figure with its unit's noun, singular for exactly one: '1 hour', '2.5 hours'."""
    if isinstance(value, str):
        if _FRACTION.match(value):
            return value.replace(" ", "")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    text = format_number(value)
    word = noun(unit)
    if not word or word.lower() in BARE_UNITS:
        return text
    if word == "percent":
        return f"{text}%"
    return f"{text} {_singular(word) if float(value) == 1 else word}"


def hours(value: float | int | None) -> str:
    """'1 hour', '2 hours', '4.5 hours' (or 'none')."""
    return "none" if value is None else quantity(value, "hours")


class _Sentence(string.Formatter):
    """``{actual}`` writes a number bare ('2.5'); ``{actual:hours}`` (any unit noun) with
    its unit ('1 hour', '3 periods'); ``{actual:exact}`` to four places ('0.2963'); a
    blank is 'none'; text is left as it is."""

    def format_field(self, value: Any, format_spec: str) -> str:
        if format_spec == "exact" and isinstance(value, int | float):
            return format_number(value, places=4)  # 0.2963 against 0.3, not 0.3 against 0.3
        if format_spec and format_spec[0].isalpha():
            if value is None:
                return "none"
            return quantity(value, format_spec)
        if isinstance(value, float) and not format_spec:
            return format_number(value)
        return str(super().format_field(value, format_spec))


_SENTENCE = _Sentence()


def sentence(template: str, fields: Mapping[str, Any]) -> str:
    """A message template filled from its fields, each figure written by :func:`quantity`.
    A field the template names but ``fields`` lacks raises ``KeyError``."""
    parts = _parsed(template)
    if parts is None:  # attributes, indexes, conversions or nested specs: the long way
        return _SENTENCE.vformat(template, (), fields)
    write = _SENTENCE.format_field
    return "".join(
        text if name is None else text + write(fields[name], spec) for text, name, spec in parts
    )


@cache
def _parsed(template: str) -> tuple[tuple[str, str | None, str], ...] | None:
    """A template's literal texts and plain fields, parsed once (a check writes a sentence
    a finding, each parse was most of its time); None for anything more than
    ``{name}`` and ``{name:spec}``."""
    parts = []
    for text, name, spec, conversion in _SENTENCE.parse(template):
        if name is not None and (conversion or not name.isidentifier() or "{" in (spec or "")):
            return None
        parts.append((text, name, spec or ""))
    return tuple(parts)
