"""The workload audit: a union's questions, answered with evidence, and what members may
refuse because of the answers and the check's findings.

A union pack gives its audit in ``audit.yaml``: the guidance's topics in its order, each
naming the workload questions it asks (``questions.yaml``, reused, not repeated) and the
rules that answer it from the calendar and the staff records (``rules.yaml``). Which
answer brings a question's instructions into play is the ``prohibited_answer`` of the
rule that reads it, else the topic's ``refuse_when``; ``context`` questions only change
what another rule allows. The instruction's own words are its rule's ``refuse``, with
their figures filled from the parameters at the audit's date.

- :func:`audit_of`: the pack's audit (its own audit.yaml, else the one it extends);
- :func:`answers_checked`: untrusted answers (a form, an API body), located errors;
- :func:`refusals`: from the answers and a check's findings, "what you may refuse, and
  why": each instruction, its words, and every answer and finding behind it (with the
  clause, the evidence, and the caveat where the instruction is outside its mandate);
- :func:`topic_summary`: each topic with its answers, findings and instructions.

Pure: no database, no clock (the caller passes the date).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fairload.core import pack_schema
from fairload.core.errors import InputError, InputErrors, Location, PackError
from fairload.core.findings import OUTSIDE_MANDATE
from fairload.core.pack_files import read_inherited
from fairload.core.prose import fill
from fairload.core.reference import Reference, reference_read
from fairload.core.validation import validate
from fairload.core.yamlfile import field_path, line_of, load_file

if TYPE_CHECKING:
    from fairload.core.findings import Finding
    from fairload.core.packs import Pack, Question
    from fairload.core.rules import Rule

AUDIT_FILE = "audit.yaml"
#: What an answer's evidence may be.
EVIDENCE_KINDS = ("note", "upload", "check-record")

_IDS = {"type": "array", "items": pack_schema.ID, "uniqueItems": True}
AUDIT_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "title": {"type": "string", "minLength": 1},
        "reference": pack_schema.REFERENCE,
        "evidence": {"type": "array", "items": {"enum": list(EVIDENCE_KINDS)}, "minItems": 1},
        "topics": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "properties": {
                    "id": pack_schema.ID,
                    "title": {"type": "string", "minLength": 1},
                    "reference": pack_schema.REFERENCE,
                    "questions": _IDS,
                    "context": _IDS,
                    "rules": _IDS,
                    "refuse_when": {
                        "type": "object",
                        "additionalProperties": {"type": "boolean"},
                        "description": "question id -> the answer that brings its "
                        "instructions into play, for a question no rule reads",
                    },
                },
                "required": ["id", "title", "reference"],
                "additionalProperties": False,
            },
        },
    },
    "required": ["title", "reference", "evidence", "topics"],
    "additionalProperties": False,
}


@dataclass(frozen=True, slots=True)
class Topic:
    """One of the guidance's questions, as an audit topic."""

    id: str
    title: str
    reference: Reference
    questions: tuple[str, ...] = ()
    context: tuple[str, ...] = ()
    rules: tuple[str, ...] = ()
    #: question id -> the answer that brings its instructions into play
    refuse_when: Mapping[str, bool] = field(default_factory=dict)


@dataclass(frozen=True)
class Audit:
    pack_id: str
    title: str
    reference: Reference
    evidence: tuple[str, ...]
    topics: tuple[Topic, ...]
    source: Path | None = None

    @property
    def question_ids(self) -> tuple[str, ...]:
        return tuple(q for t in self.topics for q in (*t.questions, *t.context))


def _reading_rules(pack: Pack, question: str) -> list[Rule]:
    """The rules that read a question's answer (``prohibited_practice``'s ``question``)."""
    return [r for r in pack.rules if r.settings.get("question") == question]


