"""How far a school's agreement has got: its stage, read from the pack and the check.

A pack lists its agreement's process as ``process_step`` rules (JNCT2.7 section 16:
committee, draft, consultation, majority vote, signatures, submission). A step is done
when the check found nothing against it. The stage is the last stage whose steps, and all
the steps before them, are done; the first step not done says why the school is behind.
No figure (the majority share, the roles that must sign) is written here: they are the
pack's, and the check has already applied them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from fairload.core.findings import Finding
from fairload.core.rules import Rule

#: The stages in the order an agreement passes them, and the process steps each needs.
STAGE_STEPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("drafted", ("committee", "draft-before-session")),
    ("consulted", ("consultation", "comments-considered")),
    ("approved", ("majority-vote",)),
    ("signed", ("signatures",)),
    ("submitted", ("submitted",)),
)
NOT_STARTED = "not started"
#: Every stage, the furthest last.
STAGES: tuple[str, ...] = (NOT_STARTED, *(stage for stage, _ in STAGE_STEPS))
STAGE_LABELS = {
    NOT_STARTED: "Not started",
    "drafted": "Draft prepared",
    "consulted": "Staff consulted",
    "approved": "Approved by staff",
    "signed": "Signed",
    "submitted": "Submitted",
}


@dataclass(frozen=True, slots=True)
class Stage:
    """A school's stage, and what holds it back (the first step not done)."""

    name: str
    blocking: Finding | None

    @property
    def label(self) -> str:
        return STAGE_LABELS[self.name]

    @property
    def rank(self) -> int:
        """0 for not started, up to the last stage."""
        return STAGES.index(self.name)

    @property
    def complete(self) -> bool:
        return self.name == STAGES[-1]


def process_steps(rules: Iterable[Rule]) -> dict[str, Rule]:
    """The pack's process-step rules by the step they check."""
    return {
        str(rule.settings["step"]): rule
        for rule in rules
        if rule.template == "process_step" and "step" in rule.settings
    }


def has_process(rules: Iterable[Rule]) -> bool:
    return any(step in process_steps(rules) for _, steps in STAGE_STEPS for step in steps)


def agreement_stage(rules: Iterable[Rule], findings: Iterable[Finding], school_id: str) -> Stage:
    """The school's stage under the pack's process steps, from the check's findings.

    A step the pack does not have is not required; a step with a finding about the
    school is not done, and the stage stops before it."""
    steps = process_steps(rules)
    failing = {f.rule: f for f in findings if f.school_id == school_id}
    reached = NOT_STARTED
    for stage, needs in STAGE_STEPS:
        for step in needs:
            rule = steps.get(step)
            if rule is not None and rule.id in failing:
                return Stage(reached, failing[rule.id])
        reached = stage
    return Stage(reached, None)
