"""The school's working-time agreement as a document (JNCT2.7 16.5 and Appendix 1).

What 16.5 asks to be signed and submitted: the Appendix 1 table as the school agreed it,
the calendar of activities (16.3), the agreement's own text (the protocol for work
outwith school premises, 15.2, and the rest), the staff's approval (16.4), and the
signatures of the head teacher and the union representatives, each with the SHA-256 of
the agreement it was made over.

- :class:`AgreementDocument` and its parts: the plain data a PDF is made from;
- :func:`agreement_document`: built from the core's values (the school's budget, the
  year's events, the process record), the process deciding whether the staff approved
  and whether it is signed (so final);
- :func:`agreement_document_from_school_year`: the same from a school-year document
  (a file, or the web's document of a year with its live record);
- :func:`agreement_pdf`: the PDF.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from fairload.core.budgets import SchoolBudget, school_budget
from fairload.core.packs import Pack, load_bundled
from fairload.core.process import (
    Process,
    Record,
    Step,
    gate,
    load_process,
    record_of_agreement,
    stage,
)
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import Event, SchoolYear, role_label
from fairload.core.tables import tables_from_years
from fairload.documents.render import html_of, pdf_of


@dataclass(frozen=True, slots=True)
class BudgetRow:
    """A heading of Appendix 1: the hours a full-time teacher has under it as agreed, and
    the pack's default (a departure is by agreement, 2.2)."""

    label: str
    clause: str
    hours: float | None
    default_hours: float | None = None

    @property
    def by_agreement(self) -> bool:
        return (
            self.hours is not None
            and self.default_hours is not None
            and abs(self.hours - self.default_hours) > 1e-9
        )


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """An activity of the calendar (16.3): its day, times, title, category and who."""

    on: date
    start: str
    end: str
    title: str
    category: str
    hours: float
    who: str

    @property
    def month_key(self) -> str:
        return f"{self.on:%Y-%m}"


@dataclass(frozen=True, slots=True)
class TextPart:
    """A part of the agreement's text, with its clause (the protocol is 15.2's)."""

    label: str
    clause: str
    text: str


@dataclass(frozen=True, slots=True)
class BallotResult:
    """The staff's approval (16.4): the counts, and the process's verdict in words."""

    held_on: date
    eligible: int
    in_favour: int
    against: int
    abstained: int
    approved: bool
    reason: str
    #: a secret ballot run in fairload, rather than a vote recorded by hand
    secret: bool


@dataclass(frozen=True, slots=True)
class SignatureLine:
    """A signature that stands on the agreement: who, in which role, when, over what."""

    name: str
    role: str
    signed_on: date
    content_hash: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementDocument:
    """Everything the agreement's PDF shows. ``final`` when the signatures the process asks
    for all stand on it (then, and only then, it is signed as a PDF too)."""

    school: str
    authority: str
    session: str
    pack_title: str
    budget_title: str
    budget_clause: str
    total_hours: float
    rows: tuple[BudgetRow, ...]
    calendar: tuple[CalendarEntry, ...]
    texts: tuple[TextPart, ...] = ()
    ballot: BallotResult | None = None
    signatures: tuple[SignatureLine, ...] = ()
    content_hash: str | None = None
    version: int | None = None
    final: bool = False
    signing_status: str = ""
    #: the clauses of the pack's process for the calendar (its draft step), the staff's
    #: approval and the signatures ("" for a pack with no process)
    calendar_clause: str = ""
    approval_clause: str = ""
    signatures_clause: str = ""
    #: whose signatures the process asks for, in its words, and the roles still unsigned
    #: (a blank line each, to sign on paper)
    signatures_wanted: str = ""
    unsigned_roles: tuple[str, ...] = ()

    @property
    def rows_total(self) -> float:
        return sum(row.hours or 0.0 for row in self.rows)

    @property
    def title(self) -> str:
        return f"{self.school} Working Time Agreement (Session {self.session})"


def session_of(start: date, end: date) -> str:
    """'2025 – 2026', as Appendix 2 writes the session ('Session 20xx – 20xx')."""
    return f"{start.year} – {end.year}"


def _who(event: Event, staff: int) -> str:
    """Whom the event is for: its attendees, or an observation's observer and observed."""
    people = set(event.attendees) | {p for p in (event.observer, event.observed) if p}
    if staff and len(people) == staff:
        return "All staff"
    return f"{len(people)} staff" if len(people) != 1 else "1 member of staff"


def calendar_entries(
    year: SchoolYear, category_labels: Mapping[str, str] | None = None
) -> tuple[CalendarEntry, ...]:
    """The year's events in date order, as the calendar of activities lists them, each
    category named by ``category_labels`` (the web's table of them) or its id in words."""
    labels = category_labels or {}
    staff = len(year.staff)
    return tuple(
        CalendarEntry(
            on=event.date,
            start=f"{event.start:%H:%M}",
            end=f"{event.end:%H:%M}",
            title=event.title,
            category=labels.get(event.category) or event.category.replace("-", " ").capitalize(),
            hours=event.hours,
            who=_who(event, staff),
        )
        for event in sorted(year.events, key=lambda e: (e.date, e.start, e.title))
    )


