"""The agreement itself: its process steps, its allocations, its days and its budget."""

from __future__ import annotations

from functools import cache, reduce
from operator import add
from typing import Any, ClassVar

import polars as pl

from fairload.core.budgets import BudgetSpec, returned_hours
from fairload.core.errors import PackError
from fairload.core.findings import Finding
from fairload.core.parameters import ResolvedParameter
from fairload.core.rules import Context, Rule, condition
from fairload.core.school_year import ROLE_LABELS, role_label
from fairload.core.tables import filtered
from fairload.core.templates.base import (
    EXPRESSION,
    PARAMETER,
    WHERE,
    Eager,
    Plan,
    Planned,
    emit,
    emit_later,
    school_subject,
    teacher_subject,
)
from fairload.core.units import hours as hours_text

EPSILON = 1e-6

#: Each step: the test it must pass (a Polars expression over the process frame) and the
#: sentence for a school that fails it. ``{…}`` fields come from the frame.
_STEPS: dict[str, tuple[str, str]] = {
    "committee": ("committee_formed", "no School Negotiating Committee is recorded"),
    "draft-before-session": (
        "draft_prepared",
        "no draft agreement is recorded as prepared before the session began on {year_start}",
    ),
    "draft-in-summer-term": (
        "draft_prepared",
        "the draft agreement is not recorded as prepared in the summer term before the session "
        "({previous_summer_term_start} to {previous_summer_term_end}): {prepared}",
    ),
    "order": ("year_start", "{later} ({later_on}) comes before {earlier} ({earlier_on})"),
    "consultation": ("consultation_closed", "no whole-staff consultation on the draft is recorded"),
    "comments-considered": (
        "comments_considered",
        "staff comments are not recorded as considered by the committee",
    ),
    "majority-vote": (
        "vote_in_favour",
        "the draft is not shown to be approved by a majority of staff: {vote_in_favour} of "
        "{vote_eligible} in favour, and at least {needed} were needed",
    ),
    "signatures": ("signed_roles", "the agreement lacks the signature of: {missing}"),
    "submitted": ("submitted", "the signed agreement is not recorded as submitted"),
    "calendar-published": (
        "calendar_published",
        "no directed-time calendar is recorded as published before the session began on "
        "{year_start}",
    ),
    "calendar-agreed": (
        "calendar_agreed_with_union",
        "the directed-time calendar is not recorded as agreed with the union",
    ),
    "flexible-approach-confirmed": (
        "flexible_confirmed",
        "the planned flexible approach ({flexible_status}) is not in force at {at} until it "
        "is confirmed; until then the weekly limits apply to every week",
    ),
}


def role_labels(roles: pl.Expr) -> pl.Expr:
    """A list column of role ids as their labels (``ROLE_LABELS``)."""
    return roles.list.eval(_role_label())


@cache
def _role_label() -> pl.Expr:
    # Built once: a replace by a mapping builds two Series each time it is written.
    return pl.element().replace(ROLE_LABELS).str.replace_all("-", " ")


def missing_signatures(roles: list[str]) -> pl.Expr:
    """The required roles absent from ``signed_roles``, comma-separated ('' when none)."""
    missing = [
        pl.when(~pl.col("signed_roles").list.contains(role)).then(pl.lit(role_label(role)))
        for role in roles
    ]
    if not missing:
        return pl.lit("")
    return pl.concat_str(missing, separator=", ", ignore_nulls=True)


#: The recorded steps, in the words a finding uses for them.
STEP_WORDS = {
    "committee_formed": "the committee's forming",
    "draft_prepared": "the draft",
    "consultation_opened": "the consultation's opening",
    "consultation_closed": "the consultation's close",
    "vote_held_on": "the staff vote",
    "signed_first": "the first signature",
    "signed_last": "the last signature",
    "submitted": "the submission",
    "calendar_published": "the calendar's publication",
    "year_start": "the start of the session",
}


def _wrong(later: str, earlier: str) -> pl.Expr:
    """A later step dated before an earlier one (the session's start: on its day too)."""
    if later == "year_start":
        return (pl.col(later) <= pl.col(earlier)).fill_null(False)
    return (pl.col(later) < pl.col(earlier)).fill_null(False)


@cache
def _any_out_of_order(sequence: tuple[str, ...]) -> pl.Expr:
    """Whether any later step of ``sequence`` is dated before an earlier one: a cheap
    test that spares a school whose steps are in order the full account below."""
    pairs = [
        _wrong(later, earlier) for i, earlier in enumerate(sequence) for later in sequence[i + 1 :]
    ]
    return pl.any_horizontal(pairs) if pairs else pl.lit(False)


