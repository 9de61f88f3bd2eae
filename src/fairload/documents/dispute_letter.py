"""The union's letter to the head teacher in a workload dispute (the NUT's step 3: the
rep asks to meet the head and explains that members have met, discussed the issues and
do not want to continue the work), citing each instruction in its own words, its clause
and the findings of the school's check behind it.

Plain data (:class:`DisputeLetter`), built by the web from the case record and the pack;
:func:`letter_to_dict` and :func:`letter_from_dict` freeze it as shared; the PDF is
:func:`dispute_letter_pdf`. No member is named: the letter says the members met and
decided, never who or how many.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date
from typing import Any

from fairload.documents.render import html_of, pdf_of


@dataclass(frozen=True, slots=True)
class LetterIssue:
    """An issue the letter raises: its instruction (if it names one) in its words, the
    clause, and the findings of the school's check behind it."""

    title: str
    clause: str
    words: str = ""
    findings: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class DisputeLetter:
    school: str
    union: str
    dated: date
    case_title: str
    source: str
    asked: str
    issues: tuple[LetterIssue, ...]
    signatory: str
    signatory_role: str

    @property
    def title(self) -> str:
        return f"{self.school}: letter from the {self.union} members to the head teacher"


def letter_to_dict(letter: DisputeLetter) -> dict[str, Any]:
    out = asdict(letter)
    out["dated"] = letter.dated.isoformat()
    out["issues"] = [{**asdict(i), "findings": list(i.findings)} for i in letter.issues]
    return out


def letter_from_dict(raw: Mapping[str, Any]) -> DisputeLetter:
    return DisputeLetter(
        **{
            **raw,
            "dated": date.fromisoformat(str(raw["dated"])),
            "issues": tuple(
                LetterIssue(**{**i, "findings": tuple(i.get("findings", ()))})
                for i in raw["issues"]
            ),
        }
    )


def dispute_letter_pdf(letter: DisputeLetter) -> bytes:
    return pdf_of(html_of("dispute_letter.html", {"doc": letter}))
