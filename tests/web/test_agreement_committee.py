"""The agreement's committee is the recorded School Negotiating Committee (16.1, 16.2):
who sits on it that day opens the consultation, answers comments and runs the ballot, and
a union representative signs only from a sitting seat; the head teacher keeps every right
of theirs with or without a seat. A year with no committee recorded keeps the roles."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import override_settings
from django.urls import reverse

from fairload.web.accounts.models import Membership, Role
from fairload.web.agreements import policies, services
from fairload.web.agreements.services import AgreementRefused, committee_people
from fairload.web.ballots.selectors import ballot_may_manage
from fairload.web.committee.models import CommitteeSeat, NegotiatingCommittee
from fairload.web.schools.models import School, SchoolYear

from .agreement_helpers import CONSULTING, DURING, agreement_drafted, comment_by, year_of
from .ballot_helpers import electors_for, open_agreement_ballot

pytestmark = pytest.mark.django_db

SLUG = "test-academy"
FORMED = date(2025, 4, 1)


@pytest.fixture
def year(schools) -> SchoolYear:  # type: ignore[no-untyped-def]
    return year_of(schools[SLUG])


def _seat(year: SchoolYear, staff_id: str, role: str, *, until: date | None = None) -> None:
    committee, _ = NegotiatingCommittee.objects.get_or_create(
        school_year=year, defaults={"accredited_unions": ["EIS"]}
    )
    CommitteeSeat.objects.create(
        committee=committee,
        post=year.staff.get(staff_id=staff_id),
        role=role,
        union="EIS" if role == "union-rep" else "",
        since=FORMED,
        until=until,
    )


def _post_for(year: SchoolYear, staff_id: str, person: object) -> None:
    year.staff.filter(staff_id=staff_id).update(person=person)


@pytest.fixture
def committee(cast, year):  # type: ignore[no-untyped-def]
    """The head teacher (ht) and the cast's rep, on Fiona Parttime's post (pt06), as the
    EIS representative; the colleague (t2) sat as a rep until 30 April 2025."""
    _post_for(year, "pt06", cast["rep"])
    _seat(year, "ht", "head-teacher")
    _seat(year, "pt06", "union-rep")
    _seat(year, "t2", "union-rep", until=date(2025, 4, 30))
    return NegotiatingCommittee.objects.get(school_year=year)


@pytest.fixture
def drafted(cast, year):  # type: ignore[no-untyped-def]
    agreement = agreement_drafted(year.school, cast["head"])
    agreement.school_year = year
    return agreement


@pytest.fixture
def other_rep(cast, schools):  # type: ignore[no-untyped-def]
    """A second union representative of the school, by role only: no seat."""
    user = get_user_model().objects.create_user(username="rep-without-a-seat")
    Membership.objects.create(user=user, role=Role.UNION_REP, school=schools[SLUG])
    return user


@time_machine.travel(CONSULTING, tick=False)
def test_a_rep_sitting_on_the_recorded_committee_opens_the_consultation(cast, committee, drafted):
    services.consultation_open(actor=cast["rep"], agreement=drafted, now=CONSULTING)

    drafted.refresh_from_db()
    assert drafted.consultation_opened_at == CONSULTING
    assert policies.signing_roles(cast["rep"], drafted.school) == ["union-rep"]


@time_machine.travel(CONSULTING, tick=False)
def test_a_rep_not_on_the_recorded_committee_does_not_act_for_it(
    as_user, cast, committee, drafted, other_rep
):
    school = drafted.school

    with pytest.raises(AgreementRefused, match="may not open the consultation"):
        services.consultation_open(actor=other_rep, agreement=drafted, now=CONSULTING)

    assert not policies.is_committee(other_rep, school)
    assert policies.signing_roles(other_rep, school) == []
    drafted.refresh_from_db()
    assert drafted.consultation_opened_at is None
    # the pages: they still read the agreement (their role sees the school), nothing more
    client = as_user(None)
    client.force_login(other_rep)
    assert client.get(reverse("agreement-home", args=[SLUG])).status_code == 200
    for page in ("agreement-draft", "agreement-consultation", "agreement-sign"):
        assert client.get(reverse(page, args=[SLUG])).status_code == 404, page


@time_machine.travel(DURING, tick=False)
def test_a_rep_whose_seat_ended_no_longer_answers_comments_or_signs(cast, year, committee, drafted):
    _post_for(year, "t2", cast["colleague"])
    Membership.objects.create(user=cast["colleague"], role=Role.UNION_REP, school=year.school)
    services.consultation_open(actor=cast["rep"], agreement=drafted, now=CONSULTING)
    comment = comment_by(drafted, cast["teacher"])

    with pytest.raises(AgreementRefused, match="Only the committee answers"):
        services.comment_answer(
            actor=cast["colleague"],
            comment=comment,
            accepted=False,
            text="Not this year.",
            version_number=None,
            now=DURING,
        )

    assert policies.signing_roles(cast["colleague"], year.school) == []
    # on the seat's last day they still sat
    assert policies.is_committee(cast["colleague"], year.school, on=date(2025, 4, 30))
    assert policies.signing_roles(cast["colleague"], year.school, on=date(2025, 4, 30)) == [
        "union-rep"
    ]
    assert not policies.is_committee(cast["colleague"], year.school, on=date(2025, 5, 1))


@time_machine.travel(CONSULTING, tick=False)
def test_the_head_teacher_keeps_their_rights_without_a_seat(cast, year, drafted):
    _seat(year, "t2", "union-rep")  # a committee recorded without the head teacher's seat

    services.consultation_open(actor=cast["head"], agreement=drafted, now=CONSULTING)

    assert policies.is_committee(cast["head"], year.school)
    assert policies.signing_roles(cast["head"], year.school) == ["head-teacher"]
    assert policies.may_submit(cast["head"], year.school)


@time_machine.travel(CONSULTING, tick=False)
def test_a_senior_manager_on_the_committee_drafts_but_signs_in_no_role(cast, year, committee):
    _post_for(year, "dht6", cast["council"])  # any login with no role at the school
    _seat(year, "dht6", "senior-manager")

    assert policies.is_committee(cast["council"], year.school)
    assert policies.signing_roles(cast["council"], year.school) == []


@time_machine.travel(CONSULTING, tick=False)
def test_the_committee_runs_the_approval_ballot(cast, year, committee, other_rep):
    ballot = open_agreement_ballot(
        school=year.school, actor=cast["head"], electorate=electors_for([cast["teacher"]])
    )

    assert ballot_may_manage(user=cast["rep"], ballot=ballot)
    assert ballot_may_manage(user=cast["head"], ballot=ballot)
    assert not ballot_may_manage(user=other_rep, ballot=ballot)


@time_machine.travel(CONSULTING, tick=False)
def test_who_hears_back_is_the_head_and_the_committee_sitting_today(
    cast, year, committee, other_rep
):
    _post_for(year, "t2", cast["colleague"])

    people = {p.get_username() for p in committee_people(year)}

    assert people == {"head", "rep"}


@time_machine.travel(CONSULTING, tick=False)
def test_with_no_committee_recorded_the_head_and_reps_by_role_act_for_it(
    cast, year, drafted, other_rep
):
    assert policies.is_committee(other_rep, year.school)
    assert policies.signing_roles(cast["rep"], year.school) == ["union-rep"]
    assert {p.get_username() for p in committee_people(year)} == {
        "head",
        "rep",
        "rep-without-a-seat",
    }


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demos_rep_sits_on_its_committee_so_the_agreement_cycle_works_at_once() -> None:
    call_command("load_demo", stdout=StringIO())
    school = School.objects.get(slug="auchenlea-academy")
    users = get_user_model().objects

    assert policies.signing_roles(users.get(username="rep"), school) == ["union-rep"]
    assert policies.is_committee(users.get(username="head"), school)
    assert not policies.is_committee(users.get(username="teacher"), school)
