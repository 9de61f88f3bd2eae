"""The monitoring record -> the year's document: a change to practice or policy recorded as
not consulted on answers the pack's practice-change question yes (the NUT's instruction
18 question for English schools), so the check reads the live record. The decision is
the core's (fairload.core.monitoring); this only reads the rows."""

from __future__ import annotations

from typing import Any

from fairload.core.errors import PackError
from fairload.core.monitoring import (
    PracticeChange as CoreChange,
)
from fairload.core.monitoring import (
    policy_with_practice_changes,
    practice_change_question,
)
from fairload.core.packs import load_bundled
from fairload.web.monitoring.models import PracticeChange
from fairload.web.schools.models import SchoolYear


def core_changes(year: SchoolYear) -> list[CoreChange]:
    rows = PracticeChange.objects.filter(school=year.school, label=year.label)
    return [
        CoreChange(title, on, consulted)
        for title, on, consulted in rows.values_list("title", "introduced_on", "consulted")
    ]


def record_policy(year: SchoolYear, document: dict[str, Any]) -> None:
    """Answer the pack's practice-change question in ``document["policy"]`` from the
    year's record; a pack that names no question leaves the document as it is."""
    try:
        pack = load_bundled(year.school.pack)
    except PackError:
        return  # a pack no longer installed: the check says so; the export still works
    question = practice_change_question(pack, year.start)
    if question is None:
        return
    policy = policy_with_practice_changes(document.get("policy", {}), core_changes(year), question)
    if policy:
        document["policy"] = policy