def _ballot(process: Process | None, record: Record) -> BallotResult | None:
    vote = record.staff_vote
    if vote is None:
        return None
    step = next((s for s in process.steps if s.gate.kind == "ballot"), None) if process else None
    verdict = gate(process, record, step.id) if process and step else None
    return BallotResult(
        held_on=vote.held_on,
        eligible=vote.eligible,
        in_favour=vote.in_favour,
        against=vote.against,
        abstained=vote.abstained,
        approved=verdict.met if verdict else vote.in_favour > vote.against,
        reason=verdict.reason if verdict else "",
        secret=record.vote is None and record.ballot is not None,
    )


def _clause(process: Process | None, wanted: Callable[[Step], bool]) -> str:
    step = next((s for s in process.steps if wanted(s)), None) if process else None
    return step.reference.clause if step else ""


def _signed(process: Process | None, record: Record) -> tuple[bool, str]:
    """Whether the agreement is final: the process's stage has passed its signatures step
    (so every signature it asks for stands, after every step before it, the staff's
    approval among them), and the process's words for it."""
    step = (
        next((s for s in process.steps if s.gate.kind == "signatures"), None) if process else None
    )
    if process is None or step is None:
        return bool(record.valid_signatures), ""
    signed_at = next((i for i, spec in enumerate(process.stages) if step.id in spec.steps), None)
    if signed_at is None:  # a signing step in no stage: its own gate says
        verdict = gate(process, record, step.id)
        return verdict.met, verdict.reason
    reached = stage(process, record)
    if reached.complete or reached.rank > signed_at:
        return True, gate(process, record, step.id).reason
    return False, reached.why


def agreement_document(
    *,
    pack: Pack,
    year: SchoolYear,
    budget: SchoolBudget,
    record: Record,
    texts: Sequence[TextPart] = (),
    version: int | None = None,
    category_labels: Mapping[str, str] | None = None,
) -> AgreementDocument:
    """The agreement's document from the core's values: ``budget`` (the school's, under the
    allocations agreed), the ``year``'s events and the process ``record``. Whether the
    staff approved it and whether it is signed are the pack's process's judgement."""
    process = load_process(pack)
    final, status = _signed(process, record)
    signing = (
        next((s for s in process.steps if s.gate.kind == "signatures"), None) if process else None
    )
    wanted = signing.gate.signatures if signing else None
    signed_roles = {s.role for s in record.valid_signatures}
    return AgreementDocument(
        school=year.school.name,
        authority=year.school.authority,
        session=session_of(year.calendar.dates.start, year.calendar.dates.end),
        pack_title=pack.title,
        budget_title=budget.title,
        budget_clause=budget.reference.clause,
        total_hours=budget.total,
        rows=tuple(
            BudgetRow(
                label=line.label,
                clause=line.reference.clause if line.reference else "",
                hours=line.hours,
                default_hours=line.default_hours,
            )
            for line in budget.lines
        ),
        calendar=calendar_entries(year, category_labels),
        texts=tuple(texts),
        ballot=_ballot(process, record),
        signatures=tuple(
            SignatureLine(s.name, role_label(s.role), s.signed_on, s.content_hash)
            for s in record.valid_signatures
        ),
        content_hash=record.version_hash,
        version=version,
        final=final,
        signing_status=status,
        calendar_clause=_clause(process, lambda s: "draft_prepared" in s.reads),
        approval_clause=_clause(process, lambda s: s.gate.kind == "ballot"),
        signatures_clause=signing.reference.clause if signing else "",
        signatures_wanted=signing.outcome if signing else "",
        unsigned_roles=tuple(
            role_label(r) for r in (wanted.roles if wanted else ()) if r not in signed_roles
        ),
    )


def agreement_document_from_school_year(
    document: Mapping[str, Any],
    *,
    source: str = "<school year>",
    texts: Sequence[TextPart] = (),
    version: int | None = None,
    names: Mapping[str, str] | None = None,
    category_labels: Mapping[str, str] | None = None,
) -> AgreementDocument:
    """The agreement's document from a school-year document: its allocations, events and
    ``agreement.process`` record, under its pack at the year's start."""
    year = parse_school_year(document, source)
    pack = load_bundled(year.school.pack)
    if pack.budget is None:
        raise ValueError(f"pack '{pack.id}' has no budget: it has no Appendix 1 table")
    budget = school_budget(
        pack.budget,
        tables_from_years([year]),
        pack.parameters,
        year.calendar.dates.start,
        year.school.id,
    )
    staff_names = dict(names or {m.id: m.name for m in year.staff})
    record = record_of_agreement(document.get("agreement") or {}, staff_names)
    return agreement_document(
        pack=pack,
        year=year,
        budget=budget,
        record=record,
        texts=texts,
        version=version,
        category_labels=category_labels,
    )


def agreement_pdf(document: AgreementDocument) -> bytes:
    """The agreement as a tagged PDF (unsigned: :mod:`fairload.documents.signing` signs a
    final one)."""
    return pdf_of(html_of("agreement.html", {"doc": document}))
