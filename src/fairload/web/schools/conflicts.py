"""What a refused stale save, or a change to something deleted, shows the person.

A save whose form was read before someone else changed the same event or post is
refused (``year_drafts.StaleEdit``); the page shows the two versions side by side, field by
field, and lets the person keep theirs (saved over the current one, knowingly) or take
the current one. A change to an event or post that is no longer there answers 410 with
a page that says so (``year_drafts.RowGone``), never a server error.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from fairload.web.htmx import is_htmx
from fairload.web.schools.labels import category_label, post_label
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.year_drafts import RowGone, StaleEdit

#: Row keys whose form label does not read well beside a value.
_LABELS = {
    "attendees": "Who attends",
    "observer": "Observer",
    "observed": "Person observed",
    "foreseeable": "Absence foreseeable (cover)",
    "during_ppa": "During PPA time",
    "activity": "Activity",
    "fte": "Full-time equivalent (FTE)",
    "qts": "Qualified teacher status",
}


def _label(key: str, form: forms.Form) -> str:
    if key in _LABELS:
        return _LABELS[key]
    field = form.fields.get(key)
    if field is not None and field.label:
        return str(field.label)
    return key.replace("_", " ").capitalize()


def _shown(key: str, value: Any, names: Mapping[str, str]) -> str:
    if value is None or value == "":
        return "—"
    if key == "attendees":
        if set(value) == set(names) and names:
            return f"The whole staff ({len(value)})"
        return ", ".join(names.get(i, i) for i in value) or "Nobody listed"
    if key in ("observer", "observed"):
        return names.get(value, value)
    if key == "category":
        return category_label(value)
    if key == "post":
        return post_label(value)
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


def conflict_rows(
    form: forms.Form, mine: Mapping[str, Any], current: Mapping[str, Any], year: SchoolYear
) -> list[dict[str, Any]]:
    """One row per field of either version: its label, both values, and whether they
    differ."""
    names = dict(year.staff.values_list("staff_id", "name"))
    keys = [k for k in mine if k != "id"] + [k for k in current if k not in mine and k != "id"]
    return [
        {
            "label": _label(key, form),
            "mine": _shown(key, mine.get(key), names),
            "current": _shown(key, current.get(key), names),
            "differs": mine.get(key) != current.get(key),
        }
        for key in keys
    ]


def conflict_response(
    request: HttpRequest,
    school: School,
    year: SchoolYear,
    form: forms.Form,
    stale: StaleEdit,
    *,
    kind: str,
    action_url: str,
) -> HttpResponse:
    """409: both versions, and a choice between keeping mine and taking the current."""
    resubmit = [
        (key, value)
        for key, values in request.POST.lists()
        if key not in ("csrfmiddlewaretoken", "version")
        for value in values
    ]
    context = {
        "school": school,
        "year": year,
        "kind": kind,
        "rows": conflict_rows(form, stale.mine, stale.current, year),
        "resubmit": resubmit,
        "version": stale.version,
        "action_url": action_url,
        "page_title": f"This {kind} was changed by someone else – {school}",
    }
    return _page(request, "schools/_edit_conflict.html", context, status=409)


#: Where a person goes back to from an event or post: (list page, link text).
_LISTS = {
    "event": ("school-events", "Back to the events"),
    "staff post": ("school-staff", "Back to the staff"),
    "school year": ("school-events", "Back to the events"),
}


def gone_response(request: HttpRequest, school: School, gone: RowGone) -> HttpResponse:
    """410: the event or post is no longer in the year."""
    name, label = _LISTS[gone.kind]
    context = {
        "school": school,
        "kind": gone.kind,
        "row_id": gone.row_id,
        "list_url": reverse(name, args=[school.slug]),
        "list_label": label,
        "page_title": f"This {gone.kind} was deleted – {school}",
    }
    return _page(request, "schools/_edit_gone.html", context, status=410)


def _page(request: HttpRequest, panel: str, context: dict[str, Any], status: int) -> HttpResponse:
    """The panel alone for htmx (it swaps in place of the form), else a whole page."""
    if is_htmx(request):
        return render(request, panel, context, status=status)
    context = {**context, "panel": panel, "full_page": True}
    return render(request, "schools/edit_answer.html", context, status=status)
