"""The one place the appeals app asks the core's process rules.

The appeal's order, gates, stage, timeline, next steps and what is overdue are
fairload.core.process's functions over the pack's ``appeal.yaml`` and the appeal's record
(fairload.core.appeal); the web stores the rows (record.py) and asks here.
"""

from __future__ import annotations

from datetime import date

from fairload.core import appeal as core_appeal
from fairload.core import process as core
from fairload.core.packs import load_bundled
from fairload.web.appeals.models import Appeal
from fairload.web.appeals.record import appeal_part, failure_part
from fairload.web.schools.models import School


def appeal_process(school: School) -> core.Process | None:
    """The pack's appeal process; None for a pack that describes none."""
    return core_appeal.load_appeal(load_bundled(school.pack))


def appeal_record(appeal: Appeal) -> core_appeal.AppealRecord:
    """The appeal's record, from the same parts the year's document carries."""
    return core_appeal.appeal_from_school_year(
        {"process": {"failure_reported": failure_part(appeal)}, "appeal": appeal_part(appeal)}
    )


def refusal(appeal: Appeal, step_id: str, on: date) -> str | None:
    """Why the step may not be taken on ``on``, in the core's words; None if it may."""
    process = appeal_process(appeal.school)
    if process is None:
        return "This council's agreement describes no appeal."
    return core.may_do(process, appeal_record(appeal), step_id, on)


def gate(appeal: Appeal, step_id: str) -> core.GateResult:
    process = appeal_process(appeal.school)
    assert process is not None
    return core.gate(process, appeal_record(appeal), step_id)


def stage(appeal: Appeal) -> core.Stage | None:
    process = appeal_process(appeal.school)
    return None if process is None else core.stage(process, appeal_record(appeal))


def timeline(appeal: Appeal, on: date) -> list[core.TimelineEntry]:
    process = appeal_process(appeal.school)
    return [] if process is None else core.timeline(process, appeal_record(appeal), on)


def next_actions(appeal: Appeal, roles: list[str], on: date) -> list[core.Action]:
    """What someone in these appeal roles may do next, each step once, in order."""
    process = appeal_process(appeal.school)
    if process is None:
        return []
    record = appeal_record(appeal)
    seen: dict[str, core.Action] = {}
    for role in roles:
        for action in core.next_actions(process, record, role, on):
            seen.setdefault(action.step_id, action)
    return list(seen.values())


def overdue(appeal: Appeal, today: date) -> list[core.Overdue]:
    """The appeal's late steps (section 17 sets no deadline, so none unless a pack does)."""
    process = appeal_process(appeal.school)
    return [] if process is None else core.overdue(process, appeal_record(appeal), today, None)


def step_reference(school: School, step_id: str) -> str:
    """The clause a step cites, e.g. '17.3 (first)'."""
    process = appeal_process(school)
    return "" if process is None else process.step(step_id).reference.clause
