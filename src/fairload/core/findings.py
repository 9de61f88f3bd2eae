"""Findings: what broke which rule, by how much, under which clause, and the working."""

from __future__ import annotations

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
        return list(Severity).index(self)


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
class Working:
    """How a finding was reached: the parameters (with their dates) and the data used."""

    parameters: tuple[ResolvedParameter, ...]
    data: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {
            "parameters": [p.as_dict() for p in self.parameters],
            "data": self.data,
        }


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
        data["working"] = self.working.as_dict()
        return data
