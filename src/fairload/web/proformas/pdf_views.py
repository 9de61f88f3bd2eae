"""A teacher's pro-forma as a PDF, laid out as Appendix 2 with both signatures: the same
people who may open the pro-forma's page (the teacher, their line manager, the head)
download it, everyone else gets 404. Once both signatures stand on the content as it is,
it is final and, when the operator has configured a certificate, signed as a PDF."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fairload.documents.proforma import proforma_pdf
from fairload.web.pdf_response import pdf_response
from fairload.web.proformas import selectors
from fairload.web.proformas.views import _post_for


@login_required
@require_safe
def proforma_pdf_view(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    post, _roles = _post_for(request, slug, staff_id)
    year = post.school_year
    document = selectors.proforma_pdf_document(year=year, post=post)
    return pdf_response(
        document,
        lambda: proforma_pdf(document),
        filename=f"{slug}-{year.label}-{staff_id}-pro-forma.pdf",
        final=document.final,
        reason=f"Balance of time pro-forma of {document.teacher}, {document.session}, "
        "agreed by the teacher and their line manager",
    )
