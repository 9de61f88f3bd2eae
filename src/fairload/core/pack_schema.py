"""JSON Schemas for the files of a pack. Strict: every object forbids unknown keys."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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
        "id": {
            "type": "string",
            "description": "the folder's path under packs/, e.g. scotland/south-ayrshire-jnct-2.7",
        },
        "title": {"type": "string", "description": "the agreement's name, as people say it"},
        "jurisdiction": {"type": "string", "description": "e.g. scotland, england"},
        "version": {"type": "string", "description": "the pack's own version, e.g. 2.7.0"},
        "description": {"type": "string"},
        "extends": {
            "type": "string",
            "description": "a pack id: inherit its parameters, rules, budget and questions, "
            "overriding any by name or id",
        },
        "effective_from": {**DATE_OR_DATE, "description": "when the agreement takes effect"},
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
        "disable": {
            "type": "array",
            "items": {"type": "string"},
            "description": "rule ids of the extended pack to switch off",
        },
        "documents": {
            "description": "each source document cited, by a short id: title, url, date",
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
    "properties": {
        "value": {},
        "reference": REFERENCE,
        "note": {"type": "string"},
        "provisional": {
            "type": "string",
            "minLength": 1,
            "description": "why the value's commencement is not confirmed (announced, not "
            "yet in force); whatever reads it shows this caveat",
        },
    },
    "required": ["value"],
    "additionalProperties": False,
}

PARAMETERS: dict[str, Any] = {
    "type": "object",
    "additionalProperties": {
        "type": "object",
        "properties": {
            "description": {"type": "string", "description": "what the figure is"},
            "unit": {"type": "string", "description": "e.g. hours/week, hours/year, ratio"},
            "reference": {**REFERENCE, "description": "document, clause and quote"},
            "note": {"type": "string", "description": "a reading or caveat shown with it"},
            "reading": {
                "type": "string",
                "description": "which reading of the source this value takes, and why",
            },
            "values": {
                "type": "object",
                "minProperties": 1,
                "description": "date it takes effect (YYYY-MM-DD) -> value, or {value, "
                "reference, note, provisional} (provisional: why its commencement is not "
                "confirmed, a caveat shown wherever it is used); a ratio may be written "
                'exactly ("1/3"), a table as a list of rows',
            },
        },
        "required": ["description", "unit", "values", "reference"],
        "additionalProperties": False,
    },
}

BUDGET_LINE: dict[str, Any] = {
    "type": "object",
    "properties": {
        "id": {**ID, "description": "the heading's id, which allocations name"},
        "label": {"type": "string", "description": "the heading as the source names it"},
        "teacher": {
            "enum": ["allocation", "weekly", "calendar", "remainder"],
            "default": "allocation",
            "description": "how the line becomes a teacher's hours: allocation (the school's "
            "agreed hours for the heading, else hours, x FTE); weekly (the staff column x "
            "weeks); calendar (what the teacher's events in its categories add up to); "
            "remainder (the total, or the lines in of, less the other lines)",
        },
        "hours": {"description": "the default hours per full-time teacher: an expression"},
        "reference": REFERENCE,
        "categories": {
            "type": "array",
            "items": {"type": "string"},
            "description": "event categories whose hours are planned against the line",
        },
        "column": {
            "type": "string",
            "description": "weekly lines: the staff column of hours a week, e.g. "
            "contact_hours_per_week; allocation lines: a staff column that, where a "
            "teacher has it set, gives their own hours a week × weeks instead of the "
            "school's allocation × FTE (e.g. personal_hours_per_week)",
        },
        "weeks": {
            "description": "weekly lines (and allocation lines with a column): how many "
            "weeks, an expression"
        },
        "per_pupil_week": {
            "type": "boolean",
            "default": False,
            "description": "weekly lines: count the year's pupil weeks (pupil days / 5) "
            "instead of weeks",
        },
        "of": {
            "type": "array",
            "items": {"type": "string"},
            "description": "remainder lines: subtract only these lines, from this line's own hours",
        },
        "school": {
            "type": "boolean",
            "default": True,
            "description": "show the line in the school's budget (false: teachers' only)",
        },
        "returns_unused_to": {
            "type": "string",
            "description": "a line id: the hours the agreement allocates to committees and "
            "working groups (agreement.groups) a teacher is not a member of are gained by "
            "that one (Appendix 2's additional balance of time from meetings)",
        },
    },
    "required": ["id", "label"],
    "additionalProperties": False,
}

BUDGET: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "total": {"description": "the year's hours per full-time teacher: an expression"},
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
            "name": {"type": "string", "description": "the scenario, in the source's words"},
            "at": {**DATE_OR_DATE, "description": "read the pack's values on this date"},
            "parameter": {"type": "string", "description": "a parameter case: its name"},
            "lookup": {"type": "object", "description": "a table parameter: the row to pick"},
            "column": {"type": "string", "description": "the picked row's column to compare"},
            "budget": {"enum": ["school", "teacher"], "description": "a budget case"},
            "teacher": {"type": "string", "description": "a teacher budget case: the staff id"},
            "school": {"type": "string", "description": "a school-year file beside the tests"},
            "changes": {
                "description": "what the case changes in the fixture: school, year, policy "
                "and agreement are merged in; staff, events and proformas replace the "
                "fixture's; add_staff, add_events and add_proformas append",
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
            "expect": {
                "description": "parameter cases: the value; budget cases: {total, "
                "lines_total, lines: {line id: hours}}"
            },
            "expect_findings": {
                "description": "findings the check must give: rule, and optionally count, "
                "subject (a staff, event or school id), severity, actual, limit",
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
            "expect_no_findings": {
                "type": "array",
                "items": {"type": "string"},
                "description": "rule ids that must not fire",
            },
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


#: Who acts at a step of an agreement's process.
ROLES = ("head-teacher", "committee", "teaching-staff", "union-rep", "council")
#: The fields of the process record (a school-year file's agreement.process) a step may
#: read; a dotted name is a field of a recorded object (ballot.opened).
RECORD_FIELDS = (
    "committee_formed",
    "draft_prepared",
    "consultation_opened",
    "consultation_closes",
    "consultation_closed",
    "comments",
    "comments_considered",
    "vote",
    "ballot",
    "ballot.opened",
    "ballot.closes",
    "ballot.closed_on",
    "signatures",
    "submitted",
    "returned",
    "accepted",
    "calendar_published",
    "calendar_agreed_with_union",
    "flexible_approach",
    "flexible_approach.submitted_on",
    "flexible_approach.confirmed_on",
    "failure_reported",
)
#: The record's date fields a window opens and closes on.
RECORD_DATES = (
    "committee_formed",
    "draft_prepared",
    "consultation_opened",
    "consultation_closes",
    "consultation_closed",
    "ballot.opened",
    "ballot.closes",
    "ballot.closed_on",
    "submitted",
    "accepted",
    "calendar_published",
    "flexible_approach.submitted_on",
    "flexible_approach.confirmed_on",
)

#: Who acts at a step of an appeal (JNCT2.7 section 17): the parties, the Joint
#: Secretaries of the council's JNCT (a role per council, one per side), and the member of
#: each side they appoint to the informal meeting (17.3).
APPEAL_ROLES = (
    "head-teacher",
    "union-rep",
    "joint-secretary-management",
    "joint-secretary-teachers",
    "management-side",
    "teachers-side",
)
#: The fields of the appeal record (a school-year file's agreement.appeal, with the report
#: of agreement.process.failure_reported) an appeal step may read.
APPEAL_FIELDS = (
    "reported",
    "informal_meeting",
    "informal_meeting.held_on",
    "informal_meeting.resolved_on",
    "informal_meeting.failed_on",
    "hearing",
    "hearing.held_on",
    "conclusion",
    "conclusion.on",
)
#: The attendee roles an appeal's attendance gate may require.
ATTENDEE_ROLES = (*APPEAL_ROLES, "witness")

_PROSE = {"type": "string", "minLength": 1}


def process_step_schema(
    fields: Sequence[str], roles: Sequence[str], attendees: Sequence[str] = ()
) -> dict[str, Any]:
    """The schema of a process step reading ``fields`` of its record, acted by ``roles``
    (with an attendance gate over ``attendees`` where a record has meetings)."""
    step = _process_step(fields, roles)
    if attendees:
        step["properties"]["gate"]["properties"]["attendance"] = {
            "type": "array",
            "items": {"enum": list(attendees)},
            "minItems": 1,
            "description": "roles that must be among the attendees of the meeting the step "
            "reads (its first field's object)",
        }
    return step


def _process_step(fields: Sequence[str], roles: Sequence[str]) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "id": {**ID, "description": "the step's id, which after, stages and the web name"},
            "label": {
                **_PROSE,
                "description": 'what the step is, as an instruction ("Open the consultation"); a '
                "figure in it names its parameter in braces",
            },
            "todo": {
                **_PROSE,
                "description": "the step as a role's next action, if it differs from the label: "
                'may name {due} (the window\'s close or the deadline, e.g. "Vote by {due}") and '
                '{unanswered} ("3 comments")',
            },
            "acting": {
                **_PROSE,
                "description": 'the step as a subject ("Signing"): a refusal reads "Signing waits '
                "for the staff's approval\"",
            },
            "outcome": {
                **_PROSE,
                "description": "what the step achieves, as a later step waits for it "
                '("the staff\'s approval")',
            },
            "awaiting": {
                **_PROSE,
                "description": "what the roles of the steps before it see while it is still to do "
                '("Submitted, awaiting the council")',
            },
            "reference": REFERENCE,
            "reads": {
                "type": "array",
                "items": {"enum": list(fields)},
                "description": "the record's fields that show the step was done (any one of them)",
            },
            "after": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "ids of steps listed above this one that must be done first",
            },
            "after_any": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 2,
                "description": "ids of steps listed above this one at least one of which must be "
                "done first (a conclusion after a hearing, or after an informal resolution)",
            },
            "unless": {
                "type": "array",
                "items": {"type": "string"},
                "minItems": 1,
                "description": "ids of steps listed above this one: once one is done, this step "
                "is not needed and may not be done (no hearing once the dispute is resolved)",
            },
            "roles": {
                "type": "array",
                "items": {"enum": list(roles)},
                "minItems": 1,
                "description": "who acts at the step",
            },
            "gate": {
                "type": "object",
                "description": "what must hold, besides the record, for the step to be done: "
                "comments_answered (every comment has an answer, or comments_considered); ballot "
                "(the recorded ballot or vote passes the threshold its parameters set); signatures "
                "(each role, and every committee member of one role, has signed the current "
                "version)",
                "properties": {
                    "comments_answered": {"const": True},
                    "ballot": {
                        "type": "object",
                        "properties": {
                            "majority_of": {
                                "type": "string",
                                "description": "parameter: electorate or votes-cast",
                            },
                            "yes_share_above": {
                                "type": "string",
                                "description": "parameter: a majority is more than this share",
                            },
                            "window_days": {
                                "type": "string",
                                "description": "parameter: days open",
                            },
                            "turnout_at_least": {"type": "string", "description": "parameter"},
                        },
                        "required": ["majority_of", "yes_share_above", "window_days"],
                        "additionalProperties": False,
                    },
                    "signatures": {
                        "type": "object",
                        "properties": {
                            "roles": {"type": "array", "items": {"type": "string"}, "minItems": 1},
                            "every_committee": {
                                "type": "string",
                                "description": "a committee role each of whose members must sign",
                            },
                        },
                        "required": ["roles"],
                        "additionalProperties": False,
                    },
                },
                "additionalProperties": False,
                "minProperties": 1,
                "maxProperties": 1,
            },
            "optional": {
                "type": "boolean",
                "default": False,
                "description": "not needed for the agreement: in no stage, never overdue",
            },
            "offered": {
                "type": "boolean",
                "default": True,
                "description": "shown as a next action when it may be done",
            },
            "during": {
                "type": "string",
                "description": "a window: the step may be done only while it is open",
            },
            "once_ended": {
                "type": "string",
                "description": "a window: the step may be done only once it has closed",
            },
            "due": {
                "const": "deadline",
                "description": "the step is due by the process's deadline",
            },
            "rule": {
                "type": "string",
                "description": "the rule of rules.yaml that checks the step",
            },
        },
        "required": ["id", "label", "acting", "outcome", "reference", "roles"],
        "additionalProperties": False,
    }


PROCESS_STEP: dict[str, Any] = process_step_schema(RECORD_FIELDS, ROLES)


def process_schema(step: Mapping[str, Any], dates: Sequence[str]) -> dict[str, Any]:
    """The schema of a process file whose steps are ``step`` and whose windows open and
    close on ``dates`` of its record."""
    return {
        "type": "object",
        "properties": {
            "title": {"type": "string", "description": "the process, as people name it"},
            "reference": {**REFERENCE, "description": "the clause that sets the process"},
            "notes": {
                "type": "array",
                "items": {"type": "string"},
                "description": "clauses the process records but does not check, in words",
            },
            "deadline": {
                "type": "object",
                "description": "when the agreement is due: a parameter of days before the session "
                "begins (a council sets its own by a dated value)",
                "properties": {"parameter": {"type": "string"}},
                "required": ["parameter"],
                "additionalProperties": False,
            },
            "windows": {
                "type": "object",
                "description": "periods a step is open for: the record's date fields it opens and "
                "closes on, and the parameter of days it lasts when no close is recorded",
                "additionalProperties": {
                    "type": "object",
                    "properties": {
                        "label": {**_PROSE, "description": "the window in a sentence: the ballot"},
                        "opens": {"enum": list(dates), "description": "the day it opens"},
                        "closes": {
                            "enum": list(dates),
                            "description": "the day it closes, where the record gives one",
                        },
                        "days": {"type": "string", "description": "a parameter of days"},
                    },
                    "required": ["label", "opens", "days"],
                    "additionalProperties": False,
                },
            },
            "steps": {"type": "array", "items": step, "minItems": 1},
            "stages": {
                "type": "array",
                "minItems": 1,
                "description": "how far an agreement has got, in order: each stage is reached when "
                "its steps and every earlier stage's are done",
                "items": {
                    "type": "object",
                    "properties": {
                        "id": {**ID, "description": "the stage's id, e.g. approved"},
                        "label": {**_PROSE, "description": "the stage as a page shows it"},
                        "steps": {
                            "type": "array",
                            "items": {"type": "string"},
                            "minItems": 1,
                            "description": "the needed steps that make it, each in one stage",
                        },
                    },
                    "required": ["id", "label", "steps"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["title", "reference", "steps", "stages"],
        "additionalProperties": False,
    }


#: process.yaml: how a school reaches its agreement.
PROCESS: dict[str, Any] = process_schema(PROCESS_STEP, RECORD_DATES)
#: The appeal step (JNCT2.7 section 17): the appeal record's fields and roles.
APPEAL_STEP: dict[str, Any] = process_step_schema(APPEAL_FIELDS, APPEAL_ROLES, ATTENDEE_ROLES)
#: appeal.yaml: what follows a failure to agree at school level, in the same shape.
APPEAL: dict[str, Any] = process_schema(APPEAL_STEP, ("reported.on", "informal_meeting.on"))
