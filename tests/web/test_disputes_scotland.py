"""A Scottish school's EIS members on the web: the rep opens a case on the EIS ladder
pack, the members' vote runs among the school's EIS members only, the pages say plainly
that the ladder is the NUT's text until the EIS's own and that the school has no workload
audit; and the demo's EIS case at Glenburnie Primary."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fairload.core.ballots import Choice
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.services import ballot_close, ballot_vote
from fairload.web.disputes import selectors, services
from fairload.web.disputes.models import Case

from .dispute_helpers import AFTER_VOTE, LATER, OPENED, entry
from .dispute_scotland_helpers import EIS_PACK, eis_people, open_eis_case

pytestmark = pytest.mark.django_db

CAVEAT = "No EIS strategy text is among fairload"


@pytest.fixture
def people(cast, schools):  # type: ignore[no-untyped-def]
    return eis_people(cast, schools)


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def test_an_eis_rep_opens_a_case_at_a_scottish_school_on_the_eis_ladder(people):
    rep = _as(people["eis-rep"])
    url = reverse("dispute-new", args=["eis-school"])

    form = rep.get(url).content.decode()
    made = rep.post(url, {"title": "Staff meetings beyond the hours", "clause": "JNCT2.7 7.1"})

    # no NUT instruction numbers to name at a Scottish school; the ladder's caveat shown
    assert 'name="instructions"' not in form and 'name="clause"' in form
    assert CAVEAT in form and "data-no-audit" in form
    case = Case.objects.get()
    assert made.status_code == 302 and made["Location"] == reverse("dispute-detail", args=[case.pk])
    assert (case.pack, case.union) == (EIS_PACK, "EIS")
    assert case.record["issues"] == [{"clause": "JNCT2.7 7.1"}]


def test_the_case_page_names_the_ladder_and_says_it_is_the_nuts_text_until_the_eiss(people):
    case = open_eis_case(people["eis-rep"])

    page = _as(people["eis-member"]).get(reverse("dispute-detail", args=[case.pk]))

    text = page.content.decode()
    assert page.status_code == 200
    assert f'data-ladder="{EIS_PACK}"' in text
    assert CAVEAT in text and "replaced by the EIS&#x27;s own" in text
    assert "its strategy applied to EIS members in Scotland" in text


def test_the_list_shows_the_eis_ladder_and_that_the_school_has_no_workload_audit(people):
    page = _as(people["eis-rep"]).get(reverse("dispute-list", args=["eis-school"]))

    text = page.content.decode()
    assert "EIS cases follow" in text and CAVEAT in text
    assert "has no workload audit in fairload" in text
    assert "Open a case" in text and "data-no-ladder" not in text


def _talk_and_meet(case: Case, rep) -> Case:  # type: ignore[no-untyped-def]
    services.dispute_step_take(
        actor=rep, case=case, step_id="talk", entry=entry(OPENED), now=OPENED
    )
    meeting = entry(OPENED, attendance={"present": 3, "members": 3})
    return services.dispute_step_take(
        actor=rep, case=case, step_id="members-meeting", entry=meeting, now=OPENED
    )


def _open_vote(people) -> tuple[Case, Ballot]:  # type: ignore[no-untyped-def]
    rep = people["eis-rep"]
    case = _talk_and_meet(open_eis_case(rep), rep)
    ballot = services.dispute_vote_open(
        actor=rep,
        case=case,
        step_id="members-vote",
        question="Ask the head to address the issues?",
        paper_text="Ask the head to keep parents' meetings within the agreed hours",
        now=LATER,
    )
    return case, ballot


def test_the_members_vote_runs_among_the_schools_eis_members_only(people):
    _, ballot = _open_vote(people)

    electors = set(ballot.electors.values_list("person__username", flat=True))
    # the head declared EIS too and is no elector; nor the SSTA member or the NEU rep
    assert electors == {"eis-rep", "eis-member", "eis-member-2"}
    assert ballot.threshold["majority_of"] == "electorate"


def test_two_yes_of_three_eis_members_passes_and_the_meeting_with_the_head_follows(people):
    case, ballot = _open_vote(people)
    for who in ("eis-rep", "eis-member"):
        ballot_vote(ballot=ballot, voter=people[who], choice=Choice.YES, now=LATER)

    ballot_close(actor=people["eis-rep"], ballot=Ballot.objects.get(pk=ballot.pk), now=AFTER_VOTE)

    case.refresh_from_db()
    vote = case.record["steps"]["members-vote"]["ballot"]
    assert (vote["electorate"], vote["yes"], vote["no"]) == (3, 2, 0)
    summary = selectors.case_summary(case, AFTER_VOTE.date())
    assert [s.step_id for s in summary.next_steps] == ["meet-head"]


@pytest.mark.parametrize("who", ["ssta-member", "eis-head"])
def test_no_one_but_the_eis_members_may_vote(people, who):
    from fairload.web.ballots.services import BallotRefused

    _, ballot = _open_vote(people)

    with pytest.raises(BallotRefused):
        ballot_vote(ballot=ballot, voter=people[who], choice=Choice.YES, now=LATER)


def test_the_local_association_secretary_takes_the_officers_steps(people):
    case = open_eis_case(people["eis-rep"])

    summary = selectors.case_summary(case, OPENED.date(), roles={"local-officer"})

    assert selectors.case_roles(people["eis-secretary"], case.school, "EIS") == {"local-officer"}
    assert selectors.case_ladder(case).step("officer-meets-members").label == (
        "The local association secretary meets the members"
    )
    assert summary.next_steps == []  # talking is the members' and the rep's step


def test_the_workload_audit_page_says_plainly_the_scottish_school_has_none(people):
    rep = _as(people["eis-rep"])

    home = rep.get(reverse("workload-audit", args=["eis-school"]))
    refusals = rep.get(reverse("workload-audit-refusals", args=["eis-school"]))
    head = _as(people["eis-head"]).get(reverse("workload-audit", args=["eis-school"]))

    assert home.status_code == 200
    assert "has no workload audit in fairload" in home.content.decode()
    assert "none has been made up" in home.content.decode()
    assert refusals.status_code == 404  # nothing to refuse from an audit there is not
    assert head.status_code == 404  # union business, as for a school with an audit


@pytest.mark.slow  # loads the whole demo
def test_the_demo_has_an_eis_case_at_a_south_ayrshire_school_for_its_eis_people_only() -> None:
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import override_settings

    with override_settings(DEVELOPMENT=True):
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    case = Case.objects.get(school__slug="glenburnie-primary")
    users = get_user_model().objects

    assert (case.pack, case.union) == (EIS_PACK, "EIS")
    assert sorted(case.record["steps"]) == ["members-meeting", "talk"]
    electorate = {p.person.username for p in selectors.members_at(case.school, "EIS")}
    assert electorate == {"eis-rep", "eis-member"}
    # the EIS rep and member there, and the council's EIS union officer (their local
    # association secretary) see it; the Scottish head, the council, the EIS rep of
    # another school (Auchenlea) and the NEU rep do not
    for who, status in (
        ("eis-rep", 200),
        ("eis-member", 200),
        ("union-officer", 200),
        ("head", 404),
        ("council", 404),
        ("rep", 404),
        ("neu-rep", 404),
    ):
        page = _as(users.get(username=who)).get(reverse("dispute-detail", args=[case.pk]))
        assert page.status_code == status, who
