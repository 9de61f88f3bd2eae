"""A union's cases across its schools: one row a case, and the patterns across them.

A local officer sees every case of the union in the council: its stage, its age, the
instructions and clauses it names, what is overdue; and which instructions and clauses
are disputed in how many schools, and which schools share an issue. The shell decides
whose cases these are (the union's, in the officer's council) and writes the CSV; the
facts are here, once.

Pure: no database, no clock (the caller passes ``today``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from fairload.core.dispute_case import Case
from fairload.core.dispute_ladder import Ladder
from fairload.core.disputes import overdue, stage


@dataclass(frozen=True, slots=True)
class CaseRow:
    """A case as the council view lists it."""

    school: str
    case_id: str
    stage: str
    rank: int
    status: str
    opened: date
    age_days: int
    instructions: tuple[int, ...]
    #: each issue by its clause ("Instruction 14"), else its instruction's number
    issues: tuple[str, ...]
    overdue: tuple[str, ...]

    def as_dict(self) -> dict[str, Any]:
        """The row for a CSV: lists joined with '; '."""
        return {
            "school": self.school,
            "case": self.case_id,
            "stage": self.stage,
            "status": self.status,
            "opened": self.opened.isoformat(),
            "age_days": self.age_days,
            "instructions": "; ".join(str(n) for n in self.instructions),
            "issues": "; ".join(self.issues),
            "overdue": "; ".join(self.overdue),
        }


def case_rows(ladder: Ladder, cases: Iterable[tuple[str, str, Case]], today: date) -> list[CaseRow]:
    """One row a case, from (school, case id, case): the furthest stage first, then the
    oldest. The instructions and clauses are the case's issues'."""
    rows = []
    for school, case_id, case in cases:
        found = stage(ladder, case)
        late = () if found.status != "open" else overdue(ladder, case, today)
        rows.append(
            CaseRow(
                school,
                case_id,
                found.label,
                found.rank,
                found.status,
                case.opened,
                (today - case.opened).days,
                tuple(sorted({int(i["instruction"]) for i in case.issues if "instruction" in i})),
                tuple(dict.fromkeys(_issue(i) for i in case.issues if _issue(i))),
                tuple(o.label for o in late),
            )
        )
    return sorted(rows, key=lambda r: (-r.rank, r.opened, r.school, r.case_id))


def _issue(issue: Any) -> str:
    if issue.get("clause"):
        return str(issue["clause"])
    return str(issue.get("instruction", ""))


@dataclass(frozen=True, slots=True)
class Pattern:
    """An issue across schools (its clause, else its instruction), the schools whose cases
    name it, how many cases do, and how many of those are open."""

    issue: str
    schools: tuple[str, ...]
    cases: int
    open_cases: int


def patterns(rows: Iterable[CaseRow]) -> list[Pattern]:
    """Each instruction and clause the cases name, with the schools sharing it: the most
    widely shared first."""
    schools: dict[str, set[str]] = {}
    counts: dict[str, list[int]] = {}
    for row in rows:
        for issue in row.issues:
            schools.setdefault(issue, set()).add(row.school)
            tally = counts.setdefault(issue, [0, 0])
            tally[0] += 1
            tally[1] += row.status == "open"
    return sorted(
        (
            Pattern(issue, tuple(sorted(schools[issue])), counts[issue][0], counts[issue][1])
            for issue in schools
        ),
        key=lambda p: (-len(p.schools), -p.cases, p.issue),
    )


def by_stage(ladder: Ladder, rows: Iterable[CaseRow]) -> list[tuple[str, int]]:
    """How many cases are at each stage, in ladder order (with "Opened" first), and how
    many are resolved and closed."""
    counts: dict[str, int] = {"Opened": 0, **{s.label: 0 for s in ladder.stages}}
    ended = {"resolved": 0, "closed": 0}
    for row in rows:
        if row.status in ended:
            ended[row.status] += 1
        else:
            counts[row.stage] += 1
    return [*counts.items(), ("Resolved", ended["resolved"]), ("Closed", ended["closed"])]
