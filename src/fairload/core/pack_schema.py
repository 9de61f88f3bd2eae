"""JSON Schemas for the files of a pack. Strict: every object forbids unknown keys."""

from __future__ import annotations

from typing import Any

from fairload.core.templates import Template

ID = {
    "type": "string",
    "pattern": r"^[a-z0-9][a-z0-9.\-]*$",
    "description": "lower-case letters, digits, dots and hyphens, e.g. meeting-max-duration",
}
DATE = {"type": "string", "format": "date", "description": "a date, YYYY-MM-DD"}
DATE_OR_DATE = {"description": "a date, YYYY-MM-DD"}

REFERENCE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "document": {"type": "string"},
        "clause": {"type": "string", "minLength": 1},
        "quote": {"type": "string"},
        "url": {"type": "string"},
    },
    "required": ["document", "clause"],
    "additionalProperties": False,
}

MANIFEST: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {"type": "string"},
        "title": {"type": "string"},
        "jurisdiction": {"type": "string"},
        "version": {"type": "string"},
        "description": {"type": "string"},
        "extends": {"type": "string"},
        "effective_from": DATE_OR_DATE,
        "mandate": {
            "type": "object",
            "description": "when this pack's own rules are in force as instructions (a "
            "union's ballot mandate); a check read outside it says so",
            "properties": {
                "from": DATE_OR_DATE,
                "to": DATE_OR_DATE,
                "reference": REFERENCE,
                "note": {"type": "string"},
            },
            "required": ["from", "reference"],
            "additionalProperties": False,
        },
        "disable": {"type": "array", "items": {"type": "string"}},
        "documents": {
            "type": "object",
            "additionalProperties": {
                "type": "object",
                "properties": {
                    "title": {"type": "string"},
                    "url": {"type": "string"},
                    "date": {"type": "string"},
                },
                "required": ["title"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["id", "title", "jurisdiction", "version", "documents"],
    "additionalProperties": False,
}

DATED_VALUE: dict[str, Any] = {
    "type": "object",
    "properties": {"value": {}, "reference": REFERENCE, "note": {"type": "string"}},
    "required": ["value"],
    "additionalProperties": False,
}

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "description": {"type": "string"},
            "unit": {"type": "string"},
            "reference": REFERENCE,
            "note": {"type": "string"},
            "reading": {
                "type": "string",
                "description": "which reading of the source this value takes, and why",
            },
            "values": {"type": "object", "minProperties": 1},
        },
        "required": ["description", "unit", "values", "reference"],
        "additionalProperties": False,
    },
}

BUDGET_LINE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": ID,
        "label": {"type": "string"},
        "teacher": {"enum": ["allocation", "weekly", "calendar", "remainder"]},
        "hours": {},
        "reference": REFERENCE,
        "categories": {"type": "array", "items": {"type": "string"}},
        "column": {"type": "string"},
        "weeks": {},
        "per_pupil_week": {"type": "boolean"},
        "of": {"type": "array", "items": {"type": "string"}},
        "school": {"type": "boolean"},
        "returns_unused_to": {"type": "string"},
    },
    "required": ["id", "label"],
    "additionalProperties": False,
}

BUDGET: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "total": {},
        "reference": REFERENCE,
        "staff": {
            "type": "object",
            "description": "whom the budget binds: a where over staff, e.g. "
            "{leadership_pay: false}; everyone if absent",
        },
        "lines": {"type": "array", "items": BUDGET_LINE, "minItems": 1},
    },
    "required": ["title", "total", "reference", "lines"],
    "additionalProperties": False,
}

QUESTIONS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "id": {"type": "string"},
            "text": {"type": "string"},
            "reference": REFERENCE,
            "instructions": {"type": "array", "items": {"type": "integer"}},
        },
        "required": ["id", "text", "reference"],
        "additionalProperties": False,
    },
}

RULE_COMMON: dict[str, Any] = {
    "id": ID,
    "template": {"type": "string"},
    "title": {"type": "string"},
    "description": {"type": "string"},
    "severity": {"enum": ["breach", "warning", "needs-agreement", "info"]},
    "reference": REFERENCE,
    "refuse": {"type": "string", "description": "what members may refuse"},
    "fix": {"type": "string"},
    "message": {"type": "string"},
    "effective_from": DATE_OR_DATE,
    "effective_to": DATE_OR_DATE,
    "instruction": {"type": "integer"},
}


def rule_schema(template: Template) -> dict[str, Any]:
    """A rule of this template: the common keys plus the template's own settings."""
    own = template.settings_schema
    schema: dict[str, Any] = {
        "type": "object",
        "properties": {**RULE_COMMON, **own["properties"]},
        "required": ["id", "template", "title", "severity", "reference", *own.get("required", [])],
        "additionalProperties": False,
    }
    if "anyOf" in own:
        schema["anyOf"] = own["anyOf"]
    return schema


TESTS: dict[str, Any] = {
    "type": "array",
    "items": {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "at": DATE_OR_DATE,
            "parameter": {"type": "string"},
            "lookup": {"type": "object"},
            "column": {"type": "string"},
            "budget": {"enum": ["school", "teacher"]},
            "teacher": {"type": "string"},
            "school": {"type": "string", "description": "a school-year file beside the tests"},
            "changes": {
                "type": "object",
                "properties": {
                    "school": {"type": "object"},
                    "year": {"type": "object"},
                    "staff": {"type": "array"},
                    "add_staff": {"type": "array"},
                    "events": {"type": "array"},
                    "add_events": {"type": "array"},
                    "policy": {"type": "object"},
                    "proformas": {"type": "array"},
                    "add_proformas": {"type": "array"},
                    "agreement": {"type": "object"},
                },
                "additionalProperties": False,
            },
            "expect": {},
            "expect_findings": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "rule": {"type": "string"},
                        "count": {"type": "integer"},
                        "subject": {"type": "string"},
                        "severity": {"type": "string"},
                        "actual": {},
                        "limit": {},
                    },
                    "required": ["rule"],
                    "additionalProperties": False,
                },
            },
            "expect_no_findings": {"type": "array", "items": {"type": "string"}},
            "boundary": {
                "enum": ["at-limit", "just-over"],
                "description": "what the case shows for docs/coverage.md's fidelity table: "
                "the rules it expects quiet are at their limit (at-limit), or the rules it "
                "expects to fire are just over it (just-over)",
            },
        },
        "required": ["name"],
        "additionalProperties": False,
    },
}


#: coverage.yaml: the source's clause inventory (see fairload.core.coverage).
COVERAGE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "document": {"type": "string"},
        "clauses": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "clause": {"type": "string"},
                    "summary": {"type": "string"},
                    "omitted": {"type": "string"},
                },
                "required": ["clause", "summary"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["document", "clauses"],
    "additionalProperties": False,
}
