"""A PDF document as a download, signed as a PDF when it is final and the operator has
configured a signing certificate (settings.FAIRLOAD_PDF_SIGNING_CERTIFICATE).

Every document view ends here, so each signs the same way: once, as the last thing done
to the PDF (fairload.documents.signing). The signing modules are imported only when a PDF
is made: WeasyPrint and pyHanko are slow to import, and no other page needs them.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse

from fairload.documents.signing import SigningCertificate


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


def pdf_response(pdf: bytes, *, filename: str, final: bool, reason: str) -> HttpResponse:
    """The PDF as an attachment named ``filename``; signed (PAdES, with ``reason``) if it
    is ``final`` and a certificate is configured. A draft is never signed: a PDF
    signature says the document will not change."""
    certificate = signing_certificate() if final else None
    if certificate is not None:
        from fairload.documents.signing import pdf_signed

        pdf = pdf_signed(pdf, certificate, reason=reason)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
