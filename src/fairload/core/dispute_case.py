"""A workload dispute's case: the record a shell stores, read and written as plain data.

The day it was opened, the issues it names (instructions, clauses, the rules of
findings), one entry per step taken (its day, who acted, what the step records,
documents, an outcome) and, once closed, the day and the reason. :func:`case_checked`
reads it from untrusted input against the ladder (located errors), :func:`case_to_dict`
writes it back, :func:`case_open` starts one by hand or from the workload audit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from fairload.core.ballots import Tally
from fairload.core.dispute_ladder import ENTRY_FIELDS, RECORD_FIELDS, Ladder
from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.pack_schema import DATE
from fairload.core.process import _day, long_day
from fairload.core.validation import validate
from fairload.core.yamlfile import field_path, line_of

if TYPE_CHECKING:
    from fairload.core.workload_audit import Refusal

_TEXT = {"type": "string", "minLength": 1}

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


def _case_schema(ladder: Ladder) -> dict[str, Any]:
    """The schema of a case on this ladder: each step's entry allows its own records."""
    entries = {}
    for step in ladder.steps:
        props = {**ENTRY_FIELDS, **{k: RECORD_FIELDS[k] for k in step.records}}
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
            "opened": DATE,
            "issues": RECORD_FIELDS["issues"],
            "steps": {"type": "object", "properties": entries, "additionalProperties": False},
            "closed": {
                "type": "object",
                "properties": {"on": DATE, "reason": _TEXT},
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
        if key in ENTRY_FIELDS:
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
                    f"dated before the case was opened ({long_day(opened)})",
                    raw,
                    source,
                    [*where, "on"],
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
            _located(
                f"closed before its last step ({long_day(last)})", raw, source, ["closed", "on"]
            )
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
