"""The South Ayrshire fixture school, as a file and as a SchoolYear."""

from __future__ import annotations

from pathlib import Path

import pytest

from fairload.core.school_year import SchoolYear
from fairload.io.school_file import load_school_year

FIXTURE = (
    Path(__file__).parents[2]
    / "src/fairload/packs/scotland/south-ayrshire-jnct-2.7/tests/school.yaml"
)


@pytest.fixture(scope="session")
def fixture_path() -> Path:
    return FIXTURE


@pytest.fixture(scope="session")
def fixture_year() -> SchoolYear:
    return load_school_year(FIXTURE)
