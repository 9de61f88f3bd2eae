"""The council sets the day its schools' agreements of a session are due (JNCT2.7 16.5),
in place of the pack's default. Only the council's own officers set it; anyone else,
another council's officers included, gets 404."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairload.web.agreements.policies import may_decide
from fairload.web.schools.agreement_deadline import council_deadline_set, council_sessions
from fairload.web.schools.deadline_form import DeadlineForm
from fairload.web.schools.models import Council


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def council_deadline_view(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    if not may_decide(request.user, council):
        raise Http404("No such council")
    sessions = council_sessions(council)
    current = dict(council.agreement_deadlines.values_list("label", "due"))
    form = DeadlineForm(
        request.POST or None,
        sessions=sessions,
        action=reverse("council-deadline", args=[slug]),
        initial={"label": sessions[0] if sessions else None},
    )
    if request.method == "POST" and form.is_valid():
        label, due = form.cleaned_data["label"], form.cleaned_data["due"]
        council_deadline_set(
            actor=request.user, council=council, label=label, due=due, now=timezone.now()
        )
        messages.success(request, f"Agreements for {label} are now due before {due:%-d %B %Y}.")
        return redirect(reverse("council-overview", args=[slug]))
    return render(
        request,
        "schools/council_deadline.html",
        {"council": council, "form": form, "current": sorted(current.items(), reverse=True)},
    )
