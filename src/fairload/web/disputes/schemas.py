"""The API's shapes for a dispute case (api/dispute_routes.py)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Schema


class StageOut(Schema):
    stage: str | None
    label: str
    rank: int
    status: str
    reason: str
    caveats: list[str]


class NextStepOut(Schema):
    step: str
    label: str
    roles: list[str]
    due: date | None


class CaseSummaryOut(Schema):
    id: int
    school: str
    union: str
    title: str
    opened_at: datetime
    stage: StageOut
    next_steps: list[NextStepOut]
    overdue: list[str]


class CaseOut(CaseSummaryOut):
    pack: str
    #: the core's case record (fairload.core.dispute_case.case_to_dict)
    record: dict[str, Any]
    timeline: list[dict[str, Any]]
