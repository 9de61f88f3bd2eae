"""Secret ballots: the tally, the outcome against a pack's threshold, and the ballot's steps.

One ballot model serves every workflow that asks a fixed electorate a yes-or-no question:
the approval of a school's working-time agreement (South Ayrshire 16.4: "approved by the
majority of staff", so a majority *of the electorate*, not of the votes cast), and later a
union's members-only and indicative ballots in a workload dispute. The figures (whose
majority, what share, what turnout, how many days open) are pack parameters, named by the
caller in a ``BallotParameters`` and read at the ballot's opening date.

Pure functions over plain values: no database, no clock (the caller passes ``now``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from fractions import Fraction
from typing import Any

from fairload.core.errors import PackError
from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.process_spec import BallotParameters as BallotParameters
from fairload.core.units import format_number


class Choice(StrEnum):
    YES = "yes"
    NO = "no"


class MajorityOf(StrEnum):
    """Whose majority a ballot needs: everyone entitled to vote, or those who voted."""

    ELECTORATE = "electorate"
    VOTES_CAST = "votes-cast"


class BallotState(StrEnum):
    OPEN = "open"
    CLOSED = "closed"


class BallotStep(StrEnum):
    VOTE = "vote"
    REISSUE = "reissue"
    CLOSE = "close"
    ADD_ELECTOR = "add-elector"


class BallotStepRefused(Exception):
    """A step the ballot's state or window does not allow; the message says what does."""

    def __init__(self, step: BallotStep, reason: str, allowed: tuple[BallotStep, ...]) -> None:
        self.step, self.reason, self.allowed = step, reason, allowed
        instead = ", ".join(s.value for s in allowed) or "nothing: the ballot is over"
        super().__init__(f"Cannot {step.value}: {reason} (allowed now: {instead})")


@dataclass(frozen=True, slots=True)
class Tally:
    """The count of one ballot paper: how many may vote, and how they voted."""

    electorate: int
    yes: int
    no: int

    def __post_init__(self) -> None:
        if min(self.electorate, self.yes, self.no) < 0:
            raise ValueError(f"a tally cannot be negative: {self}")
        if self.yes + self.no > self.electorate:
            raise ValueError(f"{self.yes + self.no} votes cast but only {self.electorate} electors")

    @property
    def votes_cast(self) -> int:
        return self.yes + self.no

    @property
    def turnout(self) -> Fraction:
        return Fraction(self.votes_cast, self.electorate) if self.electorate else Fraction(0)

    def as_dict(self) -> dict[str, int]:
        return {
            "electorate": self.electorate,
            "yes": self.yes,
            "no": self.no,
            "votes_cast": self.votes_cast,
        }


def tally_count(*, electorate: int, choices: list[Choice]) -> Tally:
    return Tally(
        electorate=electorate,
        yes=sum(1 for c in choices if c is Choice.YES),
        no=sum(1 for c in choices if c is Choice.NO),
    )


#: The approval of a school's working-time agreement by its teaching staff (South
#: Ayrshire 16.4); a pack that runs such a ballot gives these parameters.
AGREEMENT_APPROVAL = BallotParameters(
    majority_of="approval_ballot_majority_of",
    yes_share_above="staff_majority_share",
    window_days="approval_ballot_window_days",
)


@dataclass(frozen=True, slots=True)
class Threshold:
    """A ballot's figures read from its pack at the opening date, each with its clause."""

    majority_of: MajorityOf
    yes_share_above: Fraction
    window_days: int
    turnout_at_least: Fraction | None
    #: majority_of, yes_share_above, window_days, then turnout_at_least if there is one
    parameters: tuple[ResolvedParameter, ...]

    def __post_init__(self) -> None:
        if not 0 <= self.yes_share_above < 1:
            raise ValueError(f"a yes share must be from 0 up to 1, not {self.yes_share_above}")
        if self.window_days < 1:
            raise ValueError(f"a ballot is open for at least a day, not {self.window_days}")
        if self.turnout_at_least is not None and not 0 <= self.turnout_at_least <= 1:
            raise ValueError(f"a turnout must be from 0 to 1, not {self.turnout_at_least}")

    def as_dict(self) -> dict[str, Any]:
        return {
            "majority_of": self.majority_of.value,
            "yes_share_above": str(self.yes_share_above),
            "window_days": self.window_days,
            "turnout_at_least": None
            if self.turnout_at_least is None
            else str(self.turnout_at_least),
            "parameters": [p.as_dict() for p in self.parameters],
        }


