"""The planner: propose a calendar that meets the school's wishes and the pack's rules.

``plan(year, pack, spec)`` solves with CP-SAT (``model``), reading each plannable rule
through the constraint registry (``constraints.REGISTRY``, keyed by template name),
runs the ordinary check on the calendar it proposes, and, where no calendar exists,
explains why with a minimal set of wishes and rules (``explain``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from fairload.core.packs import Pack
from fairload.core.planner.constraints import REGISTRY
from fairload.core.planner.model import Anchor, Planner, PlanResult, anchors_from, changes
from fairload.core.planner.wishes import PlanSpec, Wish, parse_plan
from fairload.core.school_year import SchoolYear


def plan(
    year: SchoolYear,
    pack: Pack,
    spec: PlanSpec,
    *,
    at: date | None = None,
    anchors: Sequence[Anchor] = (),
    seconds: float = 10.0,
    workers: int = 2,
    seed: int = 2026,
) -> PlanResult:
    """A proposed calendar for the year (or why none exists)."""
    planner = Planner(year, pack, spec, at, anchors)
    return planner.solve(seconds=seconds, workers=workers, seed=seed)


__all__ = [
    "REGISTRY",
    "Anchor",
    "PlanResult",
    "PlanSpec",
    "Planner",
    "Wish",
    "anchors_from",
    "changes",
    "parse_plan",
    "plan",
]
