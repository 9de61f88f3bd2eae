"""Dated parameters: each value in force from a date, each with its clause."""

from __future__ import annotations

import bisect
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from fractions import Fraction
from typing import Any

from fairload.core.errors import PackError
from fairload.core.reference import Reference

_FRACTION = re.compile(r"^\s*\d+\s*/\s*\d+\s*$")

#: Parameter values are numbers, text, flags, lists, or tables (lists of rows).
Value = Any


@dataclass(frozen=True, slots=True)
class DatedValue:
    """One value of a parameter, in force from ``effective`` until the next one."""

    effective: date
    value: Value
    reference: Reference
    #: why the value's commencement is not confirmed (a law announced, not yet in force);
    #: None for a value in force as the source says
    provisional: str | None = None


@dataclass(frozen=True, slots=True)
class Parameter:
    """A named figure from an agreement, with its unit and dated values."""

    name: str
    description: str
    unit: str
    values: tuple[DatedValue, ...]
    pack_id: str = ""
    #: the reading of the source the pack chose for this figure, and why
    reading: str | None = None

    def __post_init__(self) -> None:
        if not self.values:
            raise ValueError(f"parameter {self.name} has no values")
        dates = [v.effective for v in self.values]
        if dates != sorted(dates) or len(set(dates)) != len(dates):
            raise ValueError(f"parameter {self.name}: effective dates must be distinct and ordered")

    def at(self, when: date) -> DatedValue:
        """The value in force on ``when``; an error if the parameter had none yet."""
        index = bisect.bisect_right([v.effective for v in self.values], when) - 1
        if index < 0 or self.values[index].value is None:
            first = self.values[0].effective
            raise PackError(
                f"parameter '{self.name}' has no value in force on {when.isoformat()}",
                hint=f"Its first value takes effect on {first.isoformat()}; check --at.",
            )
        return self.values[index]


@dataclass(frozen=True, slots=True)
class ResolvedParameter:
    """A parameter read at a date: what a finding's working shows."""

    name: str
    value: Value
    unit: str
    effective: date
    reference: Reference
    reading: str | None = None
    provisional: str | None = None

    def as_dict(self) -> dict[str, Any]:
        data = {
            "name": self.name,
            "value": self.value,
            "unit": self.unit,
            "effective": self.effective.isoformat(),
            "reference": self.reference.as_dict(),
        }
        if self.reading:
            data["reading"] = self.reading
        if self.provisional:
            data["provisional"] = self.provisional
        return data


@dataclass(frozen=True)
class ParameterSet:
    """All parameters of a pack; read them at an explicit date (the core never asks today)."""

    parameters: Mapping[str, Parameter]
    _cache: dict[tuple[str, date], ResolvedParameter] = field(default_factory=dict, compare=False)

    def __contains__(self, name: object) -> bool:
        return name in self.parameters

    def resolve(self, name: str, when: date) -> ResolvedParameter:
        key = (name, when)
        if key not in self._cache:
            try:
                parameter = self.parameters[name]
            except KeyError:
                raise PackError(f"unknown parameter '{name}'") from None
            dated = parameter.at(when)
            self._cache[key] = ResolvedParameter(
                name,
                dated.value,
                parameter.unit,
                dated.effective,
                dated.reference,
                parameter.reading,
                dated.provisional,
            )
        return self._cache[key]

    def value(self, name: str, when: date) -> Value:
        return self.resolve(name, when).value

    def number(self, name: str, when: date) -> float:
        value = self.value(name, when)
        if isinstance(value, str) and _FRACTION.match(value):
            # "1/3" stays exact in the YAML; a third of 22.5 is still 7.5 here.
            numerator, denominator = (int(part) for part in value.split("/"))
            if denominator == 0:
                raise PackError(f"parameter '{name}' divides by zero: {value!r}")
            return float(Fraction(numerator, denominator))
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise PackError(f"parameter '{name}' is {value!r}, not a number")
        return float(value)
