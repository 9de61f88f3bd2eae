"""The committee's monitoring pages (16.6): one page for the session's meetings, changes
to practice or policy and issues raised by staff, and forms to record each. Views parse,
call one service and render; ``policies`` decides who may do what."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.web.evaluations.selectors import evaluation_of
from fairload.web.form_page import form_page
from fairload.web.monitoring import selectors
from fairload.web.monitoring.forms import ChangeForm, IssueForm, MeetingForm, ResponseForm
from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.monitoring.policies import (
    can_raise_issue,
    can_record_monitoring,
    can_view_issue,
    can_view_monitoring,
)
from fairload.web.monitoring.services import (
    MonitoringRefused,
    issue_raise,
    issue_respond,
    meeting_save,
    practice_change_save,
)
from fairload.web.schools.lookups import school_refuse, school_year_for
from fairload.web.schools.models import School, SchoolYear


def _page(school: School, anchor: str = "") -> str:
    return reverse("monitoring-home", args=[school.slug]) + anchor


@login_required
@require_safe
def monitoring_home(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_monitoring)
    return render(
        request,
        "monitoring/home.html",
        {
            "school": school,
            "year": year,
            "meetings": selectors.meetings_of(year),
            "changes": selectors.changes_of(year),
            "issues": selectors.issues_for(request.user, year),
            "question": selectors.practice_question(year),
            "can_record": can_record_monitoring(request.user, school),
            "can_raise": can_raise_issue(request.user, school),
            "evaluation": evaluation_of(school=school, label=year.label),
        },
    )


def _form_view(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    form: Any,
    heading: str,
    save: Callable[[], str],
    anchor: str,
    intro: str = "",
) -> HttpResponse:
    """The form page; a valid POST is saved by ``save`` (which says what it did), or
    re-shown with the reason it was refused."""
    return form_page(
        request,
        form,
        save,
        refused=MonitoringRefused,
        done_url=_page(school, anchor),
        template="monitoring/form.html",
        context={
            "school": school,
            "year": year,
            "heading": heading,
            "intro": intro,
            "back_url": _page(school),
        },
    )


def _meeting(school: School, year: SchoolYear, pk: int) -> Meeting:
    meeting = Meeting.objects.filter(school=school, label=year.label, pk=pk).first()
    if meeting is None:
        raise Http404("No such meeting")
    return meeting


@login_required
@require_safe
def meeting_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_monitoring)
    meeting = _meeting(school, year, pk)
    context = {"school": school, "year": year, "meeting": meeting}
    context["can_record"] = can_record_monitoring(request.user, school)
    return render(request, "monitoring/meeting.html", context)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_add(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_record_monitoring)
    form = MeetingForm(
        request.POST or None,
        year=year,
        action=reverse("monitoring-meeting-add", args=[school.slug]),
        submit="Record the meeting",
    )

    def save() -> str:
        meeting = meeting_save(actor=request.user, year=year, values=form.values())
        return f"Recorded the meeting of {meeting.held_on:%-d %B %Y}."

    return _form_view(request, school, year, form, "Record a committee meeting", save, "#meetings")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def meeting_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_record_monitoring)
    meeting = _meeting(school, year, pk)
    names = set(meeting.attendees)
    initial = {
        "held_on": meeting.held_on,
        "minutes": meeting.minutes,
        "attendees": [p.staff_id for p in year.staff.all() if p.name in names],
    }
    form = MeetingForm(
        request.POST or None,
        initial=initial,
        year=year,
        action=reverse("monitoring-meeting-edit", args=[school.slug, pk]),
        submit="Save the meeting",
    )

    def save() -> str:
        meeting_save(actor=request.user, year=year, values=form.values(), meeting=meeting)
        return "Saved the meeting."

    return _form_view(request, school, year, form, "Change a committee meeting", save, "#meetings")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_raise_view(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_raise_issue)
    form = IssueForm(
        request.POST or None, action=reverse("monitoring-issue-raise", args=[school.slug])
    )

    def save() -> str:
        data = form.cleaned_data
        issue_raise(
            actor=request.user,
            year=year,
            title=data["title"],
            details=data["details"],
            name_withheld=data["name_withheld"],
            today=timezone.localdate(),
        )
        return "The issue is with the committee."

    intro = (
        "The committee meets during the session to consider issues raised by staff (16.6). "
        "Any teacher of the school may raise one."
    )
    return _form_view(request, school, year, form, "Raise an issue", save, "#issues", intro)


def _issue(request: HttpRequest, school: School, year: SchoolYear, pk: int) -> StaffIssue:
    issue = StaffIssue.objects.filter(school=school, label=year.label, pk=pk).first()
    if issue is None:
        raise Http404("No such issue")
    if not can_view_issue(request.user, issue):
        school_refuse(request.user, school)
    return issue


@login_required
@require_safe
def issue_page(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_monitoring)
    issue = _issue(request, school, year, pk)
    return render(
        request,
        "monitoring/issue.html",
        {
            "school": school,
            "year": year,
            "row": selectors.issue_row(request.user, year, issue),
            "can_record": can_record_monitoring(request.user, school),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def issue_respond_view(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_record_monitoring)
    issue = _issue(request, school, year, pk)
    form = ResponseForm(
        request.POST or None,
        initial={"response": issue.response},
        action=reverse("monitoring-issue-respond", args=[school.slug, pk]),
    )

    def save() -> str:
        data = form.cleaned_data
        issue_respond(
            actor=request.user, issue=issue, response=data["response"], today=timezone.localdate()
        )
        return f"Saved the committee's response to “{issue.title}”."

    intro = f"“{issue.title}”: {issue.details}"
    return _form_view(request, school, year, form, "Respond to an issue", save, "#issues", intro)


def _change(school: School, year: SchoolYear, pk: int) -> PracticeChange:
    change = PracticeChange.objects.filter(school=school, label=year.label, pk=pk).first()
    if change is None:
        raise Http404("No such change")
    return change


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_add(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_record_monitoring)
    form = ChangeForm(
        request.POST or None,
        action=reverse("monitoring-change-add", args=[school.slug]),
        submit="Record the change",
    )

    def save() -> str:
        change = practice_change_save(actor=request.user, year=year, values=form.values())
        return f"Recorded “{change.title}”."

    heading = "Record a change to practice or policy"
    return _form_view(request, school, year, form, heading, save, "#changes")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def change_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_record_monitoring)
    change = _change(school, year, pk)
    initial = {
        "title": change.title,
        "description": change.description,
        "introduced_on": change.introduced_on,
        "consulted": "yes" if change.consulted else "no",
        "note": change.note,
    }
    form = ChangeForm(
        request.POST or None,
        initial=initial,
        action=reverse("monitoring-change-edit", args=[school.slug, pk]),
        submit="Save the change",
    )

    def save() -> str:
        practice_change_save(actor=request.user, year=year, values=form.values(), change=change)
        return f"Saved “{change.title}”."

    heading = "Change a change to practice or policy"
    return _form_view(request, school, year, form, heading, save, "#changes")
