"""The letter to the head teacher, built from a case: its issues with each instruction's
own words (the pack's ``refuse`` text, its figures filled at the letter's day), the
clause, and the findings of the school's current check of the issue's rules."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from fairload.core.packs import load_bundled
from fairload.core.prose import fill
from fairload.documents.dispute_letter import DisputeLetter, LetterIssue
from fairload.web.disputes.forms import issue_label
from fairload.web.disputes.models import Case
from fairload.web.disputes.selectors import case_ladder
from fairload.web.schools.selectors import school_year_check, school_year_current

#: The findings a letter cites for one issue, at most (the rest are in the case file).
FINDINGS_PER_ISSUE = 5


def _issue(issue: Mapping[str, Any], pack: Any, findings: list[Any], at: date) -> LetterIssue:
    number = issue.get("instruction")
    words, clause = "", str(issue.get("clause") or "")
    rules = set(issue.get("rules", ()))
    for rule in pack.rules:
        if number is not None and rule.instruction == number and rule.refuse:
            words = fill(rule.refuse, pack.parameters, at)[0]
            clause = clause or rule.reference.citation
            break
    cited = [f.message for f in findings if f.rule in rules][:FINDINGS_PER_ISSUE]
    return LetterIssue(issue_label(issue), clause, words, tuple(cited))


def case_letter(case: Case, *, signatory: str, role: str, at: date) -> DisputeLetter:
    """The letter as it stands on ``at``: what the meeting with the head asked, if it
    is recorded yet, and the issues."""
    pack = load_bundled(case.pack)
    year = school_year_current(school=case.school)
    findings = list(school_year_check(year=year).findings) if year is not None else []
    steps = case.record.get("steps", {})
    asked = next((s["asked"] for s in steps.values() if s.get("asked")), "")
    ladder = case_ladder(case)
    return DisputeLetter(
        school=case.school.name,
        union=case.union,
        dated=at,
        case_title=case.title,
        source=ladder.reference.citation,
        asked=asked,
        issues=tuple(_issue(i, pack, findings, at) for i in case.record.get("issues", ())),
        signatory=signatory,
        signatory_role=role,
    )
