"""Pages for getting data in (upload, preview, apply) and out (CSV downloads).

Every import is previewed before it is applied, and only its uploader may see or apply
it. A school the person may not edit answers 404, as every page does for a school a
person may not see, so its existence is not revealed.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from fairload.core.school_year import Post
from fairload.io.events_csv import event_columns, events_to_csv
from fairload.io.ical import categories
from fairload.io.staff_csv import staff_columns, staff_to_csv
from fairload.web.accounts.policies import can_create_schools, can_edit_school
from fairload.web.imports.forms import ImportForm, NewSchoolImportForm
from fairload.web.imports.models import ImportKind, PendingImport
from fairload.web.imports.plans import Plan, check_changes, import_plan
from fairload.web.imports.services import (
    ImportRefused,
    pending_import_apply,
    pending_import_cancel,
    pending_import_create,
    upload_allowed_at,
)
from fairload.web.schools.lookups import school_for, school_year_for
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_current
from fairload.web.schools.to_core import to_core

#: Why an upload can no longer be applied: (page heading, explanation, HTTP status on POST).
CLOSED = {
    "applied": (
        "This import has been applied",
        "The file was imported already, so it cannot be applied again.",
        409,
    ),
    "expired": (
        "This upload has expired",
        "Uploads wait one day to be applied. Upload the file again to see its preview.",
        410,
    ),
}

CHANGED_NOTICE = (
    "The school's data changed after you opened the preview, so nothing was imported. "
    "Check the changes below again, then apply them."
)


def _too_many_uploads(request: HttpRequest, school: School | None) -> HttpResponse | None:
    """A 429 page saying when to try again, if the person has used up their uploads."""
    now = timezone.now()
    allowed_at = upload_allowed_at(user=request.user, now=now)  # type: ignore[arg-type]
    if allowed_at is None:
        return None
    wait = max(1, int((allowed_at - now).total_seconds()) + 1)
    response = render(
        request,
        "imports/too_many.html",
        {
            "school": school,
            "allowed_at": timezone.localtime(allowed_at),
            "minutes": -(-wait // 60),
            "most": settings.FAIRLOAD_UPLOAD_LIMIT,
            "window": settings.FAIRLOAD_UPLOAD_WINDOW_MINUTES,
            "breadcrumbs": _crumbs(school, "Too many uploads"),
        },
        status=429,
    )
    response["Retry-After"] = str(wait)
    return response


def _crumbs(school: School | None, here: str) -> list[dict[str, str]]:
    crumbs = [{"label": "Home", "url": reverse("home")}]
    if school is not None:
        crumbs.append(
            {"label": school.name, "url": reverse("school-dashboard", args=[school.slug])}
        )
        if here != "Import":
            crumbs.append({"label": "Import", "url": reverse("import-start", args=[school.slug])})
    elif here != "Import a new school":
        crumbs.append({"label": "Import a new school", "url": reverse("import-new-school")})
    crumbs.append({"label": here, "url": ""})
    return crumbs


@login_required
@require_http_methods(["GET", "POST"])
def import_start(request: HttpRequest, slug: str) -> HttpResponse:
    school = school_for(request, slug, can_edit_school)
    year = school_year_current(school=school)
    if request.method == "POST" and (limited := _too_many_uploads(request, school)):
        return limited
    form = ImportForm(request.POST, request.FILES) if request.method == "POST" else ImportForm()
    if request.method == "POST" and form.is_valid():
        pending = pending_import_create(
            user=request.user,  # type: ignore[arg-type]
            school=school,
            kind=form.cleaned_data["kind"],
            filename=form.filename,
            text=form.text,
            options=form.options(),
        )
        return redirect("import-preview", slug=school.slug, pk=pending.pk)
    return render(
        request,
        "imports/start.html",
        {
            "form": form,
            "school": school,
            "year": year,
            "staff_columns": staff_columns(),
            "event_columns": event_columns(),
            "posts": [post.value for post in Post],
            "categories": categories(),
            "breadcrumbs": _crumbs(school, "Import"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def import_new_school(request: HttpRequest) -> HttpResponse:
    if not can_create_schools(request.user):
        raise Http404("No such page")
    if request.method == "POST" and (limited := _too_many_uploads(request, None)):
        return limited
    form = (
        NewSchoolImportForm(request.POST, request.FILES)
        if request.method == "POST"
        else NewSchoolImportForm()
    )
    if request.method == "POST" and form.is_valid():
        pending = pending_import_create(
            user=request.user,  # type: ignore[arg-type]
            school=None,
            kind=ImportKind.SCHOOL_YEAR,
            filename=form.filename,
            text=form.text,
            options={},
        )
        return redirect("import-new-school-preview", pk=pending.pk)
    return render(
        request,
        "imports/new_school.html",
        {"form": form, "breadcrumbs": _crumbs(None, "Import a new school")},
    )


def _pending(request: HttpRequest, pk: uuid.UUID, school: School | None) -> PendingImport:
    """The person's own upload to the school (None: a new school), else 404."""
    pending = PendingImport.objects.filter(pk=pk, user=request.user.pk, school=school).first()
    if pending is None:
        raise Http404("No such import")
    return pending


def _new_school_pending(request: HttpRequest, pk: uuid.UUID) -> PendingImport:
    if not can_create_schools(request.user):
        raise Http404("No such page")
    return _pending(request, pk, None)


