"""Running a ballot: open it, vote, withdraw and reissue its paper, close it.

Every step is checked by the core's transition table (fairload.core.ballots.step_check),
is refused with a BallotRefused that says why, and writes an audit entry that never
reveals a vote or, while the ballot is open, how many have voted. Votes take a row lock
on the elector, and opening, reissuing and closing lock the ballot and every elector, so
a vote never lands on a withdrawn paper or a closed ballot; the unique constraint on
Participation is the last word on one vote per elector.
"""

from __future__ import annotations

import random
import secrets
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from fairload.core.ballots import (
    BallotFacts,
    BallotParameters,
    BallotState,
    BallotStep,
    BallotStepRefused,
    Choice,
    Window,
    outcome,
    step_check,
    tally_count,
    threshold_read,
)
from fairload.core.packs import load_bundled
from fairload.web.accounts.policies import User
from fairload.web.audit.services import audit_record
from fairload.web.ballots.models import (
    Ballot,
    BallotNotice,
    BallotPaper,
    Elector,
    Participation,
    Vote,
)
from fairload.web.ballots.policies import ballot_policy
from fairload.web.ballots.selectors import ElectorIn
from fairload.web.ballots.signals import ballot_notices_made
from fairload.web.schools.models import School

#: Receipt codes: 60 random bits in Crockford-like groups, easy to read back ("7K3Q-…").
_RECEIPT_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
_RECEIPT_GROUPS, _RECEIPT_GROUP = 3, 4


class BallotRefused(Exception):
    """A step that may not be taken: the message is for the person who tried."""


def _receipt() -> str:
    groups = (
        "".join(secrets.choice(_RECEIPT_ALPHABET) for _ in range(_RECEIPT_GROUP))
        for _ in range(_RECEIPT_GROUPS)
    )
    return "-".join(groups)


def _facts(ballot: Ballot, now: datetime) -> BallotFacts:
    return BallotFacts(
        state=BallotState(ballot.state), window=Window(ballot.opened_at, ballot.closes_at), now=now
    )


def _step(ballot: Ballot, step: BallotStep, now: datetime) -> BallotState:
    try:
        return step_check(_facts(ballot, now), step)
    except BallotStepRefused as refused:
        raise BallotRefused(f"This ballot cannot {step.value}: {refused.reason}.") from None


def _require_manager(
    actor: User, ballot_or_school: Ballot | School, subject_id: str, policy: str
) -> None:
    school = ballot_or_school.school if isinstance(ballot_or_school, Ballot) else ballot_or_school
    if not ballot_policy(policy).may_manage(actor, school, subject_id):
        raise BallotRefused("You may not run this ballot.")


def _current_paper(ballot: Ballot) -> BallotPaper:
    return BallotPaper.objects.get(ballot=ballot, withdrawn_at__isnull=True)


def _locked(ballot: Ballot) -> tuple[Ballot, list[Elector]]:
    """The ballot and its electors, locked (on PostgreSQL) until the transaction ends."""
    fresh = Ballot.objects.select_for_update().get(pk=ballot.pk)
    return fresh, list(Elector.objects.select_for_update().filter(ballot=fresh).order_by("pk"))


def _notify(ballot: Ballot, electors: Sequence[Elector], kind: str, now: datetime) -> None:
    BallotNotice.objects.bulk_create(
        BallotNotice(ballot=ballot, elector=e, kind=kind, created_at=now) for e in electors
    )
    ballot_notices_made.send(sender=Ballot, ballot=ballot, kind=kind, now=now)


def ballot_open(
    *,
    actor: User,
    school: School,
    subject_kind: str,
    subject_id: str,
    question: str,
    paper_text: str,
    electorate: Sequence[ElectorIn],
    policy: str,
    parameters: BallotParameters,
    pack: str | None = None,
    now: datetime,
) -> Ballot:
    """Open a ballot with its electorate fixed now, for the pack's window from now.

    ``policy`` names who may see and run it (policies.py); ``pack`` (the school's by
    default) gives its figures through ``parameters``, read at today's date."""
    _require_manager(actor, school, subject_id, policy)
    if not electorate:
        raise BallotRefused("A ballot needs at least one elector.")
    people = [e.person_id for e in electorate if e.person_id is not None]
    if len(people) != len(set(people)):
        raise BallotRefused("Someone is on the electorate twice.")
    if not question.strip() or not paper_text.strip():
        raise BallotRefused("A ballot needs a question and the text voted on.")
    pack_id = pack or school.pack
    threshold = threshold_read(
        parameters=load_bundled(pack_id).parameters, names=parameters, at=timezone.localdate(now)
    )
    with transaction.atomic():
        ballot = Ballot.objects.create(
            school=school,
            subject_kind=subject_kind,
            subject_id=subject_id,
            policy=policy,
            question=question.strip(),
            pack=pack_id,
            parameter_names=parameters.as_dict(),
            threshold=threshold.as_dict(),
            electorate_size=len(electorate),
            opened_at=now,
            opened_by=actor if actor.is_authenticated else None,
            closes_at=now + timedelta(days=threshold.window_days),
        )
        BallotPaper.objects.create(ballot=ballot, number=1, text=paper_text.strip(), issued_at=now)
        electors = Elector.objects.bulk_create(
            Elector(ballot=ballot, person_id=e.person_id, name=e.name, staff_id=e.staff_id)
            for e in electorate
        )
        _notify(ballot, electors, BallotNotice.Kind.OPENED, now)
        audit_record(
            actor=actor,
            action="ballot.open",
            school=school,
            summary=(
                f"Opened the ballot “{ballot.question}” for {len(electorate)} electors until "
                f"{timezone.localtime(ballot.closes_at):%d %B %Y %H:%M}"
            ),
            details={"ballot": ballot.pk, "subject": f"{subject_kind}/{subject_id}"},
        )
    return ballot


