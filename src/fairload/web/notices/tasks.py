"""The worker's tasks (run by `fairload-web notices_worker`, or `db_worker` itself), and
the receiver that queues them when a ballot has told its electors.

Arguments are ids and ISO times, never rows: a task row holds only what JSON can.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.dispatch import receiver
from django_tasks import task

from fairload.web.ballots.models import Ballot, BallotNotice
from fairload.web.ballots.signals import ballot_notices_made
from fairload.web.notices import ballot_hook
from fairload.web.notices.services import notice_deliver


@task()
def notice_send(notice_id: int) -> str:
    """Send one notice (services.notice_deliver), recording when or why not."""
    return notice_deliver(notice_id=notice_id)


@task()
def ballot_notices_queue() -> int:
    """Turn the ballots' unsent notices into queued emails (ballot_hook.py)."""
    return ballot_hook.ballot_notices_to_queue()


@task()
def ballot_closing_remind(ballot_id: int, closes_at: str) -> int:
    """Remind the electors that a ballot closes soon, unless it has closed or been given a
    new closing time since this reminder was scheduled."""
    return ballot_hook.ballot_closing_reminder(
        ballot_id=ballot_id, closes_at=datetime.fromisoformat(closes_at)
    )


@receiver(ballot_notices_made, sender=Ballot)
def _ballot_notices_made(
    sender: Any, ballot: Ballot, kind: str, now: datetime, **kwargs: Any
) -> None:
    """In the ballot step's transaction: queue its notices, and the reminder."""
    ballot_notices_queue.enqueue()
    if kind in (BallotNotice.Kind.OPENED, BallotNotice.Kind.REISSUED):
        at = ballot_hook.reminder_time(ballot, now)
        if at is not None:
            ballot_closing_remind.using(run_after=at).enqueue(
                ballot.pk, ballot.closes_at.isoformat()
            )
