"""Strict validation of located YAML documents against JSON Schemas.

Every error names the file, the line and the field, and says what was expected,
so an unknown or misplaced key is never silently ignored.
"""

from __future__ import annotations

import difflib
import json
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.yamlfile import field_path, line_of

if TYPE_CHECKING:
    import jsonschema_rs
    from jsonschema.exceptions import ValidationError


@cache
def bundled_schema(package: str, name: str) -> dict[str, Any]:
    """A JSON Schema shipped as package data, e.g. ``("fairload.core", "pack-rules")``."""
    text = resources.files(package).joinpath("schema", f"{name}.schema.json").read_text("utf-8")
    schema: dict[str, Any] = json.loads(text)
    return schema


def _describe(error: ValidationError) -> tuple[str, str]:
    """A sentence for the problem and a hint saying what was expected."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    if error.validator == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        extra = (
            sorted(set(error.instance) - set(allowed)) if isinstance(error.instance, dict) else []
        )
        names = ", ".join(repr(k) for k in extra)
        close = difflib.get_close_matches(str(extra[0]), allowed, n=1) if extra else []
        hint = f"Did you mean '{close[0]}'? " if close else ""
        hint += (
            f"Expected one of: {', '.join(allowed)}." if allowed else "No keys are expected here."
        )
        return (f"unknown key {names}", hint)
    if error.validator == "required":
        return (error.message.replace("is a required property", "is missing"), "Add it.")
    if error.validator == "enum":
        options = ", ".join(repr(v) for v in schema.get("enum", []))
        return (f"{error.instance!r} is not allowed here", f"Expected one of: {options}.")
    if error.validator == "type":
        return (f"{error.instance!r} is not of type {schema.get('type')}", "")
    if error.validator in ("oneOf", "anyOf"):
        hint = schema.get("description", "")
        return (f"{error.instance!r} does not match any accepted form", hint)
    if error.validator == "format":
        return (
            f"{error.instance!r} is not a valid {schema.get('format')}",
            schema.get("description", ""),
        )
    if error.validator == "pattern":
        hint = schema.get("description", f"Expected the pattern {schema.get('pattern')}.")
        return (f"{error.instance!r} is not in the expected form", hint)
    return (error.message, schema.get("description", ""))


def _best(error: ValidationError) -> ValidationError:
    """For oneOf/anyOf, the most specific sub-error, which is what a person wants to see."""
    if error.context:
        deepest = max(error.context, key=lambda e: len(e.absolute_path))
        if len(deepest.absolute_path) > len(error.absolute_path):
            return _best(deepest)
    return error


def validate(
    document: Any,
    schema: dict[str, Any],
    source: str,
    *,
    error_type: type[InputError] = InputError,
    base_path: list[str | int] | None = None,
) -> None:
    """Raise InputErrors listing every schema violation in ``document``, located."""
    if _plainly_valid(document, schema):
        return
    import jsonschema  # a tenth of a second to import: only for a document with a problem

    validator = jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )
    problems: list[InputError] = []
    for raw in sorted(validator.iter_errors(document), key=lambda e: list(map(str, e.path))):
        error = _best(raw)
        within = list(error.absolute_path)
        if error.validator == "additionalProperties" and isinstance(error.instance, dict):
            # Point at the unknown key itself, not the mapping holding it: in a long staff
            # list the mapping's line is far from the typo.
            known = (
                (error.schema or {}).get("properties", {}) if isinstance(error.schema, dict) else {}
            )
            extra = [k for k in error.instance if k not in known]
            if extra:
                within.append(extra[0])
        path = [*(base_path or []), *within]
        message, hint = _describe(error)
        location = Location(source, line_of(document, within), field_path(path))
        problems.append(error_type(message, location, hint))
    if problems:
        raise InputErrors(problems)


# The fast path -------------------------------------------------------------------------
#
# jsonschema (pure Python) takes a tenth of a second over a secondary school's file, and
# as long again to import; jsonschema-rs says whether the same document is valid in a
# few milliseconds (issue 8). It only answers "valid": a document it refuses, or cannot
# read, goes through jsonschema, whose errors are the ones reported. Where the two could
# differ jsonschema-rs is the stricter (ECMA-262 patterns: ASCII \d, no match before a
# final newline; NaN), so that detour changes no verdict, except for a tuple, which it
# reads as an array and jsonschema does not: a document holding anything but JSON's own
# values (str-keyed dicts, lists, text, numbers, booleans, None) takes jsonschema's path.

_JSON_SCALARS = (str, int, float, type(None))


def _plain(value: Any) -> bool:
    """Whether ``value`` holds only the values JSON has (bool is an int)."""
    if isinstance(value, dict):
        return all(isinstance(k, str) and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(item) for item in value)
    return isinstance(value, _JSON_SCALARS)


@cache
def _fast_validator(schema_text: str) -> jsonschema_rs.Validator | None:
    import jsonschema_rs

    try:
        return jsonschema_rs.validator_for(json.loads(schema_text), validate_formats=True)
    except Exception:  # a schema it cannot compile: jsonschema alone decides
        return None


def _plainly_valid(document: Any, schema: dict[str, Any]) -> bool:
    """True if ``document`` is certainly valid; False means "ask jsonschema"."""
    try:
        if not _plain(document):
            return False
    except RecursionError:  # nested past Python's limit: jsonschema's path says what it says
        return False
    validator = _fast_validator(json.dumps(schema, sort_keys=True))
    if validator is None:
        return False
    try:
        return validator.is_valid(document)
    except Exception:  # a value it cannot read (it refuses rather than guesses)
        return False
