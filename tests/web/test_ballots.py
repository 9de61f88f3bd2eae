"""The ballot service: opening with a fixed electorate, one vote each, reissuing a paper,
closing against South Ayrshire's threshold (16.4), notices, and the audit log."""

from __future__ import annotations

from datetime import timedelta

import pytest

from fairload.core.ballots import BallotParameters, Choice
from fairload.web.audit.models import AuditEntry
from fairload.web.ballots.models import Ballot, BallotNotice, Participation, Vote
from fairload.web.ballots.policies import AGREEMENT
from fairload.web.ballots.selectors import (
    ballot_has_voted,
    ballot_notices_unsent,
    ballot_result,
    electorate_teaching_staff,
)
from fairload.web.ballots.services import (
    BallotRefused,
    ballot_close,
    ballot_elector_add,
    ballot_notice_mark_sent,
    ballot_open,
    ballot_reissue,
    ballot_vote,
)
from fairload.web.schools.models import StaffPost

from .ballot_helpers import (
    AFTER,
    DURING,
    OPENED,
    electors_for,
    make_voters,
    open_agreement_ballot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def scottish(schools):  # type: ignore[no-untyped-def]
    return schools["test-academy"]


@pytest.fixture
def ballot(cast, scottish) -> Ballot:  # type: ignore[no-untyped-def]
    return open_agreement_ballot(school=scottish, actor=cast["head"])


# --- opening --------------------------------------------------------------------------------


def test_the_electorate_is_every_teacher_in_post_that_day_part_timers_included(scottish):
    electorate = electorate_teaching_staff(school=scottish, on=OPENED.date())
    posts = StaffPost.objects.filter(school_year__school=scottish)

    assert sorted(e.staff_id for e in electorate) == sorted(p.staff_id for p in posts)
    assert any(p.fte < 1 for p in posts), "the fixture has a part-timer"


def test_a_person_holding_two_posts_is_one_elector(cast, scottish):
    StaffPost.objects.filter(school_year__school=scottish, staff_id="t2").update(
        person=cast["teacher"]
    )

    electorate = electorate_teaching_staff(school=scottish, on=OPENED.date())

    assert [e.person_id for e in electorate].count(cast["teacher"].pk) == 1
    assert len(electorate) == 7


def test_a_day_outside_every_school_year_has_no_electorate(scottish):
    assert electorate_teaching_staff(school=scottish, on=OPENED.date() + timedelta(days=90)) == []


def test_an_opened_ballot_is_open_for_the_pack_s_window_with_its_threshold(ballot):
    assert ballot.state == "open"
    assert ballot.electorate_size == 8
    assert ballot.closes_at == OPENED + timedelta(days=10)
    assert ballot.threshold["majority_of"] == "electorate"
    assert ballot.result is None


def test_only_the_head_or_a_union_rep_may_open_the_agreement_ballot(cast, scottish):
    for who in ("teacher", "council", "admin", "other-head"):
        with pytest.raises(BallotRefused, match="may not run"):
            open_agreement_ballot(school=scottish, actor=cast[who])
    assert open_agreement_ballot(school=scottish, actor=cast["rep"]).state == "open"


def test_an_empty_electorate_or_a_person_twice_is_refused(cast, scottish):
    with pytest.raises(BallotRefused, match="at least one elector"):
        open_agreement_ballot(school=scottish, actor=cast["head"], electorate=[])
    twice = electors_for([cast["teacher"], cast["teacher"]])
    with pytest.raises(BallotRefused, match="twice"):
        open_agreement_ballot(school=scottish, actor=cast["head"], electorate=twice)


def test_a_pack_without_the_ballot_s_parameters_is_refused_by_name(cast, scottish):
    names = BallotParameters(majority_of="no_such", yes_share_above="x", window_days="y")
    with pytest.raises(Exception, match="unknown parameter 'no_such'"):
        ballot_open(
            actor=cast["head"],
            school=scottish,
            subject_kind="dispute",
            subject_id="case-1",
            question="Q?",
            paper_text="T",
            electorate=electors_for([cast["teacher"]]),
            policy=AGREEMENT,
            parameters=names,
            now=OPENED,
        )
    assert not Ballot.objects.exists()


def test_adding_an_elector_after_opening_is_always_refused(ballot):
    with pytest.raises(BallotRefused, match="fixed when the ballot opened"):
        ballot_elector_add(ballot=ballot, now=DURING)


# --- voting ---------------------------------------------------------------------------------


def test_an_elector_votes_once_and_gets_a_receipt(cast, ballot):
    receipt = ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.YES, now=DURING)

    assert len(receipt) == 14 and receipt.count("-") == 2
    assert ballot_has_voted(ballot=ballot, user=cast["teacher"])
    with pytest.raises(BallotRefused, match="already voted"):
        ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.NO, now=DURING)
    assert Vote.objects.count() == 1 and Participation.objects.count() == 1


