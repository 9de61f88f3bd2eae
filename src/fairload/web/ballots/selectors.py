"""Reading ballots. Results, turnout and who voted come only from here, and only once the
ballot has closed: an open ballot's figures are never read, so no page, API answer,
export or log line can show them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import QuerySet

from fairload.web.accounts.policies import User, can_view_school
from fairload.web.ballots.models import Ballot, BallotNotice, BallotPaper, Elector, Participation
from fairload.web.ballots.policies import ballot_policy
from fairload.web.schools.models import School, SchoolYear


@dataclass(frozen=True)
class ElectorIn:
    """One person entitled to vote, as a workflow names them at opening."""

    name: str
    person_id: int | None = None
    staff_id: str = ""


def ballot_elector_for(*, ballot: Ballot, user: User) -> Elector | None:
    if not user.is_authenticated:
        return None
    return Elector.objects.filter(ballot=ballot, person=user).first()


def ballot_may_view(*, user: User, ballot: Ballot) -> bool:
    """Electors, and whoever the ballot's policy lets see it."""
    return ballot_elector_for(ballot=ballot, user=user) is not None or ballot_policy(
        ballot.policy
    ).may_view(user, ballot.school, ballot.subject_id)


def ballot_may_manage(*, user: User, ballot: Ballot) -> bool:
    return ballot_policy(ballot.policy).may_manage(user, ballot.school, ballot.subject_id)


def ballot_list_for(*, user: User, school: School) -> list[Ballot]:
    """The school's ballots the user may see, newest first."""
    return [b for b in Ballot.objects.filter(school=school) if ballot_may_view(user=user, ballot=b)]


def ballot_may_see_any(*, user: User, school: School) -> bool:
    """Whether the school's ballot list is for them at all (else it answers 404)."""
    if can_view_school(user, school):
        return True
    return (
        user.is_authenticated
        and Elector.objects.filter(ballot__school=school, person=user).exists()
    )


def ballot_paper_current(*, ballot: Ballot) -> BallotPaper:
    return BallotPaper.objects.get(ballot=ballot, withdrawn_at__isnull=True)


def ballot_papers_withdrawn(*, ballot: Ballot) -> QuerySet[BallotPaper]:
    return BallotPaper.objects.filter(ballot=ballot, withdrawn_at__isnull=False)


def ballot_has_voted(*, ballot: Ballot, user: User) -> bool:
    """Whether this user has voted on the current paper: theirs alone to know."""
    elector = ballot_elector_for(ballot=ballot, user=user)
    if elector is None:
        return False
    return Participation.objects.filter(
        elector=elector, paper=ballot_paper_current(ballot=ballot)
    ).exists()


@dataclass(frozen=True)
class BallotResult:
    """What a closed ballot shows: the outcome with its figures, who voted, the receipts."""

    outcome: dict[str, Any]
    voted: list[str]
    did_not_vote: list[str]
    receipts: list[str]


def ballot_result(*, ballot: Ballot) -> BallotResult | None:
    """None while the ballot is open, whoever asks."""
    if ballot.state != "closed" or ballot.result is None:
        return None
    paper = ballot_paper_current(ballot=ballot)
    voted_ids = set(Participation.objects.filter(paper=paper).values_list("elector_id", flat=True))
    electors = list(Elector.objects.filter(ballot=ballot).order_by("name", "pk"))
    return BallotResult(
        outcome=ballot.result,
        voted=[e.name for e in electors if e.pk in voted_ids],
        did_not_vote=[e.name for e in electors if e.pk not in voted_ids],
        # sorted, so the list's order says nothing about when anyone voted
        receipts=sorted(paper.votes.values_list("receipt", flat=True)),
    )


def ballot_notices_unsent() -> QuerySet[BallotNotice]:
    """The hook for the email queue: every notice not yet sent, with whom to tell."""
    return BallotNotice.objects.filter(sent_at__isnull=True).select_related(
        "elector__person", "ballot__school"
    )


def ballot_electors_with_login(*, ballot: Ballot) -> list[Elector]:
    """The electors who can be told by email (those with a login), with it."""
    return list(
        Elector.objects.filter(ballot=ballot, person__isnull=False)
        .select_related("person")
        .order_by("pk")
    )


def electorate_teaching_staff(*, school: School, on: date) -> list[ElectorIn]:
    """The agreement's electorate (16.4, "the whole teaching staff"): every post in the
    school's year that includes ``on``, part-time and absent staff included."""
    year = SchoolYear.objects.filter(school=school, start__lte=on, end__gte=on).first()
    if year is None:
        return []
    electors, people = [], set()
    for post in year.staff.order_by("name", "staff_id"):
        if post.person_id is not None and post.person_id in people:
            continue  # one vote per person, however many posts they hold
        people.add(post.person_id)
        electors.append(ElectorIn(name=post.name, person_id=post.person_id, staff_id=post.staff_id))
    return electors
