"""Every pack's YAML scenarios, one pytest test each, named by pack and case.

The cases are read when the tests are collected and each is run by its own test, so
under pytest-xdist each worker runs only its share of them.
"""

from __future__ import annotations

import pytest

from fairload.core.pack_tests import PendingCase, pack_cases
from fairload.core.packs import discover, load_pack


def _cases() -> list[tuple[str, PendingCase]]:
    return [
        (pack_id, case) for pack_id in sorted(discover()) for case in pack_cases(load_pack(pack_id))
    ]


CASES = _cases()


def test_every_pack_has_test_cases() -> None:
    packs_with_cases = {pack_id for pack_id, _ in CASES}
    assert packs_with_cases == set(discover())


@pytest.mark.parametrize("case", [c for _, c in CASES], ids=[f"{p}::{c.name}" for p, c in CASES])
def test_pack_case(case: PendingCase) -> None:
    result = case.run()
    assert result.passed, f"{result.file}:{result.line}: {result.detail}"
