"""Every pack's YAML scenarios, one pytest test each, named by pack and case."""

from __future__ import annotations

import pytest

from fairload.core.pack_tests import CaseResult, run_pack_tests
from fairload.core.packs import discover, load_pack


def _cases() -> list[tuple[str, CaseResult]]:
    return [
        (pack_id, result)
        for pack_id in sorted(discover())
        for result in run_pack_tests(load_pack(pack_id))
    ]


CASES = _cases()


def test_every_pack_has_test_cases() -> None:
    packs_with_cases = {pack_id for pack_id, _ in CASES}
    assert packs_with_cases == set(discover())


@pytest.mark.parametrize("result", [r for _, r in CASES], ids=[f"{p}::{r.name}" for p, r in CASES])
def test_pack_case(result: CaseResult) -> None:
    assert result.passed, f"{result.file}:{result.line}: {result.detail}"
