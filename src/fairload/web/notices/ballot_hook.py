"""Ballots tell their electors through the queue.

A ballot step (open, reissue, close) writes a BallotNotice for every elector and sends
``ballot_notices_made`` in its transaction; tasks.py answers by queueing
``ballot_notices_queue``, which turns the unsent notices into emails here, and, when a
ballot opens or its paper is reissued, by scheduling the "closes in 2 days" reminder for
two days before its closing time (the database backend holds a task until its
``run_after``). Every elector is told every time, voted or not, so no notice says who
voted (docs/decisions/0004-ballot-secrecy.md); no email holds a vote or a tally.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from django.urls import reverse
from django.utils import timezone

from fairload.web.ballots.models import Ballot, BallotNotice
from fairload.web.ballots.selectors import (
    ballot_electors_with_login,
    ballot_notices_unsent,
    ballot_papers_withdrawn,
)
from fairload.web.ballots.services import ballot_notice_mark_sent
from fairload.web.notices import kinds
from fairload.web.notices.services import notify

#: The reminder goes this long before a ballot closes (issue 10, section 7).
REMIND_BEFORE = timedelta(days=2)

_KIND = {
    BallotNotice.Kind.OPENED: kinds.BALLOT_OPEN,
    BallotNotice.Kind.REISSUED: kinds.BALLOT_REISSUED,
    BallotNotice.Kind.CLOSED: kinds.BALLOT_CLOSED,
}


def ballot_link(ballot: Ballot) -> str:
    return reverse("ballot-detail", args=[ballot.school.slug, ballot.pk])


def _reason(ballot: Ballot, at: datetime) -> str:
    paper = ballot_papers_withdrawn(ballot=ballot).filter(withdrawn_at=at).first()
    return paper.withdrawn_reason if paper and paper.withdrawn_reason else "a correction"


def ballot_notices_to_queue(*, now: datetime | None = None) -> int:
    """Queue an email for every unsent ballot notice and mark it handed over. Safe to run
    twice at once or again after a crash: notify() makes one notice per subject."""
    groups: dict[tuple[int, str, datetime], list[BallotNotice]] = defaultdict(list)
    for notice in ballot_notices_unsent():
        groups[(notice.ballot_id, notice.kind, notice.created_at)].append(notice)
    queued = 0
    for (_, kind, created_at), notices in groups.items():
        ballot = notices[0].ballot
        if kind != BallotNotice.Kind.CLOSED and ballot.state != "open":
            # left from before the worker ran: "vote" would be wrong now; "closed" will say
            for notice in notices:
                ballot_notice_mark_sent(notice=notice, now=now or timezone.now())
            continue
        context = {"question": ballot.question}
        if kind == BallotNotice.Kind.REISSUED:
            context["reason"] = _reason(ballot, created_at)
        queued += len(
            notify(
                _KIND[BallotNotice.Kind(kind)],
                [n.elector.person for n in notices if n.elector.person is not None],
                context,
                school=ballot.school,
                about=f"ballot:{ballot.pk}:{kind}:{created_at.isoformat()}",
                link=ballot_link(ballot),
                deadline=None if kind == BallotNotice.Kind.CLOSED else ballot.closes_at,
                now=now,
            )
        )
        for notice in notices:
            ballot_notice_mark_sent(notice=notice, now=now or timezone.now())
    return queued


def ballot_closing_reminder(
    *, ballot_id: int, closes_at: datetime, now: datetime | None = None
) -> int:
    """The "closes in 2 days" reminder, if the ballot is still open and still closes at
    ``closes_at`` (a reissue gives it a new time, and a reminder of its own)."""
    now = now or timezone.now()
    ballot = Ballot.objects.select_related("school").filter(pk=ballot_id).first()
    if ballot is None or ballot.state != "open" or ballot.closes_at != closes_at:
        return 0
    if now >= ballot.closes_at:
        return 0
    return len(
        notify(
            kinds.BALLOT_CLOSING,
            [e.person for e in ballot_electors_with_login(ballot=ballot)],
            {"question": ballot.question},
            school=ballot.school,
            about=f"ballot:{ballot.pk}:closing:{closes_at.isoformat()}",
            link=ballot_link(ballot),
            deadline=ballot.closes_at,
            now=now,
        )
    )


def reminder_time(ballot: Ballot, now: datetime) -> datetime | None:
    """When to remind, or None when the window is too short for a reminder to add
    anything to the notice that it opened."""
    at = ballot.closes_at - REMIND_BEFORE
    return at if at > now else None
