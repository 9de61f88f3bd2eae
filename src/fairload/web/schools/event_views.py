"""The pages that list, add, change and delete a school year's events (``edit_flow``
says how every such page reads, saves and shows the re-check)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairload.web.accounts.policies import can_edit_school
from fairload.web.htmx import is_htmx
from fairload.web.schools.edit_flow import (
    delete_and_recheck,
    form_context,
    form_page,
    missing,
    preview,
    save_and_recheck,
    school_year,
    take_recheck,
)
from fairload.web.schools.event_edits import (
    event_create,
    event_delete,
    event_preview,
    event_update,
)
from fairload.web.schools.event_filter_form import EventFilterForm
from fairload.web.schools.event_form import SHOW_FIELDS, EventForm
from fairload.web.schools.labels import category_label
from fairload.web.schools.models import Event, School, SchoolYear
from fairload.web.schools.year_drafts import RowGone, day_text

EVENTS_PER_PAGE = 25
PAGE = "schools/event_form.html"


def _attendance(event: Event, staff_count: int) -> str:
    count: int = event.attendee_count  # type: ignore[attr-defined]
    if staff_count and count == staff_count:
        return "Whole staff"
    if count == 0:
        return "Nobody listed"
    return f"{count} staff"


@login_required
def events_list(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year(request, slug, edit=False)
    filters = EventFilterForm(request.GET or None, year=year)
    chosen = filters.chosen() if request.GET else {}
    events = (
        year.events.select_related("observer", "observed")
        .annotate(attendee_count=Count("attendees"))
        .order_by("date", "start", "pk")
    )
    total = events.count()
    if "category" in chosen:
        events = events.filter(category=chosen["category"])
    if "month" in chosen:
        events = events.filter(date__year=chosen["month"][0], date__month=chosen["month"][1])
    page = Paginator(events, EVENTS_PER_PAGE).get_page(request.GET.get("page"))
    staff_count = year.staff.count()
    rows = [
        {
            "event": event,
            "category": category_label(event.category),
            "attendance": _attendance(event, staff_count),
        }
        for event in page.object_list
    ]
    return render(
        request,
        "schools/events.html",
        {
            "school": school,
            "year": year,
            "filters": filters,
            "filtered": bool(chosen),
            "page": page,
            "pages": page.paginator.get_elided_page_range(page.number, on_each_side=1),
            "rows": rows,
            "total": total,
            "can_edit": can_edit_school(request.user, school),
            "recheck": take_recheck(request, school),
        },
    )


def _event_form_context(
    school: School, year: SchoolYear, form: EventForm, event_id: str | None, **extra: Any
) -> dict[str, Any]:
    if event_id is None:
        heading, action = "Add an event", reverse("event-add", args=[school.slug])
    else:
        heading = "Change the event"
        action = reverse("event-edit", args=[school.slug, event_id])
    preview_url = reverse("event-preview", args=[school.slug])
    if event_id is not None:
        preview_url += f"?event={event_id}"
    context = form_context(
        school,
        form=form,
        heading=heading,
        action_url=action,
        preview_url=preview_url,
        list_url=reverse("school-events", args=[school.slug]),
        list_label="Back to the events",
        submit_label="Save and check" if event_id else "Add and check",
        add_url=reverse("event-add", args=[school.slug]),
        add_label="Add another event",
        **extra,
    )
    context["year"] = year
    # Without JavaScript a button shows the chosen category's questions; with it, choosing
    # the category does (the panel comes back with the form as filled, nothing saved).
    context["show_fields"] = SHOW_FIELDS
    form.fields["category"].widget.attrs.update(
        {"hx-post": action, "hx-trigger": "change", "hx-vals": f'{{"{SHOW_FIELDS}": "1"}}'}
    )
    if event_id is not None:
        context["delete_url"] = reverse("event-delete", args=[school.slug, event_id])
    return context


def _event_form_page(request: HttpRequest, slug: str, event_id: str | None) -> HttpResponse:
    school, year = school_year(request, slug, edit=True)
    event = None
    if event_id is not None:
        event = Event.objects.filter(school_year=year, event_id=event_id).first()
        if event is None:
            return missing(request, school, RowGone("event", event_id))
    if request.method != "POST":
        initial = EventForm.initial_for(event) if event else {"who": ["everyone"]}
        form = EventForm(initial=initial, year=year)
        context = _event_form_context(
            school, year, form, event_id, recheck=take_recheck(request, school)
        )
        return form_page(request, context, page=PAGE, partial=False)
    form = EventForm(request.POST, year=year)
    if SHOW_FIELDS in request.POST:  # the category changed: ask its questions, save nothing
        context = _event_form_context(school, year, form.without_errors(), event_id)
        return form_page(request, context, page=PAGE, partial=is_htmx(request))
    if form.is_valid():
        values = form.values()

        def save() -> Event:
            if event_id is None:
                return event_create(actor=request.user, year=year, values=values)
            return event_update(
                actor=request.user,
                year=year,
                event_id=event_id,
                values=values,
                version=form.cleaned_data["version"],
            )

        def panel(saved: Event, recheck: dict[str, Any]) -> HttpResponse:
            fresh = EventForm(initial=EventForm.initial_for(saved), year=year)
            context = _event_form_context(school, year, fresh, saved.event_id, recheck=recheck)
            return form_page(request, context, page=PAGE, partial=True)

        verb = "Added" if event_id is None else "Changed"
        done = save_and_recheck(
            request,
            school,
            year,
            form,
            save,
            heading=lambda e: f"{verb} the event ‘{e.title}’ on {day_text(e.date)}",
            saved_url=lambda e: reverse("event-edit", args=[school.slug, e.event_id]),
            panel=panel,
            kind="event",
        )
        if done is not None:
            return done
    context = _event_form_context(school, year, form, event_id)
    return form_page(request, context, page=PAGE, partial=is_htmx(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _event_form_page(request, slug, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, slug: str, event_id: str) -> HttpResponse:
    return _event_form_page(request, slug, event_id)


@login_required
def event_preview_view(request: HttpRequest, slug: str) -> HttpResponse:
    _, year = school_year(request, slug, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    event_id = request.GET.get("event") or None
    if event_id is not None:
        get_object_or_404(Event, school_year=year, event_id=event_id)
    form = EventForm(request.POST, year=year)
    return preview(
        request,
        form,
        lambda: event_preview(year=year, values=form.values(), event_id=event_id),
        year,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_delete_view(request: HttpRequest, slug: str, event_id: str) -> HttpResponse:
    school, year = school_year(request, slug, edit=True)
    list_url = reverse("school-events", args=[school.slug])
    event = (
        Event.objects.select_related("observer", "observed")
        .filter(school_year=year, event_id=event_id)
        .first()
    )
    if event is None:
        return missing(request, school, RowGone("event", event_id))
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "event": event,
        "category": category_label(event.category),
        "attendees": list(event.attendees.order_by("name")),
        "staff_count": year.staff.count(),
        "back_url": reverse("event-edit", args=[school.slug, event_id]),
        "list_url": list_url,
        "action_url": request.path,
    }
    if request.method == "POST":
        done = delete_and_recheck(
            request,
            school,
            year,
            context,
            lambda: event_delete(actor=request.user, year=year, event_id=event_id),
            heading=lambda _: f"Deleted the event ‘{event.title}’ on {day_text(event.date)}",
            what="Event",
            list_url=list_url,
            list_label="Back to the events",
            add_url=reverse("event-add", args=[school.slug]),
            add_label="Add an event",
        )
        if done is not None:
            return done
    return render(request, "schools/event_delete.html", context)
