"""What the disputes app plugs into others: the members-only ballot policy, a closed
ballot counted into its case, and the case's entries kept off the school's changes page."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.dispatch import receiver

from fairload.web.accounts.policies import User
from fairload.web.audit.selectors import audit_private_register
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.policies import BallotPolicy, ballot_policy_register
from fairload.web.ballots.signals import ballot_notices_made
from fairload.web.schools.models import School

#: The ballot policy a case's members-only ballots name; their subject is "<case>/<step>".
DISPUTE = "dispute"
SUBJECT_KIND = "dispute"


def _case_and_step(subject_id: str) -> tuple[Any, str] | None:
    from fairload.web.disputes.models import Case

    case_id, _, step = subject_id.partition("/")
    if not case_id.isdigit():
        return None
    case = Case.objects.select_related("school__council").filter(pk=int(case_id)).first()
    return (case, step) if case is not None else None


def _may_view(user: User, school: School, subject_id: str) -> bool:
    from fairload.web.disputes.selectors import case_may_view

    found = _case_and_step(subject_id)
    return found is not None and found[0].school_id == school.pk and case_may_view(user, found[0])


def _may_manage(user: User, school: School, subject_id: str) -> bool:
    """Opening, reissuing and closing: whoever the ladder says acts on the step."""
    from fairload.web.disputes.selectors import case_ladder, case_roles

    found = _case_and_step(subject_id)
    if found is None or found[0].school_id != school.pk:
        return False
    case, step_id = found
    try:
        step = case_ladder(case).step(step_id)
    except KeyError:
        return False
    return bool(case_roles(user, case.school, case.union) & set(step.roles))


ballot_policy_register(
    name=DISPUTE, policy=BallotPolicy(may_view=_may_view, may_manage=_may_manage)
)


def _private_entries() -> Q:
    dispute_ballots = Ballot.objects.filter(subject_kind=SUBJECT_KIND).values_list("pk", flat=True)
    return Q(action__startswith="dispute.") | Q(
        action__startswith="ballot.", details__ballot__in=list(dispute_ballots)
    )


audit_private_register(_private_entries)


@receiver(ballot_notices_made, sender=Ballot)
def _ballot_closed(sender: Any, ballot: Ballot, kind: str, now: Any, **_: Any) -> None:
    """A case's ballot closed: its count goes into the case's step (in the same
    transaction), so the core's gate reads the result."""
    if kind != "closed" or ballot.subject_kind != SUBJECT_KIND:
        return
    from fairload.web.disputes.services import case_ballot_counted

    case_ballot_counted(ballot=ballot, now=now)
