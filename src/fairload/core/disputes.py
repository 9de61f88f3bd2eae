"""A workload dispute's escalation ladder, as pack data, and pure functions over a case.

A union pack describes its ladder in ``dispute.yaml``: its ``steps`` in order, each with
the steps (and their outcomes) it comes ``after``, the ``roles`` who act, what the step
``records``, an optional ``gate`` (a members' ballot whose threshold is pack parameters,
an indicative ballot, the statutory ballot, the notice, the days of action, the last
three read from the UK law pack the ladder names under ``law``), its ``outcomes`` where
the step is a decision (the head accepts or refuses), whether it ``resolves`` the case,
and a ``due`` day; and the ``stages`` the steps make (for the NUT's 2015 strategy, the
8 steps of "How can ASOS be used?"). Another union's ladder, or a later NEU one, is
another YAML file, not code.

The case is what a shell stores: the day it was opened, the issues it names
(instructions, clauses, findings), one entry per step taken (its day, who acted, what the
step records, documents, an outcome) and, once closed, the day and the reason. Read it
from untrusted input with :func:`case_checked` (located errors). The functions:

- :func:`ladder_of`: the pack's ladder (its own dispute.yaml, else the one it extends);
- :func:`gate`: whether a step's gate is met, with the figures (and the law's caveats);
- :func:`done_steps`, :func:`may_take`, :func:`take`: what is done, whether a step may
  follow now (else why not), and the case with a step taken (or :class:`StepRefused`,
  saying what may follow instead);
- :func:`stage`, :func:`next_steps`, :func:`overdue`, :func:`timeline`: where the case
  stands, each role's next steps, what is late, and the case's story in order;
- :func:`case_open`: a new case, by hand or from the workload audit's refusals;
- :func:`close`: the case closed at any step, with a reason.

Roles are not permissions: the caller decides who may see and take a step.

Pure: no database, no clock (the caller passes the day), no figure (thresholds, windows
and the law's periods are parameters, read at the day that matters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fairload.core import industrial_action as law_
from fairload.core import pack_schema
from fairload.core.ballots import BallotParameters, Tally, outcome, threshold_read
from fairload.core.errors import InputError, InputErrors, Location, PackError
from fairload.core.pack_files import inherited_file
from fairload.core.parameters import ParameterSet
from fairload.core.prose import fill, prose_problem
from fairload.core.reference import Document, Reference, reference_read
from fairload.core.validation import validate
from fairload.core.yamlfile import field_path, line_of, load_file

if TYPE_CHECKING:
    from fairload.core.packs import Pack
    from fairload.core.workload_audit import Refusal

#: The ladder's file in a pack folder.
LADDER_FILE = "dispute.yaml"
#: Who acts on a union's ladder (the head teacher answers, but never acts in the case).
ROLES = ("member", "union-rep", "local-officer")
#: The gates a step may have.
GATES = ("ballot", "indicative-ballot", "statutory-ballot", "notice", "action")

_REFERENCE = pack_schema.REFERENCE
_ID = {"type": "string", "pattern": r"^[a-z0-9][a-z0-9\-]*$"}
_TEXT = {"type": "string", "minLength": 1}
_DATE = pack_schema.DATE
_PERSON = {
    "type": "object",
    "properties": {"name": _TEXT, "role": _TEXT},
    "required": ["name", "role"],
    "additionalProperties": False,
}
_COUNT = {"type": "integer", "minimum": 0}

#: What a step may record, each field's JSON Schema: the vocabulary of dispute.yaml's
#: ``records`` (every entry also has ``on``, and may have ``by``, ``note``, ``documents``).
RECORD_FIELDS: dict[str, dict[str, Any]] = {
    "attendance": {
        "type": "object",
        "description": "members present, of the members in the school (members only)",
        "properties": {"present": _COUNT, "members": _COUNT},
        "required": ["present", "members"],
        "additionalProperties": False,
    },
    "issues": {
        "type": "array",
        "description": "the issues: an instruction, a clause, the rules of its findings",
        "items": {
            "type": "object",
            "properties": {
                "instruction": {"type": "integer", "minimum": 1},
                "clause": _TEXT,
                "rules": {"type": "array", "items": _TEXT, "minItems": 1},
                "note": _TEXT,
            },
            "minProperties": 1,
            "additionalProperties": False,
        },
    },
    "attendees": {"type": "array", "items": _PERSON, "description": "who went"},
    "asked": {**_TEXT, "description": "what was asked"},
    "answer": {**_TEXT, "description": "the answer given"},
    "changes": {**_TEXT, "description": "what changed"},
    "feeling": {**_TEXT, "description": "how strongly the members feel"},
    "prepared_to_escalate": {"type": "boolean", "description": "whether members would escalate"},
    "ballot": {
        "type": "object",
        "description": "a members' ballot (run in fairload): counts once it has closed",
        "properties": {
            "opened": _DATE,
            "closes": _DATE,
            "closed": _DATE,
            "electorate": _COUNT,
            "yes": _COUNT,
            "no": _COUNT,
        },
        "required": ["opened"],
        "additionalProperties": False,
    },
    "statutory_ballot": {
        "type": "object",
        "description": "the independent scrutineer's result, entered by hand: opened is the "
        "day the first voting paper was sent",
        "properties": {
            "opened": _DATE,
            "closed": _DATE,
            "entitled": _COUNT,
            "yes": _COUNT,
            "no": _COUNT,
            "important_public_service": {"type": "boolean", "default": True},
            "mandate_by_agreement": {"type": "boolean", "default": False},
        },
        "required": ["opened", "closed", "entitled", "yes", "no"],
        "additionalProperties": False,
    },
    "notice_received": {**_DATE, "description": "the day the employer received the notice"},
    "notice_by_agreement": {"type": "boolean", "description": "a shorter notice agreed"},
    "action_days": {"type": "array", "items": _DATE, "minItems": 1},
    "reimbursed": {
        "type": "array",
        "items": _TEXT,
        "description": "the members (ids) whose loss of pay the union reimburses",
    },
}
_COMMON_FIELDS: dict[str, dict[str, Any]] = {
    "on": _DATE,
    "by": {"type": "array", "items": _PERSON},
    "note": _TEXT,
    "documents": {
        "type": "array",
        "items": {
            "type": "object",
            "properties": {
                "title": _TEXT,
                "kind": {"enum": ["upload", "check-record", "letter", "note"]},
                "ref": _TEXT,
            },
            "required": ["title", "kind", "ref"],
            "additionalProperties": False,
        },
    },
    "outcome": _TEXT,
}

#: dispute.yaml's schema.
LADDER_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {**_TEXT, "description": "the ladder's name, as members say it"},
        "reference": {**_REFERENCE, "description": "the source's strategy as a whole"},
        "law": {
            **_TEXT,
            "description": "the law pack whose figures the gates read, e.g. uk/industrial-action",
        },
        "notes": {"type": "array", "items": _TEXT, "description": "readings of the source"},
        "steps": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "id": {**_ID, "description": "the step's id, which a case's entries name"},
                    "label": {**_TEXT, "description": "the step, in the source's words"},
                    "todo": {**_TEXT, "description": "the step as a next action, if different"},
                    "reference": {**_REFERENCE, "description": "the source's step and words"},
                    "roles": {
                        "type": "array",
                        "items": {"enum": list(ROLES)},
                        "minItems": 1,
                        "description": "who acts",
                    },
                    "records": {
                        "type": "array",
                        "items": {"enum": list(RECORD_FIELDS)},
                        "uniqueItems": True,
                        "description": "what the step's entry records (below)",
                    },
                    "after": {
                        "type": "array",
                        "description": "the steps it follows: an id, or {step, outcome} for a "
                        "decision's outcome",
                        "items": {
                            "oneOf": [
                                _ID,
                                {
                                    "type": "object",
                                    "properties": {"step": _ID, "outcome": _ID},
                                    "required": ["step", "outcome"],
                                    "additionalProperties": False,
                                },
                            ]
                        },
                    },
                    "outcomes": {
                        "type": "object",
                        "minProperties": 2,
                        "propertyNames": _ID,
                        "additionalProperties": _TEXT,
                        "description": "a decision's outcomes, id -> words",
                    },
                    "resolves": {
                        "type": "boolean",
                        "default": False,
                        "description": "the step resolves the case (the head accepts)",
                    },
                    "gate": {
                        "type": "object",
                        "description": "ballot: a members' ballot's parameters (majority_of, "
                        "yes_share_above, window_days); law: indicative-ballot, "
                        "statutory-ballot, notice or action, read from the law pack",
                        "properties": {
                            "ballot": {
                                "type": "object",
                                "properties": {
                                    "majority_of": _TEXT,
                                    "yes_share_above": _TEXT,
                                    "window_days": _TEXT,
                                },
                                "required": ["majority_of", "yes_share_above", "window_days"],
                                "additionalProperties": False,
                            },
                            "law": {
                                "enum": [
                                    "indicative-ballot",
                                    "statutory-ballot",
                                    "notice",
                                    "action",
                                ]
                            },
                        },
                        "minProperties": 1,
                        "additionalProperties": False,
                    },
                    "due": {
                        "description": "mandate (by the mandate's last day), or {from: step, "
                        "days: parameter}",
                        "oneOf": [
                            {"const": "mandate", "description": "by the mandate's last day"},
                            {
                                "type": "object",
                                "properties": {"from": _ID, "days": _TEXT},
                                "required": ["from", "days"],
                                "additionalProperties": False,
                            },
                        ],
                    },
                },
                "required": ["id", "label", "reference", "roles", "records"],
                "additionalProperties": False,
            },
        },
        "stages": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "id": _ID,
                    "label": _TEXT,
                    "steps": {"type": "array", "items": _ID, "minItems": 1},
                },
                "required": ["id", "label", "steps"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["title", "reference", "steps", "stages"],
    "additionalProperties": False,
}


# --- the ladder, as the pack describes it --------------------------------------------------------


@dataclass(frozen=True, slots=True)
class After:
    """A step this one follows: done, and (for a decision) with this outcome."""

    step: str
    outcome: str | None = None


@dataclass(frozen=True, slots=True)
class Gate:
    """What must hold for a recorded step to be done: a members' ``ballot`` (its threshold
    named by ``ballot``'s parameters), or a test of the law: ``indicative-ballot`` (the
    members' majority, and the outlook of a formal ballot), ``statutory-ballot``,
    ``notice``, ``action``; ``recorded`` for none."""

    kind: str = "recorded"
    ballot: BallotParameters | None = None


@dataclass(frozen=True, slots=True)
class Due:
    """When a step is due: ``days`` (a parameter) after the step ``from`` is done, or by
    the mandate's last day (``mandate``)."""

    mandate: bool = False
    after_step: str | None = None
    days: str | None = None