@cache
def _order_checks(sequence: tuple[str, ...]) -> pl.Expr | None:
    """For each step of ``sequence``, the first later step dated before it (a list of
    structs, one a step), or None for a sequence of one step. Built once per sequence:
    it is many expressions, and building them cost more than running them."""
    found = []
    for i, earlier in enumerate(sequence):
        later_steps = sequence[i + 1 :]
        if not later_steps:
            continue
        found.append(
            pl.struct(
                _later_step=pl.coalesce(
                    [pl.when(_wrong(x, earlier)).then(pl.lit(x)) for x in later_steps]
                ),
                _later_date=pl.coalesce(
                    [pl.when(_wrong(x, earlier)).then(pl.col(x)) for x in later_steps]
                ),
                _earlier=pl.lit(STEP_WORDS.get(earlier, earlier)),
                _earlier_on=pl.col(earlier).cast(pl.String),
            )
        )
    return pl.concat_list(found) if found else None


def _out_of_order(rows: pl.LazyFrame, columns: list[str], sequence: list[str]) -> pl.LazyFrame:
    """One row per recorded step that a later step comes before (the session's start
    must come after every step, not on its day): the first such later step only, so a
    vote after the signatures is one finding, not one per signature and submission.

    Each school's row holds every step's answer in one list, exploded once: a school's
    findings follow the sequence, as the caller's stable sort by school keeps them.
    """
    found = _order_checks(tuple(sequence))
    if found is None:
        return rows.head(0)
    return (
        rows.with_columns(_found=found)
        .explode("_found")
        .unnest("_found")
        .filter(pl.col("_later_step").is_not_null())
        .select(*columns, **_order_columns())
    )


@cache
def _order_columns() -> dict[str, pl.Expr]:
    return {
        "later": pl.col("_later_step").replace(STEP_WORDS),
        "later_on": pl.col("_later_date").cast(pl.String),
        "earlier": pl.col("_earlier"),
        "earlier_on": pl.col("_earlier_on"),
    }


#: A school with no vote at all gets a sentence that says so, not "None of None in favour".
NO_VOTE = "no staff vote on the draft is recorded"


def heading_words(label: str) -> str:
    """A budget heading's label inside a sentence: 'Planning' → 'planning', keeping
    initialisms ('PRD') and proper names as they are."""
    first, _, rest = label.partition(" ")
    if first[:1].isupper() and first[1:2].islower():
        first = first.lower()
    return f"{first} {rest}".strip()


def _labels(context: Context, headings: pl.Expr) -> pl.Expr:
    """Each heading id's label in a sentence (the id itself where the budget has none)."""
    if context.budget is None:
        return headings
    words = {line.id: heading_words(line.label) for line in context.budget.lines}
    return headings.replace(words)


