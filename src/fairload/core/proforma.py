"""A teacher's balance-of-time pro-forma (JNCT2.7 Appendix 2, 2.5, 9.2), as its state.

Appendix 2's form: the basic balance of time from the school agreement, the additional
balance gained from the committees and working groups the agreement allocates that the
teacher is not a member of (with its working), the activity rows (the pack's, "Other
(please specify)" included) with the hours given to each, what is left to account for,
and the line manager the teacher agrees it with (PT, DHT or HT, from the post structure).

:func:`proforma_state` computes it from the school year's tables, reusing what the check
uses (:func:`fairload.core.budgets.teacher_budgets` and
:func:`~fairload.core.budgets.returned_hours`, as the ``proforma-adds-up`` rule does), so
the form and the check agree. Which budget line and which activity list it reads are the
settings of the pack's ``proforma_reconciles`` rules; the line managers are the pack's
``proforma_line_managers``. Pure: no database, no clock, no figure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from fairload.core.budgets import returned_hours, teacher_budgets
from fairload.core.errors import PackError
from fairload.core.expressions import evaluate
from fairload.core.process import Stage, content_hash
from fairload.core.tables import Tables
from fairload.core.units import hours

if TYPE_CHECKING:
    from fairload.core.packs import Pack

#: The template whose rules say which line the pro-forma accounts for and its activities.
TEMPLATE = "proforma_reconciles"
#: The parameter naming each post's line managers, in order of preference.
LINE_MANAGERS = "proforma_line_managers"
#: The activity row of time left unallocated for unforeseen needs (JNCT2.7 14).
UNALLOCATED = "unallocated"
_EPSILON = 1e-6


@dataclass(frozen=True, slots=True)
class ProformaRow:
    """An activity row: its id and the form's words, and the hours given to it."""

    id: str
    text: str
    hours: float


@dataclass(frozen=True, slots=True)
class LineManager:
    """Who the teacher agrees the pro-forma with."""

    staff_id: str
    name: str
    post: str


@dataclass(frozen=True, slots=True)
class ProformaState:
    """A teacher's pro-forma: what to account for, what is accounted for, what is left.

    ``total`` is ``basic`` plus ``additional`` (gained from ``gained_from``, in words);
    ``left`` is ``total`` less the rows' hours (negative: over-accounted);
    ``unallocated`` the hours on the row left unallocated for unforeseen needs (clause 14),
    which count as accounted for; ``unknown`` the activities the pack does not list."""

    staff_id: str
    name: str
    line: str
    basic: float
    additional: float
    gained_from: str
    rows: tuple[ProformaRow, ...]
    unknown: Mapping[str, float]
    line_manager: LineManager | None
    #: the "brief details of activity" by activity id (Appendix 2), where given
    details: Mapping[str, str] = field(default_factory=dict)

    @property
    def total(self) -> float:
        return self.basic + self.additional

    @property
    def accounted(self) -> float:
        return sum(r.hours for r in self.rows) + sum(self.unknown.values())

    @property
    def left(self) -> float:
        return round(self.total - self.accounted, 9)

    @property
    def unallocated(self) -> float:
        return sum(r.hours for r in self.rows if r.id == UNALLOCATED)

    @property
    def adds_up(self) -> bool:
        """Whether the rows account for the whole balance (the ``proforma-adds-up`` rule)."""
        return abs(self.left) <= _EPSILON

    def as_document(self) -> dict[str, Any]:
        """What the teacher and their line manager sign: the figures and the rows given
        hours, and their brief details where any is given (with
        :func:`fairload.core.process.content_hash`, a later change voids both
        signatures)."""
        document: dict[str, Any] = {
            "staff_id": self.staff_id,
            "line": self.line,
            "basic": self.basic,
            "additional": self.additional,
            "gained_from": self.gained_from,
            "activities": {r.id: r.hours for r in self.rows if r.hours},
            "unknown": dict(self.unknown),
            "line_manager": self.line_manager.staff_id if self.line_manager else None,
        }
        details = {k: v for k, v in self.details.items() if v}
        if details:
            document["details"] = details
        return document

    @property
    def content_hash(self) -> str:
        """The SHA-256 of :meth:`as_document`, as a signature records it."""
        return content_hash(self.as_document())


