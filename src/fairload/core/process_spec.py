"""A pack's process as the pack describes it (``process.yaml``, ``appeal.yaml``): its
steps, gates, windows, stages and deadline.

A module of its own, apart from :mod:`fairload.core.process` (which reads these files
and holds the functions over a school's record, and re-exports every name here): a
pack read back from the disk cache (``fairload.core.diskcache``) holds its process, and
unpickling it imports only these classes, not the record's dozen more (issue 8: making a
dataclass is about a millisecond, and ``fairload check`` is a new process each time).
:class:`BallotParameters` (a ballot gate's parameter names) is here for the same reason,
and :mod:`fairload.core.ballots`, which counts ballots, re-exports it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from fairload.core.parameters import ParameterSet
    from fairload.core.reference import Reference

#: The stage of an agreement none of whose stages is reached.
NOT_STARTED = "not started"
NOT_STARTED_LABEL = "Not started"


@dataclass(frozen=True, slots=True)
class BallotParameters:
    """Which pack parameters say a ballot's figures. ``turnout_at_least`` is optional: a
    ballot with no turnout threshold names none."""

    majority_of: str
    yes_share_above: str
    window_days: str
    turnout_at_least: str | None = None

    def as_dict(self) -> dict[str, str | None]:
        return {
            "majority_of": self.majority_of,
            "yes_share_above": self.yes_share_above,
            "window_days": self.window_days,
            "turnout_at_least": self.turnout_at_least,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> BallotParameters:
        return cls(
            majority_of=str(data["majority_of"]),
            yes_share_above=str(data["yes_share_above"]),
            window_days=str(data["window_days"]),
            turnout_at_least=data.get("turnout_at_least"),
        )


@dataclass(frozen=True, slots=True)
class Window:
    """A period a step is open for (the consultation, the ballot): the record's fields it
    opens and closes on, and the parameter of days it lasts when no close is recorded."""

    id: str
    label: str
    opens: str
    closes: str | None
    days: str


@dataclass(frozen=True, slots=True)
class SignatureGate:
    """Who must sign: each of ``roles``, and every committee member of ``every_committee``."""

    roles: tuple[str, ...]
    every_committee: str | None = None


@dataclass(frozen=True, slots=True)
class Gate:
    """What must hold for a recorded step to be done. ``kind`` is ``recorded`` (nothing
    more), ``comments_answered``, ``ballot``, ``signatures`` or ``attendance`` (each of
    ``attendance``'s roles among the attendees of the meeting the step reads: an appeal)."""

    kind: str = "recorded"
    ballot: BallotParameters | None = None
    signatures: SignatureGate | None = None
    attendance: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Step:
    """One step of the process, as process.yaml gives it."""

    id: str
    label: str
    acting: str
    outcome: str
    reference: Reference
    roles: tuple[str, ...]
    reads: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    after_any: tuple[str, ...] = ()
    unless: tuple[str, ...] = ()
    gate: Gate = field(default_factory=Gate)
    todo: str | None = None
    awaiting: str | None = None
    optional: bool = False
    offered: bool = True
    during: str | None = None
    once_ended: str | None = None
    due: str | None = None
    rule: str | None = None


@dataclass(frozen=True, slots=True)
class StageSpec:
    """A stage of the process: reached when its steps and every earlier stage's are done."""

    id: str
    label: str
    steps: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Deadline:
    """When the agreement is due: ``parameter`` days before the session begins."""

    parameter: str


@dataclass(frozen=True)
class Process:
    """A pack's process: its steps in order, its stages, windows and deadline."""

    pack_id: str
    title: str
    reference: Reference
    steps: tuple[Step, ...]
    stages: tuple[StageSpec, ...]
    parameters: ParameterSet
    windows: Mapping[str, Window] = field(default_factory=dict)
    deadline: Deadline | None = None
    notes: tuple[str, ...] = ()
    source: Path | None = None

    def step(self, step_id: str) -> Step:
        for step in self.steps:
            if step.id == step_id:
                return step
        raise KeyError(step_id)

    @property
    def stage_ids(self) -> tuple[str, ...]:
        """Every stage, not started first and the furthest last."""
        return (NOT_STARTED, *(s.id for s in self.stages))

    def stage_label(self, stage_id: str) -> str:
        if stage_id == NOT_STARTED:
            return NOT_STARTED_LABEL
        for spec in self.stages:
            if spec.id == stage_id:
                return spec.label
        raise KeyError(stage_id)

    @property
    def required(self) -> tuple[Step, ...]:
        """The steps the agreement needs (those in a stage), in order."""
        wanted = {s for spec in self.stages for s in spec.steps}
        return tuple(step for step in self.steps if step.id in wanted)
