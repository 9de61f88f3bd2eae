""" "What you may refuse, and why, in your school, now": a union's workload audit as a
one-page PDF for its members.

Each instruction members may follow, in its own words, with its clause, the mandate's
caveat where it is read outside it, and every answer and calendar finding behind it
(fairload.core.workload_audit.refusals). Built from plain data, never a Django model.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from fairload.documents.render import html_of, pdf_of


@dataclass(frozen=True, slots=True)
class RefusalBasis:
    """An answer ("Answered yes: <question>") or a finding, with its clause."""

    kind: str
    text: str
    clause: str
    evidence: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class RefusalLine:
    instruction: int
    words: str
    clause: str
    bases: tuple[RefusalBasis, ...]
    caveat: str | None = None


@dataclass(frozen=True, slots=True)
class RefusalsDocument:
    school: str
    union: str
    audit_title: str
    source: str
    at: date
    answered: int
    asked: int
    findings: int
    lines: tuple[RefusalLine, ...]

    @property
    def title(self) -> str:
        return f"What you may refuse, and why, at {self.school}"

    @property
    def caveats(self) -> tuple[str, ...]:
        """Each mandate's caveat once (every instruction of a list shares its mandate's),
        shown at the top rather than under each instruction."""
        return tuple(dict.fromkeys(line.caveat for line in self.lines if line.caveat))

    @property
    def compact(self) -> bool:
        """Set smaller when many instructions apply, so the page stays one page."""
        return len(self.lines) + sum(len(line.bases) for line in self.lines) > 12


def refusals_pdf(document: RefusalsDocument) -> bytes:
    return pdf_of(html_of("workload_audit.html", {"doc": document}))
