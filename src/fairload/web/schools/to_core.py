"""Database rows -> the core's SchoolYear, through the school-year format itself.

Building the format's document and parsing it means the web app is checked by exactly
the code (and validation) that checks a file; there is no second translation.
"""

from __future__ import annotations

import copy
import json
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.http import HttpRequest, HttpResponse

from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.web.agreements.record import agreement_part_merged
from fairload.web.appeals.record import live_parts_merge
from fairload.web.committee.record import record_document
from fairload.web.monitoring.record import record_policy
from fairload.web.planner.record import plan_part
from fairload.web.proformas.record import proformas_merged
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import STAFF_FIGURES, Event, School, SchoolYear, StaffPost


def _staff_row(post: StaffPost) -> dict[str, Any]:
    row: dict[str, Any] = {"id": post.staff_id, "name": post.name, "post": post.post}
    for name in ("department", *STAFF_FIGURES):
        value = getattr(post, name)
        if value not in (None, ""):
            row[name] = value
    return row


def _event_row(event: Event, staff_ids: dict[int, str]) -> dict[str, Any]:
    row: dict[str, Any] = {
        "id": event.event_id,
        "title": event.title,
        "category": event.category,
        "date": event.date.isoformat(),
        "start": f"{event.start:%H:%M}",
        "end": f"{event.end:%H:%M}",
        "attendees": [staff_ids[pk] for pk in event.attendee_pks],  # type: ignore[attr-defined]
    }
    if event.observer_id:
        row["observer"] = staff_ids[event.observer_id]
    if event.observed_id:
        row["observed"] = staff_ids[event.observed_id]
    if event.activity:
        row["activity"] = event.activity
    if event.foreseeable is not None:
        row["foreseeable"] = event.foreseeable
    if event.during_ppa:
        row["during_ppa"] = True
    return row


#: The documents built during the request being served, by year, revision and part: a
#: page reads its year's document several times (its check, its pro-formas, its agreement),
#: and a request that changes nothing gets the same document each time.
_BUILT: ContextVar[dict[Hashable, dict[str, Any]] | None] = ContextVar(
    "year_documents", default=None
)

#: And between the reads this process serves, under the same key: every write to a row the
#: document reads bumps the year's revision (services.year_touch), as the checks kept
#: under it already rely on, so a dashboard does not build its year again on each visit.
_KEPT: Memo[dict[str, Any]] = Memo()


def _school_part(school: School) -> dict[str, Any]:
    """The document's ``school`` part: the school's own row (and its council's name)."""
    part: dict[str, Any] = {
        "id": school.slug,
        "name": school.name,
        "authority": school.council.name,
        "pack": school.pack,
        "sector": school.sector,
        "nation": school.nation,
        "roll": school.roll,
        "pupil_day": {
            "start": f"{school.pupil_day_start:%H:%M}",
            "end": f"{school.pupil_day_end:%H:%M}",
        },
    }
    if school.period_minutes:
        part["period_minutes"] = school.period_minutes
    if school.periods_per_week:
        part["periods_per_week"] = school.periods_per_week
    return part


@contextmanager
def documents_kept() -> Iterator[None]:
    """Within it, each year's document is built once (callers get their own copy)."""
    token = _BUILT.set({})
    try:
        yield
    finally:
        _BUILT.reset(token)


def documents_kept_for_reads(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Middleware: a GET or HEAD builds each year's document once. Not other methods: a
    service that writes a row the document reads may not bump the revision until its end."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if request.method not in ("GET", "HEAD"):
            return get_response(request)
        with documents_kept():
            return get_response(request)

    return middleware


def _copied(value: Any) -> Any:
    """The document's own copy: its parts are dicts, lists and plain values (JSON's)."""
    if isinstance(value, dict):
        return {k: _copied(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copied(v) for v in value]
    if isinstance(value, str | int | float | bool | type(None)):
        return value
    return copy.deepcopy(value)


def school_year_document(year: SchoolYear, *, with_agreement: bool = True) -> dict[str, Any]:
    """The year as a ``fairload/school-year@1`` document (also what export writes).

    Where the year's agreement is made in the product (web/agreements), its live record
    gives the document's allocations and process steps (agreements/record.py)."""
    return _read(year, with_agreement, lambda document: document)


def _read(year: SchoolYear, with_agreement: bool, part: Callable[[dict[str, Any]], Any]) -> Any:
    """``part`` of the year's document, the caller's own: within ``documents_kept``, a copy
    of only that part of the one document kept for the request and the process."""
    built = _BUILT.get()
    if built is None or year.pk is None:
        return part(_document(year, with_agreement=with_agreement))
    # An import of another of the school's years may change the school's own fields
    # without touching this year's revision: they are part of the key.
    school = json.dumps(_school_part(year.school), sort_keys=True)
    key = (year.pk, year.revision, school, with_agreement)
    if key not in built:
        built[key] = _KEPT.get_or_make(key, lambda: _document(year, with_agreement=with_agreement))
    return _copied(part(built[key]))


def _document(year: SchoolYear, *, with_agreement: bool) -> dict[str, Any]:
    school = year.school
    # Rows in the order they were written, which is the file's order.
    posts = list(year.staff.order_by("pk"))
    staff_ids = {post.pk: post.staff_id for post in posts}
    events = list(year.events.order_by("pk"))
    through = Event.attendees.through.objects.filter(event__school_year=year).order_by("pk")
    attendees: dict[int, list[int]] = {}
    for event_id, post_id in through.values_list("event_id", "staffpost_id"):
        attendees.setdefault(event_id, []).append(post_id)
    for event in events:
        event.attendee_pks = attendees.get(event.pk, [])  # type: ignore[attr-defined]
    document: dict[str, Any] = {
        "format": FORMAT,
        "school": _school_part(school),
        "year": {
            "label": year.label,
            "start": year.start.isoformat(),
            "end": year.end.isoformat(),
            **year.calendar,
        },
        "staff": [_staff_row(post) for post in posts],
        "events": [_event_row(event, staff_ids) for event in events],
    }
    if year.policy:
        document["policy"] = year.policy
    record_policy(year, document)  # changes not consulted on (16.6; NUT instruction 18)
    if year.agreement:
        document["agreement"] = dict(year.agreement)
    if year.proformas:
        document["proformas"] = year.proformas
    # Groups, committee and timetable cycle: rows of their own app (fairload.web.committee).
    record_document(year, document, posts)
    plan_part(year, document)  # the school's wishes, stored with the year (web/planner)
    if with_agreement:
        agreement = agreement_part_merged(
            year, document.get("agreement", {}), lambda: document["events"]
        )
        if agreement:
            document["agreement"] = agreement
        # Pro-formas made in the product (web/proformas) in place of the file's.
        proformas = proformas_merged(year, document)
        if proformas:
            document["proformas"] = proformas
        live_parts_merge(year, document)  # the flexible approach confirmed (3.3): web/appeals
    return document


def year_agreement(year: SchoolYear) -> dict[str, Any]:
    """The year's ``agreement`` part as its document has it: the live record where the
    agreement is made in the product (web/agreements), else the file's as stored. Read
    this, not ``year.agreement``, for the process record (and the committee's rows)."""
    # Only the part is copied: the staff and events are most of the document.
    return dict(_read(year, True, lambda document: document.get("agreement", {})))


def year_name(year: SchoolYear) -> str:
    """How the core names the year in what it says about it."""
    return f"{year.school.slug} {year.label}"


def to_core(year: SchoolYear) -> CoreSchoolYear:
    return parse_school_year(school_year_document(year), year_name(year))