def _fraction(parameters: ParameterSet, name: str, at: date) -> Fraction:
    return Fraction(parameters.number(name, at)).limit_denominator(10_000)


def threshold_read(*, parameters: ParameterSet, names: BallotParameters, at: date) -> Threshold:
    """The threshold in force on ``at`` (a ballot's opening date). A missing or misspelt
    parameter is a PackError naming it."""
    majority = str(parameters.value(names.majority_of, at))
    try:
        majority_of = MajorityOf(majority)
    except ValueError:
        allowed = ", ".join(m.value for m in MajorityOf)
        raise PackError(
            f"parameter '{names.majority_of}' is {majority!r}",
            hint=f"Write one of: {allowed}.",
        ) from None
    window = parameters.number(names.window_days, at)
    if not window.is_integer():
        raise PackError(f"parameter '{names.window_days}' is {window}, not a whole number of days")
    used = [names.majority_of, names.yes_share_above, names.window_days]
    turnout = None
    if names.turnout_at_least is not None:
        turnout = _fraction(parameters, names.turnout_at_least, at)
        used.append(names.turnout_at_least)
    return Threshold(
        majority_of=majority_of,
        yes_share_above=_fraction(parameters, names.yes_share_above, at),
        window_days=int(window),
        turnout_at_least=turnout,
        parameters=tuple(parameters.resolve(name, at) for name in used),
    )


@dataclass(frozen=True, slots=True)
class Window:
    """When a ballot takes votes: from ``opens_at`` up to (not including) ``closes_at``."""

    opens_at: datetime
    closes_at: datetime

    def __post_init__(self) -> None:
        if self.closes_at <= self.opens_at:
            raise ValueError("a ballot closes after it opens")

    def takes_votes(self, now: datetime) -> bool:
        return self.opens_at <= now < self.closes_at


def window_for(*, opens_at: datetime, threshold: Threshold) -> Window:
    return Window(opens_at, opens_at + timedelta(days=threshold.window_days))


@dataclass(frozen=True, slots=True)
class ThresholdTest:
    """One test of the outcome: the figure, the limit, and the parameter that sets it."""

    name: str
    actual: Fraction
    limit: Fraction
    strictly_above: bool
    met: bool
    parameter: ResolvedParameter
    sentence: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "actual": str(self.actual),
            "limit": str(self.limit),
            "met": self.met,
            "sentence": self.sentence,
            "parameter": self.parameter.as_dict(),
        }


@dataclass(frozen=True, slots=True)
class Outcome:
    """Whether a closed ballot passed, and the figures behind it, like a finding's working."""

    passed: bool
    tally: Tally
    threshold: Threshold
    tests: tuple[ThresholdTest, ...]

    @property
    def message(self) -> str:
        verdict = "passed" if self.passed else "did not pass"
        return f"The ballot {verdict}: " + "; ".join(t.sentence for t in self.tests) + "."

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "message": self.message,
            "tally": self.tally.as_dict(),
            "turnout": str(self.tally.turnout),
            "tests": [t.as_dict() for t in self.tests],
            "threshold": self.threshold.as_dict(),
        }


def _percent(share: Fraction) -> str:
    return f"{format_number(round(float(share) * 100, 1))}%"


