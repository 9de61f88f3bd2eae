"""A union's dispute cases: the list the token's owner may see, and one case, with the
case pages' own permissions (web/disputes/selectors.py): its union's members at the
school, its reps there and its local officers. Anyone else, the head included, gets an
empty list and 404 for a case, so a case's existence is not revealed."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils import timezone
from ninja import Router

from fairload.core import disputes
from fairload.web.api.auth import token_user
from fairload.web.api.schemas import Message
from fairload.web.disputes import selectors
from fairload.web.disputes.models import Case
from fairload.web.disputes.schemas import CaseOut, CaseSummaryOut

router = Router(tags=["disputes"])

NOT_FOUND = {404: Message}


def _summary(case: Case) -> dict[str, Any]:
    found = selectors.case_summary(case, timezone.localdate())
    return {
        "id": case.pk,
        "school": case.school.slug,
        "union": case.union,
        "title": case.title,
        "opened_at": case.created_at,
        "stage": {
            "stage": found.stage.stage,
            "label": found.stage.label,
            "rank": found.stage.rank,
            "status": found.stage.status,
            "reason": found.stage.reason,
            "caveats": list(found.stage.caveats),
        },
        "next_steps": [
            {"step": s.step_id, "label": s.label, "roles": list(s.roles), "due": s.due}
            for s in found.next_steps
        ],
        "overdue": [o.label for o in found.overdue],
    }


@router.get("/disputes", response={200: list[CaseSummaryOut]})
def dispute_list_api(request: HttpRequest) -> list[dict[str, Any]]:
    """Every case the token's owner may see, newest first."""
    return [_summary(c) for c in selectors.cases_visible_to(token_user(request))]


@router.get("/disputes/{case_id}", response={200: CaseOut, **NOT_FOUND})
def dispute_detail_api(request: HttpRequest, case_id: int) -> dict[str, Any]:
    """One case: its stage, next steps and timeline (the core's), and its record."""
    case = selectors.case_get(token_user(request), case_id)
    if case is None:
        raise Http404("No such case")
    ladder, core = selectors.case_ladder(case), selectors.case_core(case)
    return {
        **_summary(case),
        "pack": case.pack,
        "record": case.record,
        "timeline": [
            {
                "step": t.step_id,
                "label": t.label,
                "stage": t.stage,
                "on": t.on.isoformat() if t.on else None,
                "done": t.done,
                "outcome": t.outcome,
                "reason": t.reason,
            }
            for t in disputes.timeline(ladder, core)
        ],
    }
