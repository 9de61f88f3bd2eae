"""The planner's pages on the agreement's draft: the wishes and the two buttons, the run
(a progress indicator while the worker solves, then the proposal's preview), and "Use this
calendar". Only whoever may draft the agreement (agreements/policies.py) opens them."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.web.agreements import policies
from fairload.web.agreements.selectors import agreement_of
from fairload.web.agreements.services import AgreementRefused
from fairload.web.htmx import is_htmx
from fairload.web.planner.forms import EXAMPLE, WishesForm
from fairload.web.planner.models import PlanRun
from fairload.web.planner.services import (
    PlanRefused,
    last_plan_text,
    plan_run_apply,
    plan_run_start,
)
from fairload.web.schools.lookups import school_for
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_current

GET_POST = ["GET", "HEAD", "POST"]


def _drafting(request: HttpRequest, slug: str) -> tuple[School, SchoolYear]:
    school = school_for(request, slug, policies.may_draft)
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    return school, year


def _run(school: School, pk: int) -> PlanRun:
    return get_object_or_404(PlanRun, pk=pk, school=school)


@login_required
@require_http_methods(GET_POST)
def plan_start_view(request: HttpRequest, slug: str) -> HttpResponse:
    """The wishes, and "Propose a calendar" / "Fix my calendar" (which queue a run)."""
    school, year = _drafting(request, slug)
    agreement = agreement_of(year=year)
    form = WishesForm(
        request.POST or None, year=year, initial={"plan": last_plan_text(school) or EXAMPLE}
    )
    if request.method == "POST" and form.is_valid():
        try:
            run = plan_run_start(
                actor=request.user,
                year=year,
                mode=request.POST.get("mode", PlanRun.Mode.PROPOSE),
                plan_text=form.cleaned_data["plan"],
            )
        except PlanRefused as refused:
            form.add_error(None, str(refused))
        else:
            return redirect(reverse("planner-run", args=[school.slug, run.pk]))
    runs = PlanRun.objects.filter(school=school, label=year.label)[:5]
    return render(
        request,
        "planner/start.html",
        {
            "school": school,
            "year": year,
            "agreement": agreement,
            "form": form,
            "runs": runs,
            "modes": PlanRun.Mode.choices,
        },
    )


def _preview(run: PlanRun) -> dict[str, Any]:
    """The run's result as the preview shows it: changes, findings cleared and left."""
    if not run.result:
        return {}
    report = run.result["report"]
    check = report.get("check", {})
    left = check.get("breaches", [])

    def key(b: dict[str, str]) -> tuple[str, str, str]:
        return (b["rule"], b["subject"], b["message"])

    still = {key(b) for b in left}
    cleared = [b for b in run.result.get("before", []) if key(b) not in still]
    return {
        "report": report,
        "changes": report.get("changes", {}),
        "cleared": cleared,
        "left": left,
        "explanation": report.get("explanation"),
    }


@login_required
@require_safe
def plan_run_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """A run: solving (the page polls its status), or its proposal, or why none exists."""
    school, year = _drafting(request, slug)
    run = _run(school, pk)
    return render(
        request,
        "planner/run.html",
        {"school": school, "year": year, "run": run, **_preview(run)},
    )


@login_required
@require_safe
def plan_run_status_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """The progress fragment htmx polls; once the run has finished, htmx reloads the page
    (which then shows the preview)."""
    school, _ = _drafting(request, slug)
    run = _run(school, pk)
    response = render(request, "planner/_status.html", {"school": school, "run": run})
    if run.finished and is_htmx(request):
        response["HX-Refresh"] = "true"
    return response


@login_required
@require_http_methods(GET_POST)
def plan_run_apply_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Use the proposal as the draft's next version (a GET goes back to the run)."""
    school, _ = _drafting(request, slug)
    run = _run(school, pk)
    if request.method == "POST":
        try:
            number = plan_run_apply(actor=request.user, run=run, now=timezone.now())
        except (PlanRefused, AgreementRefused) as refused:
            messages.error(request, str(refused))
        else:
            messages.success(request, f"The proposed calendar is version {number} of the draft.")
            return redirect(reverse("agreement-version", args=[school.slug, number]))
    return redirect(reverse("planner-run", args=[school.slug, run.pk]))
