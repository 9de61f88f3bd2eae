"""A workload dispute's escalation ladder, as pack data: ``dispute.yaml``, read strictly.

A union pack describes its ladder in ``dispute.yaml``: its ``steps`` in order, each with
the steps (and their outcomes) it comes ``after``, the ``roles`` who act, what the step
``records`` (:data:`RECORD_FIELDS`), an optional ``gate`` (a members' ballot whose
threshold is pack parameters; an indicative ballot, the statutory ballot, the notice,
the days of action, read from the UK law pack the ladder names under ``law``), its
``outcomes`` where the step is a decision, whether it ``resolves`` the case, and a
``due`` day; and the ``stages`` the steps make. :func:`ladder_of` gives a pack's ladder
(its own, else the one it extends); :func:`read_ladder` reads one file, every problem a
PackError located by file, line and field. The functions over a case are in
:mod:`fairload.core.disputes`.

Which ladder a union's case follows is data too: a ladder ``serves`` the unions it names
at schools on the packs it names (a pack id or a pattern such as ``scotland/*``, matched
against the school's pack and every pack it extends). :func:`ladder_for` picks, for a
school's pack and a union: the ladder the pack carries or inherits, if it serves that
union; else the nearest ladder pack serving the union at the pack or one it extends;
else the ladder the pack carries or inherits, for every union at its schools (the NUT's
pack, which English schools follow, serves a NASUWT case there as before); else none.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fairload.core import pack_schema
from fairload.core.ballots import BallotParameters
from fairload.core.errors import InputError, InputErrors, Location, PackError
from fairload.core.industrial_action import LAW_PARAMETERS
from fairload.core.pack_files import discover, read_inherited
from fairload.core.parameters import ParameterSet
from fairload.core.prose import fill, prose_problem
from fairload.core.reference import Document, Reference, reference_read
from fairload.core.validation import validate
from fairload.core.yamlfile import field_path, line_of, load_file

if TYPE_CHECKING:
    from fairload.core.packs import Pack

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
#: What every entry may record besides its step's ``records``.
ENTRY_FIELDS: dict[str, dict[str, Any]] = {
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
        "caveat": {
            **_TEXT,
            "description": "what a member must know about the ladder itself (e.g. that its "
            "text is another union's until its own is given), shown wherever it is used",
        },
        "serves": {
            "type": "object",
            "description": "whose ladder it is, and where: the unions whose cases follow it "
            "(compared without regard to case) at schools on the packs named (a pack id, "
            "or a pattern such as scotland/*, matched against the school's pack and every "
            "pack it extends)",
            "properties": {
                "unions": {"type": "array", "items": _TEXT, "minItems": 1, "uniqueItems": True},
                "packs": {"type": "array", "items": _TEXT, "minItems": 1, "uniqueItems": True},
            },
            "required": ["unions", "packs"],
            "additionalProperties": False,
        },
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
    #: The unions whose cases follow it, and the packs (ids or patterns) it serves.
    unions: tuple[str, ...] = ()
    serves_packs: tuple[str, ...] = ()
    caveat: str = ""

    def serves(self, union: str, lineage: Sequence[str]) -> bool:
        """Whether the ladder names the union, and a pack of the lineage (a school's pack
        and every pack it extends) among those it serves."""
        named = _union_key(union) in {_union_key(u) for u in self.unions}
        return named and any(self.serves_pack(pack_id) for pack_id in lineage)

    def serves_pack(self, pack_id: str) -> bool:
        return any(fnmatchcase(pack_id, pattern) for pattern in self.serves_packs)

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
    return read_inherited(
        pack,
        LADDER_FILE,
        lambda source, owner: read_ladder(source, owner.id, owner.documents, owner.parameters),
    )


def _union_key(union: str) -> str:
    return union.strip().casefold()


def ladder_for(pack: Pack, union: str) -> Ladder | None:
    """The ladder a union's case at a school on ``pack`` follows, by the ladders' own
    ``serves``: the one the pack carries or inherits if it serves the union; else the
    ladder of the pack nearest in the lineage (the pack itself, then what it extends)
    that a ladder pack serves the union at; else the one the pack carries or inherits,
    whoever's the case (None if it has none)."""
    own = ladder_of(pack)
    lineage = tuple(reversed(pack.lineage))  # the pack itself first
    if own is not None and own.serves(union, lineage):
        return own
    serving = _serving_ladders()
    for pack_id in lineage:
        for ladder in serving:
            if ladder.serves(union, (pack_id,)):
                return ladder
    return own


def _serving_ladders() -> list[Ladder]:
    """Every known pack's own ladder that says whom it serves, by pack id."""
    from fairload.core.packs import load_bundled

    found = []
    for pack_id, folder in sorted(discover().items()):
        if (folder / LADDER_FILE).exists():
            ladder = ladder_of(load_bundled(pack_id))
            if ladder is not None and ladder.unions:
                found.append(ladder)
    return found


@cache
def _law_parameters(law_pack: str) -> ParameterSet:
    """The law pack's parameters, read once a process, as bundled packs are
    (``load_bundled``): a law changes with a release, not while a server runs."""
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
        else:
            missing = [name for name in LAW_PARAMETERS if name not in law]
            if missing:
                fail(
                    f"law pack '{doc['law']}' lacks " + ", ".join(missing),
                    ["law"],
                    "A law pack gives: " + ", ".join(LAW_PARAMETERS) + ".",
                )
    serves = doc.get("serves", {})
    if serves:
        known = sorted(discover())
        for index, pattern in enumerate(serves["packs"]):
            if not any(fnmatchcase(pack_id, pattern) for pack_id in known):
                fail(
                    f"'{pattern}' names no known pack",
                    ["serves", "packs", index],
                    "Known packs: " + ", ".join(known),
                )
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
        unions=tuple(serves.get("unions", ())),
        serves_packs=tuple(serves.get("packs", ())),
        caveat=doc.get("caveat", ""),
    )
