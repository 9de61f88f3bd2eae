"""What the API answers about a school year's agreement (web/api/agreement_routes.py
serves it): the shapes, named as the OpenAPI document shows them."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema


class StageOut(Schema):
    """The core's stage over the year's record (fairload.core.process.stage)."""

    id: str
    label: str
    rank: int
    complete: bool
    #: the first step not done, and why (the check's finding's words where it has one)
    waiting: str | None
    why: str


class TimelineStepOut(Schema):
    step: str
    label: str
    done: bool
    on: date | None
    stage: str | None


class ConsultationOut(Schema):
    version: int | None
    opened_at: datetime
    closes_at: datetime | None
    closed_at: datetime | None


class SignatureOut(Schema):
    name: str
    role: str
    version: int
    signed_at: datetime
    sha256: str
    #: whether it still stands; if not, what changed since, part by part
    holds: bool
    why_void: list[str]


class SubmissionOut(Schema):
    version: int
    submitted_at: datetime
    decision: str
    decided_at: datetime | None
    reasons: str


class AgreementOut(Schema):
    """The year's agreement as its page shows it. ``started`` is false before a draft is
    made here (the stage is then the year file's record)."""

    school: str
    year: str
    started: bool
    stage: StageOut | None
    timeline: list[TimelineStepOut]
    latest_version: int | None = None
    final_version: int | None = None
    consultation: ConsultationOut | None = None
    #: the approval ballot on the final version, at /agreement/ballot
    ballot: int | None = None
    signatures: list[SignatureOut] = Field(default_factory=list)
    submission: SubmissionOut | None = None


class VersionSummaryOut(Schema):
    number: int
    created_at: datetime
    note: str
    final: bool
    final_at: datetime | None


class AllocationOut(Schema):
    """Hours a year per full-time teacher under one heading, against the pack's default;
    ``by_agreement``: a departure from it (2.2)."""

    heading: str
    label: str
    clause: str
    default: float | None
    hours: float | None
    by_agreement: bool


class VersionOut(VersionSummaryOut):
    allocations: list[AllocationOut]
    additional_reporting: str
    union_meeting_time: str
    unallocated_time: str
    offsite_protocol: str
    #: the year's events as the version has them (the school-year format's shape)
    calendar: list[dict[str, Any]]
    #: the year checked under this version: findings per severity
    findings: dict[str, int]
