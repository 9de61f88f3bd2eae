"""A document's HTML laid out once per process: the same HTML is the same PDF, and any
change to what the document shows is a new layout."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from fairload.documents import render

from .pdfs import text_of


@pytest.fixture
def fresh_layouts() -> Iterator[None]:
    render.pdf_of.cache_clear()
    yield
    render.pdf_of.cache_clear()


def _page(words: str) -> str:
    head = '<html lang="en-GB"><head><title>Agreement</title></head>'
    return f"{head}<body><p>{words}</p></body></html>"


@pytest.mark.usefixtures("fresh_layouts")
def test_the_same_html_is_laid_out_once_and_gives_the_bytes_a_new_layout_gives() -> None:
    html = _page("57 of 81 in favour")
    first = render.pdf_of(html)
    again = render.pdf_of(html)
    assert again is first
    assert render.pdf_of.cache_info().hits == 1
    assert render.pdf_of.__wrapped__(html) == first  # laid out afresh: the same bytes


@pytest.mark.usefixtures("fresh_layouts")
def test_a_changed_document_is_laid_out_again() -> None:
    before = render.pdf_of(_page("57 of 81 in favour"))
    after = render.pdf_of(_page("58 of 81 in favour"))
    assert "57 of 81" in text_of(before)
    assert "58 of 81" in text_of(after)
    assert render.pdf_of.cache_info().misses == 2
