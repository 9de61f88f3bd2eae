"""The South Ayrshire fixture school, variants of it written to tmp_path, and a runner."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from cli_support import FIXTURE, Run, WriteSchool
from click.testing import CliRunner, Result

from fairload.cli import app


@pytest.fixture(scope="session")
def fixture_document() -> dict[str, Any]:
    return yaml.safe_load(FIXTURE.read_text(encoding="utf-8"))


@pytest.fixture
def school_document(fixture_document: dict[str, Any]) -> dict[str, Any]:
    """A fresh copy of the compliant fixture to change in one test."""
    return copy.deepcopy(fixture_document)


@pytest.fixture
def write_school(tmp_path: Path) -> WriteSchool:
    def write(document: dict[str, Any], name: str = "school.yaml") -> Path:
        path = tmp_path / name
        path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
        return path

    return write


@pytest.fixture
def run() -> Run:
    runner = CliRunner()

    def invoke(*args: object) -> Result:
        return runner.invoke(app, [str(a) for a in args])

    return invoke
