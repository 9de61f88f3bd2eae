"""Outputs unchanged: the core gives the figures it gave before the speed-ups.

tests/core/golden/ holds what the core gave for the three demo schools and a small
synthetic country before the frames were rewritten for speed (issue 8): every finding
in full, each school's budget, and digests of every teacher's budget lines and of the
week-by-week hours. A rewrite that changes one figure, one message or one row's order
fails here. ``python -m bench.golden`` regenerates them, for a deliberate change of a
rule's meaning only (see its docstring).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bench.golden import (
    COUNTRY_FILE,
    EXAMPLES,
    SMALL_COUNTRY,
    country_outputs,
    example_outputs,
    golden_file,
)


def _golden(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def _same(now: dict[str, Any], before: dict[str, Any]) -> None:
    # Figures first, so a failure says what changed before it says the digests differ.
    assert now["counts"] == before["counts"]
    assert now["findings_by_rule"] == before["findings_by_rule"]
    if "findings" in before:
        for got, expected in zip(now["findings"], before["findings"], strict=True):
            assert got == expected
    for key in ("school_budgets", "teacher_budgets", "weekly_teachers", "weekly_schools"):
        if key in before:
            assert now[key] == before[key], key
    assert now == before


@pytest.mark.parametrize("example", sorted(p.name for p in EXAMPLES.glob("*.yaml")))
def test_demo_school_outputs_are_unchanged(example: str) -> None:
    path = EXAMPLES / example
    _same(json.loads(json.dumps(example_outputs(path))), _golden(golden_file(path)))


def test_synthetic_country_outputs_are_unchanged() -> None:
    before = _golden(COUNTRY_FILE)
    assert before["schools"] == SMALL_COUNTRY
    _same(json.loads(json.dumps(country_outputs(SMALL_COUNTRY, full=True))), before)
