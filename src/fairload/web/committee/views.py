"""The groups and committee pages of a school: one page that everyone who works at the
school reads, and forms for its head teacher (and site administrators) to change them.
Every write goes through ``services`` (checked as the whole year, audited); a refusal
re-shows the form with the reasons and writes nothing."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.core.packs import load_bundled
from fairload.web.accounts.policies import can_view_school
from fairload.web.committee import selectors
from fairload.web.committee.forms import GroupForm, SeatForm, UnionsForm
from fairload.web.committee.models import AgreementGroup, CommitteeSeat
from fairload.web.committee.policies import (
    can_manage_committee,
    can_view_committee,
    union_counts_visible,
)
from fairload.web.committee.services import (
    RecordRefused,
    accredited_unions_set,
    group_delete,
    group_save,
    seat_remove,
    seat_save,
)
from fairload.web.form_page import form_page
from fairload.web.schools.lookups import school_year_for
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_check


def _page(school: School) -> str:
    return reverse("school-committee", args=[school.slug])


@login_required
@require_safe
def school_committee(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_view_committee)
    today = timezone.localdate()
    committee = selectors.committee_of(year)
    minimum = selectors.count_minimum(year)
    counts: list[selectors.UnionCount] = []
    if minimum is not None:
        counts = selectors.union_counts(
            year=year,
            unions=union_counts_visible(request.user, school),
            minimum=int(float(minimum.value)),
        )
    findings = []
    if can_view_school(request.user, school):
        # The findings page's own rule: those who see the school's findings see these.
        findings = [
            f for f in school_year_check(year=year).findings if f.rule in _committee_rules(year)
        ]
    return render(
        request,
        "committee/committee.html",
        {
            "school": school,
            "year": year,
            "groups": selectors.groups_of(year),
            "committee": committee,
            "seats": selectors.seats_of(year, today),
            "today": today,
            "counts": counts,
            "minimum": minimum,
            "findings": findings,
            "can_manage": can_manage_committee(request.user, school),
        },
    )


def _committee_rules(year: SchoolYear) -> set[str]:
    pack = load_bundled(year.school.pack)
    return {r.id for r in pack.rules if r.template in selectors.COMMITTEE_TEMPLATES}


def _form_view(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    form: Any,
    heading: str,
    save: Callable[[], str],
    anchor: str,
) -> HttpResponse:
    """The form page; a valid POST is saved by ``save`` (which says what it did), or
    re-shown with the reasons it was refused."""
    return form_page(
        request,
        form,
        save,
        refused=RecordRefused,
        done_url=_page(school) + anchor,
        template="committee/form.html",
        context={"school": school, "year": year, "heading": heading, "back_url": _page(school)},
    )


def _confirm_view(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    act: Callable[[], str],
    anchor: str,
    **words: str,
) -> HttpResponse:
    """Ask before deleting (``words``: heading, body, submit); a POST does ``act``."""
    problems: list[str] = []
    if request.method == "POST":
        try:
            done = act()
        except RecordRefused as refused:
            problems = refused.messages
        else:
            messages.success(request, done)
            return redirect(_page(school) + anchor)
    context = {"school": school, "year": year, "problems": problems, **words}
    return render(request, "committee/confirm.html", {**context, "back_url": _page(school)})


def _group(year: SchoolYear, group_id: str) -> AgreementGroup:
    group = AgreementGroup.objects.filter(school_year=year, group_id=group_id).first()
    if group is None:
        raise Http404("No such group")
    return group


def _seat(year: SchoolYear, pk: int) -> CommitteeSeat:
    seat = (
        CommitteeSeat.objects.filter(committee__school_year=year, pk=pk)
        .select_related("post")
        .first()
    )
    if seat is None:
        raise Http404("No such committee member")
    return seat


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_add(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    action = reverse("group-add", args=[school.slug])
    form = GroupForm(request.POST or None, year=year, action=action, submit="Add the group")

    def save() -> str:
        group = group_save(actor=request.user, year=year, values=form.values())
        return f"Added the group {group.title}."

    return _form_view(
        request, school, year, form, "Add a committee or working group", save, "#groups"
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_edit(request: HttpRequest, slug: str, group_id: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    group = _group(year, group_id)
    action = reverse("group-edit", args=[school.slug, group_id])
    initial = {
        "group_id": group.group_id,
        "title": group.title,
        "hours": group.hours,
        "members": list(group.members.values_list("staff_id", flat=True)),
    }
    form = GroupForm(
        request.POST or None, initial=initial, year=year, action=action, submit="Save the group"
    )

    def save() -> str:
        saved = group_save(actor=request.user, year=year, values=form.values(), group_id=group_id)
        return f"Saved the group {saved.title}."

    heading = f"Change the group {group.title}"
    return _form_view(request, school, year, form, heading, save, "#groups")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def group_delete_view(request: HttpRequest, slug: str, group_id: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    group = _group(year, group_id)

    def act() -> str:
        group_delete(actor=request.user, year=year, group_id=group_id)
        return f"Deleted the group {group.title}."

    return _confirm_view(
        request,
        school,
        year,
        act,
        "#groups",
        heading=f"Delete the group {group.title}?",
        body=f"Its {group.hours:g} hours are then no longer allocated to a group: no teacher "
        "gains them in their balance of time (Appendix 2).",
        submit="Delete the group",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_seat_add(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    action = reverse("committee-seat-add", args=[school.slug])
    form = SeatForm(request.POST or None, year=year, action=action, submit="Add to the committee")

    def save() -> str:
        seat = seat_save(actor=request.user, year=year, values=form.values())
        return f"Added {seat.post.name} to the committee."

    heading = "Add a member to the committee"
    return _form_view(request, school, year, form, heading, save, "#committee")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_seat_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    seat = _seat(year, pk)
    action = reverse("committee-seat-edit", args=[school.slug, pk])
    initial = {
        "staff_id": seat.post.staff_id,
        "role": seat.role,
        "union": seat.union,
        "since": seat.since,
        "until": seat.until,
    }
    form = SeatForm(request.POST or None, initial=initial, year=year, action=action, submit="Save")

    def save() -> str:
        saved = seat_save(actor=request.user, year=year, values=form.values(), pk=pk)
        return f"Saved {saved.post.name}'s place on the committee."

    heading = f"Change {seat.post.name}'s place on the committee"
    return _form_view(request, school, year, form, heading, save, "#committee")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_seat_remove(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    seat = _seat(year, pk)

    def act() -> str:
        seat_remove(actor=request.user, year=year, pk=pk)
        return f"Removed {seat.post.name} from the committee record."

    return _confirm_view(
        request,
        school,
        year,
        act,
        "#committee",
        heading=f"Remove {seat.post.name} from the committee record?",
        body="This deletes the record that they sat on the committee. If they have left "
        "it, change their place instead and give their last day, so the record shows who "
        "sat on it when.",
        submit="Remove from the record",
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def committee_unions(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug, can_manage_committee)
    committee = selectors.committee_of(year)
    initial = {"unions": ", ".join(committee.accredited_unions) if committee else ""}
    action = reverse("committee-unions", args=[school.slug])
    form = UnionsForm(request.POST or None, initial=initial, action=action)

    def save() -> str:
        accredited_unions_set(actor=request.user, year=year, unions=form.names())
        return "Saved the unions with an accredited representative."

    heading = "Unions with an accredited representative"
    return _form_view(request, school, year, form, heading, save, "#committee")
