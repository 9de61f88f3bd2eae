"""What every page that adds, changes or deletes an event or a staff post does alike.

Reading is for anyone who may see the school; writing for those who may edit it. Anyone
else is answered 404, as if the page did not exist (a rep or a council officer sees the
lists without edit links, and the edit pages answer them 404 too).

Every save checks the year again and shows what changed: the findings that appeared,
cleared or changed figures, in a notification banner. With htmx the form posts in place
and the panel swaps in; without JavaScript the same form posts normally and the page it
redirects to shows the same banner (kept in the session for that one page). The event
pages (``event_views``) and the staff pages (``post_views``) are built on this module.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from fairload.core.check import CheckResult
from fairload.core.compare import compare_checks
from fairload.core.findings import SEVERITY_ORDER
from fairload.web.accounts.policies import can_edit_school, can_view_school
from fairload.web.htmx import is_htmx
from fairload.web.schools.conflicts import conflict_response, gone_response
from fairload.web.schools.event_form import EventForm
from fairload.web.schools.lookups import school_year_for
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.post_form import PostForm
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.year_drafts import RowGone, StaleEdit, YearInvalid

#: The session key holding one re-check summary for the page a save redirects to.
RECHECK_KEY = "fairload.recheck"

T = TypeVar("T")


def school_year(request: HttpRequest, slug: str, *, edit: bool) -> tuple[School, SchoolYear]:
    """The school and its current year, or 404 for anyone who may not read (or, for
    ``edit``, write) it."""
    return school_year_for(request, slug, can_edit_school if edit else can_view_school)


def _change_text(change: int) -> str:
    if change > 0:
        return f"up {change}"
    if change < 0:
        return f"down {-change}"
    return ""


def recheck_summary(before: CheckResult, after: CheckResult, heading: str) -> dict[str, Any]:
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


def take_recheck(request: HttpRequest, school: School) -> dict[str, Any] | None:
    """The summary a save left for this page, once."""
    kept = request.session.get(RECHECK_KEY)
    if not kept or kept.get("school") != school.slug:
        return None
    del request.session[RECHECK_KEY]
    summary: dict[str, Any] = kept["recheck"]
    return summary


def form_page(
    request: HttpRequest, context: dict[str, Any], *, page: str, partial: bool
) -> HttpResponse:
    """A form page whole, or (for htmx) only its panel, with a <title> htmx puts in place."""
    context = {**context, "partial": partial}
    return render(request, "schools/_recheck_panel.html" if partial else page, context)


def form_context(
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
    summary: dict[str, Any],
    *,
    target_url: str,
    partial: Callable[[], HttpResponse],
) -> HttpResponse:
    """After a save: htmx gets the panel in place (and the address of the saved item);
    a plain form post is redirected to it, where the same banner waits in the session."""
    if is_htmx(request):
        response = partial()
        if request.path != target_url:
            response["HX-Replace-Url"] = target_url
        return response
    request.session[RECHECK_KEY] = {"school": school.slug, "recheck": summary}
    return redirect(target_url)


def preview(
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
            context["preview"] = recheck_summary(school_year_check(year=year), after, "")
    return render(request, "schools/_recheck_preview.html", context)


def missing(request: HttpRequest, school: School, gone: RowGone) -> HttpResponse:
    """An event or post the address names that is not in the year: a change to it (a
    POST) was made to something deleted meanwhile, 410; a page to read it, 404."""
    if request.method != "POST":
        raise Http404(f"No such {gone.kind}")
    return gone_response(request, school, gone)


def save_and_recheck(
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
    summary = recheck_summary(before, school_year_check(year=year), heading(saved))
    return _saved(
        request,
        school,
        summary,
        target_url=saved_url(saved),
        partial=lambda: panel(saved, summary),
    )


def delete_and_recheck(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    context: dict[str, Any],
    delete: Callable[[], T],
    *,
    heading: Callable[[T], str],
    what: str,
    list_url: str,
    list_label: str,
    add_url: str,
    add_label: str,
) -> HttpResponse | None:
    """Delete, then go back to the list with the re-check banner (in place under htmx).
    None when the core refused the year without the row: the problems are in
    ``context``. A row deleted meanwhile gets the page that says so (410)."""
    before = school_year_check(year=year)
    try:
        deleted = delete()
    except RowGone as gone:
        return gone_response(request, school, gone)
    except YearInvalid as exc:
        context["problems"] = [m for ms in exc.message_dict.values() for m in ms]
        return None
    summary = recheck_summary(before, school_year_check(year=year), heading(deleted))
    done = {
        "school": school,
        "recheck": summary,
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
        summary,
        target_url=list_url,
        partial=lambda: render(request, "schools/_recheck_done.html", done),
    )