@dataclass(frozen=True, slots=True)
class LadderStep:
    """One step of the ladder, as dispute.yaml gives it."""

    id: str
    label: str
    reference: Reference
    roles: tuple[str, ...]
    records: tuple[str, ...]
    after: tuple[After, ...] = ()
    outcomes: Mapping[str, str] = field(default_factory=dict)
    resolves: bool = False
    gate: Gate = field(default_factory=Gate)
    due: Due | None = None
    todo: str | None = None


@dataclass(frozen=True, slots=True)
class LadderStage:
    id: str
    label: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class Ladder:
    """A pack's ladder: steps in order, stages, and the parameters its gates read (the
    union pack's own, and the law pack's)."""

    pack_id: str
    title: str
    reference: Reference
    steps: tuple[LadderStep, ...]
    stages: tuple[LadderStage, ...]
    parameters: ParameterSet
    law: ParameterSet | None = None
    law_pack: str | None = None
    notes: tuple[str, ...] = ()
    source: Path | None = None

    def step(self, step_id: str) -> LadderStep:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    def stage_of(self, step_id: str) -> LadderStage:
        return next(s for s in self.stages if step_id in s.steps)

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(s.id for s in self.steps)

    def label(self, step_id: str, at: date) -> str:
        """The step's label with its parameters' figures filled at ``at``."""
        return fill(self.step(step_id).label, self.parameters, at)[0]


