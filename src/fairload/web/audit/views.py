"""The audit log page: who changed what in a school, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from fairload.web.accounts.policies import can_view_audit
from fairload.web.audit.selectors import audit_entries_for
from fairload.web.schools.models import School


@login_required
def school_audit(request: HttpRequest, slug: str) -> HttpResponse:
    school = get_object_or_404(School, slug=slug)
    if not can_view_audit(request.user, school):
        raise Http404("No such school")
    page = Paginator(audit_entries_for(school=school), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"school": school, "page": page})
