"""Pages: parse the request, ask the policies, call one selector, render."""

from __future__ import annotations

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe

from fairload.core.check import teacher_budget_rows
from fairload.core.findings import SEVERITY_ORDER, Finding, by_cause, by_severity
from fairload.web.accounts.policies import (
    can_create_schools,
    can_edit_school,
    can_view_council,
    can_view_teacher,
    councils_visible,
    is_site_admin,
    posts_of,
    schools_visible,
    unions_acted_for,
)
from fairload.web.agreements.policies import may_decide
from fairload.web.appeals.policies import joint_secretary_councils
from fairload.web.disputes.selectors import councils_officered
from fairload.web.schools.lookups import post_for, school_year_for
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import Council, School, SchoolYear
from fairload.web.schools.selectors import (
    SchoolStatus,
    council_statuses,
    school_stage,
    school_year_budget,
    school_year_check,
    union_member_counts,
    year_key,
)
from fairload.web.schools.to_core import year_agreement


def agreement_steps(request: HttpRequest, school: School, year: SchoolYear) -> list[Any]:
    """The person's next steps in the year's agreement (web/agreements)."""
    from fairload.web.agreements.selectors import agreement_of
    from fairload.web.agreements.views import person_next_steps

    return person_next_steps(request, school, year, agreement_of(year=year))


def _grouped(findings: list[Finding] | tuple[Finding, ...]) -> list[dict[str, Any]]:
    """Findings by severity, most serious first, each cause once (``by_cause``)."""
    return [
        {
            "severity": severity.value,
            "heading": severity.heading,
            "findings": by_cause(group),
            "count": len(group),
        }
        for severity, group in by_severity(findings)
    ]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    schools = list(schools_visible(request.user))
    posts = list(posts_of(request.user))
    councils = list(councils_visible(request.user))
    if len(councils) == 1 and not posts and not is_site_admin(request.user):
        return redirect("council-overview", slug=councils[0].slug)
    secretary_of = list(joint_secretary_councils(request.user))  # the JNCT (web/appeals)
    if len(secretary_of) == 1 and not schools and not posts and not councils:
        return redirect("joint-secretaries", slug=secretary_of[0].slug)
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
    can_edit = can_edit_school(request.user, school)

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
                "can_edit": can_edit,
                "stage": school_stage(year=year, today=timezone.localdate()),
                "process": (process := year_agreement(year).get("process") or {}),
                # a vote recorded by hand, else the staff ballot run here (open or closed)
                "vote": process.get("vote") or process.get("ballot"),
                "budget": school_year_budget(year=year),
            },
        )

    return render(
        request,
        "schools/dashboard.html",
        {
            "school": school,
            "year": year,
            "actions": agreement_steps(request, school, year),
            "body": mark_safe(_DASHBOARDS.get_or_make((*year_key(year), can_edit), body)),
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
            "can_edit": can_edit_school(request.user, school),
            "own": post.person_id is not None and post.person_id == request.user.pk,
            "actions": agreement_steps(request, school, year),
            "events": events,
        },
    )


COUNCIL_SORTS = {
    "name": lambda s: s.school.name,
    "breaches": lambda s: (-s.counts["breach"], s.school.name),
    "stage": lambda s: (s.stage.rank, s.school.name),
}


def _council_csv(
    council: Council, statuses: list[SchoolStatus], members: dict[int, str] | None
) -> HttpResponse:
    """The overview as it is filtered, one row a school, for a spreadsheet."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{council.slug}-overview.csv"'
    out = csv.writer(response)
    heading = ["school", "year", "pack", "stage", "due", "overdue", "why"]
    heading += [s.value for s in SEVERITY_ORDER]
    out.writerow([*heading, *(["union members"] if members is not None else [])])
    for status in statuses:
        row = [
            status.school.name,
            status.year.label,
            status.pack_title,
            status.stage.label,
            status.due.isoformat(),
            "yes" if status.overdue else "no",
            status.why,
            *(status.counts[s.value] for s in SEVERITY_ORDER),
        ]
        out.writerow([*row, *([members[status.year.pk]] if members is not None else [])])
    return response


@login_required
def council_overview(request: HttpRequest, slug: str) -> HttpResponse:
    council = get_object_or_404(Council, slug=slug)
    if not can_view_council(request.user, council.pk):
        raise Http404("No such council")
    statuses = council_statuses(council=council, today=timezone.localdate())
    stages = list(dict.fromkeys(choice for s in statuses for choice in s.stages))
    stage = request.GET.get("stage", "")
    if stage in {name for name, _ in stages}:
        statuses = [s for s in statuses if s.stage.name == stage]
    overdue = request.GET.get("overdue") == "yes"
    if overdue:
        statuses = [s for s in statuses if s.overdue]
    sort = request.GET.get("sort", "name")
    statuses.sort(key=COUNCIL_SORTS.get(sort, COUNCIL_SORTS["name"]))  # type: ignore[arg-type]
    unions = set().union(*(unions_acted_for(request.user, s.school) for s in statuses))
    members = union_member_counts(years=[s.year for s in statuses], unions=unions)
    if request.GET.get("format") == "csv":
        return _council_csv(council, statuses, members if unions else None)
    query = request.GET.copy()
    query["format"] = "csv"
    return render(
        request,
        "schools/council.html",
        {
            "council": council,
            "statuses": [(s, members.get(s.year.pk)) for s in statuses],
            "unions": sorted(unions),
            "csv_url": f"?{query.urlencode()}",
            "stages": stages,
            "stage": stage,
            "overdue": overdue,
            "sort": sort if sort in COUNCIL_SORTS else "name",
            "may_set_deadline": may_decide(request.user, council),
            # A union's local officer: their union's dispute cases here (web/workload_audit).
            "union_cases": councils_officered(request.user).filter(pk=council.pk).exists(),
        },
    )
