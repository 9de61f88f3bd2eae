"""Pages: parse the request, ask the policies, call one selector, render."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from fairload.core.check import teacher_budget_rows
from fairload.core.findings import Finding, Severity
from fairload.web.accounts.policies import (
    can_create_schools,
    can_view_council,
    can_view_teacher,
    councils_visible,
    is_site_admin,
    posts_of,
    schools_visible,
)
from fairload.web.schools.lookups import post_for, school_year_for
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import Council
from fairload.web.schools.selectors import (
    STAGES,
    council_statuses,
    school_year_budget,
    school_year_check,
    year_key,
)

SEVERITY_HEADINGS = {
    Severity.BREACH: "Breaches",
    Severity.WARNING: "Warnings",
    Severity.NEEDS_AGREEMENT: "Needing agreement",
    Severity.INFO: "Notes",
}


def _grouped(findings: list[Finding] | tuple[Finding, ...]) -> list[dict[str, Any]]:
    groups: dict[Severity, list[Finding]] = defaultdict(list)
    for finding in findings:
        groups[finding.severity].append(finding)
    return [
        {"severity": severity.value, "heading": heading, "findings": groups[severity]}
        for severity, heading in SEVERITY_HEADINGS.items()
        if groups[severity]
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    schools = list(schools_visible(request.user))
    posts = list(posts_of(request.user))
    councils = list(councils_visible(request.user))
    if len(councils) == 1 and not posts and not is_site_admin(request.user):
        return redirect("council-overview", slug=councils[0].slug)
    if len(schools) == 1 and not posts:
        return redirect("school-dashboard", slug=schools[0].slug)
    if not schools and len(posts) == 1:
        post = posts[0]
        return redirect("teacher-page", slug=post.school_year.school.slug, staff_id=post.staff_id)
    return render(
        request,
        "schools/home.html",
        {
            "schools": schools,
            "posts": posts,
            "councils": councils,
            "can_create_schools": can_create_schools(request.user),
        },
    )


_DASHBOARDS: Memo[str] = Memo()


@login_required
def school_dashboard(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug)

    def body() -> str:
        result = school_year_check(year=year)
        return render_to_string(
            "schools/_dashboard_body.html",
            {
                "school": school,
                "year": year,
                "result": result,
                "counts": {k.replace("-", "_"): v for k, v in result.counts().items()},
                "groups": _grouped(result.findings),
                "budget": school_year_budget(year=year),
            },
        )

    return render(
        request,
        "schools/dashboard.html",
        {
            "school": school,
            "year": year,
            "body": mark_safe(_DASHBOARDS.get_or_make(year_key(year), body)),
        },
    )


@login_required
def teacher_page(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    post = post_for(request.user, slug, staff_id, can_view_teacher)
    year = post.school_year
    school = year.school
    result = school_year_check(year=year)
    mine = [f for f in result.findings if f.subject.id.split("/")[0] == staff_id]
    events = post.events.order_by("date", "start")
    return render(
        request,
        "schools/teacher.html",
        {
            "school": school,
            "year": year,
            "post": post,
            "lines": teacher_budget_rows(result, school.slug, staff_id),
            "groups": _grouped(mine),
            "events": events,
        },
    )


COUNCIL_SORTS = {
    "name": lambda s: s.school.name,
    "breaches": lambda s: (-s.counts["breach"], s.school.name),
    "stage": lambda s: (STAGES.index(s.stage), s.school.name),
}


@login_required
def council_overview(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    if not can_view_council(request.user, council.pk):
        raise Http404("No such council")
    statuses = council_statuses(council=council, today=timezone.localdate())
    stage = request.GET.get("stage", "")
    if stage in STAGES:
        statuses = [s for s in statuses if s.stage == stage]
    sort = request.GET.get("sort", "name")
    statuses.sort(key=COUNCIL_SORTS.get(sort, COUNCIL_SORTS["name"]))  # type: ignore[arg-type]
    return render(
        request,
        "schools/council.html",
        {
            "council": council,
            "statuses": statuses,
            "stages": STAGES,
            "stage": stage,
            "sort": sort if sort in COUNCIL_SORTS else "name",
        },
    )
