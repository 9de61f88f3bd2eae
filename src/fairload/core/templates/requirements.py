"""Requirements on who does what: attributes, allowed activities, prohibited practices."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from functools import cache
from typing import Any, ClassVar

import polars as pl

from fairload.core.findings import Finding, Severity
from fairload.core.rules import Context, Rule, condition
from fairload.core.templates.base import (
    PARAMETER,
    WHERE,
    Plan,
    Planned,
    emit_later,
    event_subject,
    school_subject,
    teacher_subject,
)


class AttributeRequirement(Planned):
    name: ClassVar[str] = "attribute_requirement"
    summary: ClassVar[str] = (
        "Every selected teacher or event must meet a condition, optionally on the teacher "
        "an event names (an observation's observer must hold QTS)."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "subjects": {"enum": ["staff", "events"], "description": "what is checked"},
            "where": WHERE,
            "via": {"enum": ["observer", "observed"], "description": "the event's staff column"},
            "require": {**WHERE, "description": "what each selected row must satisfy"},
        },
        "required": ["subjects", "require"],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        staff = settings["subjects"] == "staff"

        def failing() -> pl.Expr:
            where, _ = condition(settings.get("where"), context)
            require, _ = condition(settings["require"], context)
            # (a requirement on the teacher an event names is planned at once)
            return where & ~(require if staff else require.fill_null(False))

        frame = context.tables.staff if staff else context.tables.events
        test = context.kept(rule, "failing", failing)
        return Plan.unless_none(frame, test, lambda: self._plan(rule, context))

    def _plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings
        where, used = condition(settings.get("where"), context)
        require, require_used = condition(settings["require"], context)
        used += require_used
        if settings["subjects"] == "staff":
            rows = context.tables.staff.lazy().filter(where & ~require)
            return emit_later(
                rule,
                rows.sort("school_id", "staff_id").with_columns(
                    actual=pl.lit(None), limit=pl.lit(None)
                ),
                subject=teacher_subject,
                default_message="{name} ({post}) does not meet this requirement",
                parameters=used,
                data_columns=["post", "tlr", "leadership_pay", "leadership_hours_per_week"],
            )
        events = context.tables.events.lazy().filter(where)
        via = settings.get("via")
        if via:
            staff = context.tables.staff.lazy().rename({"staff_id": via})
            events = events.join(staff, on=["school_id", via], how="left")
        rows = events.filter(~require.fill_null(False))
        rows = rows.with_columns(actual=pl.lit(None), limit=pl.lit(None))
        who = " by {name}" if via else ""
        return emit_later(
            rule,
            rows.sort("school_id", "date"),
            subject=event_subject,
            default_message=f"'{{title}}' on {{date}}{who} does not meet this requirement",
            parameters=used,
            data_columns=["event_id", "title", "date", *([via, "name", "qts"] if via else [])],
        )


class AllowedActivities(Planned):
    name: ClassVar[str] = "allowed_activities"
    summary: ClassVar[str] = (
        "Selected events (gained time) may only be one of the activities a list allows."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "where": WHERE,
            "allowed": PARAMETER,
            "allowed_only_where": {
                "type": "object",
                "additionalProperties": WHERE,
                "description": "activity id: the condition under which that activity is "
                "allowed (CPD in gained time only where the school has a policy releasing "
                "all staff for CPD)",
            },
        },
        "required": ["where", "allowed"],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ("allowed",)

    def plan(self, rule: Rule, context: Context) -> Plan:
        allowed, list_param = context.value(rule.settings["allowed"])
        allowed_ids = [item["id"] if isinstance(item, dict) else item for item in allowed]
        where, used = condition(rule.settings["where"], context)
        conditional = rule.settings.get("allowed_only_where", {})
        permitted = pl.col("activity").is_in([i for i in allowed_ids if i not in conditional])
        for activity, only_where in conditional.items():
            allowed_here, condition_used = condition(only_where, context)
            used += condition_used
            permitted = permitted | ((pl.col("activity") == activity) & allowed_here)
        texts = {i["id"]: i.get("text", i["id"]) for i in allowed if isinstance(i, dict)}
        why = pl.lit("which is not on the allowed list")
        for activity in conditional:
            why = (
                pl.when(pl.col("activity") == activity)
                .then(pl.lit(f"which is allowed only “{texts.get(activity, activity)}”"))
                .otherwise(why)
            )
        failing = context.kept(
            rule,
            "failing",
            lambda: where & (pl.col("activity").is_null() | ~permitted.fill_null(False)),
        )
        return Plan.unless_none(
            context.tables.events,
            failing,
            lambda: self._plan(rule, context, failing, why, [list_param, *used]),
        )

    def _plan(
        self, rule: Rule, context: Context, failing: pl.Expr, why: pl.Expr, used: list[Any]
    ) -> Plan:
        rows = (
            context.tables.events.lazy()
            .filter(failing)
            .with_columns(
                actual=pl.col("activity").fill_null("not stated"), limit=pl.lit(None), why=why
            )
        )
        return emit_later(
            rule,
            rows.sort("school_id", "date"),
            subject=event_subject,
            default_message="'{title}' on {date} directs the activity '{actual}', {why}",
            parameters=used,
            data_columns=["event_id", "title", "date", "activity"],
        )


class ProhibitedPractice(Planned):
    name: ClassVar[str] = "prohibited_practice"
    summary: ClassVar[str] = (
        "A practice must not happen: a policy question answered the prohibited way, or a "
        "calendar event of a prohibited kind. An unanswered question is noted for audit."
    )
    settings_schema: ClassVar[dict[str, Any]] = {
        "properties": {
            "question": {"type": "string", "description": "a workload question id (policy)"},
            "prohibited_answer": {
                "type": ["boolean", "string"],
                "description": "the answer that breaches",
            },
            "events": {**WHERE, "description": "events that are the prohibited practice"},
        },
        "anyOf": [{"required": ["question", "prohibited_answer"]}, {"required": ["events"]}],
    }
    figures: ClassVar[tuple[str, ...]] = ()
    parameter_settings: ClassVar[tuple[str, ...]] = ()

    def plan(self, rule: Rule, context: Context) -> Plan:
        settings = rule.settings

        def build() -> Plan:
            return self._plan(rule, context)

        if "question" not in settings and "events" in settings:  # the directed events only
            where, _ = condition(settings["events"], context)
            return Plan.unless_none(context.tables.events, where, build)
        if "events" not in settings and context.tables.school_names.height == 1:
            # One school: it answers the prohibited way, or gives no answer.
            test = context.kept(rule, "answered", lambda: self._answer_test(rule))
            return Plan.unless(context.tables.policy, test, build)
        return build()

    def _answer_test(self, rule: Rule) -> pl.Expr:
        question = pl.col("question") == rule.settings["question"]
        answer = pl.col("answer")
        prohibited = str(rule.settings["prohibited_answer"]).lower()
        broken: pl.Expr = (question & (answer == prohibited)).any()
        answered: pl.Expr = (question & answer.is_not_null()).any()
        return broken | ~answered

    def _plan(self, rule: Rule, context: Context) -> Plan:
        found = Plan()
        settings = rule.settings
        if "question" in settings:
            found += self._policy(rule, context)
        if "events" in settings:
            where, used = condition(settings["events"], context)
            rows = (
                context.tables.events.lazy()
                .filter(where)
                .with_columns(actual=pl.col("category"), limit=pl.lit(None))
            )
            found += emit_later(
                rule,
                rows.sort("school_id", "date"),
                subject=event_subject,
                default_message="the calendar directs '{title}' on {date}",
                parameters=used,
                data_columns=["event_id", "title", "date", "category"],
            )
        return found

    def _policy(self, rule: Rule, context: Context) -> Plan:
        question = rule.settings["question"]
        prohibited = str(rule.settings["prohibited_answer"]).lower()
        answers = context.tables.policy.lazy().filter(pl.col("question") == question)
        schools = context.tables.school_names.lazy()
        text = context.questions.get(question)
        rows = schools.join(
            answers, on="school_id", how="left", maintain_order="left"
        ).with_columns(
            actual=pl.col("answer"),
            limit=pl.lit(None),
            question=pl.lit(question),
            question_text=pl.lit(text or question),
            answer_word=_answer_word(),
        )
        # A pack that declares the question quotes it; otherwise the finding names its id.
        answered = (
            "the school answers '{answer_word}' to the workload question “{question_text}”"
            if text
            else "the school's answer to '{question}' is '{actual}'"
        )
        unanswered_message = (
            "the workload question “{question_text}” has not been answered"
            if text
            else "the workload question '{question}' has not been answered"
        )

        def split(frames: Sequence[pl.DataFrame]) -> list[Finding] | Plan:
            # Most schools answer as they may: then nothing more is built.
            if frames[0].is_empty():
                return []
            found = frames[0].lazy()
            broken = emit_later(
                rule,
                found.filter(pl.col("answer") == prohibited),
                subject=school_subject,
                default_message=answered,
                parameters=[],
                data_columns=["question", "answer"],
            )
            unanswered = emit_later(
                rule,
                found.filter(pl.col("answer").is_null()),
                subject=school_subject,
                default_message=unanswered_message,
                parameters=[],
                data_columns=["question"],
            )
            return broken + unanswered.then(
                lambda found: [replace(f, severity=Severity.INFO, refuse=None) for f in found]
            )

        # The schools answering the prohibited way or not at all, in one frame.
        either = (pl.col("answer") == prohibited) | pl.col("answer").is_null()
        return Plan((rows.filter(either),), split)


@cache
def _answer_word() -> pl.Expr:
    # Built once: a replace by a mapping builds two Series each time it is written.
    return pl.col("answer").replace({"true": "yes", "false": "no"})