def ladder_of(pack: Pack) -> Ladder | None:
    """The pack's ladder (its own dispute.yaml, else the nearest one it extends), or None."""
    source = inherited_file(pack, LADDER_FILE)
    return None if source is None else _read_cached(source, source.read_bytes(), pack)


#: Ladders read, by the pack they belong to (held, so its id is not reused) and the file's
#: contents: packs.py hands back the same Pack until one of its files changes.
_LOADED: dict[int, tuple[Pack, bytes, Ladder]] = {}


def _read_cached(source: Path, content: bytes, pack: Pack) -> Ladder:
    held = _LOADED.get(id(pack))
    if held is None or held[0] is not pack or held[1] != content:
        ladder = read_ladder(source, pack.id, pack.documents, pack.parameters)
        _LOADED[id(pack)] = held = (pack, content, ladder)
    return held[2]


@cache
def _law_parameters(law_pack: str) -> ParameterSet:
    from fairload.core.packs import load_pack

    return load_pack(law_pack).parameters


def read_ladder(
    source: Path,
    pack_id: str,
    documents: Mapping[str, Document],
    parameters: ParameterSet,
) -> Ladder:
    """A dispute.yaml checked against its schema and the pack (known steps, outcomes,
    parameters, documents, the law pack), every problem a PackError located by file,
    line and field."""
    doc = load_file(source)
    validate(doc, LADDER_SCHEMA, str(source), error_type=PackError)
    problems: list[InputError] = []

    def fail(message: str, path: Sequence[str | int], hint: str = "") -> None:
        where = Location(str(source), line_of(doc, list(path)), field_path(list(path)))
        problems.append(PackError(message, where, hint))

    def reference(raw: Mapping[str, Any], path: list[str | int]) -> Reference:
        return reference_read(raw, path, documents, fail)

    law: ParameterSet | None = None
    if "law" in doc:
        try:
            law = _law_parameters(doc["law"])
        except PackError as exc:
            fail(exc.message, ["law"], exc.hint)
    steps: list[LadderStep] = []
    seen: dict[str, Mapping[str, Any]] = {}
    for index, raw in enumerate(doc["steps"]):
        path: list[str | int] = ["steps", index]
        if raw["id"] in seen:
            fail(f"duplicate step id '{raw['id']}'", [*path, "id"])
        after: list[After] = []
        for position, item in enumerate(raw.get("after", [])):
            before = After(item) if isinstance(item, str) else After(item["step"], item["outcome"])
            where: list[str | int] = [*path, "after", position]
            if before.step not in seen:
                fail(
                    f"step '{raw['id']}' comes after '{before.step}', which is not a step above it",
                    where,
                    "Known above: " + (", ".join(seen) or "none"),
                )
            elif before.outcome is not None and before.outcome not in seen[before.step].get(
                "outcomes", {}
            ):
                fail(
                    f"step '{before.step}' has no outcome '{before.outcome}'",
                    where,
                    "Its outcomes: " + (", ".join(seen[before.step].get("outcomes", {})) or "none"),
                )
            after.append(before)
        seen[raw["id"]] = raw
        for key in ("label", "todo"):
            if key in raw and (problem := prose_problem(raw[key], "title", parameters)):
                fail(problem[0].replace("in title", f"in {key}"), [*path, key], problem[1])
        gate_spec = raw.get("gate", {})
        step_gate = Gate()
        if "ballot" in gate_spec:
            for key, name in gate_spec["ballot"].items():
                if name not in parameters:
                    fail(f"unknown parameter '{name}'", [*path, "gate", "ballot", key])
            step_gate = Gate("ballot", BallotParameters.from_dict(dict(gate_spec["ballot"])))
        if "law" in gate_spec:
            kind = gate_spec["law"]
            if law is None:
                fail(
                    f"a '{kind}' gate reads the law, but the ladder names no law pack",
                    [*path, "gate"],
                )
            if kind == "indicative-ballot" and step_gate.ballot is None:
                fail("an indicative-ballot gate needs its members' ballot", [*path, "gate"])
            step_gate = Gate(kind, step_gate.ballot)
        needed = {
            "ballot": "ballot",
            "indicative-ballot": "ballot",
            "statutory-ballot": "statutory_ballot",
            "notice": "notice_received",
            "action": "action_days",
        }.get(step_gate.kind)
        if needed is not None and needed not in raw["records"]:
            fail(f"a '{step_gate.kind}' gate reads '{needed}': record it", [*path, "records"])
        due: Due | None = None
        if raw.get("due") == "mandate":
            due = Due(mandate=True)
            if law is None:
                fail("a step due by the mandate needs the ladder's law pack", [*path, "due"])
        elif isinstance(raw.get("due"), Mapping):
            spec = raw["due"]
            if spec["from"] not in seen or spec["from"] == raw["id"]:
                fail(f"no step '{spec['from']}' above this one", [*path, "due", "from"])
            if spec["days"] not in parameters:
                fail(f"unknown parameter '{spec['days']}'", [*path, "due", "days"])
            due = Due(after_step=spec["from"], days=spec["days"])
        steps.append(
            LadderStep(
                id=raw["id"],
                label=raw["label"],
                reference=reference(raw["reference"], [*path, "reference"]),
                roles=tuple(raw["roles"]),
                records=tuple(raw["records"]),
                after=tuple(after),
                outcomes=dict(raw.get("outcomes", {})),
                resolves=bool(raw.get("resolves", False)),
                gate=step_gate,
                due=due,
                todo=raw.get("todo"),
            )
        )
    staged: set[str] = set()
    for index, raw in enumerate(doc["stages"]):
        for position, step_id in enumerate(raw["steps"]):
            where = ["stages", index, "steps", position]
            if step_id not in seen:
                fail(f"no step '{step_id}'", where, "Steps: " + ", ".join(seen))
            elif step_id in staged:
                fail(f"step '{step_id}' is in two stages", where)
            staged.add(step_id)
    for index, step in enumerate(steps):
        if step.id not in staged:
            fail(f"step '{step.id}' is in no stage", ["steps", index, "id"])
    ladder_reference = reference(doc["reference"], ["reference"])
    if problems:
        raise InputErrors(problems)
    return Ladder(
        pack_id=pack_id,
        title=doc["title"],
        reference=ladder_reference,
        steps=tuple(steps),
        stages=tuple(LadderStage(s["id"], s["label"], tuple(s["steps"])) for s in doc["stages"]),
        parameters=parameters,
        law=law,
        law_pack=doc.get("law"),
        notes=tuple(doc.get("notes", ())),
        source=source,
    )


