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

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import polars as pl

from fairload.core.budgets import returned_hours, teacher_budgets
from fairload.core.errors import PackError
from fairload.core.process import content_hash
from fairload.core.tables import Tables

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
        hours (with :func:`fairload.core.process.content_hash`, a later change voids both
        signatures)."""
        return {
            "staff_id": self.staff_id,
            "line": self.line,
            "basic": self.basic,
            "additional": self.additional,
            "gained_from": self.gained_from,
            "activities": {r.id: r.hours for r in self.rows if r.hours},
            "unknown": dict(self.unknown),
            "line_manager": self.line_manager.staff_id if self.line_manager else None,
        }

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
) -> ProformaState:
    """The teacher's pro-forma on ``at``: the school-year's recorded pro-forma, or the
    hours of ``activities`` (as the teacher types, activity id -> hours). A teacher not in
    the school's budget is a KeyError."""
    if pack.budget is None:
        raise PackError(f"pack '{pack.id}' has no budget")
    line = _setting(pack, "total", "line")
    listed: list[Mapping[str, Any]] = pack.parameters.value(
        _setting(pack, "activities", "activities"), at
    )
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
