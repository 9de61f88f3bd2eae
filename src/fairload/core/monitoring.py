"""Monitoring during the session (JNCT2.7 16.6), and the workload question it answers.

16.6: the School Negotiating Committee "should also be consulted where appropriate on all
relevant changes to practice and policies which might impact on workload", and meets in
the session to monitor the agreement and consider issues raised by staff. A change to
practice or policy is recorded as consulted or not. Where a pack names a workload
question the record answers (its ``practice_change_question`` parameter: the NUT's
instruction 18 question for English schools, "working practices or new initiatives that
have not been workload impact-assessed and agreed"), a change recorded as not consulted
answers that question yes, so the pack's rule reads the live record.

Pure: no database, no clock; the question's id is pack data.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from fairload.core.errors import PackError
from fairload.core.packs import Pack

#: The parameter naming the workload question a change not consulted answers yes.
PRACTICE_CHANGE_QUESTION = "practice_change_question"


@dataclass(frozen=True, slots=True)
class PracticeChange:
    """A change to practice or policy that may affect workload, and whether the committee
    was consulted on it (for the NUT: workload impact-assessed and agreed)."""

    title: str
    on: date
    consulted: bool

    def __post_init__(self) -> None:
        if not self.title.strip():
            raise ValueError("a change to practice or policy needs a title")


def practice_change_question(pack: Pack, at: date) -> str | None:
    """The id of the workload question the record of changes answers in ``pack`` on
    ``at``; None where the pack names none (South Ayrshire's: 16.6 asks for the
    consultation, no rule reads it). A question the pack does not declare is a
    PackError."""
    if PRACTICE_CHANGE_QUESTION not in pack.parameters:
        return None
    question = str(pack.parameters.value(PRACTICE_CHANGE_QUESTION, at))
    known = {q.id for q in pack.questions}
    if question not in known:
        raise PackError(
            f"{PRACTICE_CHANGE_QUESTION} names '{question}', which is not one of the pack's "
            f"questions ({', '.join(sorted(known)) or 'none'})"
        )
    return question


def not_consulted(changes: Iterable[PracticeChange]) -> tuple[PracticeChange, ...]:
    """The changes the committee was not consulted on, oldest first."""
    return tuple(sorted((c for c in changes if not c.consulted), key=lambda c: (c.on, c.title)))


def policy_with_practice_changes(
    policy: Mapping[str, Any], changes: Iterable[PracticeChange], question: str | None
) -> dict[str, Any]:
    """The year's policy answers with the record's: ``question`` answered yes when any
    change was not consulted on. Otherwise the answer stays as given: it is about the
    school's existing policies and practices too, which a record of changes does not
    cover, so an all-consulted record never turns a yes into a no."""
    answers = dict(policy)
    if question is not None and not_consulted(changes):
        answers[question] = True
    return answers
