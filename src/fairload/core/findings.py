"""Findings: what broke which rule, by how much, under which clause, and the working."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from fairload.core.parameters import ResolvedParameter
from fairload.core.reference import Reference


class Severity(StrEnum):
    BREACH = "breach"
    WARNING = "warning"
    NEEDS_AGREEMENT = "needs-agreement"
    INFO = "info"

    @property
    def rank(self) -> int:
        """0 for a breach, the most serious, up to the notes."""
        return list(Severity).index(self)

    @property
    def heading(self) -> str:
        """The heading of a group of findings of this severity: 'Breaches'."""
        return SEVERITY_HEADINGS[self]

    @property
    def label(self) -> str:
        """One finding of this severity, as a tag says it: 'Breach'."""
        return SEVERITY_LABELS[self]


#: Severities most serious first: the order every list, count and table uses.
SEVERITY_ORDER: tuple[Severity, ...] = tuple(Severity)
SEVERITY_HEADINGS = {
    Severity.BREACH: "Breaches",
    Severity.WARNING: "Warnings",
    Severity.NEEDS_AGREEMENT: "Needing agreement",
    Severity.INFO: "Notes",
}
SEVERITY_LABELS = {
    Severity.BREACH: "Breach",
    Severity.WARNING: "Warning",
    Severity.NEEDS_AGREEMENT: "Needs agreement",
    Severity.INFO: "Note",
}


class SubjectKind(StrEnum):
    SCHOOL = "school"
    TEACHER = "teacher"
    EVENT = "event"
    WEEK = "week"


@dataclass(frozen=True, slots=True)
class Subject:
    """Who or what a finding is about."""

    kind: SubjectKind
    id: str
    label: str

    def as_dict(self) -> dict[str, str]:
        return {"kind": self.kind.value, "id": self.id, "label": self.label}


@dataclass(frozen=True, slots=True)
class Cause:
    """An event or a staff post of the school year that a finding is about."""

    kind: str  # "event" or "staff"
    id: str


@dataclass(frozen=True, slots=True)
class Working:
    """How a finding was reached: the parameters (with their dates) and the data used."""

    parameters: tuple[ResolvedParameter, ...]
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameters": [p.as_dict() for p in self.parameters],
            "data": self.data,
        }


#: The rule id of the one warning a school gets when a check is read outside a mandate.
MANDATE_RULE = "mandate"
#: How a finding under an instruction read outside its mandate is marked, everywhere.
OUTSIDE_MANDATE = "outside the instruction's mandate"


@dataclass(frozen=True, slots=True)
class Finding:
    """One breach, warning, item needing agreement, or note."""

    id: str
    rule: str
    title: str
    severity: Severity
    school_id: str
    subject: Subject
    reference: Reference
    message: str
    actual: float | str | None
    limit: float | str | None
    working: Working
    refuse: str | None = None
    fix: str | None = None
    #: a plain warning that the rule's instructions are not in force at the check's date
    caveat: str | None = None

    @property
    def outside_mandate(self) -> bool:
        """Whether the finding is under an instruction checked outside its mandate (the
        pack's dated ballot mandate): it shows what the instruction says, and is not a
        breach for the exit code or anything else that counts breaches."""
        return self.caveat is not None and self.rule != MANDATE_RULE

    @property
    def counts_as_breach(self) -> bool:
        return self.severity is Severity.BREACH and not self.outside_mandate

    @property
    def mandate_note(self) -> str | None:
        """The plain words a finding outside its instruction's mandate carries wherever it
        is shown (CLI, Markdown, web), or None."""
        if not self.outside_mandate:
            return None
        note = (
            f"Checked {OUTSIDE_MANDATE}: this is what the instruction says, not what members "
            "may refuse today"
        )
        if self.severity is Severity.BREACH:
            note += ", so it is not counted as a breach"
        return note + "."

    @property
    def key(self) -> str:
        """What the finding is, stable across checks: its rule and its cause (school and
        subject), never its position in a list. ``finding_keys`` makes it unique where one
        rule finds the same subject more than once."""
        return f"{self.rule}:{self.school_id}:{self.subject.kind.value}:{self.subject.id}"

    @property
    def causes(self) -> tuple[Cause, ...]:
        """The events and staff posts that caused the finding, for a link to each: the
        subject (an event, a teacher, a teacher's week) and any events its working names."""
        found: list[Cause] = []
        kind, ident = self.subject.kind, self.subject.id
        if kind is SubjectKind.EVENT:
            found.append(Cause("event", ident))
        elif kind in (SubjectKind.TEACHER, SubjectKind.WEEK):
            found.append(Cause("staff", ident.split("/")[0]))
        events = self.working.data.get("events")
        if isinstance(events, list):
            found.extend(Cause("event", str(e)) for e in events if isinstance(e, str))
        event_id = self.working.data.get("event_id")
        if isinstance(event_id, str):
            found.append(Cause("event", event_id))
        for role in ("observer", "observed"):
            staff = self.working.data.get(role)
            if isinstance(staff, str):
                found.append(Cause("staff", staff))
        return tuple(dict.fromkeys(found))

    def as_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "id": self.id,
            "rule": self.rule,
            "title": self.title,
            "severity": self.severity.value,
            "school": self.school_id,
            "subject": self.subject.as_dict(),
            "document": self.reference.document.title,
            "clause": self.reference.clause,
            "message": self.message,
            "actual": self.actual,
            "limit": self.limit,
        }
        if self.refuse:
            data["members_may_refuse"] = self.refuse
        if self.fix:
            data["fix"] = self.fix
        if self.caveat:
            data["caveat"] = self.caveat
        if self.outside_mandate:
            data["outside_mandate"] = True
        data["working"] = self.working.as_dict()
        return data


def finding_keys(findings: Sequence[Finding]) -> list[str]:
    """Each finding's key, unique within the list: a second finding of one rule about the
    same subject gets ``~2`` (in the order the rule found them), and so on."""
    seen: dict[str, int] = {}
    keys = []
    for finding in findings:
        n = seen[finding.key] = seen.get(finding.key, 0) + 1
        keys.append(finding.key if n == 1 else f"{finding.key}~{n}")
    return keys


def severity_counts(findings: Iterable[Finding]) -> dict[str, int]:
    """How many findings of each severity, every severity present, most serious first."""
    counts = {s.value: 0 for s in SEVERITY_ORDER}
    for finding in findings:
        counts[finding.severity.value] += 1
    return counts


def by_severity(findings: Iterable[Finding]) -> list[tuple[Severity, list[Finding]]]:
    """The findings grouped by severity, most serious first; empty groups left out."""
    groups: dict[Severity, list[Finding]] = {s: [] for s in SEVERITY_ORDER}
    for finding in findings:
        groups[finding.severity].append(finding)
    return [(s, group) for s, group in groups.items() if group]


@dataclass(frozen=True, slots=True)
class SameCause:
    """Findings of one severity about one event or post: one cause, shown once, naming
    every rule and clause it breaks (a cover event breaks both the statutory "cover only
    rarely" and the union's "no cover"; a person fixes one event, not two)."""

    first: Finding
    also: tuple[Finding, ...]

    @property
    def findings(self) -> tuple[Finding, ...]:
        return (self.first, *self.also)


def by_cause(findings: Iterable[Finding]) -> list[SameCause]:
    """Findings with the same severity and the same event subject folded into one; every
    other finding stands alone. Order is kept (the first finding of each cause leads)."""
    groups: dict[tuple[Any, ...], list[Finding]] = {}
    for n, finding in enumerate(findings):
        if finding.subject.kind is SubjectKind.EVENT:
            key: tuple[Any, ...] = (finding.severity, finding.school_id, finding.subject.id)
        else:
            key = (n,)
        groups.setdefault(key, []).append(finding)
    return [SameCause(group[0], tuple(group[1:])) for group in groups.values()]
