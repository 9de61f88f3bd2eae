"""Pure functions over a workload dispute's case on its ladder.

The ladder is pack data (``dispute.yaml``, :mod:`fairload.core.dispute_ladder`); the case
is the record a shell stores (:mod:`fairload.core.dispute_case`). These functions read
the two, as :mod:`fairload.core.process` does for the agreement:

- :func:`gate`: whether a step's gate is met, with the figures (and the law's caveats):
  a members' ballot's majority (of members, read at its opening), an indicative
  ballot's outlook, the statutory ballot, the notice and the days of action against the
  UK law pack (:mod:`fairload.core.industrial_action`);
- :func:`done_steps`, :func:`may_take`, :func:`take`: what is done, whether a step may
  follow now (else why not), and the case with a step taken (or :class:`StepRefused`,
  saying what may follow instead);
- :func:`stage`, :func:`next_steps`, :func:`overdue`, :func:`timeline`: where the case
  stands, each role's next steps, what is late, and the case's story in order;
- :func:`close`: the case closed at any step, with a reason.

Roles are not permissions: the caller decides who may see and take a step.

Pure: no database, no clock (the caller passes the day), no figure (thresholds, windows
and the law's periods are parameters, read at the day that matters).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Any

from fairload.core import industrial_action as law_
from fairload.core.ballots import Tally, outcome, threshold_read
from fairload.core.dispute_case import Case, Closure, Entry
from fairload.core.dispute_ladder import Ladder, LadderStep
from fairload.core.errors import PackError
from fairload.core.parameters import ParameterSet
from fairload.core.process import long_day
from fairload.core.prose import fill

# --- gates -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GateResult:
    """Whether a step's gate is met, the figures behind it, the reason in words, and the
    law's caveats (provisional values) to show with it."""

    met: bool
    figures: Mapping[str, Any]
    reason: str
    caveats: tuple[str, ...] = ()


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def gate(ladder: Ladder, case: Case, step_id: str) -> GateResult:
    """Whether the step's gate is met on the case. A members' ballot's threshold is read
    at its opening (step 3: a majority *of members*, so 6 yes of 12 members fails however
    few vote no); the law at the day that matters in law (a statutory ballot's opening, the
    day the employer received the notice)."""
    step = ladder.step(step_id)
    entry = case.entries.get(step_id)
    if entry is None:
        return GateResult(False, {}, f"{_capital(step.label)}: not recorded")
    kind = step.gate.kind
    if kind in ("ballot", "indicative-ballot"):
        result = _members_ballot(ladder, step, entry)
        if kind == "indicative-ballot" and "tally" in result.figures:
            return _with_outlook(ladder, entry, result)
        return result
    if kind == "statutory-ballot":
        return _statutory(ladder, entry)
    if kind in ("notice", "action"):
        return _notice_or_action(ladder, case, step, entry)
    return GateResult(True, {"on": entry.on.isoformat()}, "recorded")


def members_decision(ladder: Ladder, case: Case) -> GateResult | None:
    """The members' decision to ask the head teacher: the gate of the ladder's first
    members' ballot (step 3's vote in the NUT strategy), or None where the ladder holds
    none. The letter to the head says the members so decided, so it is shared only once
    this is met."""
    for step in ladder.steps:
        if step.gate.kind == "ballot":
            return gate(ladder, case, step.id)
    return None


def _members_ballot(ladder: Ladder, step: LadderStep, entry: Entry) -> GateResult:
    ballot = entry.fields.get("ballot") or {}
    if ballot.get("closed") is None:
        until = f" until {long_day(ballot['closes'])}" if ballot.get("closes") else ""
        return GateResult(False, {}, f"the ballot is open{until}: its result is secret until then")
    assert step.gate.ballot is not None
    try:
        threshold = threshold_read(
            parameters=ladder.parameters, names=step.gate.ballot, at=ballot["opened"]
        )
    except PackError as exc:
        return GateResult(False, {}, f"the threshold cannot be read: {exc.message}")
    tally = Tally(int(ballot["electorate"]), int(ballot["yes"]), int(ballot["no"]))
    result = outcome(tally=tally, threshold=threshold)
    return GateResult(result.passed, {"tally": tally.as_dict(), **result.as_dict()}, result.message)


def _law(ladder: Ladder) -> ParameterSet:
    assert ladder.law is not None, "the loader refuses a law gate without a law pack"
    return ladder.law


