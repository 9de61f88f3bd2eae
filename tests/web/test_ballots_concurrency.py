"""One vote per elector under real concurrency: threads, each with its own database
connection, against the service on a server database.

Only PostgreSQL has the row locks and concurrent writers this is about (`make test` runs
tests/web again on a throwaway PostgreSQL 15); SQLite serialises every writer, so these
skip there with the reason.
"""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection, connections

from fairload.core.ballots import Choice
from fairload.web.ballots.models import Participation, Vote
from fairload.web.ballots.services import BallotRefused, ballot_close, ballot_vote

from .ballot_helpers import AFTER, DURING, electors_for, make_voters, open_agreement_ballot

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="concurrent writers need PostgreSQL (make test runs tests/web on it)",
    ),
]

#: Threads at once: the throwaway server allows 100 connections, and pytest -n 2 uses some.
WORKERS = 50


def _in_thread(call):  # type: ignore[no-untyped-def]
    """Run ``call`` on this thread's own connection, closed after."""

    def run(*args):  # type: ignore[no-untyped-def]
        try:
            return call(*args)
        finally:
            connections.close_all()

    return run


def _vote(ballot, voter, choice, start):  # type: ignore[no-untyped-def]
    start.wait()
    try:
        return ballot_vote(ballot=ballot, voter=voter, choice=choice, now=DURING)
    except BallotRefused:
        return None


def test_200_electors_voting_at_once_give_200_papers_and_200_participations(cast, schools):
    voters = make_voters(200)
    ballot = open_agreement_ballot(
        school=schools["test-academy"], actor=cast["head"], electorate=electors_for(voters)
    )
    start = threading.Barrier(WORKERS, timeout=60)
    choices = [Choice.YES if i % 3 else Choice.NO for i in range(200)]

    with ThreadPoolExecutor(WORKERS) as pool:
        receipts = list(pool.map(_in_thread(_vote), [ballot] * 200, voters, choices, [start] * 200))

    assert None not in receipts and len(set(receipts)) == 200
    assert Vote.objects.filter(paper__ballot=ballot).count() == 200
    assert Participation.objects.filter(paper__ballot=ballot).count() == 200
    closed = ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)
    assert closed.result["tally"] == {
        "electorate": 200,
        "yes": choices.count(Choice.YES),
        "no": choices.count(Choice.NO),
        "votes_cast": 200,
    }


def test_one_elector_submitting_many_times_at_once_gets_one_vote(cast, schools):
    voters = make_voters(3)
    ballot = open_agreement_ballot(
        school=schools["test-academy"], actor=cast["head"], electorate=electors_for(voters)
    )
    tries = 20
    start = threading.Barrier(tries, timeout=60)

    with ThreadPoolExecutor(tries) as pool:
        receipts = list(
            pool.map(
                _in_thread(_vote),
                [ballot] * tries,
                [voters[0]] * tries,
                [Choice.YES, Choice.NO] * (tries // 2),
                [start] * tries,
            )
        )

    assert len([r for r in receipts if r is not None]) == 1
    assert Vote.objects.filter(paper__ballot=ballot).count() == 1
    assert Participation.objects.filter(paper__ballot=ballot).count() == 1
