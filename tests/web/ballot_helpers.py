"""A ballot for the ballot tests: the Scottish test school's staff approving its agreement.

The school's year is 2025-26, so the ballot opens on 1 June 2026, inside it.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser

from fairload.core.ballots import AGREEMENT_APPROVAL
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.policies import AGREEMENT
from fairload.web.ballots.selectors import ElectorIn, electorate_teaching_staff
from fairload.web.ballots.services import ballot_open
from fairload.web.schools.models import School

OPENED = datetime(2026, 6, 1, 9, tzinfo=UTC)
DURING = OPENED + timedelta(days=1)
#: South Ayrshire's window is 10 days (approval_ballot_window_days)
AFTER = OPENED + timedelta(days=10)


def open_agreement_ballot(
    *, school: School, actor: AbstractBaseUser, electorate: list[ElectorIn] | None = None
) -> Ballot:
    return ballot_open(
        actor=actor,
        school=school,
        subject_kind="agreement",
        subject_id="2025-26",
        question="Do you approve the working time agreement for 2025-26?",
        paper_text="The agreement, final version 3.",
        electorate=electorate
        if electorate is not None
        else electorate_teaching_staff(school=school, on=OPENED.date()),
        policy=AGREEMENT,
        parameters=AGREEMENT_APPROVAL,
        now=OPENED,
    )


def make_voters(count: int, prefix: str = "voter") -> list[AbstractBaseUser]:
    users = get_user_model().objects.bulk_create(
        get_user_model()(username=f"{prefix}{i}") for i in range(count)
    )
    return list(get_user_model().objects.filter(username__in=[u.username for u in users]))


def electors_for(users: list[AbstractBaseUser]) -> list[ElectorIn]:
    return [ElectorIn(name=u.get_username(), person_id=u.pk) for u in users]


def ballot_with_pk(
    *, pk: int, school: School, actor: AbstractBaseUser, electorate: list[ElectorIn]
) -> Ballot:
    """An agreement ballot opened by the service, under a fixed id the URLs can name: the
    rows are made by the service, then moved to the id inside the same test."""
    from fairload.web.ballots.models import BallotNotice, BallotPaper, Elector

    made = ballot_open(
        actor=actor,
        school=school,
        subject_kind="agreement",
        subject_id="2025-26",
        question="Do you approve the working time agreement for 2025-26?",
        paper_text="The agreement, final version 3.",
        electorate=electorate,
        policy=AGREEMENT,
        parameters=AGREEMENT_APPROVAL,
        pack="scotland/south-ayrshire-jnct-2.7",
        now=OPENED,
    )
    fields = {
        f.attname: getattr(made, f.attname)
        for f in Ballot._meta.concrete_fields
        if not f.primary_key
    }
    ballot = Ballot.objects.create(pk=pk, **fields)
    for model in (BallotPaper, Elector, BallotNotice):
        model.objects.filter(ballot=made).update(ballot=ballot)
    made.delete()
    return ballot
