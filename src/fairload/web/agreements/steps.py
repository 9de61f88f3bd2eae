"""The one place the agreement app asks the core's process rules (fairload.core.process).

Which step may follow which, whether a gate is met, what the stage is and whether a
signature still holds are the core's, read from the pack's process: the web stores the
record and asks here. No rule of the process is written in the web.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fairload.core.packs import load_bundled
from fairload.web.schools.models import SchoolYear


def _core() -> Any:
    from fairload.core import process

    return process


def content_hash(document: dict[str, Any]) -> str:
    """The SHA-256 of the canonical JSON of a document (the core's canonical form)."""
    return str(_core().content_hash(document))


def _record(year: SchoolYear) -> Any:
    # to_core is imported here: it reads the agreement's record through this module.
    from fairload.web.schools.to_core import to_core

    return _core().record_from_school_year(to_core(year))


def _process(year: SchoolYear) -> Any:
    return _core().load_process(load_bundled(year.school.pack))


def step_refusal(year: SchoolYear, step_id: str, on: date) -> str | None:
    """Why the step may not be taken now, in the core's words; None if it may."""
    return _core().may_do(_process(year), _record(year), step_id, on)
