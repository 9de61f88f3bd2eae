"""UK industrial-action law as dated parameters: a formal ballot's result against the law
in force on its opening day, an indicative ballot's outlook, the mandate and the notice.

Figures from ../shared/reference/uk-2026-changes.md: the EIS statutory workload ballot
(opened before 18 February 2026, closed 14 January 2026): turnout 46.5 %, 85.9 % yes; it
failed the 50 % turnout threshold, and would have failed the old 40 % support test
(0.465 x 0.859 = 39.9 %). The Employment Rights Act 2025 repealed the 40 % test and made
the mandate 12 months for ballots opening on or after 18 February 2026, and the notice
10 days for notices received from then; the turnout threshold's repeal is provisional.
"""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from fairload.core.ballots import Tally
from fairload.core.errors import PackError
from fairload.core.industrial_action import (
    FormalBallot,
    action_check,
    add_months,
    earliest_action,
    formal_ballot_check,
    indicative_outlook,
    law_in_force,
    law_value,
    mandate_ends,
)
from fairload.core.packs import load_bundled

LAW = load_bundled("uk/industrial-action").parameters
BEFORE = date(2026, 2, 17)  # the day before the Employment Rights Act 2025's changes
FROM = date(2026, 2, 18)
#: The EIS ballot's figures on an electorate of 10,000: 4,650 voted (46.5 %), 3,994 yes
#: (85.9 % of those voting).
EIS = Tally(electorate=10_000, yes=3_994, no=656)
EIS_OPENED = date(2025, 12, 1)  # "opened before 18 Feb 2026"
EIS_CLOSED = date(2026, 1, 14)


def test_the_eis_ballot_fails_the_50_per_cent_turnout_threshold_whatever_its_yes_share() -> None:
    result = formal_ballot_check(LAW, FormalBallot(EIS_OPENED, EIS_CLOSED, EIS))
    tests = {t.name: t for t in result.tests}
    assert not result.passed
    assert tests["majority"].met  # 85.9 % yes of those voting
    assert not tests["turnout"].met
    assert tests["turnout"].actual == Fraction(465, 1000)
    assert "46.5%, below 50%" in tests["turnout"].sentence
    assert result.mandate_ends is None


def test_the_eis_ballot_would_also_have_failed_the_old_40_per_cent_support_test() -> None:
    result = formal_ballot_check(LAW, FormalBallot(EIS_OPENED, EIS_CLOSED, EIS))
    support = next(t for t in result.tests if t.name == "support")
    assert not support.met
    assert "39.9%, below 40%" in support.sentence


def test_the_40_per_cent_test_does_not_apply_outside_important_public_services() -> None:
    ballot = FormalBallot(EIS_OPENED, EIS_CLOSED, EIS, important_public_service=False)
    assert "support" not in {t.name for t in formal_ballot_check(LAW, ballot).tests}


@pytest.mark.parametrize(
    ("opened", "support_applies"),
    [(BEFORE, True), (FROM, False)],
    ids=["opening-17-feb-2026-has-the-40pc-test", "opening-18-feb-2026-has-none"],
)
def test_the_40_per_cent_test_is_read_at_the_ballots_opening_day(
    opened: date, support_applies: bool
) -> None:
    # 60 % turnout, 60 % yes of those voting: 36 % of the electorate, below 40 %.
    tally = Tally(electorate=100, yes=36, no=24)
    result = formal_ballot_check(LAW, FormalBallot(opened, date(2026, 3, 10), tally))
    assert ("support" in {t.name for t in result.tests}) is support_applies
    assert result.passed is not support_applies


@pytest.mark.parametrize(
    ("votes_cast", "passes"),
    [(50, True), (49, False)],
    ids=["50-of-100-voting-is-at-the-threshold", "49-of-100-is-just-under"],
)
def test_the_turnout_threshold_is_met_at_half_the_electorate(votes_cast: int, passes: bool) -> None:
    tally = Tally(electorate=100, yes=votes_cast, no=0)
    result = formal_ballot_check(LAW, FormalBallot(FROM, date(2026, 3, 4), tally))
    assert result.passed is passes