def _with_outlook(ladder: Ladder, entry: Entry, members: GateResult) -> GateResult:
    """An indicative ballot: the members' majority decides; the outlook of a formal ballot
    opening the day after it closed goes with it (NEU: a formal ballot follows an
    indicative one that shows it is likely to meet the legal thresholds)."""
    ballot = entry.fields["ballot"]
    tally = Tally(int(ballot["electorate"]), int(ballot["yes"]), int(ballot["no"]))
    try:
        outlook = law_.indicative_outlook(_law(ladder), tally, ballot["closed"] + timedelta(days=1))
    except PackError as exc:
        return replace(members, reason=f"{members.reason} The law cannot be read: {exc.message}")
    figures = {**members.figures, "outlook": outlook.as_dict()}
    return GateResult(members.met, figures, f"{members.reason} {outlook.message}", outlook.caveats)


def _statutory_check(ladder: Ladder, entry: Entry) -> law_.BallotCheck:
    raw = entry.fields["statutory_ballot"]
    ballot = law_.FormalBallot(
        raw["opened"],
        raw["closed"],
        Tally(int(raw["entitled"]), int(raw["yes"]), int(raw["no"])),
        bool(raw.get("important_public_service", True)),
    )
    return law_.formal_ballot_check(_law(ladder), ballot)


def _statutory(ladder: Ladder, entry: Entry) -> GateResult:
    try:
        check = _statutory_check(ladder, entry)
    except PackError as exc:
        return GateResult(False, {}, f"the law cannot be read: {exc.message}")
    return GateResult(check.passed, check.as_dict(), check.message, check.caveats)


def mandate_last_day(ladder: Ladder, case: Case) -> date | None:
    """The last day of the mandate of the case's statutory ballot, once one passed."""
    for step in ladder.steps:
        entry = case.entries.get(step.id)
        if step.gate.kind == "statutory-ballot" and entry is not None:
            if not gate(ladder, case, step.id).met:
                return None
            raw = entry.fields["statutory_ballot"]
            return law_.mandate_ends(
                _law(ladder),
                raw["opened"],
                raw["closed"],
                by_agreement=bool(raw.get("mandate_by_agreement", False)),
            )
    return None


def _notice(case: Case, ladder: Ladder) -> tuple[date, bool] | None:
    for step in ladder.steps:
        entry = case.entries.get(step.id)
        if entry is not None and "notice_received" in entry.fields:
            return entry.fields["notice_received"], bool(entry.fields.get("notice_by_agreement"))
    return None


def _notice_or_action(ladder: Ladder, case: Case, step: LadderStep, entry: Entry) -> GateResult:
    last = mandate_last_day(ladder, case)
    if last is None:
        return GateResult(False, {}, "no statutory ballot has given a mandate")
    notice = _notice(case, ladder)
    if notice is None:
        return GateResult(False, {}, "no notice to the employer is recorded")
    received, agreed = notice
    days = entry.fields.get("action_days", ()) if step.gate.kind == "action" else ()
    try:
        check = law_.action_check(
            _law(ladder),
            received=received,
            mandate_last_day=last,
            action_days=days,
            notice_by_agreement=agreed,
        )
    except PackError as exc:
        return GateResult(False, {}, f"the law cannot be read: {exc.message}")
    if check.problems:
        return GateResult(False, check.as_dict(), "; ".join(check.problems))
    what = "the days of action are" if days else "the notice is"
    return GateResult(
        True,
        check.as_dict(),
        f"{what} within the law: action from {long_day(check.earliest)}, "
        f"the mandate lasting until {long_day(last)}",
    )


# --- order, stage and what follows ---------------------------------------------------------------


def done_steps(ladder: Ladder, case: Case) -> tuple[str, ...]:
    """The steps the case shows done, in ladder order: recorded, and their gate met."""
    return tuple(s for s in ladder.step_ids if s in case.entries and gate(ladder, case, s).met)


def resolved_by(ladder: Ladder, case: Case) -> str | None:
    """The step that resolved the case (the head accepted), if one did."""
    done = done_steps(ladder, case)
    return next((s for s in done if ladder.step(s).resolves), None)


