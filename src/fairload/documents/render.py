"""From a template and a document's data to a tagged PDF/UA-1.

The templates are Jinja2 HTML in ``templates/`` (autoescaped: every name, comment and
decision is someone's typing). WeasyPrint lays them out and writes the PDF with its
structure tags, the document's language and its title, as PDF/UA-1 asks, so a screen
reader reads a signed agreement as it reads the page. WeasyPrint is imported only here,
inside :func:`pdf_of`: it takes the better part of a second to import.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from fractions import Fraction
from functools import cache, lru_cache
from typing import Any

import jinja2

from fairload.core.process import long_day
from fairload.core.units import format_number

#: The PDF/UA part WeasyPrint writes: tagged, with a title and a language.
PDF_VARIANT = "pdf/ua-1"
#: A document's language (the sources are British English).
LANGUAGE = "en-GB"


def _hours(value: float | Fraction | None) -> str:
    """A figure of hours as the forms write it: '34', '2.5', or a dash for none."""
    if value is None:
        return "–"
    return format_number(float(value))


def _day(value: date | datetime | None) -> str:
    if value is None:
        return ""
    return long_day(value.date() if isinstance(value, datetime) else value)


def _grouped_hash(value: str | None) -> str:
    """A SHA-256 in groups of eight, so it wraps in a table cell and can be read aloud."""
    if not value:
        return ""
    return " ".join(value[i : i + 8] for i in range(0, len(value), 8))


@cache
def _environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("fairload.documents", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.filters |= {"hours": _hours, "day": _day, "hash": _grouped_hash}
    environment.globals["language"] = LANGUAGE
    return environment


def html_of(template: str, context: Mapping[str, Any]) -> str:
    """The document's HTML: ``template`` (a file in ``templates/``) over ``context``."""
    return _environment().get_template(template).render(**context)


#: How many documents a process keeps laid out.
LAID_OUT_KEPT = 16


@lru_cache(maxsize=LAID_OUT_KEPT)
def pdf_of(html: str) -> bytes:
    """The HTML laid out as a tagged PDF/UA-1 document (its title is the HTML's).

    Kept for the process by the HTML: the HTML is everything the PDF shows, and the same
    HTML lays out to the same bytes, so an unchanged agreement downloaded by each of its
    staff, or a pro-forma opened again, is laid out once (1-2 s each) instead of each
    time. Whatever changes on a document changes its HTML, so nothing stale is kept."""
    from weasyprint import HTML  # slow to import: only when a PDF is asked for

    pdf = HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
    assert pdf is not None  # write_pdf returns the bytes when given no target
    return bytes(pdf)
