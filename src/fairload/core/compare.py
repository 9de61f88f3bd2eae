"""What a change did to a check: the findings that appeared, cleared, or changed figures.

Two checks of the same school year, before and after an edit, are compared finding by
finding. A finding's ``id`` ends in its position among the rule's violations, which moves
when another violation comes or goes, so findings are matched on what they are about:
the rule, the school and the subject (kind and id). Where one rule has several findings
about the same subject, identical ones are paired first and the rest in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from fairload.core.check import CheckResult
from fairload.core.findings import Finding, Severity, severity_counts

#: What identifies a finding across two checks (``Finding.key``: rule and cause).
FindingKey = str


def finding_key(finding: Finding) -> FindingKey:
    """The rule, school and subject a finding is about, which an edit does not move."""
    return finding.key


def _figures(finding: Finding) -> tuple[Any, ...]:
    return (finding.severity, finding.actual, finding.limit, finding.message)


@dataclass(frozen=True, slots=True)
class ChangedFinding:
    """A finding present before and after whose figures, sentence or severity changed."""

    before: Finding
    after: Finding

    @property
    def severity_changed(self) -> bool:
        return self.before.severity is not self.after.severity

    def as_dict(self) -> dict[str, Any]:
        return {
            "rule": self.after.rule,
            "subject": self.after.subject.as_dict(),
            "before": _summary(self.before),
            "after": _summary(self.after),
        }


def _summary(finding: Finding) -> dict[str, Any]:
    """A finding in a few JSON-safe fields: enough to say what it is and why."""
    summary = {
        "rule": finding.rule,
        "title": finding.title,
        "severity": finding.severity.value,
        "subject": finding.subject.as_dict(),
        "document": finding.reference.document.title,
        "clause": finding.reference.clause,
        "message": finding.message,
        "actual": finding.actual,
        "limit": finding.limit,
    }
    if finding.mandate_note:  # an instruction read outside its mandate says so here too
        summary["mandate_note"] = finding.mandate_note
    return summary


def _counts(findings: Iterable[Finding]) -> dict[str, int]:
    return severity_counts(findings)


def _plural(count: int, one: str, many: str) -> str:
    return f"{count} {one if count == 1 else many}"


@dataclass(frozen=True, slots=True)
class Comparison:
    """The difference between two checks of a school year."""

    appeared: tuple[Finding, ...]
    cleared: tuple[Finding, ...]
    changed: tuple[ChangedFinding, ...]
    unchanged: int
    counts_before: dict[str, int]
    counts_after: dict[str, int]

    @property
    def has_changes(self) -> bool:
        return bool(self.appeared or self.cleared or self.changed)

    @property
    def count_changes(self) -> dict[str, int]:
        """After minus before, for every severity (breach first)."""
        return {s.value: self.counts_after[s.value] - self.counts_before[s.value] for s in Severity}

    def headline(self) -> str:
        """One phrase: ``2 findings appeared, 1 cleared`` (and how many changed figures)."""
        counts = [
            (len(self.appeared), "appeared"),
            (len(self.cleared), "cleared"),
            (len(self.changed), "changed"),
        ]
        parts = [(n, verb) for n, verb in counts if n]
        if not parts:
            return "No findings appeared, cleared or changed"
        first, verb = parts[0]
        words = [f"{_plural(first, 'finding', 'findings')} {verb}"]
        words += [f"{n} {verb}" for n, verb in parts[1:]]
        return ", ".join(words)

    def as_dict(self) -> dict[str, Any]:
        """JSON-safe: for a session, an API answer or an audit entry."""
        return {
            "headline": self.headline(),
            "appeared": [_summary(f) for f in self.appeared],
            "cleared": [_summary(f) for f in self.cleared],
            "changed": [c.as_dict() for c in self.changed],
            "unchanged": self.unchanged,
            "counts_before": dict(self.counts_before),
            "counts_after": dict(self.counts_after),
            "count_changes": self.count_changes,
        }


def compare_findings(before: Sequence[Finding], after: Sequence[Finding]) -> Comparison:
    """Findings that appeared, cleared and changed between two lists of findings."""
    old: dict[FindingKey, list[Finding]] = defaultdict(list)
    new: dict[FindingKey, list[Finding]] = defaultdict(list)
    for finding in before:
        old[finding_key(finding)].append(finding)
    for finding in after:
        new[finding_key(finding)].append(finding)
    appeared: list[Finding] = []
    cleared: list[Finding] = []
    changed: list[ChangedFinding] = []
    unchanged = 0
    for key in dict.fromkeys([*old, *new]):
        was, now = list(old.get(key, [])), list(new.get(key, []))
        # Identical findings first, so one new finding among several does not make every
        # later one look changed.
        for finding in list(now):
            same = next((w for w in was if _figures(w) == _figures(finding)), None)
            if same is not None:
                was.remove(same)
                now.remove(finding)
                unchanged += 1
        for earlier, later in zip(was, now, strict=False):
            changed.append(ChangedFinding(earlier, later))
        paired = min(len(was), len(now))
        cleared.extend(was[paired:])
        appeared.extend(now[paired:])
    order = {finding.id: n for n, finding in enumerate(after)}
    order_before = {finding.id: n for n, finding in enumerate(before)}
    return Comparison(
        appeared=tuple(sorted(appeared, key=lambda f: order[f.id])),
        cleared=tuple(sorted(cleared, key=lambda f: order_before[f.id])),
        changed=tuple(sorted(changed, key=lambda c: order[c.after.id])),
        unchanged=unchanged,
        counts_before=_counts(before),
        counts_after=_counts(after),
    )


def compare_checks(before: CheckResult, after: CheckResult) -> Comparison:
    """What changed between two checks of the same school year (before and after an edit)."""
    return compare_findings(before.findings, after.findings)
