"""Names the CLI tests share (a module of its own, since two test folders have a conftest)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from click.testing import Result

PACK_ID = "scotland/south-ayrshire-jnct-2.7"
FIXTURE = Path(__file__).parents[2] / "src/fairload/packs" / PACK_ID / "tests" / "school.yaml"

#: Click's runner keeps stdout and stderr apart (result.stdout / result.stderr).
Run = Callable[..., Result]
WriteSchool = Callable[..., Path]
