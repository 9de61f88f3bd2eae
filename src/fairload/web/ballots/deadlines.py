"""A ballot's closing time in the feed of each elector who has not yet voted.

Whether someone has voted is not secret (it is shown with the result), but until the
ballot closes it is theirs alone: so the deadline is only in a teacher's feed that the
teacher made themselves (feeds/deadlines.py gives ``scope.person`` only then), and it
leaves that feed once they vote.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime

from django.urls import reverse

from fairload.web.ballots.models import Elector
from fairload.web.ballots.selectors import ballot_has_voted
from fairload.web.feeds.deadlines import Deadline, FeedScope


def ballot_deadlines(scope: FeedScope, now: datetime) -> Iterator[Deadline]:
    if scope.person is None:
        return
    electors = Elector.objects.filter(
        person=scope.person,
        ballot__school=scope.school,
        ballot__state="open",
        ballot__closes_at__gt=now,
    ).select_related("ballot__school")
    for elector in electors:
        ballot = elector.ballot
        if ballot_has_voted(ballot=ballot, user=scope.person):
            continue
        yield Deadline(
            uid=f"ballot-{ballot.pk}-closes",
            title=f"Vote by now: {ballot.question}",
            due=ballot.closes_at,
            link=reverse("ballot-detail", args=[ballot.school.slug, ballot.pk]),
            description="The ballot closes at this time. This reminder leaves your calendar "
            "once you have voted.",
        )
