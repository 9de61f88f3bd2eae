"""A PDF document as a download, signed as a PDF when it is final and the operator has
configured a signing certificate (settings.FAIRLOAD_PDF_SIGNING_CERTIFICATE).

Every document view ends here, so each signs the same way: once, as the last thing done
to the PDF (fairload.documents.signing). The PDF made from a document's data is kept in
this process (memo.py) under that data itself, so a second download of an unchanged
document is the same file, signed once, without laying it out again; any change to what
the document shows is a new key. The signing modules are imported only when a PDF is
made: WeasyPrint and pyHanko are slow to import, and no other page needs them.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Hashable

from django.conf import settings
from django.http import HttpResponse

from fairload.documents.signing import SigningCertificate
from fairload.web.schools.memo import Memo

_PDFS: Memo[bytes] = Memo()


def signing_certificate() -> SigningCertificate | None:
    """The operator's certificate, or None when none is configured."""
    path = settings.FAIRLOAD_PDF_SIGNING_CERTIFICATE
    if not path:
        return None
    return SigningCertificate.from_file(
        path,
        settings.FAIRLOAD_PDF_SIGNING_PASSWORD or None,
        settings.FAIRLOAD_PDF_SIGNING_LOCATION or None,
    )


def _signing_key() -> tuple[str, float]:
    """Which certificate signs, so a replaced one (a new file, or the same path renewed)
    signs the next download."""
    path = settings.FAIRLOAD_PDF_SIGNING_CERTIFICATE
    return (path, os.stat(path).st_mtime) if path else ("", 0.0)


def pdf_response(
    document: Hashable,
    make: Callable[[], bytes],
    *,
    filename: str,
    final: bool,
    reason: str,
) -> HttpResponse:
    """The PDF ``make`` lays out from ``document`` (its data, a frozen dataclass), as an
    attachment named ``filename``; signed (PAdES, with ``reason``) if it is ``final`` and
    a certificate is configured. A draft is never signed: a PDF signature says the
    document will not change."""

    def made() -> bytes:
        pdf = make()
        certificate = signing_certificate() if final else None
        if certificate is not None:
            from fairload.documents.signing import pdf_signed

            pdf = pdf_signed(pdf, certificate, reason=reason)
        return pdf

    pdf = _PDFS.get_or_make((document, final, reason, _signing_key()), made)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