def _setting(pack: Pack, check: str, key: str) -> str:
    for rule in pack.rules:
        if rule.template == TEMPLATE and rule.settings.get("check") == check:
            return str(rule.settings[key])
    raise PackError(f"pack '{pack.id}' has no {TEMPLATE} rule that checks the {check}")


def proforma_state(
    pack: Pack,
    tables: Tables,
    school_id: str,
    staff_id: str,
    at: date,
    activities: Mapping[str, float] | None = None,
    details: Mapping[str, str] | None = None,
    budgets: pl.DataFrame | None = None,
) -> ProformaState:
    """The teacher's pro-forma on ``at``: the school-year's recorded pro-forma, or the
    hours of ``activities`` (as the teacher types, activity id -> hours) with their brief
    ``details``. ``budgets`` is :func:`~fairload.core.budgets.teacher_budgets` of the same
    tables and date, where the caller reads several teachers' pro-formas (it is worked
    out once). A teacher not in the school's budget is a KeyError."""
    if pack.budget is None:
        raise PackError(f"pack '{pack.id}' has no budget")
    line = _setting(pack, "total", "line")
    listed: list[Mapping[str, Any]] = pack.parameters.value(
        _setting(pack, "activities", "activities"), at
    )
    if budgets is None:
        budgets = teacher_budgets(pack.budget, tables, pack.parameters, at)
    mine = budgets.filter((pl.col("school_id") == school_id) & (pl.col("staff_id") == staff_id))
    if mine.is_empty():
        raise KeyError(f"{staff_id} is not a teacher of {school_id}")
    basic_rows = mine.filter(pl.col("line") == line)
    basic = float(basic_rows["hours"][0]) if not basic_rows.is_empty() else 0.0
    gained = returned_hours(pack.budget, mine, tables.groups).filter(pl.col("line") == line)
    additional = float(gained["returned"][0]) if not gained.is_empty() else 0.0
    working = str(gained["working"][0]) if not gained.is_empty() else ""
    if activities is None:
        recorded = tables.proformas.filter(
            (pl.col("school_id") == school_id) & (pl.col("staff_id") == staff_id)
        )
        activities = {}
        for row in recorded.iter_rows(named=True):
            if row["activity"] is not None:
                activities[row["activity"]] = activities.get(row["activity"], 0.0) + row["hours"]
    ids = [str(item["id"]) for item in listed]
    rows = tuple(
        ProformaRow(str(item["id"]), str(item["text"]), float(activities.get(str(item["id"]), 0.0)))
        for item in listed
    )
    unknown = {k: float(v) for k, v in activities.items() if k not in ids}
    return ProformaState(
        staff_id,
        str(mine["name"][0]),
        line,
        basic,
        additional,
        working,
        rows,
        unknown,
        line_manager(pack, tables, school_id, staff_id, at),
        {str(k): str(v) for k, v in (details or {}).items() if v},
    )


def line_manager(
    pack: Pack, tables: Tables, school_id: str, staff_id: str, at: date
) -> LineManager | None:
    """The teacher's line manager from the post structure (the pack's
    ``proforma_line_managers``): the first post listed for theirs that the school has (a
    manager with a department only for that department's teachers), in staff order. None
    for a post with no line manager in the school (the head teacher)."""
    year = tables.years[school_id]
    staff = list(year.staff)
    me = next((m for m in staff if m.id == staff_id), None)
    if me is None:
        raise KeyError(f"{staff_id} is not a teacher of {school_id}")
    wanted: list[str] = []
    for entry in pack.parameters.value(LINE_MANAGERS, at):
        if entry["post"] == me.post.value:
            wanted = [str(p) for p in entry["managers"]]
    for post in wanted:
        for member in staff:
            if member.id == staff_id or member.post.value != post:
                continue
            departments = (member.department, me.department)
            if None not in departments and departments[0] != departments[1]:
                continue  # a manager of a department manages its teachers only
            return LineManager(member.id, member.name, post)
    return None