def _refusal(ladder: Ladder, case: Case, step: LadderStep, done: set[str]) -> str | None:
    if case.closed is not None:
        return f"the case was closed on {long_day(case.closed.on)}: {case.closed.reason}"
    resolved = next((s for s in ladder.step_ids if s in done and ladder.step(s).resolves), None)
    if resolved is not None:
        return f"the case is resolved: {ladder.step(resolved).label}"
    if step.id in done:
        return f"{_capital(step.label)}: already recorded"
    for before in step.after:
        if before.step not in done:
            return f"this step waits for: {ladder.step(before.step).label}"
        if before.outcome is not None:
            had = case.entries[before.step].outcome
            if had != before.outcome:
                words = ladder.step(before.step).outcomes
                return (
                    f"this step follows only when {words[before.outcome]}; "
                    f"recorded: {words.get(had or '', had)}"
                )
    return None


def may_take(ladder: Ladder, case: Case, step_id: str) -> str | None:
    """None if the step may be taken now, else why not in plain words. A step follows once
    every step it comes ``after`` is done (with the named outcome); not once the case is
    closed or resolved, and not again once done (a step whose gate failed, a vote without
    a majority, may be taken again)."""
    return _refusal(ladder, case, ladder.step(step_id), set(done_steps(ladder, case)))


class StepRefused(Exception):
    """A step the case does not allow now; the message says what may follow instead."""

    def __init__(self, step_id: str, reason: str, allowed: tuple[str, ...]) -> None:
        self.step_id, self.reason, self.allowed = step_id, reason, allowed
        instead = ", ".join(allowed) or "nothing: close the case, or it is over"
        super().__init__(f"Cannot take '{step_id}': {reason} (may follow now: {instead})")


def allowed_steps(ladder: Ladder, case: Case) -> tuple[str, ...]:
    """The steps that may be taken now, in ladder order."""
    done = set(done_steps(ladder, case))
    return tuple(s.id for s in ladder.steps if _refusal(ladder, case, s, done) is None)


def take(ladder: Ladder, case: Case, step_id: str, entry: Entry) -> Case:
    """The case with the step taken, or StepRefused saying why not and what may follow.
    The entry must carry the step's outcome where it is a decision, and be dated no
    earlier than the steps it follows."""
    if step_id not in ladder.step_ids:
        raise StepRefused(step_id, "no such step on this ladder", allowed_steps(ladder, case))
    step = ladder.step(step_id)
    reason = may_take(ladder, case, step_id)
    stray = sorted(set(entry.fields) - set(step.records))
    if reason is None and stray:
        reason = (
            f"it does not record {', '.join(stray)} "
            f"(it records: {', '.join(step.records) or 'only its day'})"
        )
    if reason is None and step.outcomes and entry.outcome not in step.outcomes:
        reason = "record its outcome: one of " + ", ".join(step.outcomes)
    if reason is None:
        for before in step.after:
            earlier = case.entries[before.step].on
            if entry.on < earlier:
                reason = f"dated {long_day(entry.on)}, before '{before.step}' ({long_day(earlier)})"
    if reason is not None:
        raise StepRefused(step_id, reason, allowed_steps(ladder, case))
    entries = dict(case.entries)
    entries[step_id] = entry
    return replace(case, entries={s: entries[s] for s in ladder.step_ids if s in entries})


def close(case: Case, on: date, reason: str) -> Case:
    """The case closed on ``on`` with ``reason``, at whatever step it stands. A ValueError
    for an empty reason, a case already closed, or a day before its last step."""
    if not reason.strip():
        raise ValueError("say why the case is closed")
    if case.closed is not None:
        raise ValueError(f"the case was already closed on {long_day(case.closed.on)}")
    last = max((e.on for e in case.entries.values()), default=case.opened)
    if on < last:
        raise ValueError(
            f"a case cannot close on {long_day(on)}, before its last step ({long_day(last)})"
        )
    return replace(case, closed=Closure(on, reason.strip()))


@dataclass(frozen=True, slots=True)
class CaseStage:
    """Where a case stands: the furthest stage any done step reached (``rank``, from 1; 0
    before any step), whether it is ``open``, ``resolved`` or ``closed``, and what holds
    it back (the first step that may follow and is not done, and why its gate failed)."""

    stage: str | None
    label: str
    rank: int
    status: str
    reason: str = ""
    caveats: tuple[str, ...] = ()