# --- the case ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Entry:
    """A step taken: its day, who acted, and what the step records (``fields``, by the
    names of :data:`RECORD_FIELDS`, dates as dates), with its documents and outcome."""

    on: date
    by: tuple[Mapping[str, str], ...] = ()
    fields: Mapping[str, Any] = field(default_factory=dict)
    outcome: str | None = None
    note: str | None = None
    documents: tuple[Mapping[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Closure:
    """The case closed by hand, at any step, with the reason."""

    on: date
    reason: str


@dataclass(frozen=True, slots=True)
class Case:
    """A dispute case: when it was opened, the issues it names, the steps taken (by step
    id, each once: a step taken again replaces its entry) and its closure."""

    opened: date
    issues: tuple[Mapping[str, Any], ...] = ()
    entries: Mapping[str, Entry] = field(default_factory=dict)
    closed: Closure | None = None


def case_open(
    opened: date, issues: Iterable[Mapping[str, Any]] = (), refusals: Iterable[Refusal] = ()
) -> Case:
    """A new case, opened by hand (``issues``) or from the audit's refusals: each becomes
    an issue naming its instruction, its clause and the rules of the findings behind it."""
    named = [dict(i) for i in issues]
    for refusal in refusals:
        rules = sorted({b.rule for b in refusal.bases if b.rule})
        issue: dict[str, Any] = {
            "instruction": refusal.instruction,
            "clause": refusal.reference.clause,
        }
        if rules:
            issue["rules"] = rules
        named.append(issue)
    return Case(opened, tuple(named))


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _case_schema(ladder: Ladder) -> dict[str, Any]:
    """The schema of a case on this ladder: each step's entry allows its own records."""
    entries = {}
    for step in ladder.steps:
        props = {**_COMMON_FIELDS, **{k: RECORD_FIELDS[k] for k in step.records}}
        if step.outcomes:
            props["outcome"] = {"enum": list(step.outcomes)}
        else:
            del props["outcome"]
        entries[step.id] = {
            "type": "object",
            "properties": props,
            "required": ["on", *(["outcome"] if step.outcomes else [])],
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "properties": {
            "opened": _DATE,
            "issues": RECORD_FIELDS["issues"],
            "steps": {"type": "object", "properties": entries, "additionalProperties": False},
            "closed": {
                "type": "object",
                "properties": {"on": _DATE, "reason": _TEXT},
                "required": ["on", "reason"],
                "additionalProperties": False,
            },
        },
        "required": ["opened"],
        "additionalProperties": False,
    }


_DATE_FIELDS = ("notice_received",)


def _fields(raw: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in raw.items():
        if key in _COMMON_FIELDS:
            continue
        if key in _DATE_FIELDS:
            out[key] = _day(value)
        elif key == "action_days":
            out[key] = tuple(_day(v) for v in value)
        elif key in ("ballot", "statutory_ballot"):
            out[key] = {
                k: _day(v) if k in ("opened", "closes", "closed") else v for k, v in value.items()
            }
        elif isinstance(value, list):
            out[key] = tuple(value)
        else:
            out[key] = value
    return out


def case_checked(ladder: Ladder, raw: Any, source: str = "case") -> Case:
    """The case from untrusted input (an API body, a form, a file), checked against the
    ladder's steps and what each records: every problem an InputError located by field
    (and line, for located YAML); a value no case can hold (more votes than electors, a
    ballot closed before it opened, an entry before the case was opened) one too."""
    validate(raw, _case_schema(ladder), source)
    problems: list[InputError] = []
    opened = _day(raw["opened"])
    entries: dict[str, Entry] = {}
    for step_id, item in (raw.get("steps") or {}).items():
        where = ["steps", step_id]
        entry = Entry(
            on=_day(item["on"]),
            by=tuple(dict(p) for p in item.get("by", ())),
            fields=_fields(item),
            outcome=item.get("outcome"),
            note=item.get("note"),
            documents=tuple(dict(d) for d in item.get("documents", ())),
        )
        if entry.on < opened:
            problems.append(
                _located(
                    f"dated before the case was opened ({opened})", raw, source, [*where, "on"]
                )
            )
        for key in ("ballot", "statutory_ballot"):
            if key in entry.fields:
                problem = _ballot_problem(entry.fields[key])
                if problem:
                    problems.append(_located(problem, raw, source, [*where, key]))
        attendance = entry.fields.get("attendance")
        if attendance and attendance["present"] > attendance["members"]:
            problems.append(
                _located(
                    f"{attendance['present']} present but only {attendance['members']} members",
                    raw,
                    source,
                    [*where, "attendance"],
                )
            )
        entries[step_id] = entry
    closed = raw.get("closed")
    last = max((e.on for e in entries.values()), default=opened)
    if closed and _day(closed["on"]) < last:
        problems.append(
            _located(f"closed before its last step ({last})", raw, source, ["closed", "on"])
        )
    if problems:
        raise InputErrors(problems)
    return Case(
        opened=opened,
        issues=tuple(dict(i) for i in raw.get("issues", ())),
        entries={s: entries[s] for s in ladder.step_ids if s in entries},
        closed=Closure(_day(closed["on"]), str(closed["reason"])) if closed else None,
    )


def _located(message: str, raw: Any, source: str, path: list[str | int]) -> InputError:
    return InputError(message, Location(source, line_of(raw, path), field_path(path)))


def _ballot_problem(ballot: Mapping[str, Any]) -> str | None:
    electorate = ballot.get("electorate", ballot.get("entitled"))
    counts = [ballot.get(k) for k in ("yes", "no")]
    if ballot.get("closed") is None and any(
        c is not None for c in (*counts, ballot.get("electorate"))
    ):
        return "an open ballot has no counts: they are secret until it closes"
    if ballot.get("closed") is not None and (electorate is None or None in counts):
        return "a closed ballot records its electorate, yes and no"
    if ballot.get("closed") is not None and ballot["closed"] < ballot["opened"]:
        return "the ballot closed before it opened"
    if electorate is not None and None not in counts:
        try:
            Tally(int(electorate), int(counts[0] or 0), int(counts[1] or 0))
        except ValueError as exc:
            return str(exc)
    return None


def case_to_dict(case: Case) -> dict[str, Any]:
    """The case as plain data (dates as ISO text); :func:`case_checked` reads it back equal."""

    def plain(value: Any) -> Any:
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, Mapping):
            return {k: plain(v) for k, v in value.items()}
        if isinstance(value, tuple | list):
            return [plain(v) for v in value]
        return value

    steps: dict[str, Any] = {}
    for step_id, entry in case.entries.items():
        item: dict[str, Any] = {"on": entry.on.isoformat(), **plain(entry.fields)}
        if entry.by:
            item["by"] = plain(entry.by)
        if entry.outcome is not None:
            item["outcome"] = entry.outcome
        if entry.note is not None:
            item["note"] = entry.note
        if entry.documents:
            item["documents"] = plain(entry.documents)
        steps[step_id] = item
    out: dict[str, Any] = {"opened": case.opened.isoformat()}
    if case.issues:
        out["issues"] = plain(case.issues)
    if steps:
        out["steps"] = steps
    if case.closed is not None:
        out["closed"] = {"on": case.closed.on.isoformat(), "reason": case.closed.reason}
    return out


# --- gates -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GateResult:
    """Whether a step's gate is met, the figures behind it, the reason in words, and the
    law's caveats (provisional values) to show with it."""

    met: bool
    figures: Mapping[str, Any]
    reason: str
    caveats: tuple[str, ...] = ()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def gate(ladder: Ladder, case: Case, step_id: str) -> GateResult:
    """Whether the step's gate is met on the case. A members' ballot's threshold is read
    at its opening (step 3: a majority *of members*, so 6 yes of 12 members fails however
    few vote no); the law at the day that matters in law (a statutory ballot's opening, the
    day the employer received the notice)."""
    step = ladder.step(step_id)
    entry = case.entries.get(step_id)
    if entry is None:
        return GateResult(False, {}, f"{_capital(step.label)}: not recorded")
    kind = step.gate.kind
    if kind in ("ballot", "indicative-ballot"):
        result = _members_ballot(ladder, step, entry)
        if kind == "indicative-ballot" and "tally" in result.figures:
            return _with_outlook(ladder, entry, result)
        return result
    if kind == "statutory-ballot":
        return _statutory(ladder, entry)
    if kind in ("notice", "action"):
        return _notice_or_action(ladder, case, step, entry)
    return GateResult(True, {"on": entry.on.isoformat()}, "recorded")


def _members_ballot(ladder: Ladder, step: LadderStep, entry: Entry) -> GateResult:
    ballot = entry.fields.get("ballot") or {}
    if ballot.get("closed") is None:
        until = f" until {ballot['closes'].isoformat()}" if ballot.get("closes") else ""
        return GateResult(False, {}, f"the ballot is open{until}: its result is secret until then")
    assert step.gate.ballot is not None
    try:
        threshold = threshold_read(
            parameters=ladder.parameters, names=step.gate.ballot, at=ballot["opened"]
        )
    except PackError as exc:
        return GateResult(False, {}, f"the threshold cannot be read: {exc.message}")
    tally = Tally(int(ballot["electorate"]), int(ballot["yes"]), int(ballot["no"]))
    result = outcome(tally=tally, threshold=threshold)
    return GateResult(result.passed, {"tally": tally.as_dict(), **result.as_dict()}, result.message)


def _law(ladder: Ladder) -> ParameterSet:
    assert ladder.law is not None, "the loader refuses a law gate without a law pack"
    return ladder.law


def _with_outlook(ladder: Ladder, entry: Entry, members: GateResult) -> GateResult:
    """An indicative ballot: the members' majority decides; the outlook of a formal ballot
    opening the day after it closed goes with it (NEU: a formal ballot follows an
    indicative one that shows it is likely to meet the legal thresholds)."""
    ballot = entry.fields["ballot"]
    tally = Tally(int(ballot["electorate"]), int(ballot["yes"]), int(ballot["no"]))
    try:
        outlook = law_.indicative_outlook(_law(ladder), tally, ballot["closed"] + timedelta(days=1))
    except PackError as exc:
        return replace(members, reason=f"{members.reason} The law cannot be read: {exc.message}")
    figures = {**members.figures, "outlook": outlook.as_dict()}
    return GateResult(members.met, figures, f"{members.reason} {outlook.message}", outlook.caveats)


def _statutory_check(ladder: Ladder, entry: Entry) -> law_.BallotCheck:
    raw = entry.fields["statutory_ballot"]
    ballot = law_.FormalBallot(
        raw["opened"],
        raw["closed"],
        Tally(int(raw["entitled"]), int(raw["yes"]), int(raw["no"])),
        bool(raw.get("important_public_service", True)),
    )
    return law_.formal_ballot_check(_law(ladder), ballot)


def _statutory(ladder: Ladder, entry: Entry) -> GateResult:
    try:
        check = _statutory_check(ladder, entry)
    except PackError as exc:
        return GateResult(False, {}, f"the law cannot be read: {exc.message}")
    return GateResult(check.passed, check.as_dict(), check.message, check.caveats)


def mandate_last_day(ladder: Ladder, case: Case) -> date | None:
    """The last day of the mandate of the case's statutory ballot, once one passed."""
    for step in ladder.steps:
        entry = case.entries.get(step.id)
        if step.gate.kind == "statutory-ballot" and entry is not None:
            if not gate(ladder, case, step.id).met:
                return None
            raw = entry.fields["statutory_ballot"]
            return law_.mandate_ends(
                _law(ladder),
                raw["opened"],
                raw["closed"],
                by_agreement=bool(raw.get("mandate_by_agreement", False)),
            )
    return None


def _notice(case: Case, ladder: Ladder) -> tuple[date, bool] | None:
    for step in ladder.steps:
        entry = case.entries.get(step.id)
        if entry is not None and "notice_received" in entry.fields:
            return entry.fields["notice_received"], bool(entry.fields.get("notice_by_agreement"))
    return None


def _notice_or_action(ladder: Ladder, case: Case, step: LadderStep, entry: Entry) -> GateResult:
    last = mandate_last_day(ladder, case)
    if last is None:
        return GateResult(False, {}, "no statutory ballot has given a mandate")
    notice = _notice(case, ladder)
    if notice is None:
        return GateResult(False, {}, "no notice to the employer is recorded")
    received, agreed = notice
    days = entry.fields.get("action_days", ()) if step.gate.kind == "action" else ()
    try:
        check = law_.action_check(
            _law(ladder),
            received=received,
            mandate_last_day=last,
            action_days=days,
            notice_by_agreement=agreed,
        )
    except PackError as exc:
        return GateResult(False, {}, f"the law cannot be read: {exc.message}")
    if check.problems:
        return GateResult(False, check.as_dict(), "; ".join(check.problems))
    what = "the days of action are" if days else "the notice is"
    return GateResult(
        True,
        check.as_dict(),
        f"{what} within the law: action from {check.earliest.isoformat()}, "
        f"the mandate lasting until {last.isoformat()}",
    )


# --- order, stage and what follows ---------------------------------------------------------------


def done_steps(ladder: Ladder, case: Case) -> tuple[str, ...]:
    """The steps the case shows done, in ladder order: recorded, and their gate met."""
    return tuple(s for s in ladder.step_ids if s in case.entries and gate(ladder, case, s).met)


def resolved_by(ladder: Ladder, case: Case) -> str | None:
    """The step that resolved the case (the head accepted), if one did."""
    done = done_steps(ladder, case)
    return next((s for s in done if ladder.step(s).resolves), None)


def _refusal(ladder: Ladder, case: Case, step: LadderStep, done: set[str]) -> str | None:
    if case.closed is not None:
        return f"the case was closed on {case.closed.on.isoformat()}: {case.closed.reason}"
    resolved = next((s for s in ladder.step_ids if s in done and ladder.step(s).resolves), None)
    if resolved is not None:
        return f"the case is resolved: {ladder.step(resolved).label}"
    if step.id in done:
        return f"{_capital(step.label)}: already recorded"
    for before in step.after:
        if before.step not in done:
            return f"this step waits for: {ladder.step(before.step).label}"
        if before.outcome is not None:
            had = case.entries[before.step].outcome
            if had != before.outcome:
                words = ladder.step(before.step).outcomes
                return (
                    f"this step follows only when {words[before.outcome]}; "
                    f"recorded: {words.get(had or '', had)}"
                )
    return None


def may_take(ladder: Ladder, case: Case, step_id: str) -> str | None:
    """None if the step may be taken now, else why not in plain words. A step follows once
    every step it comes ``after`` is done (with the named outcome); not once the case is
    closed or resolved, and not again once done (a step whose gate failed, a vote without
    a majority, may be taken again)."""
    return _refusal(ladder, case, ladder.step(step_id), set(done_steps(ladder, case)))


class StepRefused(Exception):
    """A step the case does not allow now; the message says what may follow instead."""

    def __init__(self, step_id: str, reason: str, allowed: tuple[str, ...]) -> None:
        self.step_id, self.reason, self.allowed = step_id, reason, allowed
        instead = ", ".join(allowed) or "nothing: close the case, or it is over"
        super().__init__(f"Cannot take '{step_id}': {reason} (may follow now: {instead})")


def allowed_steps(ladder: Ladder, case: Case) -> tuple[str, ...]:
    """The steps that may be taken now, in ladder order."""
    done = set(done_steps(ladder, case))
    return tuple(s.id for s in ladder.steps if _refusal(ladder, case, s, done) is None)


def take(ladder: Ladder, case: Case, step_id: str, entry: Entry) -> Case:
    """The case with the step taken, or StepRefused saying why not and what may follow.
    The entry must carry the step's outcome where it is a decision, and be dated no
    earlier than the steps it follows."""
    if step_id not in ladder.step_ids:
        raise StepRefused(step_id, "no such step on this ladder", allowed_steps(ladder, case))
    step = ladder.step(step_id)
    reason = may_take(ladder, case, step_id)
    stray = sorted(set(entry.fields) - set(step.records))
    if reason is None and stray:
        reason = (
            f"it does not record {', '.join(stray)} "
            f"(it records: {', '.join(step.records) or 'only its day'})"
        )
    if reason is None and step.outcomes and entry.outcome not in step.outcomes:
        reason = "record its outcome: one of " + ", ".join(step.outcomes)
    if reason is None:
        for before in step.after:
            earlier = case.entries[before.step].on
            if entry.on < earlier:
                reason = (
                    f"dated {entry.on.isoformat()}, before '{before.step}' ({earlier.isoformat()})"
                )
    if reason is not None:
        raise StepRefused(step_id, reason, allowed_steps(ladder, case))
    entries = dict(case.entries)
    entries[step_id] = entry
    return replace(case, entries={s: entries[s] for s in ladder.step_ids if s in entries})


def close(case: Case, on: date, reason: str) -> Case:
    """The case closed on ``on`` with ``reason``, at whatever step it stands. A ValueError
    for an empty reason, a case already closed, or a day before its last step."""
    if not reason.strip():
        raise ValueError("say why the case is closed")
    if case.closed is not None:
        raise ValueError(f"the case was already closed on {case.closed.on.isoformat()}")
    last = max((e.on for e in case.entries.values()), default=case.opened)
    if on < last:
        raise ValueError(
            f"a case cannot close on {on.isoformat()}, before its last step ({last.isoformat()})"
        )
    return replace(case, closed=Closure(on, reason.strip()))


@dataclass(frozen=True, slots=True)
class CaseStage:
    """Where a case stands: the furthest stage any done step reached (``rank``, from 1; 0
    before any step), whether it is ``open``, ``resolved`` or ``closed``, and what holds
    it back (the first step that may follow and is not done, and why its gate failed)."""

    stage: str | None
    label: str
    rank: int
    status: str
    reason: str = ""
    caveats: tuple[str, ...] = ()


def stage(ladder: Ladder, case: Case) -> CaseStage:
    """The case's stage: the furthest stage of its done steps, and its status."""
    done = done_steps(ladder, case)
    ranks = {s: i for i, spec in enumerate(ladder.stages, 1) for s in spec.steps}
    furthest = max((ranks[s] for s in done), default=0)
    spec = ladder.stages[furthest - 1] if furthest else None
    label = spec.label if spec else "Opened"
    caveats = tuple(dict.fromkeys(c for s in case.entries for c in gate(ladder, case, s).caveats))
    if case.closed is not None:
        return CaseStage(
            spec.id if spec else None, label, furthest, "closed", case.closed.reason, caveats
        )
    resolved = resolved_by(ladder, case)
    if resolved is not None:
        return CaseStage(
            spec.id if spec else None,
            label,
            furthest,
            "resolved",
            ladder.step(resolved).label,
            caveats,
        )
    failed = [s for s in case.entries if s not in done]
    reason = gate(ladder, case, failed[0]).reason if failed else ""
    return CaseStage(spec.id if spec else None, label, furthest, "open", reason, caveats)


@dataclass(frozen=True, slots=True)
class NextStep:
    """A step that may follow now: who takes it, and by when (if it is due)."""

    step_id: str
    label: str
    roles: tuple[str, ...]
    due: date | None = None


def due_date(ladder: Ladder, case: Case, step_id: str) -> date | None:
    """The day the step is due, if the ladder gives one and the case has reached it."""
    step = ladder.step(step_id)
    if step.due is None:
        return None
    if step.due.mandate:
        return mandate_last_day(ladder, case)
    assert step.due.after_step is not None and step.due.days is not None
    start = case.entries.get(step.due.after_step)
    if start is None or step.due.after_step not in done_steps(ladder, case):
        return None
    days = ladder.parameters.number(step.due.days, start.on)
    return start.on + timedelta(days=int(days))


def next_steps(
    ladder: Ladder, case: Case, role: str | Iterable[str] | None = None, at: date | None = None
) -> list[NextStep]:
    """The steps that may follow now, in ladder order, for ``role`` (one or several; all
    roles without it), each with its due day; labels filled at ``at`` (else the case's
    opening)."""
    roles = None if role is None else ({role} if isinstance(role, str) else set(role))
    out = []
    for step_id in allowed_steps(ladder, case):
        step = ladder.step(step_id)
        if roles is not None and not roles & set(step.roles):
            continue
        label = fill(step.todo or step.label, ladder.parameters, at or case.opened)[0]
        out.append(NextStep(step_id, label, step.roles, due_date(ladder, case, step_id)))
    return out


@dataclass(frozen=True, slots=True)
class Overdue:
    step_id: str
    label: str
    due: date
    reason: str


def overdue(ladder: Ladder, case: Case, today: date) -> list[Overdue]:
    """The steps that may follow and are past their due day on ``today`` (a notice or the
    action after the mandate has ended; a step due some days after another)."""
    late = []
    for step_id in allowed_steps(ladder, case):
        due = due_date(ladder, case, step_id)
        if due is not None and today > due:
            step = ladder.step(step_id)
            why = (
                f"the mandate ended on {due.isoformat()}"
                if step.due is not None and step.due.mandate
                else f"it was due by {due.isoformat()}"
            )
            late.append(Overdue(step_id, ladder.label(step_id, due), due, why))
    return late


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A step on the case's timeline: done or not, its day, outcome, who acted, its stage,
    and the gate's reason where it failed."""

    step_id: str
    label: str
    stage: str
    on: date | None
    done: bool
    outcome: str | None = None
    by: tuple[Mapping[str, str], ...] = ()
    reason: str = ""


def timeline(ladder: Ladder, case: Case) -> list[TimelineEntry]:
    """The steps taken, in ladder order, then the closure as its own line (``closed``)."""
    done = set(done_steps(ladder, case))
    rows = []
    for step_id, entry in case.entries.items():
        step = ladder.step(step_id)
        result = gate(ladder, case, step_id)
        rows.append(
            TimelineEntry(
                step_id,
                ladder.label(step_id, entry.on),
                ladder.stage_of(step_id).id,
                entry.on,
                step_id in done,
                step.outcomes.get(entry.outcome) if entry.outcome else None,
                entry.by,
                "" if result.met else result.reason,
            )
        )
    if case.closed is not None:
        rows.append(
            TimelineEntry(
                "closed", "Case closed", "closed", case.closed.on, True, case.closed.reason
            )
        )
    return rows
