"""The annual evaluation as PDFs (fairload.documents): the Appendix 3 form as put to the
teachers, blank to print, and, once closed, the committee's summary. Whoever may read the
evaluation's page downloads them; neither holds any teacher's answer or name."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_safe

from fairload.documents.evaluation import (
    Heading,
    evaluation_form_document,
    evaluation_form_pdf,
    evaluation_summary_document,
    evaluation_summary_pdf,
)
from fairload.web.evaluations import selectors
from fairload.web.evaluations.policies import can_view_evaluation
from fairload.web.evaluations.views import _evaluation
from fairload.web.pdf_response import pdf_response
from fairload.web.schools.lookups import school_year_for


@login_required
@require_safe
def evaluation_form_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_evaluation)
    evaluation = _evaluation(year)
    headings = [Heading(h["id"], h["label"]) for h in evaluation.headings]
    document = evaluation_form_document(
        selectors.evaluation_core_form(evaluation=evaluation),
        headings,
        school=school.name,
        session=year.label,
    )
    return pdf_response(
        document,
        lambda: evaluation_form_pdf(document),
        filename=f"{school.slug}-{year.label}-annual-evaluation.pdf",
        final=False,
        reason=document.title,
    )


@login_required
@require_safe
def evaluation_summary_pdf_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_evaluation)
    evaluation = _evaluation(year)
    summary = selectors.evaluation_summary(evaluation=evaluation)
    if summary is None:
        raise Http404("The summary is made once the evaluation closes")
    document = evaluation_summary_document(
        summary,
        selectors.evaluation_core_form(evaluation=evaluation),
        [Heading(h["id"], h["label"]) for h in evaluation.headings],
        school=school.name,
        session=year.label,
    )
    return pdf_response(
        document,
        lambda: evaluation_summary_pdf(document),
        filename=f"{school.slug}-{year.label}-annual-evaluation-summary.pdf",
        final=True,  # a closed evaluation's summary does not change
        reason=document.title,
    )
