"""A teacher's balance-of-time pro-forma as a document, laid out as JNCT2.7 Appendix 2.

Appendix 2's form, top to bottom: the school's name and the session, the introduction,
the teacher's name, the total balance of time to be accounted for (the basic balance
from the school agreement, the additional balance from meetings the teacher does not
take part in, the total), the activity rows with brief details and hours, their total,
and two signatures (the teacher's and the line manager's: who, position, date).

- :class:`ProformaDocument` and its parts: the plain data;
- :func:`proforma_document`: built from the core's :class:`~fairload.core.proforma.ProformaState`
  (what the form and the ``proforma-adds-up`` check agree on), with the brief details and
  the signatures the web app keeps;
- :func:`proforma_pdf`: the PDF.

The lead wires the download into web/proformas: build ``proforma_state`` for the teacher,
pass the details typed on each row and the signatures that stand (those whose content
hash is the state's), and sign the PDF when :attr:`ProformaDocument.final`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from fairload.core.proforma import ProformaState
from fairload.documents.render import html_of, pdf_of

#: Appendix 2's introduction, word for word (the form the pack's pro-forma rules cite).
INTRODUCTION = (
    "This pro-forma should be completed by each member of the teaching staff and discussed "
    "with the appropriate line manager, eg PT, DHT or HT.",
    "Individual Teachers should use their professional judgement in relation to the "
    "prioritisation of tasks, taking into account their individual workload and the school "
    "improvement plan. The agreed final version should be signed by both parties and copies "
    "retained.",
)
#: Appendix 2's footnote to the additional balance, word for word.
ADDITIONAL_NOTE = (
    "This refers to any time gained from non-participation in committees or working groups "
    "which are allocated through the School Working Time Agreement"
)
#: The two who sign (ROLE_LABELS's ids).
TEACHER, LINE_MANAGER = "teacher", "line-manager"


@dataclass(frozen=True, slots=True)
class ProformaLine:
    """An activity row: the form's words, the teacher's brief details, the hours."""

    activity: str
    details: str
    hours: float


@dataclass(frozen=True, slots=True)
class ProformaSignature:
    """A signature on the form: ``role`` is ``teacher`` or ``line-manager``; ``position``
    the signer's post in words (Appendix 2's "Position")."""

    role: str
    name: str
    position: str
    signed_on: date
    content_hash: str | None = None


@dataclass(frozen=True, slots=True)
class ProformaDocument:
    """Everything the pro-forma's PDF shows. ``final`` once both the teacher and the line
    manager have signed this content (then it is signed as a PDF too)."""

    school: str
    session: str
    teacher: str
    basic_hours: float
    additional_hours: float
    additional_working: str
    lines: tuple[ProformaLine, ...]
    line_manager: str = ""
    signatures: tuple[ProformaSignature, ...] = ()
    content_hash: str | None = None

    @property
    def total_hours(self) -> float:
        return self.basic_hours + self.additional_hours

    @property
    def accounted_hours(self) -> float:
        return sum(line.hours for line in self.lines)

    @property
    def left_hours(self) -> float:
        return round(self.total_hours - self.accounted_hours, 9)

    @property
    def final(self) -> bool:
        return {TEACHER, LINE_MANAGER} <= {s.role for s in self.signatures}

    @property
    def title(self) -> str:
        return (
            f"{self.school} Working Time Agreement: Individual Use of Balance of Time, "
            f"{self.teacher} (Session {self.session})"
        )

    @property
    def introduction(self) -> tuple[str, ...]:
        return INTRODUCTION

    @property
    def additional_note(self) -> str:
        return ADDITIONAL_NOTE


def proforma_document(
    state: ProformaState,
    *,
    school: str,
    session: str,
    details: Mapping[str, str] | None = None,
    signatures: Sequence[ProformaSignature] = (),
) -> ProformaDocument:
    """The pro-forma's document from the core's state: every activity row of the pack's
    list (blank where no hours are given), then any activity the list lacks, with the
    brief ``details`` typed on each (activity id -> text). Signatures over another content
    (a hash not the state's) are left out: a later change voided them."""
    details = details or {}
    lines = [ProformaLine(row.text, details.get(row.id, ""), row.hours) for row in state.rows] + [
        ProformaLine(activity, details.get(activity, ""), hours)
        for activity, hours in state.unknown.items()
    ]
    standing = tuple(
        s for s in signatures if s.content_hash is None or s.content_hash == state.content_hash
    )
    manager = state.line_manager
    return ProformaDocument(
        school=school,
        session=session,
        teacher=state.name,
        basic_hours=state.basic,
        additional_hours=state.additional,
        additional_working=state.gained_from,
        lines=tuple(lines),
        line_manager=f"{manager.name} ({manager.post.replace('-', ' ')})" if manager else "",
        signatures=standing,
        content_hash=state.content_hash,
    )


def proforma_pdf(document: ProformaDocument) -> bytes:
    """The pro-forma as a tagged PDF (unsigned: :mod:`fairload.documents.signing` signs a
    final one)."""
    return pdf_of(html_of("proforma.html", {"doc": document}))
