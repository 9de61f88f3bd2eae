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

from fairload.core.calendar import school_period
from fairload.core.errors import InputError, InputErrors
from fairload.web.agreements import policies
from fairload.web.agreements.selectors import agreement_of
from fairload.web.agreements.services import AgreementRefused
from fairload.web.htmx import is_htmx
from fairload.web.planner.forms import EXAMPLE, WHAT_IF_FORMS, WishesForm
from fairload.web.planner.models import PlanRun
from fairload.web.planner.services import (
    PlanRefused,
    plan_document,
    plan_run_again,
    plan_run_apply,
    plan_run_start,
    plan_runs_expire,
    plan_text_initial,
    plan_whatif_start,
    whatif_starting_events,
)
from fairload.web.schools.lookups import school_for
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_current

GET_POST = ["GET", "HEAD", "POST"]
#: the two ways to plan from the wishes box (a what-if has its own page)
MODES = [(m.value, m.label) for m in (PlanRun.Mode.PROPOSE, PlanRun.Mode.FIX)]


def _drafting(request: HttpRequest, slug: str) -> tuple[School, SchoolYear]:
    school = school_for(request, slug, policies.may_draft)
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    # A run whose worker died would say "solving" for ever: read as failed, so the person
    # sees why and may start again.
    plan_runs_expire(school, timezone.now())
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
        request.POST or None, year=year, initial={"plan": plan_text_initial(year) or EXAMPLE}
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
            "modes": MODES,
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

    before = run.result.get("before", [])
    still = {key(b) for b in left}
    was = {key(b) for b in before}
    return {
        "report": report,
        "changes": report.get("changes", {}),
        "before": before,
        "cleared": [b for b in before if key(b) not in still],
        "left": left,
        "new": [b for b in left if key(b) not in was],
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


@login_required
@require_http_methods(GET_POST)
def plan_run_again_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Ask again what a failed run asked (a GET goes back to the run)."""
    school, _ = _drafting(request, slug)
    run = _run(school, pk)
    if request.method == "POST":
        try:
            again = plan_run_again(actor=request.user, run=run)
        except PlanRefused as refused:
            messages.error(request, str(refused))
        else:
            return redirect(reverse("planner-run", args=[school.slug, again.pk]))
    return redirect(reverse("planner-run", args=[school.slug, run.pk]))


def _base(request: HttpRequest, school: School) -> PlanRun | None:
    """The run a what-if starts from (``from`` in the query, ``base`` in the form)."""
    raw = request.POST.get("base") if request.method == "POST" else request.GET.get("from")
    if not raw:
        return None
    if not raw.isdigit():
        raise Http404("No such run")
    return _run(school, int(raw))


@login_required
@require_http_methods(GET_POST)
def plan_whatif_view(request: HttpRequest, slug: str) -> HttpResponse:
    """What if…: one change to the wishes or the staff (how many of a wish, one more like
    a wish, a teacher's FTE), re-planned from the current calendar by the task worker."""
    school, year = _drafting(request, slug)
    base = _base(request, school)
    plan_text = base.plan_text if base is not None else plan_text_initial(year)
    context: dict[str, Any] = {"school": school, "year": year, "base": base, "forms": []}
    try:
        if not plan_text:
            raise PlanRefused("The school has no wishes yet: give them on the planner's page.")
        _, core, spec = plan_document(year, plan_text, whatif_starting_events(year, base))
    except (InputError, InputErrors):
        context["refused"] = (
            "The school's wishes are not in the plan format: mend them on the planner's page."
        )
        return render(request, "planner/whatif.html", context)
    except PlanRefused as refused:
        context["refused"] = str(refused)
        return render(request, "planner/whatif.html", context)
    wishes = [(w.id, w.describe()) for w in spec.wishes]
    staff = [(s.id, f"{s.name} (FTE {s.fte:g})") for s in sorted(core.staff, key=lambda s: s.name)]
    kind = request.POST.get("kind") if request.method == "POST" else None
    forms = []
    for name, form_class in WHAT_IF_FORMS.items():
        data = request.POST if name == kind else None
        choices: dict[str, Any] = {
            "fte": {"staff": staff},
            "weeks": {
                "working_days": len(school_period(core.calendar, core.school.nation).working_days)
            },
        }.get(name, {"wishes": wishes})
        forms.append(form_class(data, **choices))
    posted = next((f for f in forms if f.is_bound), None)
    if posted is not None and posted.is_valid():
        try:
            run = plan_whatif_start(
                actor=request.user,
                year=year,
                plan_text=plan_text,
                changes=posted.changes({w.id for w in spec.wishes}),
                base=base,
                asked=posted.words(
                    {w.id: w.title for w in spec.wishes} | {s.id: s.name for s in core.staff}
                ),
            )
        except PlanRefused as refused:
            posted.add_error(None, str(refused))
        else:
            return redirect(reverse("planner-run", args=[school.slug, run.pk]))
    context |= {"forms": forms, "posted": posted, "wishes": spec.wishes}
    return render(request, "planner/whatif.html", context)
