"""A union's local officer's view of their cases across the council (issue 12, section
5): by stage, by instruction, by age, what is overdue, and the pattern view (which
instructions and clauses are disputed in how many schools).

Which cases are the officer's is web/disputes' (``cases_for_council``: the cases of the
council's schools for the unions they are a local officer of; nobody else gets any);
the rows, counts and patterns are the core's (``fairload.core.dispute_patterns``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from fairload.core.dispute_patterns import CaseRow, Pattern, by_stage, case_rows, patterns
from fairload.web.accounts.policies import User
from fairload.web.disputes.models import Case
from fairload.web.disputes.selectors import case_core, case_ladder, cases_for_council
from fairload.web.schools.models import Council

#: How old a case is, in days: the view's age bands (the youngest first).
AGE_BANDS = ((0, 30, "Under 30 days"), (30, 90, "30 to 89 days"), (90, None, "90 days or more"))


@dataclass(frozen=True)
class LadderCases:
    """The cases on one ladder (one pack): rows, counts by stage."""

    title: str
    rows: tuple[CaseRow, ...]
    stages: tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class CouncilCases:
    council: Council
    ladders: tuple[LadderCases, ...]
    patterns: tuple[Pattern, ...]
    cases: dict[str, Case]
    today: date

    @property
    def rows(self) -> list[CaseRow]:
        return sorted(
            (r for lc in self.ladders for r in lc.rows),
            key=lambda r: (-r.rank, r.opened, r.school, r.case_id),
        )

    @property
    def titled(self) -> list[tuple[CaseRow, str]]:
        """The rows with each case's title: a school's cases are told apart by it."""
        return [(r, self.cases[r.case_id].title) for r in self.rows]

    @property
    def overdue(self) -> list[CaseRow]:
        return [r for r in self.rows if r.overdue]

    @property
    def ages(self) -> list[tuple[str, int]]:
        rows = [r for r in self.rows if r.status == "open"]
        return [
            (label, sum(low <= r.age_days and (high is None or r.age_days < high) for r in rows))
            for low, high, label in AGE_BANDS
        ]

    @property
    def instructions(self) -> list[tuple[int, int, int]]:
        """(instruction, cases naming it, schools) by instruction number."""
        found: dict[int, tuple[int, set[str]]] = {}
        for row in self.rows:
            for number in row.instructions:
                count, schools = found.get(number, (0, set()))
                found[number] = (count + 1, schools | {row.school})
        return [(n, c, len(s)) for n, (c, s) in sorted(found.items())]


def council_cases(user: User, council: Council, today: date) -> CouncilCases:
    """The officer's cases in the council, read by the core at ``today``."""
    cases = list(cases_for_council(user, council).select_related("school"))
    by_pack: dict[str, list[Case]] = {}
    for case in cases:
        by_pack.setdefault(case.pack, []).append(case)
    ladders = []
    for group in by_pack.values():
        ladder = case_ladder(group[0])
        rows = case_rows(ladder, ((c.school.name, str(c.pk), case_core(c)) for c in group), today)
        ladders.append(LadderCases(ladder.title, tuple(rows), tuple(by_stage(ladder, rows))))
    all_rows = [r for lc in ladders for r in lc.rows]
    return CouncilCases(
        council,
        tuple(ladders),
        tuple(patterns(all_rows)),
        {str(c.pk): c for c in cases},
        today,
    )


def _csv(header: list[str], rows: Iterable[list[object]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    for row in rows:
        # a cell a spreadsheet would run as a formula is written as text
        writer.writerow(
            ["'" + v if isinstance(v, str) and v[:1] in ("=", "+", "-", "@") else v for v in row]
        )
    return out.getvalue()


def patterns_csv(view: CouncilCases) -> str:
    """The pattern view as CSV: an issue a row, the schools sharing it."""
    return _csv(
        ["issue", "schools", "school_names", "cases", "open_cases"],
        (
            [p.issue, len(p.schools), "; ".join(p.schools), p.cases, p.open_cases]
            for p in view.patterns
        ),
    )


def cases_csv(view: CouncilCases) -> str:
    """Every case a row (the core's CaseRow.as_dict), with its title."""
    rows = view.rows
    header = [
        "title",
        *(
            rows[0].as_dict()
            if rows
            else CaseRow("", "", "", 0, "", view.today, 0, (), (), ()).as_dict()
        ),
    ]
    return _csv(
        header,
        ([view.cases[r.case_id].title, *r.as_dict().values()] for r in rows),
    )
