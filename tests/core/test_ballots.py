"""The ballot's tally, its outcome against the pack's threshold, and its steps.

South Ayrshire 16.4: "approved by the majority of staff" — a majority of the electorate,
so half of the staff is not a majority and half plus one is, however many abstain.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.ballots import (
    AGREEMENT_APPROVAL,
    BallotFacts,
    BallotParameters,
    BallotState,
    BallotStep,
    BallotStepRefused,
    Choice,
    MajorityOf,
    Tally,
    Threshold,
    Window,
    outcome,
    step_check,
    steps_allowed,
    tally_count,
    threshold_read,
    window_for,
)
from fairload.core.errors import PackError
from fairload.core.packs import load_bundled
from fairload.core.parameters import DatedValue, Parameter, ParameterSet
from fairload.core.reference import Document, Reference

OPENING = date(2026, 6, 1)
SOUTH_AYRSHIRE = load_bundled("scotland/south-ayrshire-jnct-2.7").parameters
APPROVAL = threshold_read(parameters=SOUTH_AYRSHIRE, names=AGREEMENT_APPROVAL, at=OPENING)

_REF = Reference(Document("law", "A test statute"), "1.1")


def _parameters(**values: object) -> ParameterSet:
    return ParameterSet(
        {
            name: Parameter(name, name, "ratio", (DatedValue(date(2000, 1, 1), value, _REF),))
            for name, value in values.items()
        }
    )


INDICATIVE = BallotParameters(
    majority_of="base", yes_share_above="share", window_days="days", turnout_at_least="turnout"
)


def _indicative(base: str = "votes-cast") -> Threshold:
    parameters = _parameters(base=base, share="1/2", days=14, turnout="1/2")
    return threshold_read(parameters=parameters, names=INDICATIVE, at=OPENING)


# --- the South Ayrshire threshold ---------------------------------------------------------


def test_south_ayrshire_approval_needs_more_than_half_of_the_electorate_for_ten_days():
    assert APPROVAL.majority_of is MajorityOf.ELECTORATE
    assert float(APPROVAL.yes_share_above) == 0.5
    assert APPROVAL.window_days == 10
    assert APPROVAL.turnout_at_least is None
    assert {p.reference.clause for p in APPROVAL.parameters} == {"16.4"}


@pytest.mark.parametrize(
    ("electorate", "yes", "no", "passed"),
    [
        pytest.param(10, 5, 0, False, id="5 of 10 staff is half, not a majority"),
        pytest.param(10, 6, 0, True, id="6 of 10 staff is a majority"),
        pytest.param(11, 6, 5, True, id="6 of 11 staff is a majority"),
        pytest.param(10, 5, 1, False, id="5 yes to 1 no is not a majority of 10 staff"),
        pytest.param(8, 4, 4, False, id="4 of 8 staff in favour is not a majority"),
        pytest.param(1, 1, 0, True, id="the only teacher approves"),
        pytest.param(0, 0, 0, False, id="nobody to approve"),
    ],
)
def test_approval_is_a_majority_of_staff_not_of_votes_cast(electorate, yes, no, passed):
    result = outcome(tally=Tally(electorate, yes, no), threshold=APPROVAL)

    assert result.passed is passed
    assert result.tests[0].parameter.name == "staff_majority_share"
    assert "16.4" in result.message


def test_the_outcome_says_the_figures_behind_it():
    result = outcome(tally=Tally(10, 5, 1), threshold=APPROVAL)

    assert result.message == (
        "The ballot did not pass: 5 yes of 10 electors is 50%, not more than 50% "
        "(South Ayrshire JNCT2.7, 16.4)."
    )
    assert result.as_dict()["tally"] == {"electorate": 10, "yes": 5, "no": 1, "votes_cast": 6}


def test_a_majority_of_votes_cast_ignores_those_who_did_not_vote():
    threshold = _indicative("votes-cast")

    assert outcome(tally=Tally(10, 3, 2), threshold=threshold).passed
    assert not outcome(tally=Tally(10, 3, 3), threshold=threshold).passed


@pytest.mark.parametrize(
    ("voted", "passed"),
    [
        pytest.param(5, True, id="5 of 10 meets a 50% turnout"),
        pytest.param(4, False, id="4 does not"),
    ],
)
def test_a_turnout_threshold_is_met_at_the_threshold_whatever_the_yes_share(voted, passed):
    result = outcome(tally=Tally(10, voted, 0), threshold=_indicative())

    assert result.passed is passed
    assert [t.name for t in result.tests] == ["yes-share", "turnout"]
    assert result.tests[1].met is passed


def test_a_majority_parameter_must_name_electorate_or_votes_cast():
    with pytest.raises(PackError, match="'base' is 'members'"):
        _indicative("members")


def test_a_ballot_window_is_a_whole_number_of_days():
    parameters = _parameters(base="electorate", share="1/2", days=2.5, turnout="1/2")
    with pytest.raises(PackError, match="whole number"):
        threshold_read(parameters=parameters, names=INDICATIVE, at=OPENING)


def test_an_unknown_parameter_is_named():
    with pytest.raises(PackError, match="unknown parameter 'base'"):
        threshold_read(parameters=_parameters(), names=INDICATIVE, at=OPENING)


# --- tallies --------------------------------------------------------------------------------


def test_a_tally_counts_choices():
    tally = tally_count(electorate=5, choices=[Choice.YES, Choice.NO, Choice.YES])

    assert (tally.yes, tally.no, tally.votes_cast) == (2, 1, 3)


def test_a_tally_cannot_have_more_votes_than_electors():
    with pytest.raises(ValueError, match="3 votes cast but only 2 electors"):
        Tally(2, 2, 1)


@given(st.integers(min_value=1, max_value=10_000))
def test_exactly_half_of_the_staff_is_never_a_majority_and_one_more_always_is(staff):
    half = staff // 2
    if staff % 2 == 0:
        assert not outcome(tally=Tally(staff, half, staff - half), threshold=APPROVAL).passed
    assert outcome(tally=Tally(staff, half + 1, 0), threshold=APPROVAL).passed


@given(
    st.integers(min_value=1, max_value=500).flatmap(
        lambda n: st.tuples(st.just(n), st.integers(0, n)).flatmap(
            lambda t: st.tuples(st.just(t[0]), st.just(t[1]), st.integers(0, t[0] - t[1]))
        )
    )
)
def test_approval_passes_exactly_when_yes_votes_are_more_than_half_the_staff(case):
    staff, yes, no = case

    assert outcome(tally=Tally(staff, yes, no), threshold=APPROVAL).passed is (2 * yes > staff)


@given(st.integers(0, 300), st.integers(0, 300), st.integers(0, 300))
def test_a_majority_of_the_electorate_is_never_easier_than_of_votes_cast(yes, no, absent):
    tally = Tally(yes + no + absent, yes, no)
    if outcome(tally=tally, threshold=_indicative("electorate")).tests[0].met:
        assert outcome(tally=tally, threshold=_indicative("votes-cast")).tests[0].met


# --- steps ----------------------------------------------------------------------------------

OPENS = datetime(2026, 6, 1, 9, tzinfo=UTC)
WINDOW = window_for(opens_at=OPENS, threshold=APPROVAL)


def _facts(state: BallotState = BallotState.OPEN, *, days: float = 1) -> BallotFacts:
    return BallotFacts(state=state, window=WINDOW, now=OPENS + timedelta(days=days))


def test_the_window_is_the_pack_s_ten_days_from_opening():
    assert WINDOW.closes_at == datetime(2026, 6, 11, 9, tzinfo=UTC)
    assert WINDOW.takes_votes(OPENS)
    assert not WINDOW.takes_votes(WINDOW.closes_at)


def test_a_window_closes_after_it_opens():
    with pytest.raises(ValueError):
        Window(OPENS, OPENS)


def test_an_open_ballot_takes_votes_and_reissues_within_its_window():
    assert steps_allowed(_facts()) == (BallotStep.VOTE, BallotStep.REISSUE)
    assert step_check(_facts(), BallotStep.VOTE) is BallotState.OPEN


def test_it_cannot_be_closed_before_its_window_ends():
    with pytest.raises(BallotStepRefused, match="runs until 2026-06-11 09:00") as refused:
        step_check(_facts(days=9.9), BallotStep.CLOSE)

    assert refused.value.allowed == (BallotStep.VOTE, BallotStep.REISSUE)


def test_after_its_window_it_takes_no_votes_and_may_close():
    facts = _facts(days=10)

    assert step_check(facts, BallotStep.CLOSE) is BallotState.CLOSED
    with pytest.raises(BallotStepRefused, match="window has ended"):
        step_check(facts, BallotStep.VOTE)


@pytest.mark.parametrize("step", list(BallotStep), ids=[s.value for s in BallotStep])
def test_a_closed_ballot_allows_nothing(step):
    with pytest.raises(BallotStepRefused, match="nothing: the ballot is over"):
        step_check(_facts(BallotState.CLOSED, days=11), step)


@given(st.floats(min_value=-1, max_value=20, allow_nan=False))
def test_the_electorate_can_never_grow_once_open(days):
    with pytest.raises(BallotStepRefused, match="fixed when the ballot opened"):
        step_check(_facts(days=days), BallotStep.ADD_ELECTOR)
