"""My notifications: every email fairload has queued for the person, sent or not."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from fairload.web.notices.kinds import notice_kind
from fairload.web.notices.selectors import notices_for


@login_required
@require_safe
def my_notices(request: HttpRequest) -> HttpResponse:
    rows = [(n, notice_kind(n.kind)) for n in notices_for(user=request.user)]
    return render(request, "notices/list.html", {"rows": rows})
