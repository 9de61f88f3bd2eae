"""The agreement's document (fairload.documents.agreement) from what the agreement app
stores: the year's document with its live record (its versions, ballot and signatures,
record.py), the version shown being the current final one, else the latest draft."""

from __future__ import annotations

import copy

from fairload.documents.agreement import (
    AgreementDocument,
    TextPart,
    agreement_document_from_school_year,
)
from fairload.web.agreements.models import Agreement
from fairload.web.agreements.record import TEXT_PARTS, current_final, latest_version
from fairload.web.schools.labels import CATEGORY_LABELS
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import staff_names


def agreement_document_of(*, year: SchoolYear, agreement: Agreement | None) -> AgreementDocument:
    """The agreement as a document: its allocations, text and version number are the
    version shown; the calendar, ballot, signatures and content hash are the record's
    (the signatures that stand on that version). A year whose agreement was made outside
    fairload gives its file's record, without the text."""
    from fairload.web.schools.to_core import school_year_document

    document = copy.deepcopy(school_year_document(year))
    texts: tuple[TextPart, ...] = ()
    number = None
    version = None
    if agreement is not None:
        version = current_final(agreement) or latest_version(agreement)
    if version is not None:
        document.setdefault("agreement", {})["allocations"] = dict(version.allocations)
        texts = tuple(
            TextPart(label, clause, getattr(version, name)) for name, label, clause in TEXT_PARTS
        )
        number = version.number
    return agreement_document_from_school_year(
        document,
        source=f"{year.school.slug} {year.label}",
        texts=texts,
        version=number,
        names=staff_names(year),
        category_labels=CATEGORY_LABELS,
    )
