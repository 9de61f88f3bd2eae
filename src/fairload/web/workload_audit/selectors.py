"""Reading a union's workload audit and asking the core what members may refuse.

The audit's questions are the school's pack's (``fairload.core.workload_audit.audit_of``);
the answers and their evidence are the stored rows; the calendar findings are the
school's current check (schools.selectors.school_year_check). "What you may refuse, and
why" is :func:`fairload.core.workload_audit.refusals` over the three, read at today: the
web adds only the links to each answer's evidence.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from fairload.core.check import CheckResult
from fairload.core.packs import Pack, Question, load_bundled
from fairload.core.workload_audit import (
    Answer,
    Audit,
    Basis,
    Evidence,
    Refusal,
    TopicSummary,
    audit_of,
    refusals,
    topic_summary,
)
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_check, school_year_current
from fairload.web.workload_audit.models import AuditAnswer, CheckRecord, WorkloadAudit
from fairload.web.workload_audit.policies import union_key


def school_audit(school: School) -> tuple[Pack, Audit] | None:
    """The school's pack and its audit (its own, or the one it extends), or None."""
    pack = load_bundled(school.pack)
    audit = audit_of(pack)
    return None if audit is None else (pack, audit)


def stored_audit(school: School, union: str) -> WorkloadAudit | None:
    return WorkloadAudit.objects.filter(school=school, union_key=union_key(union)).first()


def evidence_of(answer: AuditAnswer) -> tuple[Evidence, ...]:
    """The stored answer's evidence as the core reads it: its note, each upload (by its
    name) and its frozen check record (by its SHA-256)."""
    found = []
    if answer.note.strip():
        found.append(Evidence("note", answer.note.strip()))
    found.extend(Evidence("upload", u.filename) for u in answer.uploads.all())
    if answer.check_record is not None:
        found.append(Evidence("check-record", answer.check_record.sha256))
    return tuple(found)


def check_content(year: SchoolYear, result: CheckResult) -> dict[str, Any]:
    """The check as a frozen record holds it."""
    return {
        "pack": result.pack.id,
        "school": year.school.slug,
        "year": year.label,
        "at": result.at.isoformat(),
        "findings": [f.as_dict() for f in result.findings],
    }


def content_hash(content: Any) -> str:
    text = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class BasisRow:
    """Why an instruction applies, with the stored answer behind it (for its evidence's
    links) when the basis is an answer."""

    basis: Basis
    answer: AuditAnswer | None = None


@dataclass(frozen=True)
class RefusalRow:
    refusal: Refusal
    bases: tuple[BasisRow, ...]


@dataclass(frozen=True)
class QuestionRow:
    question: Question
    context: bool
    answer: AuditAnswer | None


@dataclass(frozen=True)
class TopicRow:
    """A topic as the audit page lists it: its questions with their stored answers, how
    many findings of its rules the check has, and the instructions it brings in."""

    summary: TopicSummary
    questions: tuple[QuestionRow, ...]

    @property
    def topic(self) -> Any:
        return self.summary.topic


@dataclass(frozen=True)
class AuditView:
    """A union's audit at a school, read now."""

    school: School
    union: str
    pack: Pack
    audit: Audit
    year: SchoolYear | None
    stored: WorkloadAudit | None
    at: date
    questions: dict[str, Question]
    answers: dict[str, AuditAnswer] = field(default_factory=dict)
    summary: tuple[TopicSummary, ...] = ()
    refusals: tuple[RefusalRow, ...] = ()
    findings_count: int = 0

    @property
    def topics(self) -> list[TopicRow]:
        return [
            TopicRow(
                s,
                tuple(
                    QuestionRow(self.questions[q], q in s.topic.context, self.answers.get(q))
                    for q in (*s.topic.questions, *s.topic.context)
                ),
            )
            for s in self.summary
        ]

    @property
    def caveats(self) -> list[str]:
        """Each mandate's caveat once (the instructions of one list share it)."""
        return list(dict.fromkeys(r.refusal.caveat for r in self.refusals if r.refusal.caveat))

    @property
    def answered(self) -> int:
        return len(self.answers)

    @property
    def asked(self) -> int:
        return len(self.audit.question_ids)


def audit_view(school: School, union: str, at: date) -> AuditView | None:
    """The union's audit at the school as it stands, with what members may refuse at
    ``at``; None if the school's pack has no audit."""
    found = school_audit(school)
    if found is None:
        return None
    pack, audit = found
    stored = stored_audit(school, union)
    rows: dict[str, AuditAnswer] = {}
    if stored is not None:
        answers = stored.answers.select_related("check_record").prefetch_related("uploads")
        rows = {a.question: a for a in answers if a.question in audit.question_ids}
    core_answers = {q: Answer(a.value, evidence_of(a)) for q, a in rows.items()}
    year = school_year_current(school=school)
    findings = list(school_year_check(year=year).findings) if year is not None else []
    found_refusals = refusals(audit, pack, core_answers, findings, at)
    return AuditView(
        school=school,
        union=stored.union if stored is not None else union,
        pack=pack,
        audit=audit,
        year=year,
        stored=stored,
        at=at,
        questions={q.id: q for q in pack.questions},
        answers=rows,
        summary=tuple(topic_summary(audit, pack, core_answers, findings, at)),
        refusals=tuple(
            RefusalRow(
                r,
                tuple(BasisRow(b, rows.get(b.id) if b.kind == "answer" else None) for b in r.bases),
            )
            for r in found_refusals
        ),
        findings_count=len(findings),
    )


def check_record_get(stored: WorkloadAudit, pk: int) -> CheckRecord | None:
    return CheckRecord.objects.filter(audit=stored, pk=pk).first()
