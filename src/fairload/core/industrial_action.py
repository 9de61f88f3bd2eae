"""UK industrial-action law over a dispute's ballots and notices, as dated parameters.

The law pack (``uk/industrial-action``) keys every figure on the date that matters in
law: a ballot's turnout and support thresholds and its mandate on the ballot's opening
date (Trade Union Act 2016 s.3: the first day a voting paper is sent), the notice period
on the day the employer receives the notice. A union pack's dispute ladder names it
under ``law``; these functions read it:

- :func:`law_in_force`: the thresholds, majority, mandate and notice for a ballot
  opening on a day, each with its clause, and the caveats of any provisional value;
- :func:`formal_ballot_check`: a statutory ballot's result (run by an independent
  scrutineer outside fairload, entered by hand) against the law in force on its opening
  date: a 46.5 % turnout fails a 50 % turnout threshold whatever the yes share;
- :func:`indicative_outlook`: whether a formal ballot opening on a day would likely meet
  those thresholds, on an indicative ballot's figures, and how many more voters and yes
  votes it would need;
- :func:`mandate_ends`, :func:`earliest_action`, :func:`action_check`: the mandate's
  last day, the first day of action a notice allows, and whether planned dates of action
  fall inside both.

A value whose commencement is not confirmed is ``provisional`` in the pack. The checks
apply the *confirmed* law (a repeal announced but not commenced does not yet help a
ballot), say what the provisional value would change (``passed_if_provisional``), and
carry the caveat in ``caveats`` so every shell shows it.

Pure: no database, no clock, no figure (every figure is a parameter of the law pack).
"""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from fractions import Fraction
from typing import Any

from fairload.core.ballots import MajorityOf, Tally, ThresholdTest
from fairload.core.errors import PackError
from fairload.core.parameters import ParameterSet, ResolvedParameter
from fairload.core.process import long_day
from fairload.core.units import format_number

#: The law pack a union's ladder names by default.
LAW_PACK = "uk/industrial-action"

#: The parameters the law pack must give (what each check reads).
TURNOUT = "statutory_ballot_turnout_min_share"
MAJORITY_OF = "statutory_ballot_majority_of"
YES_SHARE = "statutory_ballot_yes_share_above"
SUPPORT = "important_public_services_support_min_share"
MANDATE = "mandate_months"
MANDATE_AGREED = "mandate_months_by_agreement"
NOTICE = "action_notice_days"
NOTICE_AGREED = "action_notice_days_by_agreement"
LAW_PARAMETERS = (
    TURNOUT,
    MAJORITY_OF,
    YES_SHARE,
    SUPPORT,
    MANDATE,
    MANDATE_AGREED,
    NOTICE,
    NOTICE_AGREED,
)


@dataclass(frozen=True, slots=True)
class LawValue:
    """A figure of the law read on a day: the confirmed value in force, and the value a
    provisional change (announced, commencement not confirmed) would put in its place."""

    confirmed: ResolvedParameter
    provisional: ResolvedParameter | None = None

    @property
    def caveat(self) -> str | None:
        return self.provisional.provisional if self.provisional is not None else None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"confirmed": self.confirmed.as_dict()}
        if self.provisional is not None:
            out["provisional"] = self.provisional.as_dict()
        return out


def law_value(parameters: ParameterSet, name: str, at: date) -> LawValue:
    """The figure ``name`` on ``at``: the last confirmed value in force, and the
    provisional value in force instead on that day if there is one. A day before the
    law pack's first value is a PackError saying so."""
    parameter = parameters.parameters.get(name)
    if parameter is None:
        raise PackError(
            f"the law pack has no parameter '{name}'",
            hint="A law pack gives: " + ", ".join(LAW_PARAMETERS) + ".",
        )
    resolved = parameters.resolve(name, at)  # raises if nothing is in force yet
    if resolved.provisional is None:
        return LawValue(resolved)
    confirmed = [v for v in parameter.values if v.effective <= at and v.provisional is None]
    if not confirmed:  # only an announced value: use it, with its caveat
        return LawValue(resolved, resolved)
    last = confirmed[-1]
    in_force = ResolvedParameter(
        name, last.value, parameter.unit, last.effective, last.reference, parameter.reading
    )
    return LawValue(in_force, resolved)


def _ratio(value: Any, name: str) -> Fraction:
    if isinstance(value, str) and "/" in value:
        top, _, bottom = value.partition("/")
        return Fraction(int(top), int(bottom))
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise PackError(f"parameter '{name}' is {value!r}, not a share")
    return Fraction(value).limit_denominator(10_000)


