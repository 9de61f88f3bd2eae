"""The appeal's and the flexible approach's rows as the school-year format's parts.

``appeal_part`` is ``agreement.appeal`` (the informal meeting, the hearing, the
conclusion) and ``failure_part`` the report, ``agreement.process.failure_reported``, in the
school-year format's shape; the core reads the two as one
:class:`fairload.core.appeal.AppealRecord` (steps.py). ``flexible_parts`` is the plan
(``agreement.flexible_approach``) and its dated steps
(``agreement.process.flexible_approach``); ``live_parts_merge`` puts them into the year's
document (schools/to_core.py), so the checks (``flexible-approach-confirmed``, the
averaging of ``class-contact-max``) read the live record exactly as they read a file.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from fairload.web.appeals.models import (
    Appeal,
    AppealDocument,
    Conclusion,
    FlexibleApproach,
    Meeting,
)
from fairload.web.schools.models import SchoolYear


def _day(moment: Any) -> str:
    return timezone.localdate(moment).isoformat()


def _documents(appeal: Appeal, stage: str) -> list[dict[str, str]]:
    return [
        {"title": d.title, "kind": d.kind, "ref": d.ref}
        for d in appeal.documents.defer("content")
        if d.stage == stage
    ]


def _meeting(appeal: Appeal, meeting: Meeting) -> dict[str, Any]:
    part: dict[str, Any] = {"on": meeting.on.isoformat()}
    attendees = []
    for a in meeting.attendees.all():
        row: dict[str, Any] = {"name": a.name, "role": a.role}
        if a.nominee:
            row["nominee"] = True
        if a.called_by:
            row["called_by"] = a.called_by
        attendees.append(row)
    if attendees:
        part["attendees"] = attendees
    if documents := _documents(appeal, meeting.kind):
        part["documents"] = documents
    if meeting.outcome:
        part["outcome"] = meeting.outcome
    if meeting.notes:
        part["notes"] = meeting.notes
    return part


def appeal_part(appeal: Appeal) -> dict[str, Any]:
    """``agreement.appeal`` from the live rows (nothing unrecorded)."""
    part: dict[str, Any] = {}
    for meeting in appeal.meetings.all():
        part[meeting.kind] = _meeting(appeal, meeting)
    conclusion = Conclusion.objects.filter(appeal=appeal).first()
    if conclusion is not None:
        done: dict[str, Any] = {"on": conclusion.on.isoformat(), "decision": conclusion.decision}
        if conclusion.determines_arrangement:
            done["determines_arrangement"] = True
        if conclusion.decided_by:
            done["decided_by"] = list(conclusion.decided_by)
        if documents := _documents(appeal, AppealDocument.Stage.CONCLUSION):
            done["documents"] = documents
        part["conclusion"] = done
    return part


def failure_part(appeal: Appeal) -> dict[str, Any]:
    """``agreement.process.failure_reported``: the report that opened the appeal."""
    report = appeal.report
    part: dict[str, Any] = {"on": _day(report.started_at), "by": report.by}
    if report.text:
        part["reasons"] = [report.text]
    if documents := _documents(appeal, AppealDocument.Stage.REPORT):
        part["documents"] = documents
    return part


def flexible_current(school_id: int, label: str) -> FlexibleApproach | None:
    """The year's latest planned flexible approach (a new one supersedes the last)."""
    return (
        FlexibleApproach.objects.filter(school_id=school_id, label=label)
        .order_by("-submitted_at", "-pk")
        .first()
    )


def flexible_parts(
    approach: FlexibleApproach, cycle_weeks: int
) -> tuple[dict[str, Any] | None, dict[str, str]]:
    """The plan and its dated steps. Confirmed only once the Joint Secretaries confirm
    it (3.3); one not confirmed, or declined, is recorded as submitted only, so it is not in
    force. The plan is left out when the year's timetable cycle is no longer the one it
    averages over (the school submits it again)."""
    steps = {"submitted_on": _day(approach.submitted_at)}
    if approach.decision == FlexibleApproach.Decision.CONFIRMED and approach.decided_at:
        steps["confirmed_on"] = _day(approach.decided_at)
    plan = None
    if approach.cycle_weeks == cycle_weeks:
        plan = {
            "cycle_weeks": approach.cycle_weeks,
            "max_contact_hours_in_any_week": float(approach.max_contact_hours_in_any_week),
        }
    return plan, steps


def live_parts_merge(year: SchoolYear, document: dict[str, Any]) -> None:
    """Put the year's live flexible approach into its document (in place): it replaces
    what the year's file recorded of it, so the checks read the confirmation (3.3).

    The live appeal stays out of the document: no rule reads it, and the document is
    exported, checked and served by the API to people the appeal is not for (its record is
    for the parties and the Joint Secretaries only; ``steps.appeal_record`` reads it from
    the same parts for the core)."""
    approach = flexible_current(year.school_id, year.label)
    if approach is None:
        return
    agreement = dict(document.get("agreement") or {})
    process = dict(agreement.get("process") or {})
    plan, steps = flexible_parts(approach, document["school"].get("timetable_cycle_weeks", 1))
    process["flexible_approach"] = steps
    agreement.pop("flexible_approach", None)
    if plan is not None:
        agreement["flexible_approach"] = plan
    agreement["process"] = process
    document["agreement"] = agreement
