"""A union's dispute case as one file for its local officer: the case, its issues, its
timeline (each step's day, who acted, outcome, note and documents), the letters shared
with the head, the files attached to its steps (a plain text file's words and an
image shown; a PDF named, to be downloaded from the case), and the evidence of the
union's workload audit at the school (its answers' notes and files, and the frozen check
records with their SHA-256).

Built from plain data (the core's timeline, the stored letters and records), never a
Django model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairload.documents.render import html_of, pdf_of


@dataclass(frozen=True, slots=True)
class TimelineLine:
    label: str
    on: date | None
    done: bool
    outcome: str = ""
    by: tuple[str, ...] = ()
    note: str = ""
    documents: tuple[str, ...] = ()
    reason: str = ""


@dataclass(frozen=True, slots=True)
class LetterLine:
    shared_on: date
    dated: date
    asked: str
    issues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class EvidenceLine:
    """An audit answer: the question, the answer, its note and files."""

    question: str
    answer: str
    note: str = ""
    files: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RecordLine:
    """A frozen check record: when, which year, how many findings, its SHA-256."""

    frozen_on: date
    year: str
    findings: int
    sha256: str


@dataclass(frozen=True, slots=True)
class FileLine:
    """A file attached to a step: its name, its step, and what the file shows of it (a
    text file's words, or an image as a ``data:`` URI; neither for a PDF)."""

    title: str
    step: str
    kind: str
    sha256: str
    text: str = ""
    image: str = ""


@dataclass(frozen=True, slots=True)
class CaseFileDocument:
    school: str
    union: str
    title: str
    ladder: str
    opened: date
    stage: str
    status: str
    made: date
    issues: tuple[str, ...]
    timeline: tuple[TimelineLine, ...]
    letters: tuple[LetterLine, ...] = ()
    evidence: tuple[EvidenceLine, ...] = ()
    records: tuple[RecordLine, ...] = ()
    files: tuple[FileLine, ...] = ()

    @property
    def heading(self) -> str:
        return f"Case file: {self.title}"


def case_file_pdf(document: CaseFileDocument) -> bytes:
    return pdf_of(html_of("case_file.html", {"doc": document}))