# --- what is left, and what may stay unallocated (Appendix 2, 14) -------------------------


@dataclass(frozen=True, slots=True)
class Allowance:
    """The hours a pro-forma may fall short of its total, left unallocated for unforeseen
    needs (14): the ``may_leave_unallocated`` of the pack's total rule, and the parameters
    it reads (for citing); 0 and none where the pack allows no shortfall."""

    hours: float = 0.0
    parameters: tuple[str, ...] = ()


def unallocated_allowance(pack: Pack, at: date) -> Allowance:
    """What the pack lets a pro-forma leave unallocated on ``at``, as the check reads it."""
    for rule in pack.rules:
        if rule.template == TEMPLATE and rule.settings.get("check") == "total":
            expression = rule.settings.get("may_leave_unallocated")
            if expression is None:
                return Allowance()
            hours, used = evaluate(expression, pack.parameters, at)
            return Allowance(hours, tuple(p.name for p in used))
    return Allowance()


@dataclass(frozen=True, slots=True)
class Totals:
    """The pro-forma's figures as the teacher types: ``left`` to account for (negative:
    over), of which ``allowance`` may stay unallocated; ``reconciles`` exactly when the
    ``proforma-adds-up`` check would find nothing."""

    total: float
    accounted: float
    left: float
    allowance: float

    @property
    def over(self) -> bool:
        return self.left < -_EPSILON

    @property
    def short(self) -> bool:
        """Short by more than may stay unallocated."""
        return self.left > self.allowance + _EPSILON

    @property
    def reconciles(self) -> bool:
        return not self.over and not self.short

    @property
    def sentence(self) -> str:
        """What is left, in words, as the form says it beside the total."""
        left, allowance = hours(abs(self.left)), hours(self.allowance)
        if self.over:
            return f"{left} more than the balance of time: take {left} off."
        if abs(self.left) <= _EPSILON:
            return "The whole balance of time is accounted for."
        if self.short:
            may = f" ({allowance} may stay unallocated)" if self.allowance else ""
            return f"{left} left to account for{may}."
        return f"{left} left unallocated, within the {allowance} that may be."


def proforma_totals(state: ProformaState, allowance: Allowance) -> Totals:
    return Totals(state.total, state.accounted, state.left, allowance.hours)


#: The activity whose row needs its details to say what it is (Appendix 2).
OTHER = "other"


def send_refusal(state: ProformaState, allowance: Allowance) -> str | None:
    """Why the pro-forma may not go to the line manager yet; None if it may."""
    totals = proforma_totals(state, allowance)
    if state.line_manager is None:
        return "There is no line manager in the school's post structure to agree it with."
    if state.unknown:
        named = ", ".join(sorted(state.unknown))
        return f"Hours are given to activities the pro-forma does not list ({named})."
    other = next((r for r in state.rows if r.id == OTHER and r.hours), None)
    if other is not None and not state.details.get(OTHER, "").strip():
        return f"Say what the {hours(other.hours)} of '{other.text}' are for."
    if not totals.reconciles:
        return f"It does not add up yet: {totals.sentence}"
    return None


# --- the steps between teacher and line manager (9.2), and the signatures ----------------

DRAFT, SENT, RETURNED, AGREED = "draft", "sent", "returned", "agreed"
#: The signature roles, as the school-year file and the check name them.
TEACHER, LINE_MANAGER = "teacher", "line-manager"
SIGNERS = (TEACHER, LINE_MANAGER)


@dataclass(frozen=True, slots=True)
class Step:
    """A step of the pro-forma: who takes it, from which states, to which."""

    id: str
    by: str
    sources: frozenset[str]
    target: str
    #: the signature it makes, if any
    signs: str | None = None


#: save: the teacher changes it (a change to a sent or agreed pro-forma takes it back to
#: a draft, and its signatures no longer hold); send: the teacher signs and sends it;
#: return: the line manager sends it back with a comment; agree: the line manager signs.
STEPS: dict[str, Step] = {
    s.id: s
    for s in (
        Step("save", TEACHER, frozenset({DRAFT, SENT, RETURNED, AGREED}), DRAFT),
        Step("send", TEACHER, frozenset({DRAFT, RETURNED}), SENT, signs=TEACHER),
        Step("return", LINE_MANAGER, frozenset({SENT}), RETURNED),
        Step("agree", LINE_MANAGER, frozenset({SENT}), AGREED, signs=LINE_MANAGER),
    )
}