def stage(ladder: Ladder, case: Case) -> CaseStage:
    """The case's stage: the furthest stage of its done steps, and its status."""
    done = done_steps(ladder, case)
    ranks = {s: i for i, spec in enumerate(ladder.stages, 1) for s in spec.steps}
    furthest = max((ranks[s] for s in done), default=0)
    spec = ladder.stages[furthest - 1] if furthest else None
    label = spec.label if spec else "Opened"
    caveats = tuple(dict.fromkeys(c for s in case.entries for c in gate(ladder, case, s).caveats))
    if case.closed is not None:
        return CaseStage(
            spec.id if spec else None, label, furthest, "closed", case.closed.reason, caveats
        )
    resolved = resolved_by(ladder, case)
    if resolved is not None:
        return CaseStage(
            spec.id if spec else None,
            label,
            furthest,
            "resolved",
            ladder.step(resolved).label,
            caveats,
        )
    failed = [s for s in case.entries if s not in done]
    reason = gate(ladder, case, failed[0]).reason if failed else ""
    return CaseStage(spec.id if spec else None, label, furthest, "open", reason, caveats)


@dataclass(frozen=True, slots=True)
class NextStep:
    """A step that may follow now: who takes it, and by when (if it is due)."""

    step_id: str
    label: str
    roles: tuple[str, ...]
    due: date | None = None


def due_date(ladder: Ladder, case: Case, step_id: str) -> date | None:
    """The day the step is due, if the ladder gives one and the case has reached it."""
    step = ladder.step(step_id)
    if step.due is None:
        return None
    if step.due.mandate:
        return mandate_last_day(ladder, case)
    assert step.due.after_step is not None and step.due.days is not None
    start = case.entries.get(step.due.after_step)
    if start is None or step.due.after_step not in done_steps(ladder, case):
        return None
    days = ladder.parameters.number(step.due.days, start.on)
    return start.on + timedelta(days=int(days))


def next_steps(
    ladder: Ladder, case: Case, role: str | Iterable[str] | None = None, at: date | None = None
) -> list[NextStep]:
    """The steps that may follow now, in ladder order, for ``role`` (one or several; all
    roles without it), each with its due day; labels filled at ``at`` (else the case's
    opening)."""
    roles = None if role is None else ({role} if isinstance(role, str) else set(role))
    out = []
    for step_id in allowed_steps(ladder, case):
        step = ladder.step(step_id)
        if roles is not None and not roles & set(step.roles):
            continue
        label = fill(step.todo or step.label, ladder.parameters, at or case.opened)[0]
        out.append(NextStep(step_id, label, step.roles, due_date(ladder, case, step_id)))
    return out


@dataclass(frozen=True, slots=True)
class Overdue:
    step_id: str
    label: str
    due: date
    reason: str


def overdue(ladder: Ladder, case: Case, today: date) -> list[Overdue]:
    """The steps that may follow and are past their due day on ``today`` (a notice or the
    action after the mandate has ended; a step due some days after another)."""
    late = []
    for step_id in allowed_steps(ladder, case):
        due = due_date(ladder, case, step_id)
        if due is not None and today > due:
            step = ladder.step(step_id)
            why = (
                f"the mandate ended on {long_day(due)}"
                if step.due is not None and step.due.mandate
                else f"it was due by {long_day(due)}"
            )
            late.append(Overdue(step_id, ladder.label(step_id, due), due, why))
    return late


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A step on the case's timeline: done or not, its day, outcome, who acted, its stage,
    and the gate's reason where it failed."""

    step_id: str
    label: str
    stage: str
    on: date | None
    done: bool
    outcome: str | None = None
    by: tuple[Mapping[str, str], ...] = ()
    reason: str = ""


def timeline(ladder: Ladder, case: Case) -> list[TimelineEntry]:
    """The steps taken, in ladder order, then the closure as its own line (``closed``)."""
    done = set(done_steps(ladder, case))
    rows = []
    for step_id, entry in case.entries.items():
        step = ladder.step(step_id)
        result = gate(ladder, case, step_id)
        rows.append(
            TimelineEntry(
                step_id,
                ladder.label(step_id, entry.on),
                ladder.stage_of(step_id).id,
                entry.on,
                step_id in done,
                step.outcomes.get(entry.outcome) if entry.outcome else None,
                entry.by,
                "" if result.met else result.reason,
            )
        )
    if case.closed is not None:
        rows.append(
            TimelineEntry(
                "closed", "Case closed", "closed", case.closed.on, True, case.closed.reason
            )
        )
    return rows
