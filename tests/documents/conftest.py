"""Fixtures for the documents tests: the text of each module's ``pdf``, and a folder for
the rendered first pages."""

from __future__ import annotations

from pathlib import Path

import pytest

from .pdfs import text_of


@pytest.fixture(scope="session")
def png_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Where the first pages go (FAIRLOAD_PDF_PNG_DIR, if set, wins: to look at them)."""
    return tmp_path_factory.mktemp("pdf-pages")


@pytest.fixture(scope="module")
def text(pdf: bytes) -> str:
    """The text of the test module's ``pdf`` fixture, made once per module."""
    return text_of(pdf)
