"""The planner's endpoints: start a plan of a school's calendar, and read a run's status
and result, with the planner pages' permissions (whoever may draft the school's
agreement, web/agreements/policies.py). Anyone else: 404, so a school's existence is not
revealed. The run is solved by the task worker, as on the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.utils import timezone
from ninja import Router, Schema, Status

from fairload.web.agreements import policies
from fairload.web.api.auth import token_user
from fairload.web.api.schemas import Message
from fairload.web.planner.models import PlanRun
from fairload.web.planner.services import PlanRefused, plan_run_start, plan_runs_expire
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_current

router = Router(tags=["planner"])

_AT = "/schools/{slug}/plans"


class PlanIn(Schema):
    #: "propose" (place the wishes' events afresh) or "fix" (move as few as the rules allow)
    mode: str = PlanRun.Mode.PROPOSE
    #: the school-year format's ``plan`` section, as YAML
    plan: str


class PlanRunOut(Schema):
    id: int
    school: str
    year: str
    mode: str
    status: str
    requested_at: datetime
    started_at: datetime | None
    finished_at: datetime | None
    error: str
    #: the planner's report (status, seconds, objective, events, changes, check,
    #: explanation) once done; null before
    result: dict[str, Any] | None
    applied_version: int | None


def _drafting(request: HttpRequest, slug: str) -> tuple[School, SchoolYear]:
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    year = school_year_current(school=school)
    if year is None or not policies.may_draft(token_user(request), school):
        raise Http404("No such school")
    plan_runs_expire(school, timezone.now())  # a run whose worker died reads as failed
    return school, year


def _out(run: PlanRun) -> dict[str, Any]:
    return {
        "id": run.pk,
        "school": run.school.slug,
        "year": run.label,
        "mode": run.mode,
        "status": run.status,
        "requested_at": run.requested_at,
        "started_at": run.started_at,
        "finished_at": run.finished_at,
        "error": run.error,
        "result": run.result["report"] if run.result else None,
        "applied_version": run.applied_version,
    }


@router.post(_AT, response={202: PlanRunOut, 400: Message, 404: Message})
def plan_start_api(request: HttpRequest, slug: str, body: PlanIn) -> Status[Any]:
    """Queue a plan of the school's live year from the wishes given; poll its URL."""
    _, year = _drafting(request, slug)
    try:
        run = plan_run_start(
            actor=token_user(request), year=year, mode=body.mode, plan_text=body.plan
        )
    except PlanRefused as refused:
        return Status(400, {"detail": str(refused)})
    return Status(202, _out(run))


@router.get(f"{_AT}/{{run_id}}", response={200: PlanRunOut, 404: Message})
def plan_run_api(request: HttpRequest, slug: str, run_id: int) -> dict[str, Any]:
    """A plan run: queued, running, done (with the planner's report) or failed."""
    school, _ = _drafting(request, slug)
    return _out(
        get_object_or_404(PlanRun.objects.select_related("school"), pk=run_id, school=school)
    )