class ProcessStep(Planned):
    name: ClassVar[str] = "process_step"
    summary: ClassVar[str] = (
        "A step of reaching the agreement must be recorded: committee, draft, consultation, "
        "majority vote, signatures, submission, published calendar."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "step": {"enum": sorted(_STEPS), "description": "the process step checked"},
            "majority": EXPRESSION,
            "roles": {
                "type": "array",
                "items": {"type": "string"},
                "description": "signatures: the roles that must sign",
            },
            "sequence": {
                "type": "array",
                "items": {"enum": sorted(STEP_WORDS)},
                "description": "the order step: these dates, in this order",
            },
        },
        "required": ["step"],
    }
    figures: ClassVar[tuple[str, ...]] = ("majority",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        failing = context.kept(rule, "failing", lambda: self._failing(rule, context))
        return Plan.unless_none(
            context.tables.school_process, failing, lambda: self._plan(rule, context, failing)
        )

    def _failing(self, rule: Rule, context: Context) -> pl.Expr:
        """Whether a school's record fails the step, over the process frame's own columns."""
        step = rule.settings["step"]
        column = pl.col(_STEPS[step][0])
        if step == "majority-vote":
            if "majority" not in rule.settings:
                raise PackError(f"rule {rule.id}: the majority-vote step needs 'majority'")
            share = context.number(rule.settings["majority"])[0]
            in_favour = pl.col("vote_in_favour")
            return in_favour.is_null() | (in_favour <= pl.col("vote_eligible") * share)
        if step == "signatures":
            return missing_signatures(rule.settings.get("roles", [])) != ""
        if step == "order":
            return _any_out_of_order(tuple(rule.settings.get("sequence", [])))
        if step == "draft-in-summer-term":
            # Without terms to go by, at least before the session.
            end = pl.coalesce(
                pl.col("previous_summer_term_end"), pl.col("year_start") - pl.duration(days=1)
            )
            return (
                column.is_null()
                | (column > end)
                | (column < pl.col("previous_summer_term_start")).fill_null(False)
            )
        if step in ("draft-before-session", "calendar-published"):
            return column.is_null() | (column >= pl.col("year_start"))
        if step == "flexible-approach-confirmed":
            # Only a school that records an approach; confirmed later than the check is not
            # yet in force (3.3: confirmation comes "in advance of implementation").
            recorded = (
                pl.col("flexible_cycle_weeks").is_not_null()
                | pl.col("flexible_submitted").is_not_null()
            )
            return recorded & (column.is_null() | (column > context.at)).fill_null(True)
        if step in ("comments-considered", "calendar-agreed"):
            return ~column.fill_null(False)
        return column.is_null()

    def _plan(self, rule: Rule, context: Context, failing: pl.Expr) -> Plan:
        step = rule.settings["step"]
        column, message = _STEPS[step]
        # Lazy until the sort: one collect a rule rather than one a step.
        rows = context.tables.school_process.lazy()
        used: list[Any] = []
        if step == "majority-vote":
            share, used = context.number(rule.settings["majority"])
            rows = rows.with_columns(
                limit=pl.col("vote_eligible") * share,
                needed=(pl.col("vote_eligible") * share).floor().cast(pl.Int64) + 1,
            )
        elif step == "signatures":
            rows = rows.with_columns(
                missing=missing_signatures(rule.settings.get("roles", [])), limit=pl.lit(None)
            )
        elif step == "order":
            columns = context.tables.school_process.columns
            sequence = list(rule.settings.get("sequence", []))

            def account(_some: pl.LazyFrame) -> pl.LazyFrame:
                # Every school's steps out of order, as before (only once some are).
                later = _out_of_order(rows, columns, sequence)
                return later.with_columns(
                    actual=pl.col("later_on"), limit=pl.col("earlier_on")
                ).sort("school_id", maintain_order=True)

            return emit_later(
                rule,
                rows.filter(failing).select("school_id"),
                details=account,
                subject=school_subject,
                default_message=message,
                parameters=[],
                data_columns=["later", "later_on", "earlier", "earlier_on"],
            )
        elif step == "draft-in-summer-term":
            rows = rows.with_columns(
                limit=pl.col("previous_summer_term_start"),
                prepared=pl.concat_str(
                    pl.lit("it is dated "), pl.col(column).cast(pl.String)
                ).fill_null("no date of preparation is recorded"),
            )
        elif step in ("draft-before-session", "calendar-published"):
            rows = rows.with_columns(limit=pl.col("year_start"))
        elif step == "flexible-approach-confirmed":
            confirmed = pl.col(column)
            submitted = pl.col("flexible_submitted").cast(pl.String)
            rows = rows.with_columns(
                limit=pl.lit(context.at.isoformat()),
                at=pl.lit(context.at.isoformat()),
                flexible_status=pl.when(confirmed.is_not_null())
                .then(pl.concat_str(pl.lit("confirmed only on "), confirmed.cast(pl.String)))
                .when(submitted.is_not_null())
                .then(pl.concat_str(pl.lit("submitted on "), submitted, pl.lit(", not confirmed")))
                .otherwise(pl.lit("not recorded as submitted or confirmed")),
            )
        else:
            rows = rows.with_columns(limit=pl.lit(None))
        actual = pl.col(column)
        if column == "signed_roles":
            actual = role_labels(actual).list.join(", ")
        else:
            actual = actual.cast(pl.String)
        failed = rows.with_columns(actual=actual).filter(failing).sort("school_id")
        if step == "majority-vote":
            # A school with no vote at all gets a sentence that says so, not "None of None".
            no_vote = failed.filter(pl.col("vote_held_on").is_null())
            voted = failed.filter(pl.col("vote_held_on").is_not_null())
            return emit_later(
                rule,
                no_vote,
                subject=school_subject,
                default_message=NO_VOTE,
                parameters=used,
                data_columns=["vote_held_on"],
            ) + emit_later(
                rule,
                voted,
                subject=school_subject,
                default_message=message,
                parameters=used,
                data_columns=[column, "vote_eligible"],
            )
        extra = (
            ["flexible_cycle_weeks", "flexible_submitted"] if column == "flexible_confirmed" else []
        )
        return emit_later(
            rule,
            failed,
            subject=school_subject,
            default_message=message,
            parameters=used,
            data_columns=[column, *extra],
        )


class AllocationByAgreement(Planned):
    name: ClassVar[str] = "allocation_by_agreement"
    summary: ClassVar[str] = (
        "The school's hours for a heading may differ from the default only by agreement."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {"headings": {"type": "object", "description": "heading: expression"}},
        "required": ["headings"],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        differs = context.kept(rule, "differs", lambda: self._differs(rule, context))
        return Plan.unless_none(
            context.tables.allocations, differs, lambda: self._plan(rule, context)
        )

    def _differs(self, rule: Rule, context: Context) -> pl.Expr:
        """Whether an allocation differs from its heading's default."""
        defaults = {h: context.number(e)[0] for h, e in rule.settings["headings"].items()}
        default = pl.col("heading").replace_strict(defaults, default=None, return_dtype=pl.Float64)
        return (pl.col("hours") - default).abs() > EPSILON

    def _plan(self, rule: Rule, context: Context) -> Plan:
        frame, used = context.kept(rule, "defaults", lambda: self._defaults(rule, context))
        rows = (
            context.tables.allocations.lazy()
            .join(frame, on="heading", how="inner")
            .filter((pl.col("hours") - pl.col("limit")).abs() > EPSILON)
            .join(context.tables.school_names.lazy(), on="school_id")
            .with_columns(actual=pl.col("hours"))
            .sort("school_id", "heading")
        )
        return emit_later(
            rule,
            rows,
            subject=school_subject,
            default_message="the agreement gives {heading_label} {actual:hours} instead of the "
            "default {limit:hours}: a change that needs the staff's agreement",
            parameters=used,
            data_columns=["heading", "hours"],
        )

    def _defaults(self, rule: Rule, context: Context) -> tuple[pl.LazyFrame, list[Any]]:
        """Each heading's default hours and its label, and the parameters they read."""
        defaults = []
        used: list[Any] = []
        for heading, expression in rule.settings["headings"].items():
            value, params = context.number(expression)
            defaults.append({"heading": heading, "limit": value})
            used += params
        frame = pl.DataFrame(defaults, schema={"heading": pl.String, "limit": pl.Float64})
        return frame.with_columns(heading_label=_labels(context, pl.col("heading"))).lazy(), used


class CalendarDays(Planned):
    name: ClassVar[str] = "calendar_days"
    summary: ClassVar[str] = (
        "The school year must have the required number of working, pupil or in-service days."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "measure": {
                "enum": ["working_days", "pupil_days", "inservice_days"],
                "description": "the calendar count compared",
            },
            "expected": EXPRESSION,
            "mode": {"enum": ["equal", "at_most", "at_least"], "default": "equal"},
        },
        "required": ["measure", "expected"],
    }
    figures: ClassVar[tuple[str, ...]] = ("expected",)
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        expected, used = context.number(rule.settings["expected"])
        failing = context.kept(rule, "failing", lambda: self._failing(rule, expected))
        return Plan.unless_none(
            context.tables.schools,
            failing,
            lambda: self._plan(rule, context, failing, expected, used),
        )

    def _failing(self, rule: Rule, expected: float) -> pl.Expr:
        actual = pl.col(rule.settings["measure"]).cast(pl.Float64)
        return {
            "equal": actual != expected,
            "at_most": actual > expected,
            "at_least": actual < expected,
        }[rule.settings.get("mode", "equal")]

    def _plan(
        self, rule: Rule, context: Context, failing: pl.Expr, expected: float, used: list[Any]
    ) -> Plan:
        measure = rule.settings["measure"]
        mode = rule.settings.get("mode", "equal")
        actual = pl.col(measure).cast(pl.Float64)
        words = {"equal": "exactly", "at_most": "at most", "at_least": "at least"}[mode]
        rows = (
            context.tables.schools.lazy()
            .filter(failing)
            .with_columns(actual=actual, limit=pl.lit(expected), school_name=pl.col("name"))
            .sort("school_id")
        )
        what = measure.replace("_", " ").replace("inservice", "in-service")
        return emit_later(
            rule,
            rows,
            subject=school_subject,
            default_message=f"the school year has {{actual}} {what}; it should have {words} "
            "{limit}",
            parameters=used,
            data_columns=[measure],
        )


def _committed(spec: BudgetSpec) -> pl.Expr:
    """A teacher's commitments in the wide budget: their lines but the remainders, added
    in the budget's order (what the rule and its test both read)."""
    remainders = {line.id for line in spec.lines if line.teacher == "remainder"}
    return reduce(add, [pl.col(o.id) for o in spec.lines if o.id not in remainders])


def _beyond(line_id: str) -> pl.Expr:
    """A teacher's line planned beyond its hours, in the wide budget (as in the long)."""
    return pl.col(f"planned::{line_id}") > pl.col(line_id) + EPSILON


def _over_planned(context: Context) -> pl.DataFrame:
    """The teachers' budget lines planned beyond their hours, chosen once for every line
    rule."""
    beyond = pl.col("planned") > pl.col("hours") + EPSILON
    return context.once("over-planned", lambda: filtered(context.teacher_budgets(), beyond))


class BudgetReconciles(Planned):
    name: ClassVar[str] = "budget_reconciles"
    summary: ClassVar[str] = (
        "A budget must add up: the school's headings to the annual total, and no teacher "
        "committed beyond their total (pro rata)."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "scope": {
                "enum": ["school", "teacher", "line", "headroom"],
                "description": "school: headings add to the total; teacher: nobody committed "
                "beyond their total; line: a teacher's calendar within one heading; headroom: "
                "the school leaves time in one heading unallocated",
            },
            "line": {"type": "string", "description": "line and headroom: the budget line id"},
            "where": WHERE,
        },
        "required": ["scope"],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        scope, spec = rule.settings["scope"], context.budget
        if spec is None or scope == "school":
            return self._plan(rule, context)

        def build() -> Plan:
            return self._plan(rule, context)

        if scope == "line":  # only teachers whose line is planned beyond its hours
            beyond = context.kept(rule, "beyond", lambda: _beyond(self._line_id(rule, context)))
            return Plan.unless_none(context.budget_tested(beyond), beyond, build)
        if scope == "headroom":  # a heading allocated (or by default) no time
            test = context.kept(rule, "headroom", lambda: self._headroom_test(rule, context))
            return Plan.unless(context.tables.allocations, test, build)
        # A teacher committed beyond their total: the wide budget, a teacher a row, says
        # whether any is (within float dust of the sum the rule takes: the test is looser).
        over = context.kept(rule, "over", lambda: _committed(spec) > pl.col("total") + EPSILON)
        return Plan.unless_none(context.budget_tested(over), over, build)

    def _headroom_test(self, rule: Rule, context: Context) -> pl.Expr:
        spec = context.budget
        assert spec is not None
        line = spec.line(self._line_id(rule, context))
        default = context.number(line.hours)[0] if line.hours is not None else 0.0
        heading = pl.col("heading") == line.id
        # A school without an allocation for the heading has its default.
        none_left = heading & (pl.col("hours").fill_null(default) <= EPSILON)
        return none_left.any() | pl.lit(default <= EPSILON)

    def _plan(self, rule: Rule, context: Context) -> Plan:
        spec = context.budget
        if spec is None:
            raise PackError(f"rule {rule.id}: the pack has no budget to reconcile")
        total, used = context.number(spec.total)
        scope = rule.settings["scope"]
        if scope == "school":
            return self._school(rule, context, total, used)
        if scope == "headroom":
            return self._headroom(rule, context)
        if scope == "line":
            budgets = _over_planned(context).lazy()
        else:
            budgets = context.teacher_budgets().lazy()
        if "where" in rule.settings:
            where, filter_used = condition(rule.settings["where"], context)
            used += filter_used
            chosen = context.tables.staff.lazy().filter(where).select("school_id", "staff_id")
            budgets = budgets.join(chosen, on=["school_id", "staff_id"], how="semi")
        if scope == "line":
            return self._line(rule, context, budgets)
        remainders = {line.id for line in spec.lines if line.teacher == "remainder"}
        commitments = budgets.filter(~pl.col("line").is_in(list(remainders)))
        # A teacher's commitments from the wide budget, a teacher a row: grouping the long
        # one by its text keys was most of this rule for a country.
        wide = context.teacher_budget_lines().lazy()
        if "where" in rule.settings:
            wide = wide.join(chosen, on=["school_id", "staff_id"], how="semi")
        over = wide.select(
            "school_id",
            "staff_id",
            "name",
            "fte",
            limit=pl.col("total"),
            actual=_committed(spec),
        ).filter(pl.col("actual") > pl.col("limit") + EPSILON)

        # The line-by-line listing is for the working, so only over-committed teachers get
        # it (planned only when there are some), each line by its label ("INSET days: 35
        # hours"), as the budget table shows it.
        def listed(over: pl.LazyFrame) -> pl.LazyFrame:
            labels = pl.DataFrame(
                [(line.id, line.label) for line in spec.lines],
                schema=["line", "label"],
                orient="row",
            )
            listing = (
                commitments.join(
                    over.select("school_id", "staff_id"),
                    on=["school_id", "staff_id"],
                    maintain_order="left",
                )
                .join(labels.lazy(), on="line", how="left", maintain_order="left")
                .with_columns(
                    shown=pl.col("hours").round(1).cast(pl.String).str.replace(r"\.0$", "")
                    + pl.when(pl.col("hours").round(1) == 1)
                    .then(pl.lit(" hour"))
                    .otherwise(pl.lit(" hours"))
                )
                .group_by("school_id", "staff_id", maintain_order=True)
                .agg(lines=pl.concat_str([pl.col("label"), pl.lit(": "), pl.col("shown")]))
            )
            return over.join(listing, on=["school_id", "staff_id"], how="left").sort(
                "school_id", "staff_id"
            )

        return emit_later(
            rule,
            over,
            details=listed,
            subject=teacher_subject,
            default_message="{name} is committed to {actual:hours} in the year, more than "
            "their {limit} (FTE {fte})",
            parameters=used,
            data_columns=["fte", "lines"],
        )

    def _line_id(self, rule: Rule, context: Context) -> str:
        spec = context.budget
        assert spec is not None
        line_id = rule.settings.get("line")
        if line_id not in {line.id for line in spec.lines}:
            raise PackError(f"rule {rule.id}: the budget has no line {line_id!r}")
        return str(line_id)

    def _line(self, rule: Rule, context: Context, budgets: pl.LazyFrame) -> Plan:
        """A teacher's calendar must fit within the hours one heading gives them."""
        line_id = self._line_id(rule, context)
        spec = context.budget
        assert spec is not None
        line = spec.line(line_id)
        used = context.number(line.hours)[1] if line.hours is not None else []
        rows = budgets.filter(
            (pl.col("line") == line_id) & (pl.col("planned") > pl.col("hours") + EPSILON)
        )
        rows = rows.with_columns(
            actual=pl.col("planned"),
            limit=pl.col("hours"),
            heading=pl.lit(line_id),
            heading_label=pl.lit(heading_words(line.label)),
        )
        return emit_later(
            rule,
            rows.sort("school_id", "staff_id"),
            subject=teacher_subject,
            default_message="{name}'s calendar has {actual:hours} of {heading_label}; the "
            "agreement gives {limit:hours} (FTE {fte})",
            parameters=used,
            data_columns=["fte", "heading"],
        )

    def _headroom(self, rule: Rule, context: Context) -> Plan:
        """Some of a heading (the balance of time) must be left unallocated."""
        spec = context.budget
        assert spec is not None
        line = spec.line(self._line_id(rule, context))
        default, used = context.number(line.hours) if line.hours is not None else (0.0, [])
        agreed = context.tables.allocations.lazy().filter(pl.col("heading") == line.id)
        rows = (
            context.tables.school_names.lazy()
            .join(agreed, on="school_id", how="left", maintain_order="left")
            .with_columns(
                actual=pl.col("hours").fill_null(default),
                limit=pl.lit(0.0),
                heading=pl.lit(line.id),
                heading_label=pl.lit(heading_words(line.label)),
            )
            .filter(pl.col("actual") <= EPSILON)
            .sort("school_id")
        )
        return emit_later(
            rule,
            rows,
            subject=school_subject,
            default_message="the agreement leaves no time unallocated: "
            "{heading_label} is {actual:hours}",
            parameters=used,
            data_columns=["heading"],
        )

    def _school(self, rule: Rule, context: Context, total: float, used: list[Any]) -> Plan:
        """Each school's agreed headings (its allocations, else the defaults) must add to
        the total. Lines without a default (timetable or calendar lines) are not counted."""
        spec = context.budget
        assert spec is not None
        lines, stray, more = context.kept(rule, "lines", lambda: _school_lines(spec, context))
        used = [*used, *more]
        # Both frames lazy and collected together; the joins keep their order, which is the
        # order of the headings in each school's listing.
        schools = context.tables.school_names.lazy()
        rows = (
            schools.join(lines, how="cross", maintain_order="left_right")
            .join(
                context.tables.allocations.lazy(),
                on=["school_id", "heading"],
                how="left",
                maintain_order="left",
            )
            .with_columns(
                value=pl.when(pl.col("agreeable") & pl.col("hours").is_not_null())
                .then(pl.col("hours"))
                .otherwise(pl.col("default"))
            )
            .group_by("school_id", "school_name")
            .agg(
                actual=pl.col("value").sum(),
                lines=pl.concat_str(
                    [pl.col("heading"), pl.lit(" "), pl.col("value").round(1).cast(pl.String)]
                ),
            )
            .with_columns(limit=pl.lit(total))
            .filter((pl.col("actual") - pl.col("limit")).abs() > EPSILON)
            .sort("school_id")
        )
        # A misspelt heading would otherwise be ignored and the school look compliant.
        strays = (
            context.tables.allocations.lazy()
            .filter(stray)
            .join(schools, on="school_id", maintain_order="left")
            .with_columns(
                actual=pl.col("hours"),
                limit=pl.lit(None),
                known=pl.lit(", ".join(line.id for line in spec.lines)),
            )
            .sort("school_id", "heading")
        )
        return emit_later(
            rule,
            rows,
            subject=school_subject,
            default_message="the agreement's headings add up to {actual:hours}, not the "
            "{limit:hours} of the working year",
            parameters=used,
            data_columns=["lines"],
        ) + emit_later(
            rule,
            strays,
            subject=school_subject,
            default_message="the agreement allocates {actual:hours} to '{heading}', which is not "
            "a heading of this budget (headings: {known})",
            parameters=[],
            data_columns=["heading", "hours"],
        )


def _school_lines(
    spec: BudgetSpec, context: Context
) -> tuple[pl.LazyFrame, pl.Expr, list[ResolvedParameter]]:
    """The budget's school headings with their defaults and whether a school may agree
    other hours; the test of an allocation to a heading the budget does not have; and
    the parameters the defaults read."""
    defaults = []
    used: list[ResolvedParameter] = []
    for line in spec.lines:
        if line.school and line.hours is not None:
            value, params = context.number(line.hours)
            used += params
            agreeable = line.teacher in ("allocation", "remainder")
            defaults.append({"heading": line.id, "default": value, "agreeable": agreeable})
    schema = {"heading": pl.String, "default": pl.Float64, "agreeable": pl.Boolean}
    stray = ~pl.col("heading").is_in([line.id for line in spec.lines])
    return pl.DataFrame(defaults, schema=schema).lazy(), stray, used


class ProformaReconciles(Eager):
    name: ClassVar[str] = "proforma_reconciles"
    summary: ClassVar[str] = (
        "A teacher's balance-of-time pro-forma must add up to the balance of time (with the "
        "hours of the agreement's committees and working groups they are not a member of), "
        "use listed activities, and be signed by both."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "check": {
                "enum": ["total", "activities", "signatures"],
                "description": "what is checked on each pro-forma",
            },
            "line": {"type": "string", "description": "the budget line the pro-forma accounts for"},
            "activities": PARAMETER,
            "roles": {"type": "array", "items": {"type": "string"}},
            "may_leave_unallocated": {
                **EXPRESSION,
                "description": "total: the hours a pro-forma may fall short of the balance "
                "of time, left unallocated for unforeseen needs (JNCT2.7 14), besides an "
                "explicit 'unallocated' row; more than the balance is never allowed",
            },
        },
        "required": ["check", "line"],
    }
    figures: ClassVar[tuple[str, ...]] = ("may_leave_unallocated",)
    parameter_settings: ClassVar[tuple[str, ...]] = ("activities",)

    def evaluate(self, rule: Rule, context: Context) -> list[Finding]:
        spec = context.budget
        if spec is None:
            raise PackError(f"rule {rule.id}: the pack has no budget")
        line_id = rule.settings["line"]
        if line_id not in {line.id for line in spec.lines}:
            raise PackError(f"rule {rule.id}: the budget has no line {line_id!r}")
        forms = context.tables.proformas
        if forms.is_empty():
            return []
        staff = context.tables.staff.select("school_id", "staff_id", "name", "fte")
        check = rule.settings["check"]
        if check == "total":
            return self._total(rule, context, forms, staff, line_id)
        if check == "activities":
            listed, parameter = context.value(rule.settings["activities"])
            ids = [item["id"] if isinstance(item, dict) else item for item in listed]
            rows = (
                forms.filter(pl.col("activity").is_not_null() & ~pl.col("activity").is_in(ids))
                .join(staff, on=["school_id", "staff_id"], how="left")
                .with_columns(actual=pl.col("activity"), limit=pl.lit(None))
            )
            return emit(
                rule,
                rows.sort("school_id", "staff_id", "activity"),
                subject=teacher_subject,
                default_message="{name}'s pro-forma gives {hours:hours} to '{activity}', which is "
                "not an activity of the pro-forma",
                parameters=[parameter],
                data_columns=["activity", "hours"],
            )
        signed = forms.group_by("school_id", "staff_id").agg(pl.col("signed_roles").first())
        rows = (
            signed.with_columns(missing=missing_signatures(rule.settings.get("roles", [])))
            .filter(pl.col("missing") != "")
            .join(staff, on=["school_id", "staff_id"], how="left")
            .with_columns(actual=pl.col("missing"), limit=pl.lit(None))
        )
        return emit(
            rule,
            rows.sort("school_id", "staff_id"),
            subject=teacher_subject,
            default_message="{name}'s pro-forma is not signed by: {missing}",
            parameters=[],
            data_columns=["missing"],
        )

    def _total(
        self, rule: Rule, context: Context, forms: pl.DataFrame, staff: pl.DataFrame, line_id: str
    ) -> list[Finding]:
        """The pro-forma's hours must equal the line's hours plus those gained (Appendix 2)."""
        assert context.budget is not None
        budgets = context.teacher_budgets()
        keys = ["school_id", "staff_id"]
        owed = budgets.filter(pl.col("line") == line_id).select(*keys, basic=pl.col("hours"))
        gained = returned_hours(context.budget, budgets, context.tables.groups).filter(
            pl.col("line") == line_id
        )
        totals = forms.group_by(keys).agg(actual=pl.col("hours").sum())
        slack = 0.0
        used: list[Any] = []
        if "may_leave_unallocated" in rule.settings:
            slack, used = context.number(rule.settings["may_leave_unallocated"])
        rows = (
            totals.join(owed, on=keys, how="left")
            .join(gained.select(*keys, "returned", "working"), on=keys, how="left")
            .join(staff, on=keys, how="left")
            .with_columns(
                gained=pl.col("returned").fill_null(0.0),
                gained_from=pl.col("working").fill_null("").replace("", "no group"),
                limit=pl.col("basic").fill_null(0.0) + pl.col("returned").fill_null(0.0),
            )
            # Over the balance, or short of it by more than may be left unallocated (14).
            .filter(
                (pl.col("actual") > pl.col("limit") + EPSILON)
                | (pl.col("actual") < pl.col("limit") - slack - EPSILON)
            )
        )
        unallocated = f", less up to {hours_text(slack)} left unallocated" if slack else ""
        return emit(
            rule,
            rows.sort(keys),
            subject=teacher_subject,
            default_message="{name}'s pro-forma accounts for {actual:hours}; the balance of time "
            "to account for is {limit} ({basic} from the agreement and {gained} gained from "
            "committees and working groups they are not a member of: {gained_from}"
            f"{unallocated})",
            parameters=used,
            data_columns=["basic", "gained", "gained_from"],
        )


