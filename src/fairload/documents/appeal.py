"""An appeal after a failure to agree (JNCT2.7 section 17) as a document: its record,
stage by stage, and the decision.

The stages are the pack's appeal process (appeal.yaml), each under its own step's label
and clause: the report to the Joint Secretaries (17.2), the informal meeting (the first
17.3), the formal hearing (the second 17.3, and 17.4) and the conclusion, final and binding
(17.5), which may determine the school's arrangement (17.1). Each shows its date, who
attended and as what, the documents filed and the outcome.

- :class:`AppealDocument` and its parts: the plain data;
- :func:`appeal_document`: built from the core's :class:`~fairload.core.appeal.AppealRecord`
  and the pack's appeal process;
- :func:`appeal_pdf`: the PDF.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from fairload.core.appeal import AppealRecord, Attendee, Conclusion, Meeting
from fairload.core.process import FailureReport, FiledDocument, Process
from fairload.core.school_year import role_label
from fairload.documents.render import html_of, pdf_of


@dataclass(frozen=True, slots=True)
class AttendeeLine:
    name: str
    role: str


@dataclass(frozen=True, slots=True)
class DocumentLine:
    """A document filed with a stage: its title, and the file's name or a frozen check
    record's SHA-256."""

    title: str
    kind: str
    ref: str


@dataclass(frozen=True, slots=True)
class AppealStage:
    """A stage of the appeal as the record has it (``on`` None: not yet reached)."""

    title: str
    clause: str
    on: date | None
    attendees: tuple[AttendeeLine, ...] = ()
    documents: tuple[DocumentLine, ...] = ()
    outcome: str = ""
    notes: str = ""
    reasons: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class AppealDocument:
    school: str
    authority: str
    session: str
    process_title: str
    stages: tuple[AppealStage, ...]
    decision: str = ""
    decided_on: date | None = None
    determines_arrangement: bool = False
    #: the clause giving the right to determine the school's arrangement (the process's)
    arrangement_clause: str = ""

    @property
    def concluded(self) -> bool:
        return self.decided_on is not None

    @property
    def title(self) -> str:
        return f"{self.school}: {self.process_title} (Session {self.session})"


def _attendee(a: Attendee) -> AttendeeLine:
    role = role_label(a.role)
    if a.nominee:
        role += " (nominee)"
    if a.called_by:
        role += f", called by the {role_label(a.called_by)}"
    return AttendeeLine(a.name, role[:1].upper() + role[1:])


def _documents(documents: Sequence[FiledDocument]) -> tuple[DocumentLine, ...]:
    words = {"upload": "uploaded file", "check-record": "frozen check record (SHA-256)"}
    return tuple(DocumentLine(d.title, words.get(d.kind, d.kind), d.ref) for d in documents)


def _stage(title: str, clause: str, part: object) -> AppealStage:
    if isinstance(part, FailureReport):
        return AppealStage(
            title,
            clause,
            part.on,
            documents=_documents(part.documents),
            outcome=f"Reported by the {role_label(part.by)}",
            reasons=part.reasons,
        )
    if isinstance(part, Meeting):
        return AppealStage(
            title,
            clause,
            part.on,
            tuple(_attendee(a) for a in part.attendees),
            _documents(part.documents),
            (part.outcome or "not yet held").capitalize(),
            part.notes or "",
        )
    if isinstance(part, Conclusion):
        return AppealStage(
            title,
            clause,
            part.on,
            tuple(_attendee(a) for a in part.decided_by),
            _documents(part.documents),
            "Final and binding",
        )
    return AppealStage(title, clause, None)


def appeal_document(
    record: AppealRecord, process: Process, *, school: str, authority: str, session: str
) -> AppealDocument:
    """The appeal's document: one stage for each part of the record the process's steps
    read (the first step reading a part names it), in the process's order."""
    stages = []
    seen = set()
    for step in process.steps:
        if not step.reads:
            continue
        part_name = step.reads[0].partition(".")[0]
        if part_name in seen or not hasattr(record, part_name):
            continue
        seen.add(part_name)
        stages.append(_stage(step.label, step.reference.clause, getattr(record, part_name)))
    conclusion = record.conclusion
    return AppealDocument(
        school=school,
        authority=authority,
        session=session,
        process_title=process.title,
        stages=tuple(stages),
        decision=conclusion.decision if conclusion else "",
        decided_on=conclusion.on if conclusion else None,
        determines_arrangement=bool(conclusion and conclusion.determines_arrangement),
        arrangement_clause=process.reference.clause,
    )


def appeal_pdf(document: AppealDocument) -> bytes:
    return pdf_of(html_of("appeal.html", {"doc": document}))
