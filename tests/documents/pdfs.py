"""Reading back the PDFs the documents tests make: their text, their first page as a
PNG, and the marks of a tagged PDF/UA-1 document."""

from __future__ import annotations

import os
import re
from io import BytesIO
from pathlib import Path

import pypdfium2 as pdfium
from pyhanko.pdf_utils.reader import PdfFileReader

#: Where the first pages are written to be looked at (FAIRLOAD_PDF_PNG_DIR), else pytest's
#: temporary folder.
PNG_DIR = "FAIRLOAD_PDF_PNG_DIR"


def text_of(pdf: bytes) -> str:
    """Every page's text, with runs of white space (line breaks in cells) as one space."""
    document = pdfium.PdfDocument(pdf)
    pages = [document[i].get_textpage().get_text_range() for i in range(len(document))]
    return re.sub(r"\s+", " ", " ".join(pages))


def page_count(pdf: bytes) -> int:
    return len(pdfium.PdfDocument(pdf))


def first_page_png(pdf: bytes, name: str, folder: Path) -> Path:
    """The first page rendered to PNG (no poppler: PDFium), in FAIRLOAD_PDF_PNG_DIR if
    set, else ``folder``; returns its path."""
    out = Path(os.environ.get(PNG_DIR) or folder) / f"{name}.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    page = pdfium.PdfDocument(pdf)[0]
    page.render(scale=1.5).to_pil().save(out)
    return out


def assert_tagged_pdf_ua(pdf: bytes, title: str) -> None:
    """The marks PDF/UA-1 asks for: tagged (MarkInfo, a structure tree), a language, the
    title shown as the window's title, and the PDF/UA identification in the metadata."""
    reader = PdfFileReader(BytesIO(pdf))
    root = reader.root
    assert root["/MarkInfo"]["/Marked"] is True or str(root["/MarkInfo"]["/Marked"]) == "True"
    assert "/StructTreeRoot" in root
    assert str(root["/Lang"]) == "en-GB"
    assert root["/ViewerPreferences"]["/DisplayDocTitle"]
    metadata = root["/Metadata"].get_object().data.decode()
    assert "pdfuaid:part" in metadata
    assert title in str(reader.trailer["/Info"]["/Title"])
