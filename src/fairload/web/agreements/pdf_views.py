"""The agreement as a PDF: whoever may read the agreement downloads it (the same access as
the agreement's page, views._viewer). A final agreement (every signature the process asks
for stands on it) is signed as a PDF too, when the operator has configured a certificate."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fairload.documents.agreement import agreement_pdf
from fairload.web.agreements.pdf_selectors import agreement_document_of
from fairload.web.agreements.views import _viewer
from fairload.web.pdf_response import pdf_response


@login_required
@require_safe
def agreement_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year, agreement = _viewer(request, slug)
    document = agreement_document_of(year=year, agreement=agreement)
    return pdf_response(
        document,
        lambda: agreement_pdf(document),
        filename=f"{school.slug}-{year.label}-working-time-agreement.pdf",
        final=document.final,
        reason=f"{document.title}, as signed: {document.signing_status}",
    )