@login_required
@require_http_methods(["GET", "POST"])
def import_preview(request: HttpRequest, slug: str, pk: uuid.UUID) -> HttpResponse:
    school = school_for(request, slug, can_edit_school)
    return _preview(request, _pending(request, pk, school))


@login_required
@require_http_methods(["GET", "POST"])
def import_new_school_preview(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    return _preview(request, _new_school_pending(request, pk))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_cancel(request: HttpRequest, slug: str, pk: uuid.UUID) -> HttpResponse:
    """Cancel the upload (POST): it is deleted. A GET goes back to its preview."""
    school = school_for(request, slug, can_edit_school)
    pending = _pending(request, pk, school)
    if request.method != "POST":
        return redirect("import-preview", slug=school.slug, pk=pending.pk)
    return _cancel(request, pending, reverse("import-start", args=[school.slug]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def import_new_school_cancel(request: HttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Cancel the upload of a new school (POST); a GET goes back to its preview."""
    pending = _new_school_pending(request, pk)
    if request.method != "POST":
        return redirect("import-new-school-preview", pk=pending.pk)
    return _cancel(request, pending, reverse("import-new-school"))


def _cancel(request: HttpRequest, pending: PendingImport, then: str) -> HttpResponse:
    if pending_import_cancel(pending=pending, actor=request.user):
        messages.success(
            request,
            f"The upload of {pending.filename} was cancelled and deleted. Nothing was imported.",
        )
    else:
        messages.info(
            request, f"{pending.filename} was imported already, so it cannot be cancelled."
        )
    return redirect(then)


def _preview(request: HttpRequest, pending: PendingImport) -> HttpResponse:
    """Show what the upload would change (GET), or apply it (POST)."""
    if pending.applied_at is not None:
        return _closed(request, pending, "applied")
    if pending.expired(timezone.now()):
        return _closed(request, pending, "expired")
    notice = ""
    if request.method == "POST":
        try:
            applied = pending_import_apply(
                pending=pending,
                actor=request.user,
                seen_revision=request.POST.get("revision", ""),
            )
        except ImportRefused as refused:
            if refused.plan is None:
                return _closed(request, pending, refused.reason)
            plan = refused.plan
            if refused.reason == "changed":
                notice = CHANGED_NOTICE
        else:
            messages.success(request, applied.summary)
            return redirect("school-dashboard", slug=applied.year.school.slug)
    else:
        plan = import_plan(pending)
    return render(request, "imports/preview.html", _preview_context(request, pending, plan, notice))


def _preview_context(
    request: HttpRequest, pending: PendingImport, plan: Plan, notice: str
) -> dict[str, Any]:
    check = None
    if not plan.problems and plan.after is not None:
        outcome = check_changes(plan)
        if isinstance(outcome, Exception):
            plan.problems.append(outcome)
        else:
            check = outcome
    existing_url = ""
    if plan.existing_school is not None and can_edit_school(request.user, plan.existing_school):
        existing_url = reverse("import-start", args=[plan.existing_school.slug])
    school = plan.school
    if school is not None:
        heading = school.name
    elif plan.after is not None:
        heading = plan.after.school.name
    else:
        heading = "A new school"
    return {
        "pending": pending,
        "plan": plan,
        "kind": ImportKind(pending.kind).label,
        "school": school,
        "heading": heading,
        "check": check,
        "problems": [
            {
                "number": n,
                "file": e.location.file if e.location else pending.filename,
                "line": e.location.line if e.location and e.location.line else "",
                "field": e.location.field if e.location and e.location.field else "",
                "message": e.message,
                "hint": e.hint,
            }
            for n, e in enumerate(plan.problems, 1)
        ],
        "existing_url": existing_url,
        "notice": notice,
        "again_url": reverse("import-start", args=[school.slug])
        if school is not None
        else reverse("import-new-school"),
        "cancel_url": reverse("import-cancel", args=[school.slug, pending.pk])
        if school is not None
        else reverse("import-new-school-cancel", args=[pending.pk]),
        "breadcrumbs": _crumbs(school, "Check the import"),
    }


def _closed(request: HttpRequest, pending: PendingImport, reason: str) -> HttpResponse:
    heading, text, status = CLOSED[reason]
    school = pending.school
    return render(
        request,
        "imports/closed.html",
        {
            "pending": pending,
            "school": school,
            "heading": heading,
            "text": text,
            "again_url": reverse("import-start", args=[school.slug])
            if school is not None
            else reverse("import-new-school"),
            "breadcrumbs": _crumbs(school, heading),
        },
        status=status if request.method == "POST" or reason == "expired" else 200,
    )


# ------------------------------------------------------------------ CSV downloads


def _download(text: str, school: School, year: SchoolYear, what: str) -> HttpResponse:
    # A byte-order mark tells a spreadsheet the file is UTF-8; the import skips it.
    response = HttpResponse("\ufeff" + text, content_type="text/csv; charset=utf-8")
    label = re.sub(r"[^A-Za-z0-9._-]+", "-", year.label).strip("-") or "year"
    name = f"{school.slug}-{label}-{what}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def export_staff_csv(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug)
    return _download(staff_to_csv(to_core(year).staff), school, year, "staff")


@login_required
@never_cache
@require_http_methods(["GET", "HEAD"])
def export_events_csv(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug)
    core = to_core(year)
    return _download(events_to_csv(core.events, [s.id for s in core.staff]), school, year, "events")
