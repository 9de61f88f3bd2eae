"""The pro-forma's pages: the teacher fills it in (the totals checked as they type, by
htmx, and on saving without it), signs and sends it; the line manager agrees and signs
it or returns it with a comment; the head sees who has not yet agreed one.

Each view finds the post and decides access through policies.py (404 for anyone else),
calls one service, and renders; a refusal re-shows the page with the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from fairload.core.packs import load_bundled
from fairload.core.proforma import LINE_MANAGER, SENT, TEACHER
from fairload.web.htmx import is_htmx
from fairload.web.proformas import selectors, services
from fairload.web.proformas.forms import PasswordForm, ProformaForm, ReturnForm, initial_for
from fairload.web.proformas.policies import acting_roles, can_list_proformas
from fairload.web.proformas.record import has_proforma
from fairload.web.schools.lookups import school_year_for
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_current
from fairload.web.signing import password_ok

GET_POST = ["GET", "HEAD", "POST"]


def _post_for(
    request: HttpRequest, slug: str, staff_id: str, *, page: bool = False
) -> tuple[StaffPost, set[str]]:
    """The teacher's post in the school's current year and the roles the user holds on
    its pro-forma; 404 for anyone who holds none (the pro-forma's existence included).
    Of a school whose pack has no pro-forma, only the ``page`` is there (to say so)."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    year = school_year_current(school=school)
    if year is None:
        raise Http404("No such pro-forma")
    post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
    if post is None:
        raise Http404("No such pro-forma")
    post.school_year = year
    if not has_proforma(load_bundled(school.pack)) and not page:
        raise Http404("This school's agreement has no pro-forma")
    roles = acting_roles(request.user, post, selectors.manager_post(year=year, post=post))
    if not roles:
        raise Http404("No such pro-forma")
    return post, roles


def _page_url(post: StaffPost) -> str:
    return services.proforma_link(post)


def _form(view: selectors.ProformaView, data: Any = None) -> ProformaForm:
    stored = view.stored
    hours = {r.id: r.hours for r in view.state.rows if r.hours}
    details = dict(stored.details) if stored else {}
    return ProformaForm(data, rows=view.state.rows, initial=initial_for(hours, details))


def _context(
    request: HttpRequest,
    post: StaffPost,
    roles: set[str],
    view: selectors.ProformaView,
    **more: Any,
) -> dict[str, Any]:
    year: SchoolYear = post.school_year
    return {
        "school": year.school,
        "year": year,
        "post": post,
        "view": view,
        "roles": roles,
        "is_teacher": TEACHER in roles,
        "is_manager": LINE_MANAGER in roles,
        "opening": selectors.proforma_opening(year=year),
        "awaiting_manager": view.status == SENT,
        "can_list": can_list_proformas(request.user, year.school),
        "back_url": reverse("teacher-page", args=[year.school.slug, post.staff_id])
        if TEACHER in roles
        else None,
        **more,
    }


@login_required
@require_http_methods(GET_POST)
def proforma_page(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The pro-forma as Appendix 2 lays it out. The teacher's POST saves it."""
    post, roles = _post_for(request, slug, staff_id, page=True)
    opening = selectors.proforma_opening(year=post.school_year)
    if not has_proforma(load_bundled(post.school_year.school.pack)):
        return render(
            request,
            "proformas/proforma.html",
            {
                "school": post.school_year.school,
                "year": post.school_year,
                "post": post,
                "opening": opening,
                "roles": roles,
            },
        )
    view = selectors.proforma_of(year=post.school_year, post=post)
    form = _form(view)
    if request.method == "POST":
        if TEACHER not in roles:
            raise Http404("No such pro-forma")
        form = _form(view, request.POST)
        if form.is_valid():
            try:
                services.proforma_save(
                    actor=request.user,
                    post=post,
                    hours=form.hours(),
                    details=form.details(),
                    now=timezone.now(),
                )
            except services.ProformaRefused as refused:
                form.add_error(None, str(refused))
            else:
                messages.success(request, "Your pro-forma is saved.")
                return redirect(_page_url(post))
        else:
            view = selectors.proforma_of(
                year=post.school_year, post=post, hours=_typed(form), details=None
            )
    return render(
        request, "proformas/proforma.html", _context(request, post, roles, view, form=form)
    )


def _typed(form: ProformaForm) -> dict[str, float]:
    """The hours of the boxes that hold a number, for totals while others are wrong."""
    typed = {}
    for row in form.rows:
        try:
            value = float(form.data.get(f"hours-{row.id}") or 0)
        except ValueError:
            continue
        if value > 0:
            typed[row.id] = value
    return typed


@login_required
@require_http_methods(GET_POST)
def proforma_totals(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The totals panel for the hours as typed (htmx posts the form here as the teacher
    types; nothing is saved). A GET gives the stored pro-forma's."""
    post, roles = _post_for(request, slug, staff_id)
    typed = None
    if request.method == "POST":
        view = selectors.proforma_of(year=post.school_year, post=post)
        typed = _typed(_form(view, request.POST))
    view = selectors.proforma_of(year=post.school_year, post=post, hours=typed)
    return render(
        request,
        "proformas/_totals.html",
        _context(request, post, roles, view, live=is_htmx(request)),
    )


def _signing_page(
    request: HttpRequest,
    slug: str,
    staff_id: str,
    *,
    role: str,
    url_name: str,
    submit: str,
    act: Callable[[StaffPost, bool], object],
    done: str,
) -> HttpResponse:
    post, roles = _post_for(request, slug, staff_id)
    if role not in roles:
        raise Http404("No such pro-forma")
    action = reverse(url_name, args=[slug, staff_id])
    form = PasswordForm(request.POST or None, action=action, submit=submit)
    if request.method == "POST" and form.is_valid():
        try:
            act(post, password_ok(request, form.cleaned_data["password"]))
        except services.ProformaRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, done)
            return redirect(_page_url(post))
    view = selectors.proforma_of(year=post.school_year, post=post)
    return render(
        request,
        "proformas/sign.html",
        _context(request, post, roles, view, form=form, signing_as=role, heading=submit),
    )


@login_required
@require_http_methods(GET_POST)
def proforma_send(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The teacher signs the pro-forma and sends it to their line manager."""
    return _signing_page(
        request,
        slug,
        staff_id,
        role=TEACHER,
        url_name="proforma-send",
        submit="Sign and send to your line manager",
        act=lambda post, ok: services.proforma_send(
            actor=request.user, post=post, password_ok=ok, now=timezone.now()
        ),
        done="You have signed your pro-forma and sent it to your line manager.",
    )


@login_required
@require_http_methods(GET_POST)
def proforma_agree(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The line manager agrees the pro-forma and signs it."""
    return _signing_page(
        request,
        slug,
        staff_id,
        role=LINE_MANAGER,
        url_name="proforma-agree",
        submit="Agree and sign the pro-forma",
        act=lambda post, ok: services.proforma_agree(
            actor=request.user, post=post, password_ok=ok, now=timezone.now()
        ),
        done="You have agreed and signed the pro-forma.",
    )


@login_required
@require_http_methods(GET_POST)
def proforma_return(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """The line manager returns the pro-forma to the teacher with a comment."""
    post, roles = _post_for(request, slug, staff_id)
    if LINE_MANAGER not in roles:
        raise Http404("No such pro-forma")
    action = reverse("proforma-return", args=[slug, staff_id])
    form = ReturnForm(request.POST or None, action=action)
    if request.method == "POST" and form.is_valid():
        try:
            services.proforma_return(
                actor=request.user,
                post=post,
                comment=form.cleaned_data["comment"],
                now=timezone.now(),
            )
        except services.ProformaRefused as refused:
            form.add_error(None, str(refused))
        else:
            messages.success(request, f"You have returned the pro-forma to {post.name}.")
            return redirect(_page_url(post))
    view = selectors.proforma_of(year=post.school_year, post=post)
    return render(request, "proformas/return.html", _context(request, post, roles, view, form=form))


@login_required
@require_http_methods(["GET", "HEAD"])
def proforma_list(request: HttpRequest, slug: str) -> HttpResponse:
    """Who has and has not agreed a pro-forma (names and states, not the hours)."""
    school, year = school_year_for(request, slug, can_list_proformas)
    rows = selectors.proforma_list(year=year)
    return render(
        request,
        "proformas/list.html",
        {
            "school": school,
            "year": year,
            "rows": rows,
            "waiting": [r for r in rows if not r.agreed],
            "opening": selectors.proforma_opening(year=year),
        },
    )