def test_someone_not_on_the_electorate_cannot_vote(cast, ballot):
    for who in ("head", "rep", "admin", "other-head"):
        with pytest.raises(BallotRefused, match="not an elector"):
            ballot_vote(ballot=ballot, voter=cast[who], choice=Choice.YES, now=DURING)
    assert not Vote.objects.exists()


def test_no_vote_before_the_window_or_after_it(cast, ballot):
    with pytest.raises(BallotRefused, match="has not opened"):
        ballot_vote(
            ballot=ballot, voter=cast["teacher"], choice=Choice.YES, now=OPENED - timedelta(1)
        )
    with pytest.raises(BallotRefused, match="has ended"):
        ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.YES, now=AFTER)


def test_a_vote_row_holds_no_voter_no_time_and_a_random_key():
    fields = {f.name for f in Vote._meta.get_fields()}

    assert fields == {"key", "paper", "choice", "receipt"}
    assert Vote._meta.pk.name == "key" and Vote._meta.pk.get_internal_type() == "UUIDField"


# --- closing --------------------------------------------------------------------------------


def test_it_cannot_close_before_its_window_ends(cast, ballot):
    with pytest.raises(BallotRefused, match="runs until"):
        ballot_close(actor=cast["head"], ballot=ballot, now=DURING)
    assert ballot_result(ballot=Ballot.objects.get(pk=ballot.pk)) is None


def test_only_those_who_run_it_may_close_it(cast, ballot):
    for who in ("teacher", "council", "admin"):
        with pytest.raises(BallotRefused, match="may not run"):
            ballot_close(actor=cast[who], ballot=ballot, now=AFTER)


def _electorate_ballot(cast, scottish, count):  # type: ignore[no-untyped-def]
    voters = make_voters(count)
    ballot = open_agreement_ballot(
        school=scottish, actor=cast["head"], electorate=electors_for(voters)
    )
    return ballot, voters


@pytest.mark.parametrize(
    ("yes", "no", "passed"),
    [
        pytest.param(5, 0, False, id="5 of 10 staff is half, not a majority"),
        pytest.param(5, 4, False, id="5 yes to 4 no is still not a majority of 10 staff"),
        pytest.param(6, 0, True, id="6 of 10 staff approve, 4 not voting"),
    ],
)
def test_approval_needs_a_majority_of_all_ten_staff(cast, scottish, yes, no, passed):
    ballot, voters = _electorate_ballot(cast, scottish, 10)
    for voter, choice in zip(voters, [Choice.YES] * yes + [Choice.NO] * no, strict=False):
        ballot_vote(ballot=ballot, voter=voter, choice=choice, now=DURING)

    closed = ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)

    result = ballot_result(ballot=closed)
    assert result is not None
    assert result.outcome["passed"] is passed
    assert result.outcome["tally"] == {
        "electorate": 10,
        "yes": yes,
        "no": no,
        "votes_cast": yes + no,
    }
    assert "16.4" in result.outcome["message"]
    assert len(result.voted) == yes + no and len(result.did_not_vote) == 10 - yes - no
    assert len(result.receipts) == yes + no


def test_closing_rewrites_the_votes_with_new_keys_and_keeps_the_receipts(cast, scottish):
    ballot, voters = _electorate_ballot(cast, scottish, 4)
    receipts = {ballot_vote(ballot=ballot, voter=v, choice=Choice.YES, now=DURING) for v in voters}
    keys_before = set(Vote.objects.values_list("key", flat=True))

    ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)

    assert set(Vote.objects.values_list("receipt", flat=True)) == receipts
    assert keys_before.isdisjoint(Vote.objects.values_list("key", flat=True))


