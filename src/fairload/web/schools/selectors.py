"""Selectors: reading school years and checking them with the core."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_bundled
from fairload.core.tables import tables_from_years
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import Council, School, SchoolYear
from fairload.web.schools.to_core import to_core


def school_year_current(*, school: School) -> SchoolYear | None:
    """The school's latest year (with its school attached, so reading it costs no query)."""
    year = school.years.order_by("-start").first()
    if year is not None:
        year.school = school
    return year


_CHECKS: Memo[CheckResult] = Memo()
_BUDGETS: Memo[SchoolBudget | None] = Memo()


def year_key(year: SchoolYear) -> tuple[int, int, str]:
    """What names a year's content exactly: any change bumps its revision."""
    return (year.pk, year.revision, year.school.pack)


def school_year_check(*, year: SchoolYear) -> CheckResult:
    """Every finding for the year under its school's pack, read at the year's start.

    Kept in this process under the year's revision (memo.py), so it is always the check of
    the stored year as it is now, whichever application server made it."""

    def check() -> CheckResult:
        core = to_core(year)
        return run_check(load_bundled(core.school.pack), tables_from_years([core]))

    return _CHECKS.get_or_make(year_key(year), check)


def school_year_budget(*, year: SchoolYear) -> SchoolBudget | None:
    """The school's budget against the pack (Appendix 1), kept like the check."""
    return _BUDGETS.get_or_make(
        year_key(year), lambda: school_year_check(year=year).school_budget(year.school.slug)
    )


#: The agreement's stage, furthest first (JNCT2.7 section 16): each needs the ones below.
STAGES = ("submitted", "signed", "approved", "consulted", "drafted", "not started")


def agreement_stage(agreement: dict[str, object]) -> str:
    """How far the school's agreement has got, from the dated steps it records."""
    process = agreement.get("process") or {}
    assert isinstance(process, dict)
    vote = process.get("vote") or {}
    roles = {s.get("role") for s in process.get("signatures", [])}
    approved = bool(vote) and vote.get("in_favour", 0) * 2 > vote.get("eligible", 0)
    if process.get("submitted") and approved:
        return "submitted"
    if {"head-teacher", "union-rep"} <= roles and approved:
        return "signed"
    if approved:
        return "approved"
    if process.get("consultation_closed"):
        return "consulted"
    if process.get("draft_prepared"):
        return "drafted"
    return "not started"


@dataclass(frozen=True)
class SchoolStatus:
    school: School
    year: SchoolYear
    counts: dict[str, int]
    stage: str
    overdue: bool

    @property
    def needs_agreement(self) -> int:
        return self.counts["needs-agreement"]


def council_statuses(*, council: Council, today: date) -> list[SchoolStatus]:
    """Every school of the council with its findings and agreement stage, checked in one
    pass per pack (the same frames-keyed-by-school path a country check takes)."""
    years = [y for s in council.schools.all() if (y := school_year_current(school=s))]
    by_pack: dict[str, list[SchoolYear]] = defaultdict(list)
    for year in years:
        by_pack[year.school.pack].append(year)
    counts: dict[int, dict[str, int]] = {}
    for pack_id, pack_years in by_pack.items():
        for start in {y.start for y in pack_years}:
            batch = [y for y in pack_years if y.start == start]
            result = run_check(
                load_bundled(pack_id), tables_from_years([to_core(y) for y in batch])
            )
            for year in batch:
                mine = [f for f in result.findings if f.school_id == year.school.slug]
                counts[year.pk] = {
                    s: sum(f.severity.value == s for f in mine)
                    for s in ("breach", "warning", "needs-agreement", "info")
                }
    statuses = []
    for year in years:
        stage = agreement_stage(year.agreement)
        statuses.append(
            SchoolStatus(
                year.school,
                year,
                counts[year.pk],
                stage,
                stage != "submitted" and today >= year.start,
            )
        )
    return statuses