def ballot_elector_add(*, ballot: Ballot, now: datetime) -> None:
    """Always refused: the electorate is fixed at opening, since a late voter would let
    anyone subtract the tallies seen before and after their vote."""
    _step(ballot, BallotStep.ADD_ELECTOR, now)


def ballot_vote(*, ballot: Ballot, voter: User, choice: Choice, now: datetime) -> str:
    """Cast the voter's vote on the current paper and return their receipt code, shown
    to them once and stored only on the vote (never beside their name)."""
    if not voter.is_authenticated:
        raise BallotRefused("Sign in to vote.")
    try:
        with transaction.atomic():
            elector = (
                Elector.objects.select_for_update().filter(ballot=ballot, person=voter).first()
            )
            if elector is None:
                raise BallotRefused("You are not an elector in this ballot.")
            # Read after the elector's lock, so a close or reissue that held it is seen.
            paper = BallotPaper.objects.select_related("ballot").get(
                ballot_id=ballot.pk, withdrawn_at__isnull=True
            )
            _step(paper.ballot, BallotStep.VOTE, now)
            # The unique constraint refuses a second vote on this paper (IntegrityError,
            # below), which rolls the whole transaction back: no vote without its record.
            Participation.objects.create(elector=elector, paper=paper)
            receipt = _receipt()
            Vote.objects.create(paper=paper, choice=Choice(choice).value, receipt=receipt)
    except IntegrityError:
        raise BallotRefused("You have already voted in this ballot.") from None
    return receipt


def ballot_reissue(
    *, actor: User, ballot: Ballot, paper_text: str, reason: str, now: datetime
) -> BallotPaper:
    """Withdraw the current paper (its votes are void and deleted), issue a corrected one,
    give everyone the whole window again from now, and tell every elector to vote again."""
    _require_manager(actor, ballot, ballot.subject_id, ballot.policy)
    if not paper_text.strip() or not reason.strip():
        raise BallotRefused("Say what the corrected paper says and why it was reissued.")
    with transaction.atomic():
        fresh, electors = _locked(ballot)
        _step(fresh, BallotStep.REISSUE, now)
        old = _current_paper(fresh)
        old.withdrawn_at, old.withdrawn_reason = now, reason.strip()[:500]
        old.save(update_fields=["withdrawn_at", "withdrawn_reason"])
        Vote.objects.filter(paper=old).delete()
        paper = BallotPaper.objects.create(
            ballot=fresh, number=old.number + 1, text=paper_text.strip(), issued_at=now
        )
        fresh.closes_at = now + timedelta(days=fresh.threshold["window_days"])
        fresh.save(update_fields=["closes_at"])
        _notify(fresh, electors, BallotNotice.Kind.REISSUED, now)
        audit_record(
            actor=actor,
            action="ballot.reissue",
            school=fresh.school,
            summary=(
                f"Withdrew paper {old.number} of the ballot “{fresh.question}” and issued paper "
                f"{paper.number}; the votes cast on paper {old.number} are void "
                f"(reason: {old.withdrawn_reason})"
            ),
            details={"ballot": fresh.pk, "withdrawn": old.number, "issued": paper.number},
        )
    return paper


def ballot_close(*, actor: User, ballot: Ballot, now: datetime) -> Ballot:
    """Close the ballot once its window has ended: count the current paper, record the
    outcome against the threshold in force at opening, and rewrite the votes in a random
    order with new random keys, so not even their physical order follows arrival."""
    _require_manager(actor, ballot, ballot.subject_id, ballot.policy)
    with transaction.atomic():
        fresh, electors = _locked(ballot)
        _step(fresh, BallotStep.CLOSE, now)
        paper = _current_paper(fresh)
        cast = list(Vote.objects.filter(paper=paper).values_list("choice", "receipt"))
        Vote.objects.filter(paper=paper).delete()
        random.SystemRandom().shuffle(cast)
        Vote.objects.bulk_create(Vote(paper=paper, choice=c, receipt=r) for c, r in cast)
        threshold = threshold_read(
            parameters=load_bundled(fresh.pack).parameters,
            names=BallotParameters.from_dict(fresh.parameter_names),
            at=timezone.localdate(fresh.opened_at),
        )
        tally = tally_count(electorate=len(electors), choices=[Choice(c) for c, _ in cast])
        result = outcome(tally=tally, threshold=threshold)
        fresh.state = BallotState.CLOSED.value
        fresh.closed_at, fresh.closed_by = now, actor if actor.is_authenticated else None
        fresh.result = result.as_dict()
        fresh.save(update_fields=["state", "closed_at", "closed_by", "result"])
        _notify(fresh, electors, BallotNotice.Kind.CLOSED, now)
        audit_record(
            actor=actor,
            action="ballot.close",
            school=fresh.school,
            summary=f"Closed the ballot “{fresh.question}”. {result.message}",
            details={"ballot": fresh.pk, **result.tally.as_dict(), "passed": result.passed},
        )
    return fresh


def ballot_notice_mark_sent(*, notice: BallotNotice, now: datetime) -> None:
    """For the email queue: the notice has gone."""
    BallotNotice.objects.filter(pk=notice.pk, sent_at__isnull=True).update(sent_at=now)
