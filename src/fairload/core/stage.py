"""How far a school's agreement has got, for the pages that show it: read from the pack's
process (process.yaml, :mod:`fairload.core.process`) over the school-year file's
``agreement`` record, with the check's finding against the step that holds it back.

No stage, step, role or figure is written here: they are the pack's.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fairload.core.findings import Finding
from fairload.core.process import (
    NOT_STARTED,
    Overdue,
    Process,
    Stage,
    due_date,
    overdue,
    record_of_agreement,
    stage,
    with_blocking,
)

if TYPE_CHECKING:
    from fairload.core.packs import Pack

__all__ = [
    "NOT_STARTED",
    "AgreementStatus",
    "Stage",
    "agreement_stage",
    "agreement_status",
    "has_process",
    "stage_choices",
]


def has_process(pack: Pack) -> bool:
    return pack.process is not None


@dataclass(frozen=True, slots=True)
class AgreementStatus:
    """A school's agreement: its stage, the day it is due, and the steps late today."""

    stage: Stage
    due: date | None
    late: tuple[Overdue, ...]

    @property
    def overdue(self) -> bool:
        return bool(self.late)


def agreement_status(
    pack: Pack,
    agreement: Mapping[str, Any],
    findings: Iterable[Finding],
    school_id: str,
    *,
    year_start: date,
    today: date,
    deadline: date | None = None,
    names: Mapping[str, str] | None = None,
) -> AgreementStatus | None:
    """The school's agreement under its pack's process, or None if the pack has none.

    ``agreement`` is the school-year file's ``agreement`` (its ``process`` record and
    ``committee``). The due day is ``deadline`` if the council set one, else the pack's
    (its deadline parameter's days before ``year_start``)."""
    process = pack.process
    if process is None:
        return None
    record = record_of_agreement(agreement, names)
    mine = [f for f in findings if f.school_id == school_id]
    found = with_blocking(process, stage(process, record, pack.parameters, today), mine)
    due = deadline or due_date(process, year_start, pack.parameters)
    return AgreementStatus(found, due, tuple(overdue(process, record, today, due)))


def agreement_stage(
    pack: Pack,
    agreement: Mapping[str, Any],
    findings: Iterable[Finding],
    school_id: str,
    at: date,
) -> Stage | None:
    """The school's stage under its pack's process on ``at``; None if it has none."""
    status = agreement_status(pack, agreement, findings, school_id, year_start=at, today=at)
    return status.stage if status else None


def stage_choices(processes: Iterable[Process | None]) -> list[tuple[str, str]]:
    """Every stage of these processes as (id, label), each once, in process order."""
    seen: dict[str, str] = {}
    for process in processes:
        if process is not None:
            for stage_id in process.stage_ids:
                seen.setdefault(stage_id, process.stage_label(stage_id))
    return list(seen.items())
