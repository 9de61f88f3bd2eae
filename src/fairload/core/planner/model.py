"""The planning model: candidate events over the year's slots, solved with CP-SAT.

Slots are the school's working days (its terms less holidays and bank holidays, from
``core.calendar``) × each wish's start times. A candidate is a wish's event in a slot;
the model chooses candidates. Always: at most one of a wish a day, a wish's own
restrictions (``every_weeks``), no candidate overlapping a fixed event of the same
staff. Guarded by a literal each (so an infeasible model can say why): each hard
wish's count, each planned rule's bounds, and "one planned event a day for the same
staff" (which keeps distinct evenings countable as events).

Objective, in order: meet the wishes (each preference short costs its weight), then
spread the load: the planned minutes each teacher-week has above its threshold (summed
over teachers and weeks) and the planned events each week has above its threshold, a
threshold being the mean over the working weeks × (1 + the plan's ``spread_tolerance``),
never below the longest single event (``Planner.thresholds``); then keep close to the
anchors (last year's calendar, or the school's current one when fixing it): each planned
event not on an anchor's day costs 1. The busiest figures are reported beside them.
"""

from __future__ import annotations

import math
import time as clock
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, time, timedelta
from typing import Any

import polars as pl
from ortools.sat.python import cp_model

from fairload.core.calendar import school_period
from fairload.core.check import CheckResult, run_check
from fairload.core.findings import Finding, Severity
from fairload.core.packs import Pack
from fairload.core.planner.constraints import REGISTRY, RuleBounds, Space, Unplannable
from fairload.core.planner.wishes import PlanSpec, Wish
from fairload.core.prose import fill_rule
from fairload.core.rules import Context, Rule
from fairload.core.school_year import Event, SchoolYear
from fairload.core.tables import tables_from_years

#: weights of the objective's parts: each level outweighs everything below it (a
#: preference short costs more where one event's spread could outweigh WISH_WEIGHT)
WISH_WEIGHT = 10_000_000
SPREAD_WEIGHT = 1_000
CLASH = "one-event-a-day"
#: the spread's parts of the objective: the load above the thresholds (``thresholds``)
OVER_MINUTES = "teacher-week minutes above the spread threshold"
OVER_EVENTS = "week events above the spread threshold"
SHORT = "wishes short (weighted)"
AWAY = "events away from the current or last year's days"
#: the objective's parts, each at least 0 (so a calendar scoring 0 in all is optimal)
PARTS = (SHORT, OVER_MINUTES, OVER_EVENTS, AWAY)
PLANNED_SEVERITIES = (Severity.BREACH, Severity.WARNING, Severity.NEEDS_AGREEMENT)


@dataclass(frozen=True, slots=True)
class Candidate:
    index: int
    wish: str
    day: date
    start: time
    end: time


@dataclass(frozen=True, slots=True)
class Anchor:
    """A day an event of this category was held (last year's, shifted a year; or the
    school's own, when fixing its calendar)."""

    category: str
    day: date
    title: str = ""


@dataclass
class PlanResult:
    status: str
    seconds: float
    objective: dict[str, float] = field(default_factory=dict)
    bound: float | None = None
    gap: float | None = None
    events: tuple[Event, ...] = ()
    year: SchoolYear | None = None
    planned_rules: tuple[str, ...] = ()
    checked_only: tuple[str, ...] = ()
    check: CheckResult | None = None
    #: breaches of the proposed calendar that its fixed events alone do not have
    added_breaches: tuple[Finding, ...] = ()
    explanation: Any = None  # an explain.Explanation when no calendar exists
    changes: dict[str, list[str]] = field(default_factory=dict)

    @property
    def found(self) -> bool:
        return self.status in ("optimal", "feasible")


def _minutes(t: time) -> int:
    return t.hour * 60 + t.minute


