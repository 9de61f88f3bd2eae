"""The service navigation under the header: a school's sections, for the school's pages.

A context processor, so every page of a school shows the same menu without each view
building it. Sections a person may not use (import and editing for anyone but the head
and site administrators) are left out.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.urls import reverse

from fairload.web.accounts.policies import can_edit_school, can_view_school, unions_acted_for
from fairload.web.appeals.selectors import appeal_sections
from fairload.web.disputes.navigation import dispute_sections
from fairload.web.schools.models import School
from fairload.web.workload_audit.policies import audit_sections

#: (url name, label, needs edit rights, url names that count as this section)
SCHOOL_SECTIONS: list[tuple[str, str, bool, tuple[str, ...]]] = [
    ("school-dashboard", "Dashboard", False, ()),
    ("school-calendar", "Calendar", False, ()),
    ("school-staff", "Staff", False, ("post-add", "post-edit", "post-delete")),
    ("school-events", "Events", False, ("event-add", "event-edit", "event-delete")),
    (
        "school-committee",
        "Committee and groups",
        False,
        (
            "committee-seat-add",
            "committee-seat-edit",
            "committee-seat-remove",
            "committee-unions",
            "group-add",
            "group-edit",
            "group-delete",
        ),
    ),
    (
        "monitoring-home",
        "Monitoring",
        False,
        (
            "monitoring-meeting",
            "monitoring-meeting-add",
            "monitoring-meeting-edit",
            "monitoring-issue",
            "monitoring-issue-raise",
            "monitoring-issue-respond",
            "monitoring-change-add",
            "monitoring-change-edit",
            "evaluation-home",
            "evaluation-open",
            "evaluation-answer",
            "evaluation-close",
        ),
    ),
    ("import-start", "Import", True, ("import-preview",)),
    ("school-export", "Export and feeds", False, ("school-feeds",)),
    (
        "agreement-home",
        "Agreement",
        False,
        (
            "agreement-draft",
            "agreement-version",
            "agreement-compare",
            "agreement-consultation",
            "agreement-comments",
            "agreement-comment-answer",
            "agreement-sign",
            "agreement-failure",
        ),
    ),
    ("proforma-list", "Pro-formas", True, ()),
    ("school-audit", "Changes", False, ()),
    ("school-people", "People", True, ("school-person-add",)),
]


def school_sections(request: HttpRequest, school: School) -> list[dict[str, Any]]:
    match = request.resolver_match
    current = match.url_name if match else ""
    editor = can_edit_school(request.user, school)
    items = []
    for name, label, needs_edit, also in SCHOOL_SECTIONS:
        if needs_edit and not editor:
            continue
        url = reverse(name, args=[school.slug])
        items.append({"label": label, "url": url, "current": current in (name, *also)})
    if unions_acted_for(request.user, school):
        url = reverse("school-union-members", args=[school.slug])
        items.append(
            {"label": "Union members", "url": url, "current": current == "school-union-members"}
        )
    items += appeal_sections(request.user, school, current)  # web/appeals: 3.3 and section 17
    items += dispute_sections(request.user, school, current)  # web/disputes: issue 12
    items += audit_sections(request.user, school, current)  # web/workload_audit (issue 12)
    return items


def nav_items(request: HttpRequest) -> dict[str, Any]:
    match = request.resolver_match
    slug = match.kwargs.get("slug") if match else None
    if not slug or not match.url_name or match.url_name == "council-overview":
        return {}
    if match.url_name == "teacher-page" or not request.user.is_authenticated:
        return {}
    # A view that has already read the school leaves it on the request.
    school = getattr(request, "fairload_school", None)
    if school is None or school.slug != slug:
        school = School.objects.filter(slug=slug).first()
    if school is None or not can_view_school(request.user, school):
        return {}
    return {"nav_items": school_sections(request, school)}
