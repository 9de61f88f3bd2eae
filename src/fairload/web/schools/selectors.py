"""Selectors: reading school years and checking them with the core."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Any

from fairload.core.budgets import SchoolBudget
from fairload.core.check import CheckResult, run_check
from fairload.core.findings import severity_counts
from fairload.core.packs import load_bundled
from fairload.core.process import NOT_STARTED, Stage
from fairload.core.school_format import parse_school_year
from fairload.core.stage import agreement_status
from fairload.core.tables import tables_from_years
from fairload.web.accounts.models import UnionMembership
from fairload.web.schools.agreement_deadline import council_deadline
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import Council, School, SchoolYear
from fairload.web.schools.to_core import (
    school_year_document,
    to_core,
    year_agreement,
    year_name,
)


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
        return document_check(school_year_document(year), year_name(year))

    return _CHECKS.get_or_make(year_key(year), check)


def document_check(document: dict[str, Any], name: str) -> CheckResult:
    """The check of a year's document (school_year_document's) under its school's pack:
    what to_core and run_check make of it, from the document alone."""
    core = parse_school_year(document, name)
    return run_check(load_bundled(core.school.pack), tables_from_years([core]))


def school_year_budget(*, year: SchoolYear) -> SchoolBudget | None:
    """The school's budget against the pack (Appendix 1), kept like the check."""
    return _BUDGETS.get_or_make(
        year_key(year), lambda: school_year_check(year=year).school_budget(year.school.slug)
    )


@dataclass(frozen=True)
class SchoolStatus:
    """One school's line on the council overview."""

    school: School
    year: SchoolYear
    pack_title: str
    counts: dict[str, int]
    stage: Stage
    #: When the agreement is due: the pack's process deadline (by default the session's
    #: first day: JNCT2.7 section 16, drafted in the summer term, signed and submitted
    #: before the session), else the session's start.
    due: date
    overdue: bool
    has_process: bool
    #: the pack's process stages as (id, label), for the overview's filter
    stages: tuple[tuple[str, str], ...] = ()

    @property
    def needs_agreement(self) -> int:
        return self.counts["needs-agreement"]

    @property
    def why(self) -> str:
        """Why the agreement is behind: the first process step not done, in the check's
        own words where it has a finding about it."""
        return self.stage.why


#: The stage of a school whose pack describes no process.
NO_PROCESS = Stage(NOT_STARTED, "No agreement process", 0, False)


def council_statuses(*, council: Council, today: date) -> list[SchoolStatus]:
    """Every school of the council with its findings and agreement stage, checked in one
    pass per pack (the same frames-keyed-by-school path a country check takes)."""
    years = [y for s in council.schools.all() if (y := school_year_current(school=s))]
    deadlines = dict(council.agreement_deadlines.values_list("label", "due"))
    by_pack: dict[str, list[SchoolYear]] = defaultdict(list)
    for year in years:
        by_pack[year.school.pack].append(year)
    statuses: dict[int, SchoolStatus] = {}
    for pack_id, pack_years in by_pack.items():
        pack = load_bundled(pack_id)
        stages = (
            tuple((i, pack.process.stage_label(i)) for i in pack.process.stage_ids)
            if pack.process
            else ()
        )
        for start in {y.start for y in pack_years}:
            batch = [y for y in pack_years if y.start == start]
            result = run_check(pack, tables_from_years([to_core(y) for y in batch]))
            for year in batch:
                mine = [f for f in result.findings if f.school_id == year.school.slug]
                status = agreement_status(
                    pack,
                    year_agreement(year),
                    mine,
                    year.school.slug,
                    year_start=year.start,
                    today=today,
                    deadline=deadlines.get(year.label),
                    names=staff_names(year),
                )
                statuses[year.pk] = SchoolStatus(
                    school=year.school,
                    year=year,
                    pack_title=pack.title,
                    counts=severity_counts(mine),
                    stage=status.stage if status else NO_PROCESS,
                    due=(status.due if status else None) or year.start,
                    overdue=status.overdue if status else False,
                    has_process=status is not None,
                    stages=stages,
                )
    return [statuses[year.pk] for year in years]


def school_stage(*, year: SchoolYear, today: date | None = None) -> Stage | None:
    """The school's agreement stage from its pack's process over its record, with the
    check's finding against the step holding it back; None if its pack has no process."""
    pack = load_bundled(year.school.pack)
    status = agreement_status(
        pack,
        year_agreement(year),
        school_year_check(year=year).findings,
        year.school.slug,
        year_start=year.start,
        today=today or year.start,
        deadline=council_deadline(year),
        names=staff_names(year),
    )
    return status.stage if status else None


def staff_names(year: SchoolYear) -> dict[str, str]:
    """The year's people by staff id, for sentences that name them."""
    return dict(year.staff.values_list("staff_id", "name"))


#: A count of union members below this is shown as "fewer than" it, so no one can work
#: out a particular person's membership from a small school's figure.
SMALL_COUNT = 5


def member_count_text(count: int) -> str:
    return f"fewer than {SMALL_COUNT}" if count < SMALL_COUNT else str(count)


def union_member_counts(*, years: list[SchoolYear], unions: set[str]) -> dict[int, str]:
    """For each year's school, how many of its staff declare one of these unions, as text
    with small counts suppressed: never who."""
    counts: dict[int, int] = defaultdict(int)
    rows = UnionMembership.objects.filter(
        union__in=unions, user__staff_posts__school_year__in=years
    ).values_list("user__staff_posts__school_year_id", flat=True)
    for year_id in rows:
        counts[year_id] += 1
    return {year.pk: member_count_text(counts[year.pk]) for year in years}
