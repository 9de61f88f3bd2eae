"""What the API answers about a ballot (web/api/routes.py serves it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema


class BallotResultOut(Schema):
    outcome: dict[str, Any]
    voted: list[str]
    did_not_vote: list[str]
    receipts: list[str]


class BallotOut(Schema):
    """A ballot's state; ``result`` is null until it closes, whoever asks."""

    id: int
    question: str
    subject_kind: str
    subject_id: str
    state: str
    opened_at: datetime
    closes_at: datetime
    closed_at: datetime | None
    electorate: int
    paper: int
    threshold: dict[str, Any]
    result: BallotResultOut | None
