"""The one place the agreement app asks the core's process rules (fairload.core.process).

Which step may follow which, whether a gate is met, what the stage is, each role's next
step and whether a signature still stands are the core's, read from the pack's
process.yaml: the web stores the record (record.py) and asks here. No rule of the process
is written in the web.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fairload.core import process as core
from fairload.core.packs import load_bundled
from fairload.web.schools.agreement_deadline import council_deadline
from fairload.web.schools.models import SchoolYear


def content_hash(document: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of a document (the core's canonical form)."""
    return core.content_hash(document)


def year_process(year: SchoolYear) -> core.Process | None:
    """The pack's process; None for a pack that describes none."""
    return core.load_process(load_bundled(year.school.pack))


def year_record(year: SchoolYear) -> core.Record:
    """The year's process record, from its document's agreement part (the live record
    where the agreement is made here, else the file's)."""
    # to_core is imported here: it reads the agreement's record through record.py.
    from fairload.web.schools.selectors import staff_names
    from fairload.web.schools.to_core import year_agreement

    return core.record_of_agreement(year_agreement(year), staff_names(year))


def year_record_of(process: dict[str, Any], committee: dict[str, Any] | None = None) -> core.Record:
    """The core's record from an ``agreement.process`` part (and its committee)."""
    return core.record_from_school_year(process, committee)


def timeline(year: SchoolYear) -> list[core.TimelineEntry]:
    """The process's steps with whether each is done and when (the stage's timeline)."""
    process = year_process(year)
    return [] if process is None else core.timeline(process, year_record(year))


def step_refusal(year: SchoolYear, step_id: str, on: date) -> str | None:
    """Why the step may not be taken on ``on``, in the core's words; None if it may (and
    always for a pack with no process, which has no order to keep)."""
    process = year_process(year)
    if process is None:
        return None
    return core.may_do(process, year_record(year), step_id, on)


def refusals(year: SchoolYear, step_ids: tuple[str, ...], on: date) -> dict[str, str | None]:
    """``step_refusal`` for several steps over one reading of the record."""
    process = year_process(year)
    if process is None:
        return dict.fromkeys(step_ids)
    record = year_record(year)
    known = {step.id for step in process.steps}
    return {
        step_id: core.may_do(process, record, step_id, on) if step_id in known else None
        for step_id in step_ids
    }


def next_actions(year: SchoolYear, roles: list[str], on: date) -> list[core.Action]:
    """What someone in these process roles may do next, each step once, in order."""
    process = year_process(year)
    if process is None:
        return []
    record = year_record(year)
    deadline = council_deadline(year) or core.due_date(process, year.start)
    seen: dict[str, core.Action] = {}
    for role in roles:
        for action in core.next_actions(process, record, role, on, deadline):
            seen.setdefault(action.step_id, action)
    return list(seen.values())


def agreement_due(year: SchoolYear) -> date | None:
    """The day the agreement is due with the council (before it): the day the council set
    for the session, else the pack's deadline for the year, as the council overview reads
    it; None for a pack with none."""
    process = year_process(year)
    if process is None:
        return None
    return council_deadline(year) or core.due_date(
        process, year.start, load_bundled(year.school.pack).parameters
    )


def steps_done(year: SchoolYear) -> set[str]:
    """The process steps the year's record shows done (gates met), in the core's reading."""
    process = year_process(year)
    return set() if process is None else set(core.done_steps(process, year_record(year)))


def signatures_void(record: core.Record, current_hash: str) -> list[str]:
    return core.signatures_void(record, current_hash)