def _whole(value: Any, name: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or int(value) != value:
        raise PackError(f"parameter '{name}' is {value!r}, not a whole number")
    return int(value)


@dataclass(frozen=True, slots=True)
class LawInForce:
    """The law for a ballot opening on ``opened``: its figures, each a :class:`LawValue`."""

    opened: date
    turnout: LawValue
    majority_of: LawValue
    yes_share: LawValue
    support: LawValue
    mandate: LawValue
    mandate_by_agreement: LawValue

    @property
    def values(self) -> tuple[LawValue, ...]:
        return (
            self.turnout,
            self.majority_of,
            self.yes_share,
            self.support,
            self.mandate,
            self.mandate_by_agreement,
        )

    @property
    def caveats(self) -> tuple[str, ...]:
        """Each provisional value's caveat, once."""
        return tuple(dict.fromkeys(v.caveat for v in self.values if v.caveat))

    def as_dict(self) -> dict[str, Any]:
        return {
            "opened": self.opened.isoformat(),
            "figures": {v.confirmed.name: v.as_dict() for v in self.values},
            "caveats": list(self.caveats),
        }


def law_in_force(parameters: ParameterSet, opened: date) -> LawInForce:
    """The law for a ballot whose first voting paper is sent on ``opened``."""
    return LawInForce(
        opened,
        *(
            law_value(parameters, name, opened)
            for name in (TURNOUT, MAJORITY_OF, YES_SHARE, SUPPORT, MANDATE, MANDATE_AGREED)
        ),
    )


# --- the tests a ballot's figures meet --------------------------------------------------------


def percent(share: Fraction) -> str:
    """'46.5%': a share as people write it, to a tenth of a per cent."""
    return f"{format_number(round(float(share) * 100, 1))}%"


def _tests(
    tally: Tally, values: Mapping[str, ResolvedParameter], important_public_service: bool
) -> tuple[ThresholdTest, ...]:
    """The tests of ``tally`` against one reading of the law (confirmed or provisional)."""
    majority = str(values[MAJORITY_OF].value)
    try:
        majority_of = MajorityOf(majority)
    except ValueError:
        raise PackError(
            f"parameter '{MAJORITY_OF}' is {majority!r}",
            hint="Write one of: " + ", ".join(m.value for m in MajorityOf) + ".",
        ) from None
    base = tally.electorate if majority_of is MajorityOf.ELECTORATE else tally.votes_cast
    words = "entitled to vote" if majority_of is MajorityOf.ELECTORATE else "voting"
    share_above = _ratio(values[YES_SHARE].value, YES_SHARE)
    yes_share = Fraction(tally.yes, base) if base else Fraction(0)
    majority_met = base > 0 and yes_share > share_above
    tests = [
        ThresholdTest(
            "majority",
            yes_share,
            share_above,
            True,
            majority_met,
            values[YES_SHARE],
            f"{tally.yes} yes of {base} {words} is {percent(yes_share)}, "
            f"{'more' if majority_met else 'not more'} than {percent(share_above)} "
            f"({values[YES_SHARE].reference.citation})",
        )
    ]
    turnout_min = _ratio(values[TURNOUT].value, TURNOUT)
    if turnout_min > 0:
        met = tally.electorate > 0 and tally.turnout >= turnout_min
        tests.append(
            ThresholdTest(
                "turnout",
                tally.turnout,
                turnout_min,
                False,
                met,
                values[TURNOUT],
                f"a turnout of {tally.votes_cast} of {tally.electorate} is "
                f"{percent(tally.turnout)}, {'at least' if met else 'below'} "
                f"{percent(turnout_min)} ({values[TURNOUT].reference.citation})",
            )
        )
    support_min = _ratio(values[SUPPORT].value, SUPPORT)
    if important_public_service and support_min > 0:
        support = Fraction(tally.yes, tally.electorate) if tally.electorate else Fraction(0)
        met = tally.electorate > 0 and support >= support_min
        tests.append(
            ThresholdTest(
                "support",
                support,
                support_min,
                False,
                met,
                values[SUPPORT],
                f"{tally.yes} yes of {tally.electorate} entitled to vote is "
                f"{percent(support)}, {'at least' if met else 'below'} {percent(support_min)} "
                f"in an important public service ({values[SUPPORT].reference.citation})",
            )
        )
    return tuple(tests)


def _readings(law: LawInForce) -> tuple[dict[str, ResolvedParameter], dict[str, ResolvedParameter]]:
    confirmed = {v.confirmed.name: v.confirmed for v in law.values}
    provisional = {
        v.confirmed.name: (v.provisional if v.provisional is not None else v.confirmed)
        for v in law.values
    }
    return confirmed, provisional


# --- a formal (statutory) ballot -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FormalBallot:
    """A statutory ballot's result as the independent scrutineer reports it, entered by
    hand: the day the first voting paper was sent (``opened``), the last day of voting
    (``closed``), how many were entitled to vote, and the yes and no votes. Schools are an
    important public service (the education of those under 17) unless said otherwise."""

    opened: date
    closed: date
    tally: Tally
    important_public_service: bool = True

    def __post_init__(self) -> None:
        if self.closed < self.opened:
            raise ValueError(
                f"the ballot closed on {long_day(self.closed)}, before it opened "
                f"on {long_day(self.opened)}"
            )


@dataclass(frozen=True, slots=True)
class BallotCheck:
    """A formal ballot against the law in force on its opening day.

    ``passed`` is the verdict under the confirmed law; ``passed_if_provisional`` what it
    would be were every provisional change in force (equal to ``passed`` when none
    applies); ``caveats`` the provisional values' caveats, to show with the verdict."""

    passed: bool
    passed_if_provisional: bool
    tests: tuple[ThresholdTest, ...]
    provisional_tests: tuple[ThresholdTest, ...]
    law: LawInForce
    mandate_ends: date | None

    @property
    def caveats(self) -> tuple[str, ...]:
        return self.law.caveats

    @property
    def message(self) -> str:
        verdict = "meets" if self.passed else "does not meet"
        text = (
            f"The ballot opened on {long_day(self.law.opened)} {verdict} the law in force "
            "then: " + "; ".join(t.sentence for t in self.tests) + "."
        )
        if self.passed and self.mandate_ends is not None:
            text += f" Its mandate lasts until {long_day(self.mandate_ends)}."
        if self.passed_if_provisional != self.passed:
            would = "would meet" if self.passed_if_provisional else "would not meet"
            text += f" It {would} the law if its provisional changes were in force."
        return text + "".join(f" Provisional: {c}" for c in self.caveats)

    def as_dict(self) -> dict[str, Any]:
        return {
            "passed": self.passed,
            "passed_if_provisional": self.passed_if_provisional,
            "message": self.message,
            "tests": [t.as_dict() for t in self.tests],
            "provisional_tests": [t.as_dict() for t in self.provisional_tests],
            "law": self.law.as_dict(),
            "mandate_ends": self.mandate_ends.isoformat() if self.mandate_ends else None,
            "caveats": list(self.caveats),
        }


def formal_ballot_check(parameters: ParameterSet, ballot: FormalBallot) -> BallotCheck:
    """The ballot's result against the thresholds in force on its opening day."""
    law = law_in_force(parameters, ballot.opened)
    confirmed, provisional = _readings(law)
    tests = _tests(ballot.tally, confirmed, ballot.important_public_service)
    if_provisional = _tests(ballot.tally, provisional, ballot.important_public_service)
    passed = all(t.met for t in tests)
    return BallotCheck(
        passed,
        all(t.met for t in if_provisional),
        tests,
        if_provisional if law.caveats else (),
        law,
        mandate_ends(parameters, ballot.opened, ballot.closed) if passed else None,
    )


# --- an indicative ballot ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Outlook:
    """Whether a formal ballot opening on ``law.opened`` would likely meet the law, on an
    indicative ballot's figures; and what it lacks: more voters for the turnout, more yes
    votes for the majority and the support threshold (0 where nothing is lacking)."""

    likely: bool
    tests: tuple[ThresholdTest, ...]
    law: LawInForce
    more_voters_needed: int
    more_yes_needed: int

    @property
    def caveats(self) -> tuple[str, ...]:
        return self.law.caveats

    @property
    def message(self) -> str:
        verdict = "would likely meet" if self.likely else "would not meet, on these figures,"
        text = (
            f"A formal ballot opening on {long_day(self.law.opened)} {verdict} the law in "
            "force then: " + "; ".join(t.sentence for t in self.tests) + "."
        )
        if self.more_voters_needed:
            text += f" It needs {self.more_voters_needed} more members voting."
        if self.more_yes_needed:
            text += f" It needs {self.more_yes_needed} more yes votes."
        return text + "".join(f" Provisional: {c}" for c in self.caveats)

    def as_dict(self) -> dict[str, Any]:
        return {
            "likely": self.likely,
            "message": self.message,
            "tests": [t.as_dict() for t in self.tests],
            "law": self.law.as_dict(),
            "more_voters_needed": self.more_voters_needed,
            "more_yes_needed": self.more_yes_needed,
            "caveats": list(self.caveats),
        }


def _least_at(share: Fraction, base: int) -> int:
    """The least whole number at least ``share`` of ``base``."""
    return -((-share * base).__floor__())


def _new_yes_for_majority(tally: Tally, share: Fraction) -> int:
    """The fewest new yes voters that make the yes share of the votes more than
    ``share``: the least n with (yes + n) / (cast + n) > share."""
    # yes + n > share * (cast + n)  <=>  n * (1 - share) > share * cast - yes
    gap = share * tally.votes_cast - tally.yes
    return 0 if gap < 0 else (gap / (1 - share)).__floor__() + 1


def indicative_outlook(
    parameters: ParameterSet,
    tally: Tally,
    formal_opens: date,
    *,
    important_public_service: bool = True,
) -> Outlook:
    """Whether a formal ballot opening on ``formal_opens``, voting as the indicative ballot
    did (``tally``: the members who would be balloted, their yes and no), would meet the
    confirmed law in force then; with the caveats of any provisional value. An indicative
    ballot is not the law's ballot: this is a forecast, and says so."""
    law = law_in_force(parameters, formal_opens)
    confirmed, _ = _readings(law)
    tests = _tests(tally, confirmed, important_public_service)
    more_voters = more_yes = 0
    for test in tests:
        if test.met:
            continue
        if test.name == "turnout":
            more_voters = max(
                more_voters, _least_at(test.limit, tally.electorate) - tally.votes_cast
            )
        elif test.name == "support":
            more_yes = max(more_yes, _least_at(test.limit, tally.electorate) - tally.yes)
        elif test.name == "majority":
            more_yes = max(more_yes, _new_yes_for_majority(tally, test.limit))
    return Outlook(all(t.met for t in tests), tests, law, more_voters, more_yes)


# --- the mandate and the notice ---------------------------------------------------------------


def add_months(day: date, months: int) -> date:
    """``day`` plus whole months, at the month's last day where it is shorter (31 August
    plus 6 months is 28 or 29 February)."""
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def mandate_ends(
    parameters: ParameterSet, opened: date, closed: date, *, by_agreement: bool = False
) -> date:
    """The mandate's last day: the period of the months in force at the ballot's opening
    (by agreement with the employer, where it agreed), beginning with the last day of
    voting (a period beginning with 14 January for 6 months ends on 13 July)."""
    name = MANDATE_AGREED if by_agreement else MANDATE
    months = _whole(law_value(parameters, name, opened).confirmed.value, name)
    return add_months(closed, months) - timedelta(days=1)


def earliest_action(
    parameters: ParameterSet, received: date, *, by_agreement: bool = False
) -> date:
    """The first day action may start on a notice the employer received on ``received``:
    the notice days in force that day (fewer where the employer agreed) after it."""
    name = NOTICE_AGREED if by_agreement else NOTICE
    days = _whole(law_value(parameters, name, received).confirmed.value, name)
    return received + timedelta(days=days)


@dataclass(frozen=True, slots=True)
class ActionCheck:
    """Planned dates of action against the notice and the mandate: each problem in words,
    and the figures (the earliest day the notice allows, the mandate's last day)."""

    problems: tuple[str, ...]
    earliest: date
    mandate_last_day: date
    notice: ResolvedParameter

    @property
    def lawful(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        return {
            "lawful": self.lawful,
            "problems": list(self.problems),
            "earliest": self.earliest.isoformat(),
            "mandate_last_day": self.mandate_last_day.isoformat(),
            "notice": self.notice.as_dict(),
        }


def action_check(
    parameters: ParameterSet,
    *,
    received: date,
    mandate_last_day: date,
    action_days: Iterable[date],
    notice_by_agreement: bool = False,
) -> ActionCheck:
    """Whether each day of action is on or after the earliest day the notice allows, and
    on or before the mandate's last day."""
    name = NOTICE_AGREED if notice_by_agreement else NOTICE
    notice = law_value(parameters, name, received).confirmed
    earliest = earliest_action(parameters, received, by_agreement=notice_by_agreement)
    problems: list[str] = []
    if received > mandate_last_day:
        problems.append(
            f"the notice was received on {long_day(received)}, after the mandate ended "
            f"on {long_day(mandate_last_day)}"
        )
    for day in sorted(set(action_days)):
        if day < earliest:
            problems.append(
                f"{long_day(day)} is before {long_day(earliest)}, "
                f"{format_number(notice.value)} days after the notice was received on "
                f"{long_day(received)} ({notice.reference.citation})"
            )
        if day > mandate_last_day:
            problems.append(
                f"{long_day(day)} is after the mandate ended on {long_day(mandate_last_day)}"
            )
    return ActionCheck(tuple(problems), earliest, mandate_last_day, notice)
