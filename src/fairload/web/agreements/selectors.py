"""Reading a school year's agreement: its headings, versions, comments, signatures, and
each draft checked live (the same check as the dashboard's, over the version's figures)."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from django.db.models import F

from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.web.agreements.models import (
    Agreement,
    AgreementVersion,
    Comment,
    Submission,
)
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import Council, SchoolYear
from fairload.web.schools.selectors import school_year_budget, year_key


@dataclass(frozen=True)
class Heading:
    """A budget heading the agreement allocates hours to, with the pack's default."""

    id: str
    label: str
    default: float | None
    clause: str


def agreement_of(*, year: SchoolYear) -> Agreement | None:
    agreement = Agreement.objects.filter(school=year.school, label=year.label).first()
    if agreement is not None:
        agreement.school_year = year
    return agreement


def headings(*, year: SchoolYear) -> list[Heading]:
    """The pack's budget headings a school may agree hours for (2.2): the allocation lines
    and the remainder, with the pack's default at the year's start."""
    pack = load_bundled(year.school.pack)
    if pack.budget is None:
        return []
    budget = school_year_budget(year=year)
    defaults = {line.id: line.default_hours for line in budget.lines} if budget else {}
    return [
        Heading(
            id=line.id,
            label=line.label,
            default=defaults.get(line.id),
            clause=line.reference.clause if line.reference else "",
        )
        for line in pack.budget.lines
        if line.school and line.teacher in ("allocation", "remainder")
    ]


@dataclass(frozen=True)
class AllocationRow:
    heading: Heading
    hours: float | None

    @property
    def by_agreement(self) -> bool:
        """A departure from the pack's default, agreed by the school (2.2)."""
        return self.hours is not None and self.hours != self.heading.default


def allocation_rows(*, year: SchoolYear, version: AgreementVersion) -> list[AllocationRow]:
    return [
        AllocationRow(heading=h, hours=version.allocations.get(h.id, h.default))
        for h in headings(year=year)
    ]


_CHECKS: Memo[CheckResult] = Memo()


def allocations_check(
    *, year: SchoolYear, allocations: dict[str, float], label: str
) -> CheckResult:
    """The year checked as the dashboard checks it, with these allocations in place of the
    recorded ones: the same findings the year would have under them."""
    from fairload.web.schools.to_core import school_year_document

    document = copy.deepcopy(school_year_document(year))
    document.setdefault("agreement", {})["allocations"] = dict(allocations)
    core = parse_school_year(document, f"{year.school.slug} {year.label} {label}")
    return run_check(load_bundled(core.school.pack), tables_from_years([core]))


def version_check(*, year: SchoolYear, version: AgreementVersion) -> CheckResult:
    """The year checked under this version's allocations (kept per version and revision)."""
    return _CHECKS.get_or_make(
        (*year_key(year), version.pk),
        lambda: allocations_check(
            year=year, allocations=version.allocations, label=f"v{version.number}"
        ),
    )


def draft_check(*, year: SchoolYear, allocations: dict[str, float]) -> CheckResult:
    """The year checked under a draft's figures not yet saved (as the person types), kept
    per figures and revision so retyping a figure costs no second check."""
    key = (*year_key(year), "draft", tuple(sorted(allocations.items())))
    return _CHECKS.get_or_make(
        key, lambda: allocations_check(year=year, allocations=allocations, label="draft")
    )


def year_events(*, year: SchoolYear) -> list[dict[str, Any]]:
    """The year's events in the school-year format's shape: the agreement's calendar."""
    from fairload.web.schools.to_core import school_year_document

    return list(school_year_document(year, with_agreement=False)["events"])


def comments_for(*, agreement: Agreement) -> list[Comment]:
    return list(
        Comment.objects.filter(agreement=agreement).select_related("version", "answer_version")
    )


def unanswered_count(*, agreement: Agreement) -> int:
    return Comment.objects.filter(agreement=agreement, answered_at__isnull=True).count()


def submission_current(*, agreement: Agreement) -> Submission | None:
    return (
        Submission.objects.filter(version__agreement=agreement)
        .select_related("version")
        .order_by("-submitted_at", "-pk")
        .first()
    )


def council_queue(*, council: Council) -> list[Submission]:
    """The council's submitted agreements, those awaiting a decision first."""
    rows = Submission.objects.filter(version__agreement__school__council=council).select_related(
        "version__agreement__school", "submitted_by", "decided_by"
    )
    return sorted(rows, key=lambda s: (s.decision != Submission.Decision.PENDING, -s.pk))


def previous_year_version(*, year: SchoolYear) -> AgreementVersion | None:
    """This school's last agreement before the year: its final version if it had one,
    else its latest draft (next year's draft starts as a copy of it)."""
    earlier = (
        AgreementVersion.objects.filter(
            agreement__school=year.school,
            agreement__year_start__lt=year.start,
        )
        .order_by("-agreement__year_start", F("final_at").desc(nulls_last=True), "-number")
        .first()
    )
    return earlier
