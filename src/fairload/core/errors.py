"""Errors for people: what was wrong, where it was, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Location:
    """Where a problem sits in an input: a file, and optionally a line and a field path."""

    file: str
    line: int | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f":{self.line}"
        if self.field:
            where += f": {self.field}"
        return where


class FairloadError(Exception):
    """Base of every error fairload reports to a person."""


class InputError(FairloadError):
    """Bad input: a file, a field or a value that cannot be used. The CLI exits 2."""

    def __init__(self, message: str, location: Location | None = None, hint: str = "") -> None:
        self.message = message
        self.location = location
        self.hint = hint
        super().__init__(str(self))

    def __str__(self) -> str:
        text = f"{self.location}: {self.message}" if self.location else self.message
        if self.hint:
            text += f"\n  {self.hint}"
        return text


class PackError(InputError):
    """A pack (manifest, parameters, rules or tests) is malformed."""


class SchoolYearError(InputError):
    """A school-year file is malformed or inconsistent."""


class InputErrors(FairloadError):
    """Several input errors found together, so a person can fix them in one pass."""

    def __init__(self, errors: list[InputError]) -> None:
        self.errors = errors
        super().__init__("\n".join(str(e) for e in errors))
