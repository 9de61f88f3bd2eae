"""The check before and after an import: which findings it would bring, clear or change."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from fairload.core.check import run_check
from fairload.core.compare import ChangedFinding, Comparison, compare_findings
from fairload.core.errors import FairloadError, InputError, Location
from fairload.core.findings import Finding, Severity
from fairload.core.packs import load_bundled
from fairload.core.tables import tables_from_years
from fairload.web.schools.selectors import school_year_check

if TYPE_CHECKING:
    from fairload.web.imports.plans import Plan


@dataclass
class CheckChanges:
    """The check of the stored year against the check of the year after the import."""

    comparison: Comparison
    pack_title: str

    @property
    def rows(self) -> list[dict[str, Any]]:
        before, after = self.comparison.counts_before, self.comparison.counts_after
        return [
            {"severity": s.value, "before": before[s.value], "after": after[s.value]}
            for s in Severity
        ]

    @property
    def appear(self) -> tuple[Finding, ...]:
        return self.comparison.appeared

    @property
    def clear(self) -> tuple[Finding, ...]:
        return self.comparison.cleared

    @property
    def changed(self) -> tuple[ChangedFinding, ...]:
        return self.comparison.changed


def check_changes(plan: Plan) -> CheckChanges | InputError:
    """Findings that the import would bring, clear or change, with counts by severity;
    or the problem that stops the year being checked at all."""
    assert plan.after is not None
    try:
        pack = load_bundled(plan.after.school.pack)
        after = run_check(pack, tables_from_years([plan.after]))
        before = school_year_check(year=plan.stored) if plan.stored is not None else None
    except InputError as error:
        return error
    except FairloadError as error:
        return InputError(str(error), Location(plan.filename))
    comparison = compare_findings(before.findings if before else (), after.findings)
    return CheckChanges(comparison=comparison, pack_title=pack.title)
