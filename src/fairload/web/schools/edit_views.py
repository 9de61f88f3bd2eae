"""Pages to list, add, change and delete a school year's events and staff posts.

Reading is for anyone who may see the school; writing for those who may edit it. Anyone
else is answered 404, as if the page did not exist (a rep or a council officer sees the
lists without edit links, and the edit pages answer them 404 too).

Every save checks the year again and shows what changed: the findings that appeared,
cleared or changed figures, in a notification banner. With htmx the form posts in place
and the panel swaps in; without JavaScript the same form posts normally and the page it
redirects to shows the same banner (kept in the session for that one page).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from fairload.core.check import CheckResult
from fairload.core.compare import compare_checks
from fairload.core.findings import SEVERITY_ORDER
from fairload.web.accounts.policies import can_edit_school, can_view_school
from fairload.web.schools.conflicts import conflict_response, gone_response
from fairload.web.schools.editing import (
    RowGone,
    StaleEdit,
    YearInvalid,
    event_create,
    event_delete,
    event_preview,
    event_update,
    post_create,
    post_delete,
    post_deletion,
    post_preview,
    post_update,
    whole_staff_events,
)
from fairload.web.schools.event_filter_form import EventFilterForm
from fairload.web.schools.event_form import SHOW_FIELDS, EventForm
from fairload.web.schools.labels import category_label, post_label
from fairload.web.schools.lookups import school_year_for
from fairload.web.schools.models import Event, School, SchoolYear, StaffPost
from fairload.web.schools.post_form import PostForm
from fairload.web.schools.selectors import school_year_check

#: The session key holding one re-check summary for the page a save redirects to.
RECHECK_KEY = "fairload.recheck"
EVENTS_PER_PAGE = 25


# --- shared ---------------------------------------------------------------------------


T = TypeVar("T")


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _school_year(request: HttpRequest, slug: str, *, edit: bool) -> tuple[School, SchoolYear]:
    """The school and its current year, or 404 for anyone who may not read (or, for
    ``edit``, write) it."""
    return school_year_for(request, slug, can_edit_school if edit else can_view_school)


def _day(value: Any) -> str:
    return f"{value.day} {value:%b %Y}"


def _change_text(change: int) -> str:
    if change > 0:
        return f"up {change}"
    if change < 0:
        return f"down {-change}"
    return ""


def _recheck(before: CheckResult, after: CheckResult, heading: str) -> dict[str, Any]:
    """What the banner shows (JSON-safe, so it can wait in the session)."""
    comparison = compare_checks(before, after)
    data = comparison.as_dict()
    data["heading"] = heading
    data["pack"] = after.pack.title
    data["count_rows"] = [
        {
            "severity": severity.value,
            "label": severity.heading,
            "before": comparison.counts_before[severity.value],
            "after": comparison.counts_after[severity.value],
            "change": _change_text(comparison.count_changes[severity.value]),
        }
        for severity in SEVERITY_ORDER
    ]
    return data


def _keep_recheck(request: HttpRequest, school: School, recheck: dict[str, Any]) -> None:
    request.session[RECHECK_KEY] = {"school": school.slug, "recheck": recheck}


def _take_recheck(request: HttpRequest, school: School) -> dict[str, Any] | None:
    """The summary a save left for this page, once."""
    kept = request.session.get(RECHECK_KEY)
    if not kept or kept.get("school") != school.slug:
        return None
    del request.session[RECHECK_KEY]
    recheck: dict[str, Any] = kept["recheck"]
    return recheck


def _panel(
    request: HttpRequest, context: dict[str, Any], *, page: str, partial: bool
) -> HttpResponse:
    """A form page whole, or (for htmx) only its panel, with a <title> htmx puts in place."""
    context = {**context, "partial": partial}
    return render(request, "schools/_recheck_panel.html" if partial else page, context)


def _form_context(
    school: School,
    *,
    form: EventForm | PostForm,
    heading: str,
    action_url: str,
    preview_url: str,
    list_url: str,
    list_label: str,
    submit_label: str,
    add_url: str,
    add_label: str,
    recheck: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return {
        "school": school,
        "form": form,
        "heading": heading,
        "page_title": f"{heading} – {school}",
        "action_url": action_url,
        "preview_url": preview_url,
        "back_url": list_url,
        "list_url": list_url,
        "list_label": list_label,
        "submit_label": submit_label,
        "add_url": add_url,
        "add_label": add_label,
        "recheck": recheck,
    }


def _saved(
    request: HttpRequest,
    school: School,
    recheck: dict[str, Any],
    *,
    target_url: str,
    partial: Callable[[], HttpResponse],
) -> HttpResponse:
    """After a save: htmx gets the panel in place (and the address of the saved item);
    a plain form post is redirected to it, where the same banner waits in the session."""
    if _is_htmx(request):
        response = partial()
        if request.path != target_url:
            response["HX-Replace-Url"] = target_url
        return response
    _keep_recheck(request, school, recheck)
    return redirect(target_url)


def _preview(
    request: HttpRequest,
    form: EventForm | PostForm,
    run: Callable[[], CheckResult],
    year: SchoolYear,
) -> HttpResponse:
    """What saving would do, without saving: the comparison, or why it would be refused."""
    context: dict[str, Any] = {"form": form}
    if form.is_valid():
        try:
            after = run()
        except RowGone:
            context["gone"] = True
        except YearInvalid as exc:
            form.add_year_errors(exc)
        else:
            context["preview"] = _recheck(school_year_check(year=year), after, "")
    return render(request, "schools/_recheck_preview.html", context)


def _missing(request: HttpRequest, school: School, gone: RowGone) -> HttpResponse:
    """An event or post the address names that is not in the year: a change to it (a
    POST) was made to something deleted meanwhile, 410; a page to read it, 404."""
    if request.method != "POST":
        raise Http404(f"No such {gone.kind}")
    return gone_response(request, school, gone)


def _attendance(event: Event, staff_count: int) -> str:
    count: int = event.attendee_count  # type: ignore[attr-defined]
    if staff_count and count == staff_count:
        return "Whole staff"
    if count == 0:
        return "Nobody listed"
    return f"{count} staff"


# --- events ---------------------------------------------------------------------------


@login_required
def events_list(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = _school_year(request, slug, edit=False)
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
            "recheck": _take_recheck(request, school),
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
    preview = reverse("event-preview", args=[school.slug])
    if event_id is not None:
        preview += f"?event={event_id}"
    context = _form_context(
        school,
        form=form,
        heading=heading,
        action_url=action,
        preview_url=preview,
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
    school, year = _school_year(request, slug, edit=True)
    event = None
    if event_id is not None:
        event = Event.objects.filter(school_year=year, event_id=event_id).first()
        if event is None:
            return _missing(request, school, RowGone("event", event_id))
    if request.method != "POST":
        initial = EventForm.initial_for(event) if event else {"who": ["everyone"]}
        form = EventForm(initial=initial, year=year)
        context = _event_form_context(
            school, year, form, event_id, recheck=_take_recheck(request, school)
        )
        return _panel(request, context, page="schools/event_form.html", partial=False)
    form = EventForm(request.POST, year=year)
    if SHOW_FIELDS in request.POST:  # the category changed: ask its questions, save nothing
        context = _event_form_context(school, year, form.without_errors(), event_id)
        return _panel(request, context, page="schools/event_form.html", partial=_is_htmx(request))
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
            return _panel(request, context, page="schools/event_form.html", partial=True)

        verb = "Added" if event_id is None else "Changed"
        done = _save_and_recheck(
            request,
            school,
            year,
            form,
            save,
            heading=lambda e: f"{verb} the event ‘{e.title}’ on {_day(e.date)}",
            saved_url=lambda e: reverse("event-edit", args=[school.slug, e.event_id]),
            panel=panel,
            kind="event",
        )
        if done is not None:
            return done
    context = _event_form_context(school, year, form, event_id)
    return _panel(request, context, page="schools/event_form.html", partial=_is_htmx(request))


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
    _, year = _school_year(request, slug, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    event_id = request.GET.get("event") or None
    if event_id is not None:
        get_object_or_404(Event, school_year=year, event_id=event_id)
    form = EventForm(request.POST, year=year)
    return _preview(
        request,
        form,
        lambda: event_preview(year=year, values=form.values(), event_id=event_id),
        year,
    )


def _save_and_recheck(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    form: Any,
    save: Callable[[], T],
    *,
    heading: Callable[[T], str],
    saved_url: Callable[[T], str],
    panel: Callable[[T, dict[str, Any]], HttpResponse],
    kind: str,
) -> HttpResponse | None:
    """Save, then answer with what the re-check found (in place under htmx, else after a
    redirect). None when the core found a problem with the whole year: it is on the form.
    A save from a form read before someone else's change gets the conflict page (409); a
    change to something deleted meanwhile, the page that says so (410)."""
    before = school_year_check(year=year)
    try:
        saved = save()
    except YearInvalid as exc:
        form.add_year_errors(exc)
        return None
    except StaleEdit as stale:
        return conflict_response(
            request, school, year, form, stale, kind=kind, action_url=request.path
        )
    except RowGone as gone:
        return gone_response(request, school, gone)
    recheck = _recheck(before, school_year_check(year=year), heading(saved))
    return _saved(
        request,
        school,
        recheck,
        target_url=saved_url(saved),
        partial=lambda: panel(saved, recheck),
    )


def _deleted(
    request: HttpRequest,
    school: School,
    recheck: Any,
    *,
    what: str,
    list_url: str,
    list_label: str,
    add_url: str,
    add_label: str,
) -> HttpResponse:
    """After a delete: back to the list, with the re-check banner (in place under htmx)."""
    done = {
        "school": school,
        "recheck": recheck,
        "heading": f"{what} deleted",
        "page_title": f"{what} deleted – {school}",
        "list_url": list_url,
        "list_label": list_label,
        "add_url": add_url,
        "add_label": add_label,
        "partial": True,
    }
    return _saved(
        request,
        school,
        recheck,
        target_url=list_url,
        partial=lambda: render(request, "schools/_recheck_done.html", done),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_delete_view(request: HttpRequest, slug: str, event_id: str) -> HttpResponse:
    school, year = _school_year(request, slug, edit=True)
    list_url = reverse("school-events", args=[school.slug])
    event = (
        Event.objects.select_related("observer", "observed")
        .filter(school_year=year, event_id=event_id)
        .first()
    )
    if event is None:
        return _missing(request, school, RowGone("event", event_id))
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
        before = school_year_check(year=year)
        try:
            event_delete(actor=request.user, year=year, event_id=event_id)
        except RowGone as gone:
            return gone_response(request, school, gone)
        except YearInvalid as exc:
            context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
        else:
            heading = f"Deleted the event ‘{event.title}’ on {_day(event.date)}"
            return _deleted(
                request,
                school,
                _recheck(before, school_year_check(year=year), heading),
                what="Event",
                list_url=list_url,
                list_label="Back to the events",
                add_url=reverse("event-add", args=[school.slug]),
                add_label="Add an event",
            )
    return render(request, "schools/event_delete.html", context)


# --- staff posts ----------------------------------------------------------------------


@login_required
def staff_list(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = _school_year(request, slug, edit=False)
    posts = year.staff.annotate(event_count=Count("events")).order_by("name")
    rows = [{"post": post, "post_label": post_label(post.post)} for post in posts]
    return render(
        request,
        "schools/staff.html",
        {
            "school": school,
            "year": year,
            "rows": rows,
            "can_edit": can_edit_school(request.user, school),
            "recheck": _take_recheck(request, school),
        },
    )


def _post_form_context(
    school: School, year: SchoolYear, form: PostForm, post: StaffPost | None, **extra: Any
) -> dict[str, Any]:
    if post is None:
        heading, action = "Add a staff post", reverse("post-add", args=[school.slug])
        preview = reverse("post-preview", args=[school.slug])
    else:
        heading = f"Change the post of {post.name}"
        action = reverse("post-edit", args=[school.slug, post.staff_id])
        preview = reverse("post-preview", args=[school.slug]) + f"?staff={post.staff_id}"
    context = _form_context(
        school,
        form=form,
        heading=heading,
        action_url=action,
        preview_url=preview,
        list_url=reverse("school-staff", args=[school.slug]),
        list_label="Back to the staff",
        submit_label="Save and check" if post else "Add and check",
        add_url=reverse("post-add", args=[school.slug]),
        add_label="Add another post",
        **extra,
    )
    context["year"] = year
    if post is not None:
        context["delete_url"] = reverse("post-delete", args=[school.slug, post.staff_id])
        context["teacher_url"] = reverse("teacher-page", args=[school.slug, post.staff_id])
    return context


def _post_form_page(request: HttpRequest, slug: str, staff_id: str | None) -> HttpResponse:
    school, year = _school_year(request, slug, edit=True)
    post = None
    if staff_id is not None:
        post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
        if post is None:
            return _missing(request, school, RowGone("staff post", staff_id))
    joinable = 0 if post else len(whole_staff_events(year))
    if request.method != "POST":
        initial = PostForm.initial_for(post) if post else {}
        form = PostForm(initial=initial, year=year, post=post, joinable=joinable)
        context = _post_form_context(
            school, year, form, post, recheck=_take_recheck(request, school)
        )
        return _panel(request, context, page="schools/post_form.html", partial=False)
    form = PostForm(request.POST, year=year, post=post, joinable=joinable)
    if form.is_valid():
        values = form.values(staff_id)

        def save() -> StaffPost:
            if post is None:
                return post_create(
                    actor=request.user,
                    year=year,
                    values=values,
                    join_whole_staff_events=bool(form.cleaned_data.get("join_events")),
                )
            return post_update(
                actor=request.user,
                year=year,
                staff_id=post.staff_id,
                values=values,
                version=form.cleaned_data["version"],
            )

        def panel(saved: StaffPost, recheck: dict[str, Any]) -> HttpResponse:
            fresh = PostForm(initial=PostForm.initial_for(saved), year=year, post=saved)
            context = _post_form_context(school, year, fresh, saved, recheck=recheck)
            return _panel(request, context, page="schools/post_form.html", partial=True)

        verb = "Added" if post is None else "Changed"
        done = _save_and_recheck(
            request,
            school,
            year,
            form,
            save,
            heading=lambda p: f"{verb} the post of {p.name} ({p.staff_id})",
            saved_url=lambda p: reverse("post-edit", args=[school.slug, p.staff_id]),
            panel=panel,
            kind="staff post",
        )
        if done is not None:
            return done
    context = _post_form_context(school, year, form, post)
    return _panel(request, context, page="schools/post_form.html", partial=_is_htmx(request))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_add(request: HttpRequest, slug: str) -> HttpResponse:
    return _post_form_page(request, slug, None)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_edit(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _post_form_page(request, slug, staff_id)


@login_required
def post_preview_view(request: HttpRequest, slug: str) -> HttpResponse:
    _, year = _school_year(request, slug, edit=True)
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    staff_id = request.GET.get("staff") or None
    post = None
    if staff_id is not None:
        post = get_object_or_404(StaffPost, school_year=year, staff_id=staff_id)
    joinable = 0 if post else len(whole_staff_events(year))
    form = PostForm(request.POST, year=year, post=post, joinable=joinable)
    return _preview(
        request,
        form,
        lambda: post_preview(
            year=year,
            values=form.values(staff_id),
            staff_id=staff_id,
            join_whole_staff_events=bool(form.cleaned_data.get("join_events")),
        ),
        year,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def post_delete_view(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    school, year = _school_year(request, slug, edit=True)
    list_url = reverse("school-staff", args=[school.slug])
    post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
    if post is None:
        return _missing(request, school, RowGone("staff post", staff_id))
    context: dict[str, Any] = {
        "school": school,
        "year": year,
        "post": post,
        "post_label": post_label(post.post),
        "effects": post_deletion(post),
        "back_url": reverse("post-edit", args=[school.slug, staff_id]),
        "list_url": list_url,
        "action_url": request.path,
    }
    if request.method == "POST":
        before = school_year_check(year=year)
        try:
            effects = post_delete(actor=request.user, year=year, staff_id=staff_id)
        except RowGone as gone:
            return gone_response(request, school, gone)
        except YearInvalid as exc:
            context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
        else:
            heading = f"Deleted the post of {post.name} ({staff_id})"
            consequences = effects.sentences()
            if consequences:
                heading += ": " + "; ".join(consequences)
            return _deleted(
                request,
                school,
                _recheck(before, school_year_check(year=year), heading),
                what="Post",
                list_url=list_url,
                list_label="Back to the staff",
                add_url=reverse("post-add", args=[school.slug]),
                add_label="Add a staff post",
            )
    return render(request, "schools/post_delete.html", context)