@pytest.mark.parametrize(
    ("yes", "no", "passes"),
    [(31, 29, True), (30, 30, False)],
    ids=["31-of-60-is-a-majority", "a-tie-is-not"],
)
def test_a_majority_of_those_voting_is_more_than_half(yes: int, no: int, passes: bool) -> None:
    result = formal_ballot_check(LAW, FormalBallot(FROM, date(2026, 3, 4), Tally(100, yes, no)))
    assert result.passed is passes


def test_a_ballot_before_the_trade_union_act_thresholds_cannot_be_read() -> None:
    with pytest.raises(PackError, match="no value in force on 2017-02-28"):
        formal_ballot_check(LAW, FormalBallot(date(2017, 2, 28), date(2017, 3, 20), EIS))


def test_the_turnout_thresholds_provisional_repeal_is_not_applied_but_shown() -> None:
    # Opening 1 August 2026, when the repeal tied to e-balloting is expected but not
    # confirmed: the 50 % threshold still applies; the caveat and the other verdict show.
    result = formal_ballot_check(LAW, FormalBallot(date(2026, 8, 1), date(2026, 9, 1), EIS))
    assert not result.passed
    assert result.passed_if_provisional
    assert any("not confirmed" in c for c in result.caveats)
    assert "Provisional:" in result.message and "would meet the law" in result.message
    assert result.as_dict()["caveats"] == list(result.caveats)


def test_a_ballot_opening_the_day_before_the_provisional_date_has_no_caveat() -> None:
    result = formal_ballot_check(LAW, FormalBallot(date(2026, 7, 31), date(2026, 9, 1), EIS))
    assert result.caveats == ()
    assert result.passed_if_provisional is result.passed is False


def test_the_law_in_force_names_each_figures_clause() -> None:
    law = law_in_force(LAW, BEFORE)
    assert law.turnout.confirmed.reference.clause == "s.226(2)(a)(iia)"
    assert law.support.confirmed.value == "2/5"
    assert law_in_force(LAW, FROM).support.confirmed.reference.clause == "s.69"


def test_law_value_reports_an_unknown_parameter() -> None:
    with pytest.raises(PackError, match="no parameter 'strike_pay'"):
        law_value(LAW, "strike_pay", FROM)


# --- the mandate and the notice ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("opened", "closed", "last_day"),
    [
        (BEFORE, date(2026, 3, 3), date(2026, 9, 2)),  # 6 months
        (FROM, date(2026, 3, 3), date(2027, 3, 2)),  # 12 months
    ],
    ids=["opening-17-feb-2026-six-months", "opening-18-feb-2026-twelve-months"],
)
def test_the_mandate_is_read_at_the_opening_and_runs_from_the_close(
    opened: date, closed: date, last_day: date
) -> None:
    assert mandate_ends(LAW, opened, closed) == last_day
    result = formal_ballot_check(LAW, FormalBallot(opened, closed, Tally(100, 60, 10)))
    assert result.mandate_ends == last_day


def test_nine_months_by_agreement_before_the_change() -> None:
    assert mandate_ends(LAW, BEFORE, date(2026, 3, 3), by_agreement=True) == date(2026, 12, 2)


@pytest.mark.parametrize(
    ("received", "earliest"),
    [(BEFORE, date(2026, 3, 3)), (FROM, date(2026, 2, 28))],
    ids=["received-17-feb-14-days", "received-18-feb-10-days"],
)
def test_the_notice_period_is_read_on_the_day_the_employer_receives_it(
    received: date, earliest: date
) -> None:
    assert earliest_action(LAW, received) == earliest


def test_seven_days_notice_by_agreement_before_the_change() -> None:
    assert earliest_action(LAW, BEFORE, by_agreement=True) == date(2026, 2, 24)


