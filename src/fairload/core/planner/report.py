"""A plan's result as plain data (JSON and YAML), and as lines of text."""

from __future__ import annotations

from typing import Any

from fairload.core.check import CheckResult
from fairload.core.findings import Finding
from fairload.core.planner.model import Planner, PlanResult


def _breach(finding: Finding) -> dict[str, str]:
    return {"rule": finding.rule, "subject": finding.subject.label, "message": finding.message}


def _breaches(check: CheckResult | None) -> list[dict[str, str]]:
    if check is None:
        return []
    return [_breach(f) for f in check.findings if f.counts_as_breach]


def plan_report(
    planner: Planner, result: PlanResult, before: CheckResult | None = None
) -> dict[str, Any]:
    """Status, time, the objective's parts, the events proposed, which rules were
    planned and which only checked (and why), the check's breaches before and after,
    and, where no calendar exists, the explanation."""
    reasons = {rule.id: why for rule, why in planner.checked_only}
    document: dict[str, Any] = {
        "status": result.status,
        "seconds": round(result.seconds, 3),
        "objective": result.objective,
        "bound": result.bound,
        "gap": None if result.gap is None else round(result.gap, 6),
        "candidates": len(planner.candidates),
        "planned_rules": list(result.planned_rules),
        "checked_only": [{"rule": r, "why": reasons.get(r, "")} for r in result.checked_only],
    }
    if result.found:
        after = _breaches(result.check)
        earlier = _breaches(before)
        document["events"] = [
            {
                "id": e.id,
                "title": e.title,
                "category": e.category,
                "date": e.date.isoformat(),
                "start": f"{e.start:%H:%M}",
                "end": f"{e.end:%H:%M}",
                "attendees": len(e.attendees),
            }
            for e in sorted(result.events, key=lambda e: (e.date, e.start, e.id))
        ]
        document["changes"] = result.changes
        document["check"] = {
            "breaches_before": len(earlier),
            "breaches_after": len(after),
            "breaches_from_planned_events": [_breach(f) for f in result.added_breaches],
            "breaches": after,
        }
    if result.explanation is not None:
        document["explanation"] = result.explanation.as_dict()
    return document


def plan_lines(document: dict[str, Any]) -> list[str]:
    """The report in plain text."""
    lines = [f"Plan: {document['status']} in {document['seconds']:.2f} s"]
    if document["gap"]:
        lines[0] += f" (bound {document['bound']:g}, gap {document['gap']:.2%})"
    if document["status"] == "unknown":
        lines.append(
            "No calendar was found within the time limit, and none was proved impossible: "
            "give the solver longer."
        )
    for part, value in document["objective"].items():
        lines.append(f"  {part}: {value:g}")
    if "events" in document:
        lines.append(f"{len(document['events'])} events proposed:")
        lines += [
            f"  {e['date']} {e['start']}-{e['end']}  {e['title']} ({e['attendees']} staff)"
            for e in document["events"]
        ]
        changes = document["changes"]
        lines.append(
            f"Changes: {len(changes['moved'])} moved, {len(changes['added'])} added, "
            f"{len(changes['removed'])} removed"
        )
        check = document["check"]
        lines.append(
            f"Check of the proposed calendar: {check['breaches_after']} breaches "
            f"(the current calendar: {check['breaches_before']}); "
            f"{len(check['breaches_from_planned_events'])} from the planned events or rules"
        )
        lines += [f"  - {b['rule']}: {b['message']}" for b in check["breaches"]]
    lines.append("Planned rules: " + ", ".join(document["planned_rules"]))
    lines.append(
        f"Only checked, not planned ({len(document['checked_only'])}): "
        + ", ".join(c["rule"] for c in document["checked_only"])
    )
    if "explanation" in document:
        explanation = document["explanation"]
        lines.append("No calendar meets every hard wish and rule. Together these conflict:")
        lines += [
            f"  - {c['text']}" + (f" ({c['clause']})" if c["clause"] else "")
            for c in explanation["conflicts"]
        ]
        lines += [f"  {s}" for s in explanation["explanation"]]
    return lines
