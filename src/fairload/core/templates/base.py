"""What every rule template provides, and the shared step from violations to findings."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar, Protocol

import polars as pl

from fairload.core.errors import PackError
from fairload.core.findings import Finding, Subject, SubjectKind, Working
from fairload.core.keep import kept
from fairload.core.parameters import ResolvedParameter
from fairload.core.prose import suggestion
from fairload.core.rules import Context, Later, Rule
from fairload.core.tables import ENGINE
from fairload.core.units import sentence

#: JSON-Schema fragments templates use for their settings.
WHERE = {"type": "object", "description": "column: value, [values] or {not|at_least|…: …}"}
EXPRESSION = {
    "description": "a parameter name or {multiply|sum|subtract|divide: [...]}; never a number",
    "oneOf": [
        {"type": "string"},
        {"type": "object", "minProperties": 1, "maxProperties": 1},
    ],
}
PARAMETER = {"type": "string", "description": "the name of a parameter of the pack"}


def _no_findings(_frames: Sequence[pl.DataFrame]) -> list[Finding]:
    return []


@dataclass(frozen=True, slots=True)
class Plan:
    """A rule's work as lazy frames, and what turns their results into findings.

    For one school the fixed cost of each Polars step, not the data, was the time: a
    check that collects every rule's frames together (``collect_plans``) pays it once
    for them all, where a collect a rule (or an eager step) paid it each time.
    ``finish`` is given the frames' results in order, and gives the findings, or a
    further plan: the working of a rule that found something (the events behind a
    breach), which most rules, finding nothing, never build (``emit_later(...,
    details=...)``). Further plans are collected together too, in a second round.
    """

    frames: tuple[pl.LazyFrame, ...] = ()
    finish: Callable[[Sequence[pl.DataFrame]], list[Finding] | Plan] = _no_findings
    #: A test that comes first, for one school: the plan is built only if it passes.
    probe: Probe | None = None

    @staticmethod
    def unless_none(
        frame: pl.DataFrame | pl.LazyFrame | Later, failing: pl.Expr, build: Callable[[], Plan]
    ) -> Plan:
        """``build()``'s plan, for a rule whose findings are rows of ``frame`` on which
        ``failing`` is true (and maybe fewer): for one school, first the test, the tests
        of every rule over the same frame in one ``select``, and the plan built (and
        collected in the next round) only where a row fails. Most rules, most checks,
        find nothing, and then neither their expressions nor their frames are made. A
        country's rules are built at once: there some row fails somewhere. A test that
        reads a column ``frame`` does not have is no test: the plan is built at once."""
        return Plan.unless(frame, kept((failing,), "any", failing.any), build)

    @staticmethod
    def unless(
        frame: pl.DataFrame | pl.LazyFrame | Later, test: pl.Expr, build: Callable[[], Plan]
    ) -> Plan:
        """:meth:`unless_none` with the test as an aggregate of ``frame`` (one boolean: may
        the rule find something?), for a test that is not "some row fails". ``frame`` may
        be a plan (the budget's, for one school), collected with the tests."""
        if isinstance(frame, Later):
            names: Iterable[str] = frame.columns
        else:
            names = frame.columns if isinstance(frame, pl.DataFrame) else frame.collect_schema()
        if not kept((test,), "roots", lambda: frozenset(test.meta.root_names())) <= set(names):
            return build()
        return Plan(probe=Probe(frame, test, build))

    def built(self) -> Plan:
        """The plan itself, its probe passed over."""
        return self if self.probe is None else self.probe.build().built()

    def __add__(self, other: Plan) -> Plan:
        """Both plans' frames; their findings, this plan's first."""
        if self.probe is not None or other.probe is not None:
            return self.built() + other.built()
        first, second, split = self.finish, other.finish, len(self.frames)

        def finish(frames: Sequence[pl.DataFrame]) -> list[Finding] | Plan:
            return _joined(first(frames[:split]), second(frames[split:]))

        return Plan(self.frames + other.frames, finish)

    def then(self, change: Callable[[list[Finding]], list[Finding]]) -> Plan:
        """The same frames, their findings passed through ``change``."""
        if self.probe is not None:
            probe = self.probe
            return Plan(probe=Probe(probe.frame, probe.test, lambda: probe.build().then(change)))
        finish = self.finish

        def changed(frames: Sequence[pl.DataFrame]) -> list[Finding] | Plan:
            found = finish(frames)
            return found.then(change) if isinstance(found, Plan) else change(found)

        return Plan(self.frames, changed)

    @staticmethod
    def of(findings: list[Finding]) -> Plan:
        """Findings already made (a template that has nothing to collect)."""
        return Plan((), lambda _frames: findings)


@dataclass(frozen=True, slots=True)
class Probe:
    """:meth:`Plan.unless`'s test: an aggregate of ``frame``, false only where the rule
    would find nothing (null counts as false)."""

    frame: pl.DataFrame | pl.LazyFrame | Later
    test: pl.Expr
    build: Callable[[], Plan]


#: Whether one school's checks test their probes first (tests compare it off and on).
PROBING = True


def _joined(first: list[Finding] | Plan, second: list[Finding] | Plan) -> list[Finding] | Plan:
    if isinstance(first, list) and isinstance(second, list):
        return first + second
    as_plan = [Plan.of(found) if isinstance(found, list) else found for found in (first, second)]
    return as_plan[0] + as_plan[1]


def collect_plans(plans: Sequence[Plan], *, together: bool = True) -> list[list[Finding]]:
    """Each plan's findings: every plan's frames collected in one ``collect_all`` (then
    the further plans some of them give, in another), or, ``together=False`` (a
    country, whose rules' intermediate frames would otherwise all be in memory at
    once), one ``collect_all`` a plan.

    Together, the frames are small (one school, a few): Polars' query optimisations
    (pushing filters and projections down, common subplans) then cost more than the
    queries they would shorten, and are not run. A country's plans keep them: there
    they choose which of millions of rows and columns are read at all.
    """
    if not together:
        return [_finish_alone(plan) for plan in plans]
    found: list[list[Finding] | Plan] = list(plans)
    while waiting := [(i, f) for i, f in enumerate(found) if isinstance(f, Plan)]:
        framed = [(i, plan.built()) for i, plan in waiting if plan.probe is None or not PROBING]
        probed = [(i, plan.probe) for i, plan in waiting if plan.probe is not None and PROBING]
        tests, places = _probe_frames([probe for _, probe in probed])
        results = _collect([f for _, plan in framed for f in plan.frames] + tests, optimize=False)
        start = 0
        for i, plan in framed:
            end = start + len(plan.frames)
            found[i] = plan.finish(results[start:end])
            start = end
        passed = [result.row(0) for result in results[start:]]
        for (i, probe), (test, column) in zip(probed, places, strict=True):
            found[i] = probe.build() if passed[test][column] is True else []
    return [f for f in found if isinstance(f, list)]


def _probe_frames(probes: Sequence[Probe]) -> tuple[list[pl.LazyFrame], list[tuple[int, int]]]:
    """A frame a distinct probed frame, of one row: each of its probes' test; and for
    each probe, in order, its frame and column."""
    by_frame: dict[int, int] = {}
    sources: list[pl.DataFrame | pl.LazyFrame | Later] = []
    tests: list[list[pl.Expr]] = []
    places: list[tuple[int, int]] = []
    for probe in probes:
        at = by_frame.setdefault(id(probe.frame), len(sources))
        if at == len(sources):
            sources.append(probe.frame)
            tests.append([])
        places.append((at, len(tests[at])))
        tests[at].append(probe.test.alias(f"p{len(tests[at])}"))
    return [s.lazy().select(t) for s, t in zip(sources, tests, strict=True)], places


def _finish_alone(plan: Plan) -> list[Finding]:
    found: list[Finding] | Plan = plan
    while isinstance(found, Plan):
        found = found.built()
        found = found.finish(_collect(found.frames, optimize=True))
    return found


_NO_OPTIMISATIONS = pl.QueryOptFlags.none()


def _collect(frames: Sequence[pl.LazyFrame], *, optimize: bool) -> list[pl.DataFrame]:
    if not frames:
        return []
    if optimize:
        return pl.collect_all(frames, engine=ENGINE)
    return pl.collect_all(frames, engine=ENGINE, optimizations=_NO_OPTIMISATIONS)


class Template(Protocol):
    """A generic rule: settings schema, which settings are figures, and the evaluation."""

    name: ClassVar[str]
    summary: ClassVar[str]
    settings_schema: ClassVar[dict[str, Any]]
    #: settings whose values are expressions over parameters (checked when a pack loads)
    figures: ClassVar[tuple[str, ...]]
    #: settings that name a single parameter holding a list or table
    parameter_settings: ClassVar[tuple[str, ...]]

    def plan(self, rule: Rule, context: Context) -> Plan:
        """The rule's work, to be collected with the other rules' (``collect_plans``)."""
        ...

    def evaluate(self, rule: Rule, context: Context) -> list[Finding]:
        """The rule's findings on their own (``plan`` collected by itself)."""
        ...


# The two kinds of template. No docstrings: docs/packs.md shows a template's own
# docstring (inspect.getdoc would give a template without one its base class's).


class Eager:
    # A template that finds its findings at once (``plan`` has nothing to collect):
    # rules that seldom run, or whose steps depend on the data.

    def evaluate(self, rule: Rule, context: Context) -> list[Finding]:
        raise NotImplementedError

    def plan(self, rule: Rule, context: Context) -> Plan:
        return Plan.of(self.evaluate(rule, context))


class Planned:
    # A template whose ``evaluate`` is its ``plan`` collected on its own.

    def plan(self, rule: Rule, context: Context) -> Plan:
        raise NotImplementedError

    def evaluate(self, rule: Rule, context: Context) -> list[Finding]:
        return collect_plans([self.plan(rule, context)], together=context.tables.small)[0]


def teacher_subject(row: dict[str, Any]) -> Subject:
    return Subject(SubjectKind.TEACHER, row["staff_id"], row.get("name") or row["staff_id"])


def event_subject(row: dict[str, Any]) -> Subject:
    label = f"{row['title']} ({row['date']})"
    return Subject(SubjectKind.EVENT, row["event_id"], label)


def school_subject(row: dict[str, Any]) -> Subject:
    return Subject(SubjectKind.SCHOOL, row["school_id"], row.get("school_name") or row["school_id"])


def week_subject(row: dict[str, Any]) -> Subject:
    who = row.get("name") or row["staff_id"]
    return Subject(
        SubjectKind.WEEK, f"{row['staff_id']}/week-{row['week']}", f"{who}, week {row['week']}"
    )


def emit(
    rule: Rule,
    violations: pl.DataFrame,
    *,
    subject: Any,
    default_message: str,
    parameters: Iterable[ResolvedParameter],
    data_columns: Iterable[str] = (),
    actual_column: str = "actual",
    limit_column: str = "limit",
    extra: Mapping[str, Sequence[Any]] | None = None,
) -> list[Finding]:
    """Turn a frame of violations (one row each) into findings with messages and workings.

    A message is a format string over the row's columns plus ``clause``, ``document``,
    ``actual`` and ``limit``; ``{actual:hours}`` writes a figure with its unit ("1 hour"),
    through :func:`fairload.core.units.sentence`. ``extra``: more columns, a value a
    row, read as the row's own.
    """
    if violations.is_empty():  # most rules, most checks: nothing to turn into findings
        return []
    used = tuple(parameters)
    columns = list(data_columns)
    findings = []
    for index, row in enumerate(violations.iter_rows(named=True)):
        if extra:
            row.update((name, values[index]) for name, values in extra.items())
        who = subject(row)
        actual = row.get(actual_column)
        limit = row.get(limit_column)
        fields = {
            **row,
            "actual": actual,
            "limit": limit,
            "clause": rule.reference.clause,
            "document": rule.reference.document.title,
            "subject": who.label,
        }
        try:
            message = sentence(rule.message or default_message, fields)
        except KeyError as exc:
            raise PackError(
                f"rule {rule.id}: its message names '{exc.args[0]}', which is not a field here",
                hint=suggestion(str(exc.args[0]), fields) + "Fields: " + ", ".join(sorted(fields)),
            ) from None
        message += f" ({rule.reference.citation})"
        data = {c: _plain(row.get(c)) for c in columns}
        findings.append(
            Finding(
                id=f"{rule.id}:{row['school_id']}:{who.id}:{index}",
                rule=rule.id,
                title=rule.title,
                severity=rule.severity,
                school_id=row["school_id"],
                subject=who,
                reference=rule.reference,
                message=message,
                actual=_plain(actual),
                limit=_plain(limit),
                working=Working(used, data),
                refuse=rule.refuse,
                fix=rule.fix,
            )
        )
    return findings


@dataclass(frozen=True, slots=True)
class Listing:
    """:func:`emit_later`'s working made from what the violations carry, at once: the
    violations in the order of ``order``, and ``columns`` of the found ones (a value a
    row, by name) that :func:`emit` reads as theirs."""

    order: tuple[str, ...]
    columns: Callable[[pl.DataFrame], Mapping[str, Sequence[Any]]]


def emit_later(
    rule: Rule,
    violations: pl.LazyFrame,
    *,
    details: Callable[[pl.LazyFrame], pl.LazyFrame] | None = None,
    listing: Listing | None = None,
    **how: Any,
) -> Plan:
    """:func:`emit` of ``violations`` once it is collected with the other rules' frames.

    ``details`` adds the working's columns (the events behind each breach) to the
    violations found: it is planned only when there are some, and its frame collected
    in the next round, so a rule that finds nothing never builds its working.
    ``listing`` makes them from what the violations found carry, at once.
    """
    if listing is not None:

        def listed(frames: Sequence[pl.DataFrame]) -> list[Finding]:
            found = frames[0]
            if found.is_empty():
                return []
            return emit(rule, found, extra=listing.columns(found), **how)

        return Plan((violations.sort(list(listing.order)),), listed)
    if details is None:
        return Plan((violations,), lambda frames: emit(rule, frames[0], **how))

    def detailed(frames: Sequence[pl.DataFrame]) -> list[Finding] | Plan:
        if frames[0].is_empty():
            return []
        return Plan((details(frames[0].lazy()),), lambda found: emit(rule, found[0], **how))

    return Plan((violations,), detailed)


def _plain(value: Any) -> Any:
    """JSON-friendly values for workings: dates as ISO text, lists kept, floats rounded."""
    if isinstance(value, float):
        return round(value, 4)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value