def test_a_closed_ballot_takes_no_vote_no_reissue_and_no_second_close(cast, scottish):
    ballot, voters = _electorate_ballot(cast, scottish, 2)
    ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)
    with pytest.raises(BallotRefused, match="closed"):
        ballot_vote(ballot=ballot, voter=voters[0], choice=Choice.YES, now=AFTER)
    with pytest.raises(BallotRefused, match="closed"):
        ballot_reissue(actor=cast["head"], ballot=ballot, paper_text="x", reason="y", now=AFTER)
    with pytest.raises(BallotRefused, match="closed"):
        ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)


# --- reissuing ------------------------------------------------------------------------------


def test_a_reissued_paper_voids_the_votes_cast_on_the_old_one_and_lets_all_vote_again(
    cast, scottish
):
    ballot, voters = _electorate_ballot(cast, scottish, 3)
    ballot_vote(ballot=ballot, voter=voters[0], choice=Choice.NO, now=DURING)
    ballot_vote(ballot=ballot, voter=voters[1], choice=Choice.NO, now=DURING)

    reissued_at = DURING + timedelta(days=2)
    paper = ballot_reissue(
        actor=cast["head"],
        ballot=ballot,
        paper_text="The agreement, final version 4.",
        reason="Version 3 left out the calendar",
        now=reissued_at,
    )

    assert paper.number == 2 and not Vote.objects.exists()
    assert not ballot_has_voted(ballot=ballot, user=voters[0])
    ballot = Ballot.objects.get(pk=ballot.pk)
    assert ballot.closes_at == reissued_at + timedelta(days=10)
    ballot_vote(ballot=ballot, voter=voters[0], choice=Choice.YES, now=reissued_at)
    ballot_vote(ballot=ballot, voter=voters[1], choice=Choice.YES, now=reissued_at)
    closed = ballot_close(actor=cast["head"], ballot=ballot, now=ballot.closes_at)
    assert closed.result["tally"] == {"electorate": 3, "yes": 2, "no": 0, "votes_cast": 2}


def test_every_elector_is_told_of_a_reissue_whether_or_not_they_voted(cast, scottish):
    ballot, voters = _electorate_ballot(cast, scottish, 3)
    ballot_vote(ballot=ballot, voter=voters[0], choice=Choice.NO, now=DURING)
    ballot_reissue(actor=cast["head"], ballot=ballot, paper_text="v4", reason="typo", now=DURING)

    told = ballot_notices_unsent().filter(kind=BallotNotice.Kind.REISSUED)
    assert sorted(n.elector.person_id for n in told) == sorted(v.pk for v in voters)


def test_the_email_queue_marks_a_notice_sent_once(cast, ballot):
    notice = ballot_notices_unsent().first()
    ballot_notice_mark_sent(notice=notice, now=DURING)
    ballot_notice_mark_sent(notice=notice, now=AFTER)

    notice.refresh_from_db()
    assert notice.sent_at == DURING
    assert notice not in ballot_notices_unsent()


# --- audit ----------------------------------------------------------------------------------


def test_every_step_is_audited_without_a_vote_or_an_open_count(cast, scottish):
    ballot, voters = _electorate_ballot(cast, scottish, 3)
    ballot_vote(ballot=ballot, voter=voters[0], choice=Choice.YES, now=DURING)
    ballot_reissue(actor=cast["head"], ballot=ballot, paper_text="v4", reason="typo", now=DURING)
    ballot_vote(ballot=ballot, voter=voters[1], choice=Choice.NO, now=DURING)
    open_entries = list(AuditEntry.objects.filter(action__startswith="ballot."))

    assert [e.action for e in open_entries] == ["ballot.reissue", "ballot.open"]
    for entry in open_entries:
        assert "yes" not in entry.summary.lower() and "voted" not in entry.summary.lower()
        assert not {"yes", "no", "votes_cast"} & set(entry.details)

    ballot = Ballot.objects.get(pk=ballot.pk)
    ballot_close(actor=cast["head"], ballot=ballot, now=ballot.closes_at)
    closing = AuditEntry.objects.get(action="ballot.close")
    assert closing.details["no"] == 1 and "did not pass" in closing.summary
    assert voters[1].get_username() not in closing.summary