def read_audit(source: Path, pack: Pack) -> Audit:
    """An audit.yaml checked against its schema and the pack (known questions, rules and
    documents; each question's refusing answer known once), every problem a PackError
    located by file, line and field."""
    doc = load_file(source)
    validate(doc, AUDIT_SCHEMA, str(source), error_type=PackError)
    problems: list[InputError] = []

    def fail(message: str, path: Sequence[str | int], hint: str = "") -> None:
        where = Location(str(source), line_of(doc, list(path)), field_path(list(path)))
        problems.append(PackError(message, where, hint))

    questions = {q.id for q in pack.questions}
    rules = {r.id for r in pack.rules}
    asked: set[str] = set()
    topics = []
    for index, raw in enumerate(doc["topics"]):
        path: list[str | int] = ["topics", index]
        for key in ("questions", "context"):
            for position, question in enumerate(raw.get(key, [])):
                if question not in questions:
                    fail(
                        f"no workload question '{question}'",
                        [*path, key, position],
                        "Declare it in questions.yaml; known: " + ", ".join(sorted(questions)),
                    )
                elif question in asked:
                    fail(f"question '{question}' is in two topics", [*path, key, position])
                asked.add(question)
        for position, rule in enumerate(raw.get("rules", [])):
            if rule not in rules:
                fail(f"no rule '{rule}' in the pack", [*path, "rules", position])
        refuse_when = dict(raw.get("refuse_when", {}))
        for question in raw.get("questions", []):
            read = _reading_rules(pack, question)
            if read and question in refuse_when:
                fail(
                    f"rule '{read[0].id}' already says which answer to '{question}' refuses",
                    [*path, "refuse_when", question],
                    "Leave it to the rule's prohibited_answer.",
                )
            elif not read and question not in refuse_when:
                fail(
                    f"no rule reads '{question}', so say which answer refuses",
                    [*path, "questions"],
                    f"Add refuse_when: {{{question}: true}} (or false).",
                )
        for question in refuse_when:
            if question not in raw.get("questions", []):
                fail(f"'{question}' is not among the topic's questions", [*path, "refuse_when"])
        topics.append(
            Topic(
                raw["id"],
                raw["title"],
                reference_read(raw["reference"], [*path, "reference"], pack.documents, fail),
                tuple(raw.get("questions", ())),
                tuple(raw.get("context", ())),
                tuple(raw.get("rules", ())),
                refuse_when,
            )
        )
    for question in sorted(questions - asked):
        fail(f"question '{question}' is in no topic", ["topics"], "Ask it in a topic.")
    reference = reference_read(doc["reference"], ["reference"], pack.documents, fail)
    if problems:
        raise InputErrors(problems)
    return Audit(pack.id, doc["title"], reference, tuple(doc["evidence"]), tuple(topics), source)


def audit_of(pack: Pack) -> Audit | None:
    """The pack's audit (its own audit.yaml, else the nearest one it extends), or None.
    The questions and rules are the pack's own, so an extending pack's overrides count."""
    return read_inherited(pack, AUDIT_FILE, read_audit)


# --- answers -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Evidence:
    """What an answer rests on: a ``note`` (its text), an ``upload`` (its file name) or a
    frozen ``check-record`` (its SHA-256)."""

    kind: str
    ref: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind, "ref": self.ref}


@dataclass(frozen=True, slots=True)
class Answer:
    """A yes or no to a workload question, with its evidence."""

    value: bool
    evidence: tuple[Evidence, ...] = ()


def answers_checked(audit: Audit, raw: Any, source: str = "audit") -> dict[str, Answer]:
    """Untrusted answers, ``{question: {answer: true, evidence: [{kind, ref}]}}``, checked
    against the audit's questions and evidence kinds: every problem a located InputError."""
    schema = {
        "type": "object",
        "properties": {
            question: {
                "type": "object",
                "properties": {
                    "answer": {"type": "boolean"},
                    "evidence": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "kind": {"enum": list(audit.evidence)},
                                "ref": {"type": "string", "minLength": 1},
                            },
                            "required": ["kind", "ref"],
                            "additionalProperties": False,
                        },
                    },
                },
                "required": ["answer"],
                "additionalProperties": False,
            }
            for question in audit.question_ids
        },
        "additionalProperties": False,
    }
    validate(raw, schema, source)
    return {
        question: Answer(
            bool(item["answer"]),
            tuple(Evidence(str(e["kind"]), str(e["ref"])) for e in item.get("evidence", ())),
        )
        for question, item in raw.items()
    }


# --- what members may refuse ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Basis:
    """Why an instruction applies: an ``answer`` to a question (its text, the answer, its
    evidence) or a check's ``finding`` (its sentence), with the clause behind it."""

    kind: str
    id: str
    text: str
    reference: Reference
    answer: bool | None = None
    evidence: tuple[Evidence, ...] = ()
    rule: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "kind": self.kind,
            "id": self.id,
            "text": self.text,
            "reference": self.reference.as_dict(),
        }
        if self.answer is not None:
            out["answer"] = self.answer
        if self.evidence:
            out["evidence"] = [e.as_dict() for e in self.evidence]
        if self.rule is not None:
            out["rule"] = self.rule
        return out