def _clock(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


class Planner:
    """A school year, its pack and its wishes, made into a CP-SAT model."""

    def __init__(
        self,
        year: SchoolYear,
        pack: Pack,
        spec: PlanSpec,
        at: date | None = None,
        anchors: Sequence[Anchor] = (),
    ) -> None:
        self.year = year
        self.pack = pack
        self.spec = spec
        self.at = at or year.calendar.dates.start
        self.anchors = tuple(anchors)
        categories = {w.category for w in spec.wishes}
        #: the calendar's events the plan keeps: all but those of the wishes' categories
        self.fixed = tuple(e for e in year.events if e.category not in categories)
        self.replaced = tuple(e for e in year.events if e.category in categories)
        self.period = school_period(year.calendar, year.school.nation)
        self.candidates = self._candidates()
        #: each candidate's week of the school year (``period.week_of``), by index
        self.week_of = [self.period.week_of(c.day) for c in self.candidates]
        self.space = self._space()
        self.rule_bounds, self.checked_only = self._rules()
        #: the spread's variables of the last objective added: each with its load's
        #: (coefficient, candidate) terms and threshold, to complete a hint
        self._over: list[tuple[cp_model.IntVar, list[tuple[int, int]], int]] = []

    # Candidates ---------------------------------------------------------------------

    def _candidates(self) -> list[Candidate]:
        found: list[Candidate] = []
        inservice = set(self.year.calendar.inservice_days)
        busy: dict[date, list[Event]] = defaultdict(list)
        for event in self.fixed:
            busy[event.date].append(event)
        end_of_day = _minutes(self.year.school.pupil_day_end)
        for wish in self.spec.wishes:
            first = _minutes(wish.earliest_start) if wish.earliest_start else end_of_day
            last = _minutes(wish.latest_start) if wish.latest_start else first
            starts = [
                m
                for m in range(first, last + 1, self.spec.step_minutes)
                if m + wish.minutes < 24 * 60
            ]
            people = set(wish.attendees)
            for day in self.period.working_days:
                if not self._allowed(wish, day, inservice):
                    continue
                for start in starts:
                    end = start + wish.minutes
                    clash = any(
                        people & set(e.attendees)
                        and _minutes(e.start) < end
                        and start < _minutes(e.end)
                        for e in busy.get(day, ())
                    )
                    if not clash:
                        found.append(
                            Candidate(len(found), wish.id, day, _clock(start), _clock(end))
                        )
        return found

    def _allowed(self, wish: Wish, day: date, inservice: set[date]) -> bool:
        if day.weekday() not in wish.weekdays:
            return False
        if wish.months and day.month not in wish.months:
            return False
        if wish.terms and self.period.term_of(day) not in wish.terms:
            return False
        if any(day in span for span in wish.not_between):
            return False
        if wish.inservice == "never" and day in inservice:
            return False
        return not (wish.inservice == "only" and day not in inservice)

    def _space(self) -> Space:
        wishes = {w.id: w for w in self.spec.wishes}
        as_events = [
            Event(
                id=f"cand:{c.index}",
                title=wishes[c.wish].title,
                category=wishes[c.wish].category,
                date=c.day,
                start=c.start,
                end=c.end,
                activity=wishes[c.wish].activity,
            )
            for c in self.candidates
        ]
        candidate_tables = tables_from_years([replace(self.year, events=tuple(as_events))])
        fixed_tables = tables_from_years([replace(self.year, events=self.fixed)])
        questions = {q.id: q.text for q in self.pack.questions}

        def context(tables: Any) -> Context:
            return Context(
                tables, self.pack.parameters, self.at, budget=self.pack.budget, questions=questions
            )

        rows = candidate_tables.events.with_columns(
            cand=pl.col("event_id").str.strip_prefix("cand:").cast(pl.Int64)
        )
        return Space(
            candidates=rows,
            candidate_context=context(candidate_tables),
            context=context(fixed_tables),
            wish_of=[c.wish for c in self.candidates],
            attendees={w.id: w.attendees for w in self.spec.wishes},
            staff=fixed_tables.staff.select("staff_id", "name", "fte"),
            working_weeks=self.period.working_weeks,
        )

    def _rules(self) -> tuple[list[RuleBounds], list[tuple[Rule, str]]]:
        planned: list[RuleBounds] = []
        checked: list[tuple[Rule, str]] = []
        for raw in self.pack.rules:
            if not raw.in_force(self.at):
                continue
            rule = fill_rule(raw, self.pack.parameters, self.at)
            if rule.template not in REGISTRY:
                checked.append((rule, "its template is not planned"))
            elif rule.severity not in PLANNED_SEVERITIES:
                checked.append((rule, f"its severity is {rule.severity.value}"))
            elif rule.id in self.spec.agreed:
                checked.append((rule, "the plan records it as agreed"))
            else:
                try:
                    planned.append(REGISTRY[rule.template](rule, self.space))
                except Unplannable as why:
                    checked.append((rule, f"its condition reads what a plan cannot: {why}"))
        return planned, checked

    # The model ----------------------------------------------------------------------

    def build(self, *, guarded: bool, objective: bool) -> tuple[cp_model.CpModel, Model]:
        model = cp_model.CpModel()
        x = [model.new_bool_var(f"x{c.index}") for c in self.candidates]
        literals: dict[str, cp_model.IntVar] = {}

        def guard(name: str) -> list[cp_model.IntVar]:
            if not guarded:
                return []
            if name not in literals:
                literals[name] = model.new_bool_var(name)
            return [literals[name]]

        by_wish_day: dict[tuple[str, date], list[int]] = defaultdict(list)
        by_wish: dict[str, list[int]] = defaultdict(list)
        for c in self.candidates:
            by_wish_day[(c.wish, c.day)].append(c.index)
            by_wish[c.wish].append(c.index)
        for indices in by_wish_day.values():
            model.add_at_most_one(x[i] for i in indices)
        weeks = self.week_of
        counts: dict[str, int] = {}
        for wish in self.spec.wishes:
            chosen = [x[i] for i in by_wish[wish.id]]
            if wish.every_weeks:
                by_week: dict[int, list[cp_model.IntVar]] = defaultdict(list)
                for i in by_wish[wish.id]:
                    by_week[weeks[i]].append(x[i])
                span = wish.every_weeks
                for first in range(min(by_week, default=0), max(by_week, default=0) + 1):
                    window = [v for w in range(first, first + span) for v in by_week.get(w, [])]
                    if len(window) > 1:
                        model.add(cp_model.LinearExpr.sum(window) <= 1)
            count = wish.count
            if count is None:  # one in every every_weeks span
                count = len({weeks[i] for i in by_wish[wish.id]}) // (wish.every_weeks or 1)
            counts[wish.id] = count
            if wish.hard:
                model.add(cp_model.LinearExpr.sum(chosen) == count).only_enforce_if(
                    guard(f"wish:{wish.id}")
                )
            else:
                model.add(cp_model.LinearExpr.sum(chosen) <= count)
        # One planned event a day for the same staff: for each day, each teacher's
        # wishes with a candidate that day hold at most one (teachers with the same
        # such wishes share the constraint).
        attending: dict[str, set[str]] = defaultdict(set)
        for wish in self.spec.wishes:
            for person in wish.attendees:
                attending[person].add(wish.id)
        on_day: dict[date, set[str]] = defaultdict(set)
        for wish_id, day in by_wish_day:
            on_day[day].add(wish_id)
        for day, held in sorted(on_day.items()):
            groups = {frozenset(held & mine) for mine in attending.values()}
            for group in sorted(groups, key=sorted):
                if len(group) > 1:
                    model.add(
                        cp_model.LinearExpr.sum(
                            [x[i] for w in sorted(group) for i in by_wish_day[(w, day)]]
                        )
                        <= 1
                    ).only_enforce_if(guard(CLASH))
        for bounds in self.rule_bounds:
            for bound in bounds.bounds:
                model.add(
                    cp_model.LinearExpr.weighted_sum(
                        [x[i] for i, _ in bound.terms], [c for _, c in bound.terms]
                    )
                    <= bound.rhs
                ).only_enforce_if(guard(f"rule:{bounds.rule.id}"))
        handles = Model(x, literals, {}, counts)
        if objective:
            handles.parts = self.minimize(model, handles)
        return model, handles

    def minimize(self, model: cp_model.CpModel, handles: Model) -> dict[str, Any]:
        """Add the objective to a model ``build`` made (its candidates ``handles.x``):
        its parts, each a variable or expression."""
        x = handles.x
        wishes = {w.id: w for w in self.spec.wishes}
        by_wish: dict[str, list[int]] = defaultdict(list)
        for c in self.candidates:
            by_wish[c.wish].append(c.index)
        shortfalls = [
            (w, handles.counts[w.id] - sum(x[i] for i in by_wish[w.id]))
            for w in self.spec.wishes
            if not w.hard
        ]
        parts = self._objective(model, x, wishes, handles.counts, shortfalls)
        # One event fewer lowers the spread by at most its minutes for each attendee and
        # one event: a preference short must still cost more than that.
        most = max((w.minutes * len(w.attendees) + 1 for w in self.spec.wishes), default=0)
        model.minimize(
            max(WISH_WEIGHT, SPREAD_WEIGHT * most + 1) * parts[SHORT]
            + SPREAD_WEIGHT * (parts[OVER_MINUTES] + parts[OVER_EVENTS])
            + parts[AWAY]
        )
        return parts

    def signatures(self) -> dict[frozenset[str], int]:
        """Teachers who attend the same wishes have the same planned weeks: each such
        set of wishes and how many teachers attend exactly it."""
        groups = Counter(
            frozenset(w.id for w in self.spec.wishes if s.id in w.attendees)
            for s in self.year.staff
        )
        return {wishes: n for wishes, n in groups.items() if wishes}

    def thresholds(self, counts: dict[str, int]) -> tuple[int, dict[frozenset[str], int]]:
        """The spread's thresholds: a week's planned events, and each signature's
        teacher-week planned minutes, above which the spread costs. Each is the mean over
        the year's working weeks (of the wishes' counts) × (1 + the plan's
        ``spread_tolerance``), never below the longest single event (one event; the
        signature's longest wish)."""
        wishes = {w.id: w for w in self.spec.wishes}
        weeks = max(self.period.working_weeks, 1.0)
        factor = 1 + self.spec.spread_tolerance
        events = max(1, math.floor(sum(counts.values()) / weeks * factor + 1e-9))
        minutes = {
            signature: max(
                max(wishes[w].minutes for w in signature),
                math.floor(
                    sum(counts[w] * wishes[w].minutes for w in signature) / weeks * factor + 1e-9
                ),
            )
            for signature in self.signatures()
        }
        return events, minutes

    def _objective(
        self,
        model: cp_model.CpModel,
        x: list[cp_model.IntVar],
        wishes: dict[str, Wish],
        counts: dict[str, int],
        shortfalls: list[tuple[Wish, Any]],
    ) -> dict[str, Any]:
        short = sum(w.weight * s for w, s in shortfalls) if shortfalls else 0
        weeks = self.week_of
        by_week: dict[int, list[int]] = defaultdict(list)
        for c in self.candidates:
            by_week[weeks[c.index]].append(c.index)
        events_threshold, minutes_threshold = self.thresholds(counts)
        self._over = []
        # The load far above the mean, not the busiest week: a calendar with nothing
        # above the thresholds scores 0, which CP-SAT proves optimal at once (a min-max
        # term's bound stays weak on a large school).
        events_over: list[cp_model.IntVar] = []
        for week, indices in sorted(by_week.items()):
            if len(indices) > events_threshold:
                over = model.new_int_var(0, len(indices) - events_threshold, f"over_w{week}")
                model.add(
                    cp_model.LinearExpr.sum([x[i] for i in indices]) - events_threshold <= over
                )
                events_over.append(over)
                self._over.append((over, [(1, i) for i in indices], events_threshold))
        by_week_wish: dict[int, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for c in self.candidates:
            by_week_wish[weeks[c.index]][c.wish].append(c.index)
        minutes_over: list[Any] = []
        for n, (signature, teachers) in enumerate(self.signatures().items()):
            threshold = minutes_threshold[signature]
            for week, of_wish in sorted(by_week_wish.items()):
                terms = [
                    (wishes[w].minutes, i) for w in sorted(signature) for i in of_wish.get(w, ())
                ]
                most = sum(m for m, _ in terms)
                if most > threshold:
                    over = model.new_int_var(0, most - threshold, f"over_s{n}w{week}")
                    model.add(
                        cp_model.LinearExpr.weighted_sum(
                            [x[i] for _, i in terms], [m for m, _ in terms]
                        )
                        - threshold
                        <= over
                    )
                    minutes_over.append(teachers * over)
                    self._over.append((over, terms, threshold))
        anchored = {(a.category, a.day) for a in self.anchors}
        off = [
            x[c.index]
            for c in self.candidates
            if self.anchors and (wishes[c.wish].category, c.day) not in anchored
        ]
        return {
            SHORT: short,
            OVER_MINUTES: sum(minutes_over) if minutes_over else 0,
            OVER_EVENTS: sum(events_over) if events_over else 0,
            AWAY: sum(off) if off else 0,
        }

    def spread_hint(self, counts: dict[str, int]) -> list[bool]:
        """A calendar built greedily: the longest wishes first (then those with the
        least room for the staff they hold), all the events of each at once in the
        weeks that together add least load above the thresholds, the load of the
        wishes not yet placed expected evenly over their weeks (``choose``: exact for
        one wish), each on the first day there that keeps every restriction, clash
        and rule bound; then each wish placed again while that lowers the load above
        the thresholds (or keeps it and spreads the weeks' events more evenly). Empty
        when some wish's count does not fit that way."""
        events_threshold, minutes_threshold = self.thresholds(counts)
        signatures_of: dict[str, list[tuple[frozenset[str], int, int]]] = defaultdict(list)
        for signature, teachers in self.signatures().items():
            for wish_id in signature:
                signatures_of[wish_id].append((signature, teachers, minutes_threshold[signature]))
        bounds_of: dict[int, list[tuple[int, int]]] = defaultdict(list)
        slack: list[int] = []
        for rule_bounds in self.rule_bounds:
            for bound in rule_bounds.bounds:
                for i, coefficient in bound.terms:
                    bounds_of[i].append((len(slack), coefficient))
                slack.append(bound.rhs)
        sharing = {
            a.id: {
                b.id for b in self.spec.wishes if b is not a and set(a.attendees) & set(b.attendees)
            }
            for a in self.spec.wishes
        }
        wishes = {w.id: w for w in self.spec.wishes}
        by_wish_week: dict[str, dict[int, list[Candidate]]] = defaultdict(lambda: defaultdict(list))
        for c in self.candidates:
            by_wish_week[c.wish][self.week_of[c.index]].append(c)
        week_events: Counter[int] = Counter()
        load: Counter[tuple[frozenset[str], int]] = Counter()
        # The wishes not yet placed, spread evenly over their weeks: an early wish leaves
        # room in the weeks a later one cannot avoid.
        expected_events: defaultdict[int, float] = defaultdict(float)
        expected_load: defaultdict[tuple[frozenset[str], int], float] = defaultdict(float)

        def expect(wish: Wish, sign: int) -> None:
            weeks = by_wish_week[wish.id]
            share = sign * counts[wish.id] / max(len(weeks), 1)
            for week in weeks:
                expected_events[week] += share
                for s, _teachers, _limit in signatures_of[wish.id]:
                    expected_load[(s, week)] += share * wish.minutes

        on_day: dict[date, set[str]] = defaultdict(set)
        held: dict[str, list[Candidate]] = defaultdict(list)

        def over(value: float, limit: int) -> float:
            return max(0.0, value - limit)

        def cost(wish: Wish, week: int) -> tuple[float, float, int]:
            now = week_events[week] + expected_events[week]
            events = over(now + 1, events_threshold) - over(now, events_threshold)
            minutes = 0.0
            for s, teachers, limit in signatures_of[wish.id]:
                had = load[(s, week)] + expected_load[(s, week)]
                minutes += teachers * (over(had + wish.minutes, limit) - over(had, limit))
            return (events + minutes, now, week)

        anchored = {(a.category, a.day) for a in self.anchors}

        def away(c: Candidate) -> int:
            """1 for an event not on an anchor's day (when there are anchors)."""
            return int(bool(anchored) and (wishes[c.wish].category, c.day) not in anchored)

        def fits(c: Candidate) -> bool:
            return (
                c.wish not in on_day[c.day]
                and not sharing[c.wish] & on_day[c.day]
                and all(coef <= slack[n] for n, coef in bounds_of[c.index])
            )

        def choose(wish: Wish, n: int) -> list[Candidate] | None:
            """``n`` events of ``wish``, one a week at most and ``every_weeks`` apart,
            in the weeks that together add least to the objective (the load above the
            thresholds, the events away from the anchors' days), then the quietest:
            exact for the wish given the others' load (each week's cost does not depend
            on the wish's other weeks), by dynamic programming over its weeks; each on
            the first day there that fits, an anchor's day first. None when ``n`` do
            not fit."""
            span = wish.every_weeks or 1
            options = [
                (w, c, (SPREAD_WEIGHT * spread + away(c), busy))
                for w, cs in sorted(by_wish_week[wish.id].items())
                for c in (min((c for c in cs if fits(c)), key=away, default=None),)
                if c is not None
                for spread, busy, _week in (cost(wish, w),)
            ]
            if n == 0:
                return []
            if len(options) < n:
                return None
            # best[j][k]: the least (cost, busy) of k events among the first j weeks
            none = (math.inf, math.inf)
            best = [[(0.0, 0.0)] + [none] * n]
            back: list[list[bool]] = [[False] * (n + 1)]
            previous = 0  # weeks before the j-th that are ``span`` or more before it
            for j, (week, _c, (adds, busy)) in enumerate(options, start=1):
                while previous < j - 1 and options[previous][0] <= week - span:
                    previous += 1
                row, took = list(best[j - 1]), [False] * (n + 1)
                for k in range(1, n + 1):
                    before = best[previous][k - 1]
                    if before[0] == math.inf:
                        continue
                    cand = (before[0] + adds, before[1] + busy)
                    if cand < row[k]:
                        row[k], took[k] = cand, True
                best.append(row)
                back.append(took)
            if best[-1][n][0] == math.inf:
                return None
            picks: list[Candidate] = []
            j, k = len(options), n
            while k:
                if back[j][k]:
                    picks.append(options[j - 1][1])
                    week = options[j - 1][0]
                    k -= 1
                    j -= 1
                    while j and options[j - 1][0] > week - span:
                        j -= 1
                else:
                    j -= 1
            return picks[::-1]

        def place(c: Candidate, sign: int) -> None:
            week, wish = self.week_of[c.index], wishes[c.wish]
            week_events[week] += sign
            for s, _teachers, _limit in signatures_of[wish.id]:
                load[(s, week)] += sign * wish.minutes
            for n, coef in bounds_of[c.index]:
                slack[n] -= sign * coef
            if sign > 0:
                on_day[c.day].add(c.wish)
                held[c.wish].append(c)
            else:
                on_day[c.day].discard(c.wish)
                held[c.wish].remove(c)

        def put(picks: list[Candidate]) -> bool:
            """Place ``picks`` (each checked again: the wish's earlier picks may have
            used a rule's room); none of them if one does not fit."""
            for n, c in enumerate(picks):
                if not fits(c):
                    for done in picks[:n]:
                        place(done, -1)
                    return False
                place(c, 1)
            return True

        def extra(wish: Wish, events: Sequence[Candidate]) -> tuple[float, float]:
            """What ``events`` of ``wish`` add: the load above the thresholds and the
            events away from the anchors' days, as the objective weighs them; then the
            weeks' events (the sum of each week's events squared grows by as much)."""
            added = [cost(wish, self.week_of[c.index]) for c in events]
            return (
                sum(SPREAD_WEIGHT * a[0] for a in added) + sum(away(c) for c in events),
                sum(a[1] for a in added),
            )

        # The longest wishes first; then those with the least room (weeks for each
        # event they need) for the staff they hold: a wish of a few staff with few
        # weeks to go in before one that holds the day of many.
        order = sorted(
            self.spec.wishes,
            key=lambda w: (
                -w.minutes,
                len(w.attendees)
                * len(by_wish_week[w.id])
                / max(counts[w.id] * (w.every_weeks or 1), 1),
                w.id,
            ),
        )
        for wish in order:
            expect(wish, 1)
        for wish in order:
            expect(wish, -1)
            picks = choose(wish, counts[wish.id])
            if picks is None or not put(picks):
                return []

        # Placed: the load above the thresholds is now exact (nothing expected).
        expected_events.clear()
        expected_load.clear()

        def replan(wish: Wish) -> bool:
            """Place all the events of ``wish`` again if that lowers the load above the
            thresholds, or keeps it and spreads the weeks' events more evenly (moving
            one event may need the wish's others to shift)."""
            out = list(held[wish.id])
            for c in out:
                place(c, -1)
            picks = choose(wish, len(out))
            if picks is not None and extra(wish, picks) < extra(wish, out) and put(picks):
                return True
            for c in out:
                place(c, 1)
            return False

        # Each round lowers the load above the thresholds, or keeps it and lowers the sum
        # of the weeks' events squared: it ends.
        for _ in range(len(self.candidates)):
            moved = False
            for wish in order:
                moved = replan(wish) or moved
            if not moved:
                break
        chosen = [False] * len(self.candidates)
        for events in held.values():
            for c in events:
                chosen[c.index] = True
        return chosen

    def spread(self, chosen: Sequence[Candidate], counts: dict[str, int]) -> dict[str, float]:
        """The chosen calendar's busiest figures beside the thresholds the objective
        holds them to: the busiest teacher-week's planned minutes (and that teacher's
        threshold), the busiest week's planned events (and the week threshold)."""
        wishes = {w.id: w for w in self.spec.wishes}
        events_threshold, minutes_threshold = self.thresholds(counts)
        per_week: Counter[int] = Counter(self.week_of[c.index] for c in chosen)
        busiest, threshold = 0, 0
        for signature, limit in minutes_threshold.items():
            load: Counter[int] = Counter()
            for c in chosen:
                if c.wish in signature:
                    load[self.week_of[c.index]] += wishes[c.wish].minutes
            most = max(load.values(), default=0)
            if (most, limit) > (busiest, threshold):
                busiest, threshold = most, limit
        return {
            "busiest teacher-week (minutes)": float(busiest),
            "its spread threshold (minutes)": float(threshold),
            "busiest week (events)": float(max(per_week.values(), default=0)),
            "spread threshold (events a week)": float(events_threshold),
        }

    # Solving ------------------------------------------------------------------------

    def solve(
        self,
        *,
        seconds: float = 10.0,
        workers: int = 2,
        seed: int = 2026,
        explain: bool = True,
        improve: bool = True,
    ) -> PlanResult:
        """Solve within ``seconds`` (wall). ``improve=False``: the first calendar that
        meets the hard wishes and the rules, scored but not improved (no bound)."""
        started = clock.perf_counter()
        # First any calendar meeting the hard wishes and the rules, without the objective:
        # the spread's min-max bounds slow CP-SAT's presolve and its first solution on a
        # large school; then the objective, from that calendar (a hint).
        first, first_handles = self.build(guarded=False, objective=False)
        # A spread calendar built greedily (it meets every rule's bound and restriction
        # as it goes) is that first calendar when it holds every wish's count; else
        # CP-SAT finds one.
        hint = self.spread_hint(first_handles.counts)
        code = cp_model.UNKNOWN
        if not hint:
            solver = _solver(seconds, workers, seed)
            code = solver.solve(first)
            hint = [solver.boolean_value(v) for v in first_handles.x] if code in _FOUND else []
        solver_bound: float | None = None
        first_scored = False
        proven = bool(hint) and improve and self._scores_nothing(hint, first_handles.counts)
        if proven:
            # Every part of the objective is at least 0: a calendar scoring 0 is optimal
            # as it stands, proven without a search or the objective (its thousands of
            # terms all 0): CP-SAT checks that it meets the model, all fixed.
            as_held = first.clone()
            for variable, held in zip(first_handles.x, hint, strict=True):
                as_held.add(as_held.get_bool_var_from_proto_index(variable.index) == held)
            left = max(seconds - (clock.perf_counter() - started), MIN_SECONDS)
            solver = _solver(left, workers, seed)
            code = solver.solve(as_held)
            proven = code in _FOUND
            handles = replace(first_handles, parts=dict.fromkeys(PARTS, 0))
            solver_bound = 0.0
        if hint and not proven:  # the same model (cloned, not built again), with the objective
            model = first.clone()
            handles = replace(
                first_handles,
                x=[model.get_bool_var_from_proto_index(v.index) for v in first_handles.x],
            )
            handles.parts = self.minimize(model, handles)
            left = max(seconds - (clock.perf_counter() - started), MIN_SECONDS)
            if improve:
                for variable, held in zip(handles.x, hint, strict=True):
                    model.add_hint(variable, held)
                for over, terms, threshold in self._over:  # the hint complete
                    model.add_hint(over, max(0, sum(c for c, i in terms if hint[i]) - threshold))
                solver = _solver(left, workers, seed)
                code = solver.solve(model)
                solver_bound = solver.best_objective_bound
            if not improve or code not in _FOUND:  # the first calendar, as it scores
                for variable, held in zip(handles.x, hint, strict=True):
                    model.add(variable == held)
                solver = _solver(left, workers, seed)
                code = cp_model.FEASIBLE if solver.solve(model) in _FOUND else code
                first_scored = True
        status = {
            cp_model.OPTIMAL: "optimal",
            cp_model.FEASIBLE: "feasible",
            cp_model.INFEASIBLE: "infeasible",
        }.get(code, "unknown")
        planned = tuple(b.rule.id for b in self.rule_bounds)
        checked = tuple(r.id for r, _ in self.checked_only)
        if status not in ("optimal", "feasible"):
            result = PlanResult(status, clock.perf_counter() - started)
            result.planned_rules, result.checked_only = planned, checked
            if status == "infeasible" and explain:
                from fairload.core.planner.explain import explain as why

                result.explanation = why(self, seconds=seconds)
            result.seconds = clock.perf_counter() - started
            return result
        chosen = [c for c in self.candidates if solver.boolean_value(handles.x[c.index])]
        events = self._events(chosen)
        year = replace(self.year, events=tuple(sorted([*self.fixed, *events], key=_order)))
        value = solver.objective_value
        bound: float | None = solver.best_objective_bound
        if first_scored or proven:
            bound = solver_bound  # the objective's solve's bound; none when not improved
        check = run_check(self.pack, tables_from_years([year]), self.at)
        # A breach the plan adds: one the calendar without the planned events has not.
        kept = replace(self.year, events=self.fixed)
        without = run_check(self.pack, tables_from_years([kept]), self.at)
        already = {(f.rule, f.subject.id) for f in without.findings if f.counts_as_breach}
        added = tuple(
            f
            for f in check.findings
            if f.counts_as_breach and (f.rule, f.subject.id) not in already
        )
        return PlanResult(
            status=status,
            seconds=clock.perf_counter() - started,
            objective={
                **{k: float(solver.value(v)) for k, v in handles.parts.items()},
                **self.spread(chosen, handles.counts),
            },
            bound=bound,
            gap=0.0
            if status == "optimal"
            else None
            if bound is None
            else abs(value - bound) / max(1.0, abs(value)),
            events=tuple(events),
            year=year,
            planned_rules=planned,
            checked_only=checked,
            check=check,
            added_breaches=added,
            changes=changes(self.replaced, events),
        )

    def _scores_nothing(self, chosen: Sequence[bool], counts: dict[str, int]) -> bool:
        """Whether the calendar ``chosen`` scores 0 in every part of the objective
        (``minimize``): every preference held in full, no week's planned events and no
        teacher-week's planned minutes above its threshold (``thresholds``), every event
        on an anchor's day."""
        wishes = {w.id: w for w in self.spec.wishes}
        picked = [c for c in self.candidates if chosen[c.index]]
        held: Counter[str] = Counter(c.wish for c in picked)
        if any(held[w.id] < counts[w.id] for w in self.spec.wishes if not w.hard):
            return False
        anchored = {(a.category, a.day) for a in self.anchors}
        if self.anchors and any((wishes[c.wish].category, c.day) not in anchored for c in picked):
            return False
        events_threshold, minutes_threshold = self.thresholds(counts)
        if any(
            n > events_threshold for n in Counter(self.week_of[c.index] for c in picked).values()
        ):
            return False
        minutes: dict[str, Counter[int]] = defaultdict(Counter)
        for c in picked:
            minutes[c.wish][self.week_of[c.index]] += wishes[c.wish].minutes
        for signature, threshold in minutes_threshold.items():
            load: Counter[int] = Counter()
            for wish_id in signature:
                load.update(minutes[wish_id])
            if any(m > threshold for m in load.values()):
                return False
        return True

    def _events(self, chosen: Iterable[Candidate]) -> list[Event]:
        wishes = {w.id: w for w in self.spec.wishes}
        numbered: dict[str, int] = defaultdict(int)
        events = []
        for c in sorted(chosen, key=lambda c: (c.wish, c.day, c.start)):
            wish = wishes[c.wish]
            numbered[c.wish] += 1
            events.append(
                Event(
                    id=f"{c.wish}-{numbered[c.wish]:02d}",
                    title=wish.title,
                    category=wish.category,
                    date=c.day,
                    start=c.start,
                    end=c.end,
                    attendees=wish.attendees,
                    activity=wish.activity,
                )
            )
        return events


_FOUND = (cp_model.OPTIMAL, cp_model.FEASIBLE)
#: the least time the objective's solve is given after the first calendar
MIN_SECONDS = 0.5


def _solver(seconds: float, workers: int, seed: int) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.random_seed = seed
    return solver


@dataclass
class Model:
    x: list[cp_model.IntVar]
    literals: dict[str, cp_model.IntVar]
    parts: dict[str, Any]
    counts: dict[str, int]


def _order(event: Event) -> tuple[date, time, str]:
    return (event.date, event.start, event.id)


def changes(before: Sequence[Event], after: Sequence[Event]) -> dict[str, list[str]]:
    """What a plan changes in the calendar's events of the wishes' categories: events
    moved (same category and title, another day or time), added and removed."""

    def key(e: Event) -> tuple[str, str]:
        return (e.category, e.title)

    def when(e: Event) -> str:
        return f"{e.date.isoformat()} {e.start:%H:%M}-{e.end:%H:%M}"

    old: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in before:
        old[key(e)].append(e)
    new: dict[tuple[str, str], list[Event]] = defaultdict(list)
    for e in after:
        new[key(e)].append(e)
    moved, added, removed = [], [], []
    for k in sorted({*old, *new}):
        was = {when(e): e for e in old.get(k, [])}
        now = {when(e): e for e in new.get(k, [])}
        gone = sorted(set(was) - set(now))
        came = sorted(set(now) - set(was))
        for a, b in zip(gone, came, strict=False):
            moved.append(f"{k[1]}: {a} -> {b}")
        removed += [f"{k[1]}: {a}" for a in gone[len(came) :]]
        added += [f"{k[1]}: {b}" for b in came[len(gone) :]]
    return {"moved": moved, "added": added, "removed": removed}


def anchors_from(events: Iterable[Event], shift_days: int = 0) -> list[Anchor]:
    """Anchors from a calendar's events; ``shift_days=364`` moves last year's days to
    the same weekday this year."""
    return [Anchor(e.category, e.date + timedelta(days=shift_days), e.title) for e in events]
