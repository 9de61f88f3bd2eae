"""The agreement's endpoints: its stage (the core's), its versions, and its approval
ballot, with the agreement pages' own permissions (web/agreements/policies.py).

Whoever may read the agreement page reads these: those who may see the school, and its
teaching staff once the consultation has opened. The ballot is also the ballot page's
(its electors, and whoever its policy lets see it), and its result is null until it
closes. Anything else answers 404, so a school's existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router

from fairload.web.agreements import policies
from fairload.web.agreements.models import Agreement, AgreementVersion
from fairload.web.agreements.record import (
    TEXT_PARTS,
    current_final,
    latest_version,
    signature_states,
)
from fairload.web.agreements.schemas import AgreementOut, VersionOut, VersionSummaryOut
from fairload.web.agreements.selectors import (
    agreement_of,
    allocation_rows,
    submission_current,
    version_check,
    year_events,
)
from fairload.web.agreements.steps import timeline
from fairload.web.api.auth import token_user
from fairload.web.api.schemas import Message
from fairload.web.ballots.schemas import BallotOut, ballot_out
from fairload.web.ballots.selectors import ballot_may_view
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_stage, school_year_current

router = Router(tags=["agreements"])

NOT_FOUND = {404: Message}
_AT = "/schools/{slug}/agreement"


def _readable(request: HttpRequest, slug: str) -> tuple[SchoolYear, Agreement | None]:
    """The school's current year and its agreement, if the token's owner may read the
    agreement page; else 404."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    year = school_year_current(school=school)
    agreement = agreement_of(year=year) if year is not None else None
    if year is None or not policies.may_view_agreement(token_user(request), year, agreement):
        raise Http404("No such school")
    return year, agreement


def _started(agreement: Agreement | None) -> Agreement:
    if agreement is None:
        raise Http404("This year's agreement has not been started")
    return agreement


def _summary(version: AgreementVersion) -> dict[str, Any]:
    return {
        "number": version.number,
        "created_at": version.created_at,
        "note": version.note,
        "final": version.is_final,
        "final_at": version.final_at,
    }


def _record(year: SchoolYear, agreement: Agreement) -> dict[str, Any]:
    latest, final = latest_version(agreement), current_final(agreement)
    submission = submission_current(agreement=agreement)
    opened = agreement.consultation_opened_at
    return {
        "latest_version": latest.number if latest else None,
        "final_version": final.number if final else None,
        "consultation": None
        if opened is None
        else {
            "version": agreement.consultation_version.number
            if agreement.consultation_version
            else None,
            "opened_at": opened,
            "closes_at": agreement.consultation_closes_at,
            "closed_at": agreement.consultation_closed_at,
        },
        "ballot": final.ballot_id if final else None,
        "signatures": [
            {
                "name": s.signature.name,
                "role": s.signature.role,
                "version": s.signature.version.number,
                "signed_at": s.signature.signed_at,
                "sha256": s.signature.content_hash,
                "holds": s.holds,
                "why_void": s.why_void,
            }
            for s in signature_states(agreement=agreement, events=year_events(year=year))
        ],
        "submission": None
        if submission is None
        else {
            "version": submission.version.number,
            "submitted_at": submission.submitted_at,
            "decision": submission.decision,
            "decided_at": submission.decided_at,
            "reasons": submission.reasons,
        },
    }


@router.get(_AT, response={200: AgreementOut, **NOT_FOUND})
def agreement_detail_api(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The year's agreement: its stage and timeline from the pack's process over the
    record, and the record itself (versions, consultation, ballot, signatures,
    submission), as the agreement page shows them."""
    year, agreement = _readable(request, slug)
    found = school_stage(year=year)
    out: dict[str, Any] = {
        "school": year.school.slug,
        "year": year.label,
        "started": agreement is not None,
        "stage": None
        if found is None
        else {
            "id": found.name,
            "label": found.label,
            "rank": found.rank,
            "complete": found.complete,
            "waiting": found.waiting,
            "why": found.why,
        },
        "timeline": [
            {"step": e.step_id, "label": e.label, "done": e.done, "on": e.on, "stage": e.stage}
            for e in timeline(year)
        ],
    }
    if agreement is not None:
        out |= _record(year, agreement)
    return out


@router.get(f"{_AT}/versions", response={200: list[VersionSummaryOut], **NOT_FOUND})
def agreement_versions_api(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    """Every version of the agreement, first to latest."""
    _, agreement = _readable(request, slug)
    return [_summary(v) for v in _started(agreement).versions.order_by("number")]


@router.get(f"{_AT}/versions/{{number}}", response={200: VersionOut, **NOT_FOUND})
def agreement_version_api(request: HttpRequest, slug: str, number: int) -> dict[str, Any]:
    """One version's content: its allocations against the pack's defaults, its text, its
    calendar, and how many findings the year has under it (the version page's check)."""
    year, agreement = _readable(request, slug)
    version = get_object_or_404(_started(agreement).versions, number=number)
    return {
        **_summary(version),
        "allocations": [
            {
                "heading": row.heading.id,
                "label": row.heading.label,
                "clause": row.heading.clause,
                "default": row.heading.default,
                "hours": row.hours,
                "by_agreement": row.by_agreement,
            }
            for row in allocation_rows(year=year, version=version)
        ],
        **{name: getattr(version, name) for name, _, _ in TEXT_PARTS},
        "calendar": version.calendar,
        "findings": version_check(year=year, version=version).counts(),
    }


@router.get(f"{_AT}/ballot", response={200: BallotOut, **NOT_FOUND})
def agreement_ballot_api(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The staff's approval ballot on the final version. ``result`` (the tally, the
    turnout, the outcome against the pack's threshold, who voted) is null until it closes,
    whoever asks."""
    _, agreement = _readable(request, slug)
    final = current_final(_started(agreement))
    ballot = final.ballot if final is not None else None
    if ballot is None or not ballot_may_view(user=token_user(request), ballot=ballot):
        raise Http404("No approval ballot on the final version")
    return ballot_out(ballot)