@dataclass(frozen=True, slots=True)
class Refusal:
    """An instruction members may follow: its number, its own words (figures filled), the
    clause, every answer and finding behind it, and the mandate's caveat if it is not in
    force at the audit's date."""

    instruction: int
    words: str
    reference: Reference
    bases: tuple[Basis, ...]
    caveat: str | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "instruction": self.instruction,
            "words": self.words,
            "reference": self.reference.as_dict(),
            "bases": [b.as_dict() for b in self.bases],
        }
        if self.caveat:
            out["caveat"] = self.caveat
        return out


def _instruction_rule(pack: Pack, number: int, preferred: Iterable[Rule] = ()) -> Rule | None:
    """The rule whose ``refuse`` words an instruction: one of ``preferred`` (the rules that
    read the question answered) if it has the number, else the pack's first."""
    for rule in (*preferred, *pack.rules):
        if rule.instruction == number and rule.refuse:
            return rule
    return None


def _caveat(pack: Pack, rule: Rule, at: date) -> str | None:
    for mandate in pack.mandates:
        if rule.id in mandate.rules and not mandate.covers(at):
            return (
                f"{mandate.title}: in force {mandate.span} ({mandate.reference.citation}); "
                f"this audit is read at {at.isoformat()}, {OUTSIDE_MANDATE}: this is what "
                "the instruction says, not what members may refuse today. Ask the union "
                "which instructions are in force."
            )
    return None


def _refusing(audit: Audit, pack: Pack, question: str, answer: bool) -> bool:
    for topic in audit.topics:
        if question in topic.refuse_when:
            return topic.refuse_when[question] is answer
    return any(
        r.settings.get("prohibited_answer") is answer for r in _reading_rules(pack, question)
    )


def refusals(
    audit: Audit,
    pack: Pack,
    answers: Mapping[str, Answer],
    findings: Iterable[Finding],
    at: date,
) -> list[Refusal]:
    """What members may refuse, and why, at ``at``: for each answer that brings a
    question's instructions into play and each finding of a rule with an instruction,
    the instruction in its own words, with every answer and finding behind it; in the
    order of the instructions."""
    questions: dict[str, Question] = {q.id: q for q in pack.questions}
    bases: dict[int, list[Basis]] = {}
    wording: dict[int, Rule] = {}
    for question_id in audit.question_ids:
        given = answers.get(question_id)
        if given is None or not _refusing(audit, pack, question_id, given.value):
            continue
        question = questions[question_id]
        reading = _reading_rules(pack, question_id)
        for number in question.instructions:
            rule = _instruction_rule(pack, number, reading)
            if rule is None:
                continue
            wording.setdefault(number, rule)
            bases.setdefault(number, []).append(
                Basis(
                    "answer",
                    question_id,
                    question.text,
                    question.reference,
                    given.value,
                    given.evidence,
                    rule.id,
                )
            )
    for finding in findings:
        try:
            rule = pack.rule(finding.rule)
        except KeyError:
            continue
        if rule.instruction is None or not finding.refuse:
            continue
        wording.setdefault(rule.instruction, rule)
        bases.setdefault(rule.instruction, []).append(
            Basis("finding", finding.id, finding.message, finding.reference, rule=rule.id)
        )
    out = []
    for number in sorted(bases):
        rule = wording[number]
        assert rule.refuse is not None
        words = fill(rule.refuse, pack.parameters, at)[0]
        out.append(
            Refusal(number, words, rule.reference, tuple(bases[number]), _caveat(pack, rule, at))
        )
    return out


@dataclass(frozen=True, slots=True)
class TopicSummary:
    """A topic as the audit page shows it: its questions' answers (None unanswered), the
    findings of its rules, and the instructions its answers and findings bring in."""

    topic: Topic
    answers: Mapping[str, bool | None]
    findings: tuple[str, ...]
    instructions: tuple[int, ...]


def topic_summary(
    audit: Audit, pack: Pack, answers: Mapping[str, Answer], findings: Iterable[Finding], at: date
) -> list[TopicSummary]:
    """Each topic in the guidance's order, with its answers, its rules' findings (by id)
    and the instructions they bring into play."""
    found = list(findings)
    out = []
    for topic in audit.topics:
        rules = set(topic.rules) | {r.id for q in topic.questions for r in _reading_rules(pack, q)}
        own = [f for f in found if f.rule in rules]
        asked = {q: answers[q] for q in (*topic.questions, *topic.context) if q in answers}
        numbers = {r.instruction for r in refusals(audit, pack, asked, own, at)}
        out.append(
            TopicSummary(
                topic,
                {
                    q: (answers[q].value if q in answers else None)
                    for q in (*topic.questions, *topic.context)
                },
                tuple(f.id for f in own),
                tuple(sorted(numbers)),
            )
        )
    return out
