"""What the API answers about a ballot (web/api/routes.py and agreement_routes.py serve
it)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema

from fairload.web.ballots.models import Ballot
from fairload.web.ballots.selectors import ballot_paper_current, ballot_result


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


def ballot_out(ballot: Ballot) -> dict[str, Any]:
    """A ballot's state as BallotOut; its result (tally, turnout, outcome, who voted) only
    once closed (ballot_result answers None before, whoever asks)."""
    found = ballot_result(ballot=ballot)
    return {
        "id": ballot.pk,
        "question": ballot.question,
        "subject_kind": ballot.subject_kind,
        "subject_id": ballot.subject_id,
        "state": ballot.state,
        "opened_at": ballot.opened_at,
        "closes_at": ballot.closes_at,
        "closed_at": ballot.closed_at,
        "electorate": ballot.electorate_size,
        "paper": ballot_paper_current(ballot=ballot).number,
        "threshold": ballot.threshold,
        "result": None
        if found is None
        else {
            "outcome": found.outcome,
            "voted": found.voted,
            "did_not_vote": found.did_not_vote,
            "receipts": found.receipts,
        },
    }