def outcome(*, tally: Tally, threshold: Threshold) -> Outcome:
    """The outcome of a closed ballot. A majority is *more than* the yes share of its base
    (half of 10 staff is 5; 5 is not a majority, 6 is); a turnout threshold is met at it."""
    if threshold.majority_of is MajorityOf.ELECTORATE:
        base, base_words = tally.electorate, "electors"
    else:
        base, base_words = tally.votes_cast, "votes cast"
    yes_share = Fraction(tally.yes, base) if base else Fraction(0)
    majority_met = base > 0 and yes_share > threshold.yes_share_above
    share_parameter = threshold.parameters[1]
    tests = [
        ThresholdTest(
            name="yes-share",
            actual=yes_share,
            limit=threshold.yes_share_above,
            strictly_above=True,
            met=majority_met,
            parameter=share_parameter,
            sentence=(
                f"{tally.yes} yes of {base} {base_words} is {_percent(yes_share)}, "
                f"{'more' if majority_met else 'not more'} than "
                f"{_percent(threshold.yes_share_above)} ({share_parameter.reference.citation})"
            ),
        )
    ]
    if threshold.turnout_at_least is not None:
        turnout_met = tally.electorate > 0 and tally.turnout >= threshold.turnout_at_least
        turnout_parameter = threshold.parameters[3]
        tests.append(
            ThresholdTest(
                name="turnout",
                actual=tally.turnout,
                limit=threshold.turnout_at_least,
                strictly_above=False,
                met=turnout_met,
                parameter=turnout_parameter,
                sentence=(
                    f"a turnout of {tally.votes_cast} of {tally.electorate} is "
                    f"{_percent(tally.turnout)}, {'at least' if turnout_met else 'below'} "
                    f"{_percent(threshold.turnout_at_least)} "
                    f"({turnout_parameter.reference.citation})"
                ),
            )
        )
    return Outcome(
        passed=all(t.met for t in tests), tally=tally, threshold=threshold, tests=tuple(tests)
    )


# --- the ballot's steps ---------------------------------------------------------------------

#: (state, step) -> the state after it. Anything else is refused.
TRANSITIONS: dict[tuple[BallotState, BallotStep], BallotState] = {
    (BallotState.OPEN, BallotStep.VOTE): BallotState.OPEN,
    (BallotState.OPEN, BallotStep.REISSUE): BallotState.OPEN,
    (BallotState.OPEN, BallotStep.CLOSE): BallotState.CLOSED,
}


@dataclass(frozen=True, slots=True)
class BallotFacts:
    """What a step's guard needs to know about a ballot at ``now``. Deliberately not the
    number who have voted: no step may depend on it, or its refusal would reveal it."""

    state: BallotState
    window: Window
    now: datetime


def steps_allowed(facts: BallotFacts) -> tuple[BallotStep, ...]:
    return tuple(s for s in BallotStep if _refusal(facts, s) is None)


def step_check(facts: BallotFacts, step: BallotStep) -> BallotState:
    """The state after ``step``, or BallotStepRefused saying why not and what is allowed.

    - Votes are taken only inside the window.
    - The electorate is fixed at opening: adding an elector is always refused, since a late
      voter would let anyone subtract the tallies seen before and after.
    - A paper can be withdrawn and reissued only while the ballot is open (the caller
      starts a new window from the reissue, so everyone has the full window to vote again).
    - A ballot closes only once its window has ended: nobody is shut out, and nobody may
      close it the moment it looks favourable. (Not early when everyone has voted either:
      a close button that lit up then would tell the head the turnout.)
    """
    reason = _refusal(facts, step)
    if reason is not None:
        raise BallotStepRefused(step, reason, _others(facts, step))
    return TRANSITIONS[(facts.state, step)]


def _others(facts: BallotFacts, refused: BallotStep) -> tuple[BallotStep, ...]:
    return tuple(s for s in steps_allowed(facts) if s is not refused)


def _refusal(facts: BallotFacts, step: BallotStep) -> str | None:
    if step is BallotStep.ADD_ELECTOR:
        return "the electorate was fixed when the ballot opened"
    if (facts.state, step) not in TRANSITIONS:
        return f"the ballot is {facts.state.value}"
    if step is BallotStep.VOTE and not facts.window.takes_votes(facts.now):
        when = "has not opened" if facts.now < facts.window.opens_at else "has ended"
        return f"the voting window {when} ({_window_words(facts.window)})"
    if step is BallotStep.CLOSE and facts.now < facts.window.closes_at:
        return f"the voting window runs until {facts.window.closes_at:%Y-%m-%d %H:%M}"
    return None


def _window_words(window: Window) -> str:
    return f"{window.opens_at:%Y-%m-%d %H:%M} to {window.closes_at:%Y-%m-%d %H:%M}"
