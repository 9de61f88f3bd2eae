"""Names the CLI tests share (a module of its own, since two test folders have a conftest)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import Result

from fairload.core import diskcache

PACK_ID = "scotland/south-ayrshire-jnct-2.7"
FIXTURE = Path(__file__).parents[2] / "src/fairload/packs" / PACK_ID / "tests" / "school.yaml"

#: Click's runner keeps stdout and stderr apart (result.stdout / result.stderr).
Run = Callable[..., Result]
WriteSchool = Callable[..., Path]


@pytest.fixture(name="cache")
def cache_fixture(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A cache folder of the test's own (imported as a fixture by the cache tests)."""
    folder = tmp_path / "cache"
    monkeypatch.setenv(diskcache.CACHE_VARIABLE, str(folder))
    return folder


@pytest.fixture(name="pack")
def pack_fixture(tmp_path: Path) -> Path:
    """A copy of the bundled pack, to edit."""
    return Path(shutil.copytree(FIXTURE.parents[1], tmp_path / "pack"))