def test_a_day_of_action_before_the_notice_allows_or_after_the_mandate_is_refused() -> None:
    received = date(2026, 3, 2)  # 10 days: action from 12 March
    last = date(2026, 6, 30)
    ok = action_check(
        LAW, received=received, mandate_last_day=last, action_days=[date(2026, 3, 12)]
    )
    assert ok.lawful and ok.earliest == date(2026, 3, 12)
    early = action_check(
        LAW, received=received, mandate_last_day=last, action_days=[date(2026, 3, 11)]
    )
    assert early.problems == (
        "Wednesday 11 March 2026 is before Thursday 12 March 2026, 10 days after the notice "
        "was received on Monday 2 March 2026 "
        "(Employment Rights Act 2025 (c. 36), notice of industrial action)",
    )
    late = action_check(
        LAW, received=received, mandate_last_day=last, action_days=[date(2026, 7, 1)]
    )
    assert late.problems == (
        "Wednesday 1 July 2026 is after the mandate ended on Tuesday 30 June 2026",
    )


def test_months_added_to_a_month_end_stop_at_the_shorter_months_last_day() -> None:
    assert add_months(date(2025, 8, 31), 6) == date(2026, 2, 28)
    assert add_months(date(2027, 8, 31), 6) == date(2028, 2, 29)


# --- an indicative ballot ----------------------------------------------------------------------


def test_an_indicative_ballot_like_the_eis_one_would_not_meet_the_turnout() -> None:
    outlook = indicative_outlook(LAW, EIS, date(2026, 3, 1))
    assert not outlook.likely
    assert outlook.more_voters_needed == 350  # 5,000 of 10,000 must vote
    assert outlook.more_yes_needed == 0
    assert "350 more members voting" in outlook.message


def test_an_indicative_ballot_of_12_members_with_7_voting_yes_would_likely_succeed() -> None:
    outlook = indicative_outlook(LAW, Tally(electorate=12, yes=6, no=1), date(2026, 3, 1))
    assert outlook.likely
    assert (outlook.more_voters_needed, outlook.more_yes_needed) == (0, 0)


def test_an_indicative_ballot_carries_the_provisional_caveat() -> None:
    outlook = indicative_outlook(LAW, Tally(12, 6, 0), date(2026, 9, 1))
    assert outlook.likely
    assert outlook.caveats and "Provisional:" in outlook.message


@st.composite
def tallies(draw: st.DrawFn) -> Tally:
    electorate = draw(st.integers(min_value=1, max_value=5_000))
    yes = draw(st.integers(min_value=0, max_value=electorate))
    return Tally(electorate, yes, draw(st.integers(min_value=0, max_value=electorate - yes)))


@given(tally=tallies())
def test_the_voters_and_yes_votes_said_to_be_needed_are_exactly_enough(tally: Tally) -> None:
    electorate, yes, no = tally.electorate, tally.yes, tally.no
    outlook = indicative_outlook(LAW, Tally(electorate, yes, no), FROM)
    # Enough: the needed voters (all voting yes) and yes votes meet every test ...
    extra = max(outlook.more_voters_needed, outlook.more_yes_needed)
    if yes + no + extra <= electorate:
        after = indicative_outlook(LAW, Tally(electorate, yes + extra, no), FROM)
        assert after.likely
    # ... and no fewer would: one fewer new voter leaves the turnout short.
    if outlook.more_voters_needed:
        short = Tally(electorate, yes + outlook.more_voters_needed - 1, no)
        assert short.turnout < Fraction(1, 2)
    if outlook.more_yes_needed:
        fewer = outlook.more_yes_needed - 1
        if yes + no + fewer:  # none voting is no majority either
            assert Fraction(yes + fewer, yes + no + fewer) <= Fraction(1, 2)


@given(tally=tallies())
def test_a_formal_ballot_passes_exactly_when_turnout_and_majority_hold(tally: Tally) -> None:
    electorate, yes, no = tally.electorate, tally.yes, tally.no
    result = formal_ballot_check(LAW, FormalBallot(FROM, date(2026, 3, 20), tally))
    expected = 2 * (yes + no) >= electorate and 2 * yes > yes + no
    assert result.passed is expected


def test_the_pack_loader_keeps_a_values_provisional_mark() -> None:
    assert LAW.resolve("statutory_ballot_turnout_min_share", date(2026, 7, 31)).provisional is None
    marked = LAW.resolve("statutory_ballot_turnout_min_share", date(2026, 8, 1))
    assert marked.provisional is not None and "not confirmed" in marked.provisional
    assert marked.as_dict()["provisional"] == marked.provisional
