"""The audit log page: who changed what in a school, and when."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairload.web.accounts.policies import can_view_audit
from fairload.web.audit.selectors import audit_entries_for
from fairload.web.schools.lookups import school_for


@login_required
def school_audit(request: HttpRequest, slug: str) -> HttpResponse:
    school = school_for(request, slug, can_view_audit)
    page = Paginator(audit_entries_for(school=school), 50).get_page(request.GET.get("page"))
    return render(request, "audit/log.html", {"school": school, "page": page})
