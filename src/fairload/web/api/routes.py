"""The endpoints: parse the request, ask the policies, call one selector, answer.

Access is the pages' own (fairload.web.accounts.policies): a school or teacher the
token's owner may not see answers 404, as the pages do, so its existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import NinjaAPI

from fairload.core.check import CheckResult, teacher_budget_rows
from fairload.core.findings import Finding, Severity, severity_counts
from fairload.web.accounts.policies import can_view_school, can_view_teacher, schools_visible
from fairload.web.api.agreement_routes import router as agreement_router
from fairload.web.api.auth import BearerToken, token_user
from fairload.web.api.dispute_routes import router as dispute_router
from fairload.web.api.planner_routes import router as planner_router
from fairload.web.api.schemas import (
    EventOut,
    FindingsOut,
    Message,
    SchoolBudgetOut,
    SchoolDetailOut,
    SchoolOut,
    StaffOut,
    TeacherBudgetOut,
)
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.schemas import BallotOut, ballot_out
from fairload.web.ballots.selectors import (
    ballot_list_for,
    ballot_may_see_any,
    ballot_may_view,
)
from fairload.web.schools.lookups import post_for
from fairload.web.schools.models import Event, School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check, school_year_current

api = NinjaAPI(
    title="fairload API",
    version="1",
    description=(
        "Schools, staff, events, budgets and findings, ballots, and each school's agreement "
        "(its stage, versions and approval ballot), and the planner's runs (start a plan of "
        "the calendar, read its result), with the same permissions as the pages. "
        "Authenticate with `Authorization: Bearer <key>`."
    ),
    auth=BearerToken(),
    urls_namespace="api",
)

NOT_FOUND = {404: Message}


def _school(request: HttpRequest, slug: str) -> School:
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    if not can_view_school(token_user(request), school):
        raise Http404("No such school")
    return school


def _year(school: School) -> SchoolYear:
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    return year


def _teacher(request: HttpRequest, slug: str, staff_id: str) -> tuple[School, StaffPost]:
    """As the teacher page: the post in the school's current year, if the user may see it."""
    post = post_for(token_user(request), slug, staff_id, can_view_teacher)
    return post.school_year.school, post


def _findings(
    result: CheckResult, findings: list[Finding], severity: Severity | None
) -> dict[str, Any]:
    if severity is not None:
        findings = [f for f in findings if f.severity is severity]
    counts = severity_counts(findings)
    return {
        "pack": {"id": result.pack.id, "version": result.pack.version},
        "at": result.at,
        "summary": counts,
        "findings": [f.as_dict() for f in findings],
    }


@api.get("/schools", response=list[SchoolOut], tags=["schools"])
def school_list(request: HttpRequest) -> QuerySet[School]:
    """The schools whose dashboard the token's owner may open."""
    return schools_visible(token_user(request)).select_related("council").order_by("name")


@api.get("/schools/{slug}", response={200: SchoolDetailOut, **NOT_FOUND}, tags=["schools"])
def school_detail(request: HttpRequest, slug: str) -> School:
    """One school and its current year (null before a year is imported)."""
    return _school(request, slug)


@api.get("/schools/{slug}/staff", response={200: list[StaffOut], **NOT_FOUND}, tags=["schools"])
def school_staff(request: HttpRequest, slug: str) -> QuerySet[StaffPost]:
    """The staff posts of the school's current year."""
    year = _year(_school(request, slug))
    return year.staff.order_by("staff_id")


@api.get("/schools/{slug}/events", response={200: list[EventOut], **NOT_FOUND}, tags=["schools"])
def school_events(request: HttpRequest, slug: str) -> QuerySet[Event]:
    """The calendar events of the school's current year, attendees as staff ids."""
    year = _year(_school(request, slug))
    return (
        year.events.select_related("observer", "observed")
        .prefetch_related("attendees")
        .order_by("date", "start", "event_id")
    )


@api.get("/schools/{slug}/budget", response={200: SchoolBudgetOut, **NOT_FOUND}, tags=["schools"])
def school_budget(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The budget per full-time teacher under the school's pack."""
    school = _school(request, slug)
    budget = school_year_check(year=_year(school)).school_budget(school.slug)
    if budget is None:
        raise Http404("This school's pack has no budget")
    return budget.as_dict()


@api.get("/schools/{slug}/findings", response={200: FindingsOut, **NOT_FOUND}, tags=["schools"])
def school_findings(
    request: HttpRequest, slug: str, severity: Severity | None = None
) -> dict[str, Any]:
    """Every finding for the school's current year, or those of one severity."""
    result = school_year_check(year=_year(_school(request, slug)))
    return _findings(result, list(result.findings), severity)


@api.get(
    "/schools/{slug}/teachers/{staff_id}/budget",
    response={200: TeacherBudgetOut, **NOT_FOUND},
    tags=["teachers"],
)
def teacher_budget(request: HttpRequest, slug: str, staff_id: str) -> dict[str, Any]:
    """One teacher's budget lines: for the teacher, and anyone who may see their school."""
    school, post = _teacher(request, slug, staff_id)
    result = school_year_check(year=post.school_year)
    return {
        "school": school.slug,
        "year": post.school_year.label,
        "staff_id": post.staff_id,
        "name": post.name,
        "lines": teacher_budget_rows(result, school.slug, staff_id),
    }


@api.get(
    "/schools/{slug}/teachers/{staff_id}/findings",
    response={200: FindingsOut, **NOT_FOUND},
    tags=["teachers"],
)
def teacher_findings(
    request: HttpRequest, slug: str, staff_id: str, severity: Severity | None = None
) -> dict[str, Any]:
    """The findings about one teacher (their own and their events and weeks)."""
    _, post = _teacher(request, slug, staff_id)
    result = school_year_check(year=post.school_year)
    mine = [f for f in result.findings if f.subject.id.split("/")[0] == staff_id]
    return _findings(result, mine, severity)


# --- ballots ------------------------------------------------------------------------------


def _ballot_school(request: HttpRequest, slug: str) -> School:
    school = get_object_or_404(School, slug=slug)
    if not ballot_may_see_any(user=token_user(request), school=school):
        raise Http404("No such school")
    return school


@api.get("/schools/{slug}/ballots", response={200: list[BallotOut], **NOT_FOUND}, tags=["ballots"])
def ballot_list_api(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """The school's ballots the token's owner may see, as the ballots page lists them."""
    school = _ballot_school(request, slug)
    return [ballot_out(b) for b in ballot_list_for(user=token_user(request), school=school)]


@api.get(
    "/schools/{slug}/ballots/{ballot_id}", response={200: BallotOut, **NOT_FOUND}, tags=["ballots"]
)
def ballot_detail_api(request: HttpRequest, slug: str, ballot_id: int) -> dict[str, Any]:
    """One ballot's state; ``result`` is null until it closes, whoever asks."""
    school = _ballot_school(request, slug)
    ballot = get_object_or_404(Ballot, pk=ballot_id, school=school)
    if not ballot_may_view(user=token_user(request), ballot=ballot):
        raise Http404("No such ballot")
    return ballot_out(ballot)


# The agreement's stage, versions and approval ballot (agreement_routes.py).
api.add_router("", agreement_router)
# A union's dispute cases (dispute_routes.py).
api.add_router("", dispute_router)
api.add_router("", planner_router)
