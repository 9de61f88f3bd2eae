"""Why no calendar exists: a minimal set of wishes and rules that conflict, in words.

The model is built with a literal guarding each hard wish's count, each planned rule's
bounds and the one-event-a-day rule, all given as assumptions. CP-SAT's
``sufficient_assumptions_for_infeasibility`` is used as OR-Tools documents it: no
objective, one worker, and presolve off (with presolve, literals outside the
assumptions have been reported). Its set is then shrunk by a deletion filter (drop a
member; if the rest is still infeasible, it was not needed) to a minimal one, which is
solved once more to make sure it really is infeasible before it is shown.
"""

from __future__ import annotations

import time as clock
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ortools.sat.python import cp_model

from fairload.core.findings import Severity
from fairload.core.planner.constraints import RuleBounds

if TYPE_CHECKING:
    from fairload.core.planner.model import Planner


@dataclass(frozen=True)
class Conflict:
    """One member of the conflicting set: a wish, a rule or the planner's own rule."""

    kind: str  # "wish", "rule" or "planner"
    id: str
    text: str
    clause: str | None = None


@dataclass
class Explanation:
    conflicts: tuple[Conflict, ...]
    sentences: tuple[str, ...]
    minimal: bool
    verified: bool
    seconds: float
    solves: int = 0
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, object]:
        return {
            "conflicts": [
                {"kind": c.kind, "id": c.id, "text": c.text, "clause": c.clause}
                for c in self.conflicts
            ],
            "explanation": list(self.sentences),
            "minimal": self.minimal,
            "verified": self.verified,
            "seconds": round(self.seconds, 3),
            "solves": self.solves,
        }


def _infeasible(planner: Planner, names: list[str], seconds: float) -> tuple[bool, list[str]]:
    """Whether the model with only ``names`` enforced is infeasible, and the solver's
    sufficient set of those assumptions when it is."""
    model, handles = planner.build(guarded=True, objective=False)
    for name, literal in handles.literals.items():
        if name not in names:
            model.add(literal == 0)
    chosen = [handles.literals[n] for n in names if n in handles.literals]
    model.add_assumptions(chosen)
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.cp_model_presolve = False
    # Without presolve, the default linearization left a plain count over a cap unproved
    # after seconds; with the linear relaxation's cuts it is proved in a tenth of one.
    solver.parameters.linearization_level = 2
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.random_seed = 2026
    code = solver.solve(model)
    if code != cp_model.INFEASIBLE:
        return False, []
    by_index = {handles.literals[n].index: n for n in names if n in handles.literals}
    core = [by_index[i] for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    return True, core


def explain(planner: Planner, seconds: float = 10.0) -> Explanation:
    started = clock.perf_counter()
    everything = [f"wish:{w.id}" for w in planner.spec.wishes if w.hard]
    everything += [f"rule:{b.rule.id}" for b in planner.rule_bounds if b.bounds]
    everything.append("one-event-a-day")
    solves = 1
    infeasible, core = _infeasible(planner, everything, seconds)
    if not infeasible:
        return Explanation(
            (),
            ("The hard wishes and the rules can be met together; the solver ran out of time.",),
            False,
            False,
            clock.perf_counter() - started,
            solves,
        )
    members = core or everything
    # Deletion filter: a member whose removal leaves the set infeasible is not needed.
    for name in list(members):
        if name not in members:
            continue
        rest = [m for m in members if m != name]
        solves += 1
        still, smaller = _infeasible(planner, rest, seconds)
        if still:
            members = [m for m in rest if m in smaller] if smaller else rest
    solves += 1
    verified, _ = _infeasible(planner, members, seconds)
    conflicts = tuple(_conflict(planner, name) for name in members)
    return Explanation(
        conflicts,
        tuple(_sentences(planner, members)),
        minimal=True,
        verified=verified,
        seconds=clock.perf_counter() - started,
        solves=solves,
    )


def _bounds(planner: Planner, rule_id: str) -> RuleBounds:
    return next(b for b in planner.rule_bounds if b.rule.id == rule_id)


def _conflict(planner: Planner, name: str) -> Conflict:
    kind, _, key = name.partition(":")
    if kind == "wish":
        wish = planner.spec.wish(key)
        return Conflict("wish", key, f"the wish '{key}': {wish.describe()}")
    if kind == "rule":
        bounds = _bounds(planner, key)
        rule = bounds.rule
        return Conflict("rule", key, f"{rule.title}: {bounds.summary}", rule.reference.citation)
    return Conflict(
        "planner",
        name,
        "fairload plans at most one event a day for the same staff",
    )


def _sentences(planner: Planner, members: list[str]) -> list[str]:
    """Plain English: for each rule of the set, how many of the set's wishes it reads
    and what it allows; then each member with its clause."""
    wishes = [planner.spec.wish(m.split(":", 1)[1]) for m in members if m.startswith("wish:")]
    handles_counts = _counts(planner)
    out = []
    for name in members:
        if not name.startswith("rule:"):
            continue
        bounds = _bounds(planner, name.split(":", 1)[1])
        read = [
            w for w in wishes if any(planner.candidates[i].wish == w.id for i in bounds.matching)
        ]
        asked = sum(handles_counts[w.id] for w in read)
        what = " and ".join(f"'{w.title}'" for w in read) or "the wishes"
        citation = bounds.rule.reference.citation
        if not read:
            out.append(
                f"{bounds.rule.title}: {bounds.summary} ({citation}), and the calendar's "
                "other events already take what it allows."
            )
        elif bounds.capacity is not None and asked > bounds.capacity:
            out.append(
                f"{asked} of {what} cannot fit: {bounds.summary} ({citation}). "
                f"Hold at most {bounds.capacity}, or move {asked - bounds.capacity} out of "
                "the rule's reach (another category, or within the pupil day)."
            )
        else:
            out.append(
                f"{asked} of {what} cannot be placed where the wishes allow: "
                f"{bounds.summary} ({citation}). Allow more days or start times, or hold fewer."
            )
        if bounds.rule.severity is Severity.NEEDS_AGREEMENT:
            out[-1] += f" Or agree more, and list '{bounds.rule.id}' under the plan's agreed rules."
    if not out:
        out.append(
            "The wishes cannot be met within their own restrictions: "
            + "; ".join(w.describe() for w in wishes)
            + ". Allow more days, weeks or start times, or hold fewer."
        )
    return out


def _counts(planner: Planner) -> dict[str, int]:
    _model, handles = planner.build(guarded=False, objective=False)
    return handles.counts