class StepRefused(ValueError):
    """A step that may not follow: the message says what may be done instead."""


def steps_allowed(state: str, role: str) -> list[str]:
    """The steps someone in ``role`` may take on a pro-forma in ``state``."""
    return [s.id for s in STEPS.values() if s.by == role and state in s.sources]


def step_after(state: str, step_id: str, role: str) -> str:
    """The state the step leads to; StepRefused if it may not follow ``state`` for
    ``role`` (saying what they may do instead)."""
    step = STEPS.get(step_id)
    if step is None:
        raise StepRefused(f"no step '{step_id}' (steps: {', '.join(STEPS)})")
    if step.by == role and state in step.sources:
        return step.target
    allowed = steps_allowed(state, role)
    instead = f"you may {' or '.join(allowed)} it" if allowed else "nothing is yours to do"
    who = "the teacher" if step.by == TEACHER else "the line manager"
    if step.by != role:
        raise StepRefused(f"Only {who} may {step_id} a pro-forma; {instead}.")
    raise StepRefused(f"A pro-forma that is {state} cannot be {_done(step_id)}; {instead}.")


def _done(step_id: str) -> str:
    return {"save": "saved", "send": "sent", "return": "returned", "agree": "agreed"}[step_id]


def standing(signed: Iterable[tuple[str, str]], current_hash: str) -> set[str]:
    """The roles whose signature (role, content hash) still stands on ``current_hash``."""
    return {role for role, digest in signed if digest == current_hash}


def state_now(stored: str, standing_roles: set[str]) -> str:
    """The pro-forma's state once a later change is counted: a sent pro-forma whose
    teacher's signature no longer holds, or an agreed one missing either, is a draft
    again (the change voided them)."""
    if stored == SENT and TEACHER not in standing_roles:
        return DRAFT
    if stored == AGREED and not set(SIGNERS) <= standing_roles:
        return DRAFT
    return stored


def why_void(
    signed: Mapping[str, Any], now: Mapping[str, Any], texts: Mapping[str, str]
) -> list[str]:
    """Why a signature made over the document ``signed`` no longer holds on ``now``, in
    words (``texts``: each activity's words on the form)."""

    def figure(value: Any) -> str:
        return hours(float(value or 0))

    said = []
    for key, what in (
        ("basic", "the basic balance of time from the school agreement"),
        ("additional", "the hours gained from committees and working groups"),
    ):
        if signed.get(key) != now.get(key):
            said.append(f"{what} changed from {figure(signed.get(key))} to {figure(now.get(key))}")
    before, after = signed.get("activities", {}), now.get("activities", {})
    order = list(texts)
    for activity in sorted(
        set(before) | set(after),
        key=lambda a: (order.index(a) if a in order else len(order), a),
    ):
        if before.get(activity) != after.get(activity):
            said.append(
                f"the hours for '{texts.get(activity, activity)}' changed from "
                f"{figure(before.get(activity))} to {figure(after.get(activity))}"
            )
    if signed.get("details", {}) != now.get("details", {}):
        said.append("the brief details of an activity changed")
    if signed.get("unknown", {}) != now.get("unknown", {}):
        said.append("the hours of activities the pro-forma does not list changed")
    if signed.get("line_manager") != now.get("line_manager"):
        said.append("the line manager changed")
    return said


def opening_refusal(stage: Stage | None) -> str | None:
    """Why no pro-forma may be made yet; None once the school's agreement is in force.
    Teachers map their commitments "once the school plan has been agreed" (2.5): every
    stage of the pack's process reached. A pack with no process has no such step, and
    the year's own agreement stands."""
    if stage is None or stage.complete:
        return None
    return (
        "Pro-formas open once the school's agreement is in force (JNCT2.7 2.5): it is at "
        f"'{stage.label}', and {stage.reason[:1].lower()}{stage.reason[1:]}."
    )