class CommitteeComposition(Eager):
    name: ClassVar[str] = "committee_composition"
    summary: ClassVar[str] = (
        "Where the school records its negotiating committee, it must have members in the "
        "required roles and a representative of each union accredited in the school."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "roles": {
                "type": "array",
                "items": {"type": "string"},
                "description": "committee roles that must each have a member (e.g. head-teacher)",
            },
            "union_role": {
                "type": "string",
                "description": "the role whose members represent a union: each union with an "
                "accredited representative in the school needs one",
            },
        },
        "required": ["roles"],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def evaluate(self, rule: Rule, context: Context) -> list[Finding]:
        members = context.tables.committee
        if members.is_empty():
            return []  # no committee recorded: its composition is not checked
        keys = ["school_id"]
        # Members count from their 'from' date, and up to their 'to' date, on the day the
        # draft was prepared (or the check's date).
        on = (
            context.tables.process.select(
                *keys, on=pl.col("draft_prepared").fill_null(pl.lit(context.at))
            )
            if not context.tables.process.is_empty()
            else members.select(*keys).unique().with_columns(on=pl.lit(context.at))
        )
        sitting = members.join(on, on=keys, how="left").with_columns(
            sitting=pl.col("staff_id").is_not_null()
            & (pl.col("since") <= pl.col("on").fill_null(pl.lit(context.at)))
            & (
                pl.col("until").is_null()
                | (pl.col("until") >= pl.col("on").fill_null(pl.lit(context.at)))
            )
        )
        union_role = rule.settings.get("union_role")
        wanted = [pl.lit(role) for role in rule.settings["roles"]]
        rows = (
            sitting.group_by(keys, maintain_order=True)
            .agg(
                pl.col("on").first(),
                roles=pl.col("role").filter(pl.col("sitting")).unique(),
                unions=pl.col("union")
                .filter(pl.col("sitting") & (pl.col("role") == pl.lit(union_role)))
                .unique(),
                accredited=pl.col("accredited_unions").first(),
            )
            .with_columns(
                missing_roles=pl.concat_list(wanted).list.set_difference(pl.col("roles"))
                if wanted
                else pl.lit([], dtype=pl.List(pl.String)),
                missing_unions=pl.col("accredited").list.set_difference(pl.col("unions"))
                if union_role
                else pl.lit([], dtype=pl.List(pl.String)),
            )
            .with_columns(
                missing=pl.concat_list(
                    role_labels(pl.col("missing_roles")),
                    pl.col("missing_unions").list.eval(
                        pl.format("{} of {}", pl.lit(role_label(union_role or "")), pl.element())
                    ),
                )
                .list.sort()
                .list.join(", ")
            )
            .filter(pl.col("missing") != "")
            .join(context.tables.school_names, on=keys, how="left")
            .with_columns(
                actual=role_labels(pl.col("roles").list.sort()).list.join(", "),
                limit=pl.lit(None),
                on=pl.col("on").cast(pl.String),
            )
            .sort(keys)
        )
        return emit(
            rule,
            rows,
            subject=school_subject,
            default_message="the School Negotiating Committee on {on} has no {missing}",
            parameters=[],
            data_columns=["on", "missing"],
        )
