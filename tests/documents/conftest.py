"""Fixtures for the documents tests: a folder for the rendered first pages."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(scope="session")
def png_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first pages go (FAIRLOAD_PDF_PNG_DIR, if set, wins: to look at them)."""
    return tmp_path_factory.mktemp("pdf-pages")
