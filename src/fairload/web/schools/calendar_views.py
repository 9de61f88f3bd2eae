"""The calendar pages: a school's or a teacher's month and week, and the year week by week.

Everything is read through the core: the stored year becomes a core SchoolYear and its
frames by ``school_year_check`` (``to_core`` and ``tables_from_years``, cached by
revision), and the weekly hours come from ``fairload.core.weeks``, so these pages, the
budget table and the command line count the same hours the same way.

Query parameters are forgiving: a month or week that cannot be read, or falls outside
the school year, shows the nearest sensible one with a note saying so, never an error.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from itertools import pairwise
from typing import Any
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from fairload.core.calendar import DAYS_PER_WORKING_WEEK, monday_of, school_period
from fairload.core.check import CheckResult
from fairload.core.school_year import Event as CoreEvent
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.weeks import (
    HEAT_LEVELS,
    WeeklyHours,
    counted_categories,
    heat_bands,
    heat_level,
    weekly_hours,
)
from fairload.io.ical import categories
from fairload.web.accounts.policies import can_view_school, can_view_teacher
from fairload.web.schools.labels import category_label
from fairload.web.schools.lookups import post_for, school_year_for
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check

VIEWS = ("month", "week")
_MONTH = re.compile(r"^\s*(\d{4})-(\d{1,2})\s*$")


def category_class(category: str) -> str:
    """The chip's colour class; an unknown category keeps the neutral grey chip."""
    return f"fl-category-{category}" if category in categories() else ""


def _today() -> date:
    return timezone.localdate()


def _hours(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


# --- who may see what ---------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Whose calendar a page shows: the school's, or one teacher's."""

    school: School
    year: SchoolYear
    post: StaffPost | None = None

    @property
    def staff_id(self) -> str | None:
        return self.post.staff_id if self.post else None

    def url(self, kind: str) -> str:
        if self.post is None:
            return reverse(f"school-{kind}", args=[self.school.slug])
        return reverse(f"teacher-{kind}", args=[self.school.slug, self.post.staff_id])


def _school_scope(request: HttpRequest, slug: str) -> Scope:
    return Scope(*school_year_for(request, slug))


def _teacher_scope(request: HttpRequest, slug: str, staff_id: str) -> Scope:
    post = post_for(request.user, slug, staff_id, can_view_teacher)
    return Scope(post.school_year.school, post.school_year, post)


def _breadcrumbs(request: HttpRequest, scope: Scope, here: str) -> list[dict[str, str]]:
    crumbs = []
    if can_view_school(request.user, scope.school):
        crumbs.append(
            {
                "label": scope.school.name,
                "url": reverse("school-dashboard", args=[scope.school.slug]),
            }
        )
    if scope.post is not None:
        crumbs.append(
            {
                "label": scope.post.name,
                "url": reverse("teacher-page", args=[scope.school.slug, scope.post.staff_id]),
            }
        )
    crumbs.append({"label": here, "url": ""})
    return crumbs


# --- reading the query ----------------------------------------------------------------------


def _first_of_month(day: date) -> date:
    return day.replace(day=1)


def _add_months(day: date, months: int) -> date:
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def _month_name(day: date) -> str:
    return f"{day:%B} {day.year}"


def _day_name(day: date) -> str:
    return f"{day:%A} {day.day} {day:%B} {day.year}"


def _parse_month(text: str) -> date | None:
    match = _MONTH.match(text)
    if not match:
        return None
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12 or not 1 <= year <= 9998:
        return None
    return date(year, month, 1)


def _parse_day(text: str) -> date | None:
    try:
        day = date.fromisoformat(text.strip())
    except ValueError:
        return None
    return day if date.min + timedelta(days=7) < day < date.max - timedelta(days=7) else None


@dataclass
class Position:
    """The month or week a page shows, and what it had to say about the request."""

    view: str
    start: date  # the first of the month, or the Monday of the week
    notes: list[str] = field(default_factory=list)


def _position(request: HttpRequest, year: CoreSchoolYear) -> Position:
    """The month or week asked for, kept inside the school year."""
    first, last = year.calendar.dates.start, year.calendar.dates.end
    label = year.calendar.label
    view = request.GET.get("view", "month")
    notes = []
    if view not in VIEWS:
        notes.append(f"There is no '{view}' view: showing the month.")
        view = "month"
    today = _today()
    in_year = first <= today <= last
    if view == "month":
        lowest, highest = _first_of_month(first), _first_of_month(last)
        default = _first_of_month(today) if in_year else lowest
        raw = request.GET.get("month")
        wanted = default
        if raw is not None:
            parsed = _parse_month(raw)
            if parsed is None:
                notes.append(f"'{raw}' is not a month written as year-month, e.g. 2025-11.")
            else:
                wanted = parsed
        clamped = min(max(wanted, lowest), highest)
        if clamped != wanted:
            notes.append(
                f"{_month_name(wanted)} is outside the {label} school year "
                f"({_day_name(first)} to {_day_name(last)})."
            )
        return Position("month", clamped, notes)
    lowest, highest = monday_of(first), monday_of(last)
    default = monday_of(today) if in_year else lowest
    raw = request.GET.get("week")
    if raw is None and request.GET.get("month"):
        # switching from a month to its weeks: the first week of that month
        month = _parse_month(request.GET["month"])
        raw = monday_of(month + timedelta(days=6)).isoformat() if month else None
    wanted = default
    if raw is not None:
        parsed = _parse_day(raw)
        if parsed is None:
            notes.append(f"'{raw}' is not a date written as year-month-day, e.g. 2025-11-10.")
        else:
            wanted = monday_of(parsed)
    clamped = min(max(wanted, lowest), highest)
    if clamped != wanted:
        notes.append(
            f"The week of {_day_name(wanted)} is outside the {label} school year "
            f"({_day_name(first)} to {_day_name(last)})."
        )
    return Position("week", clamped, notes)


# --- days and events ------------------------------------------------------------------------


@dataclass
class EventView:
    title: str
    start: time
    end: time
    category: str
    label: str
    css: str
    counted: bool
    role: str = ""


@dataclass
class DayView:
    date: date
    in_year: bool
    weekend: bool
    inservice: bool
    closures: list[str]
    bank_holiday: str | None
    today: bool
    events: list[EventView]
    column: int  # 1 (Monday) to 7 (Sunday)

    @property
    def quiet(self) -> bool:
        """Nothing to show on a phone's list: no events and nothing special about the day."""
        marked = self.inservice or self.closures or self.bank_holiday or self.today
        return not self.events and not marked

    @property
    def long_name(self) -> str:
        return f"{self.date:%A} {self.date.day} {self.date:%B}"


def _takes_part(event: CoreEvent, staff_id: str) -> str | None:
    """How a teacher is in an event (their calendar shows observing too), or None."""
    if event.observer == staff_id:
        return "observing"
    if event.observed == staff_id:
        return "observed"
    if staff_id in event.attendees:
        return ""
    return None


def _days(
    year: CoreSchoolYear, first: date, last: date, staff_id: str | None, counted: set[str]
) -> list[DayView]:
    calendar = year.calendar
    period = school_period(calendar, year.school.nation)
    closed = {day: c.name for c in calendar.closures for day in c.dates.days()}
    bank = dict(period.bank_holidays_in_term)
    inservice = set(calendar.inservice_days)
    by_day: dict[date, list[EventView]] = defaultdict(list)
    for event in sorted(year.events, key=lambda e: (e.date, e.start, e.end, e.title)):
        if not first <= event.date <= last:
            continue
        role = _takes_part(event, staff_id) if staff_id else ""
        if role is None:
            continue
        by_day[event.date].append(
            EventView(
                event.title,
                event.start,
                event.end,
                event.category,
                category_label(event.category),
                category_class(event.category),
                event.category in counted,
                role,
            )
        )
    today = _today()
    days = []
    for offset in range((last - first).days + 1):
        day = first + timedelta(days=offset)
        days.append(
            DayView(
                date=day,
                in_year=day in calendar.dates,
                weekend=day.weekday() >= DAYS_PER_WORKING_WEEK,
                inservice=day in inservice,
                closures=[closed[day]] if day in closed else [],
                bank_holiday=bank.get(day),
                today=day == today,
                events=by_day.get(day, []),
                column=day.weekday() + 1,
            )
        )
    return days


def _legend(days: list[DayView]) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for day in days:
        for event in day.events:
            seen.setdefault(
                event.category,
                {"label": event.label, "css": event.css, "counted": event.counted},
            )
    return sorted(seen.values(), key=lambda item: item["label"])


def _link(base: str, **params: str | None) -> str:
    query = {k: v for k, v in params.items() if v}
    return f"{base}?{urlencode(query)}" if query else base


def _weekly(result: CheckResult) -> WeeklyHours:
    pack = result.pack
    return weekly_hours(pack.budget, result.tables, pack.parameters, result.at)


def _week_summary(
    result: CheckResult, school_id: str, staff_id: str | None, monday: date, year: CoreSchoolYear
) -> dict[str, Any] | None:
    """The week's counted hours, as the heat map shows them."""
    number = school_period(year.calendar, year.school.nation).week_of(monday)
    hours = _weekly(result)
    if staff_id:
        rows = hours.teacher(school_id, staff_id).filter(week=number)
        if rows.is_empty():
            return None
        row = rows.row(0, named=True)
        return {
            "teacher": True,
            "hours": _hours(row["hours"]),
            "per_week": _hours(row["per_week"]),
            "over": row["over"],
        }
    rows = hours.school(school_id).filter(week=number)
    if rows.is_empty():
        return None
    row = rows.row(0, named=True)
    return {
        "teacher": False,
        "hours": _hours(row["max_hours"]),
        "mean": _hours(row["mean_hours"]),
        "busiest": row["busiest_name"],
        "others": max((row["busiest_count"] or 0) - 1, 0),
        "per_week": _hours(row["per_week"]),
        "over": row["over"],
    }


def _query(view: str, start: date) -> dict[str, str]:
    if view == "month":
        return {"view": view, "month": start.strftime("%Y-%m")}
    return {"view": view, "week": start.isoformat()}


def _calendar(request: HttpRequest, scope: Scope) -> HttpResponse:
    result = school_year_check(year=scope.year)
    core = result.tables.years[scope.school.slug]
    position = _position(request, core)
    staff_id = scope.staff_id
    staff_options: list[dict[str, Any]] = []
    if scope.post is None:
        names = {s.id: s.name for s in core.staff}
        wanted = request.GET.get("staff", "").strip()
        if wanted and wanted not in names:
            position.notes.append(
                f"There is no teacher '{wanted}' in {core.calendar.label}: "
                "showing everyone's events."
            )
        staff_id = wanted if wanted in names else None
        staff_options = [
            {"id": s.id, "name": s.name, "selected": s.id == staff_id}
            for s in sorted(core.staff, key=lambda s: (s.name, s.id))
        ]
    year_start, year_end = core.calendar.dates.start, core.calendar.dates.end
    first = position.start
    today = _today()
    if position.view == "month":
        last = _add_months(first, 1) - timedelta(days=1)
        previous, following = _add_months(first, -1), _add_months(first, 1)
        lowest, highest = _first_of_month(year_start), _first_of_month(year_end)
        title = _month_name(first)
        previous_label, next_label = _month_name(previous), _month_name(following)
        today_start = _first_of_month(today)
        # the month's weeks start with the week of its first Monday
        week_of_page = min(
            max(monday_of(first + timedelta(days=6)), monday_of(year_start)),
            monday_of(year_end),
        )
        month_of_page = first
    else:
        last = first + timedelta(days=6)
        previous, following = first - timedelta(weeks=1), first + timedelta(weeks=1)
        lowest, highest = monday_of(year_start), monday_of(year_end)
        title = f"Week beginning {_day_name(first)}"
        previous_label = f"Week beginning {previous.day} {previous:%B}"
        next_label = f"Week beginning {following.day} {following:%B}"
        today_start = monday_of(today)
        week_of_page = first
        month_of_page = min(
            max(_first_of_month(first), _first_of_month(year_start)), _first_of_month(year_end)
        )
    days = _days(core, first, last, staff_id, set(counted_categories(result.pack.budget)))
    base = scope.url("calendar")
    staff_param = {"staff": staff_id} if scope.post is None and staff_id else {}

    def url(view: str, start: date) -> str:
        return _link(base, **_query(view, start), **staff_param)

    in_year_today = year_start <= today <= year_end
    context = {
        "school": scope.school,
        "year": scope.year,
        "post": scope.post,
        "view": position.view,
        "title": title,
        "notes": position.notes,
        "days": days,
        "has_events": any(day.events for day in days),
        "legend": _legend(days),
        "previous": {"url": url(position.view, previous), "label": previous_label}
        if previous >= lowest
        else None,
        "next": {"url": url(position.view, following), "label": next_label}
        if following <= highest
        else None,
        "today_url": url(position.view, today_start)
        if in_year_today and today_start != first
        else None,
        "month_url": url("month", month_of_page),
        "week_url": url("week", week_of_page),
        "current": _query(position.view, first),
        "staff_options": staff_options,
        "staff_id": staff_id,
        "selected_name": next((s.name for s in core.staff if s.id == staff_id), None),
        "heatmap_url": scope.url("heatmap"),
        "week_summary": _week_summary(result, scope.school.slug, staff_id, first, core)
        if position.view == "week"
        else None,
        "breadcrumbs": _breadcrumbs(request, scope, "Calendar"),
    }
    return render(request, "schools/calendar.html", context)


@login_required
def school_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(request, _school_scope(request, slug))


@login_required
def teacher_calendar(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _calendar(request, _teacher_scope(request, slug, staff_id))


# --- the year week by week ------------------------------------------------------------------


def _band_labels(bands: tuple[float, ...]) -> list[dict[str, Any]]:
    """The key to the heat map's levels, in hours."""
    labels: list[dict[str, Any]] = [
        {"level": 0, "label": "No hours"},
        {"level": 1, "label": f"Up to {_hours(bands[0])} h"},
    ]
    for level, (lower, upper) in enumerate(pairwise(bands), start=2):
        labels.append(
            {"level": level, "label": f"More than {_hours(lower)} up to {_hours(upper)} h"}
        )
    labels.append({"level": HEAT_LEVELS, "label": f"More than {_hours(bands[-1])} h"})
    return labels


ORDINALS = ("1st", "2nd", "3rd", "4th", "5th", "6th")


def _by_document(hours: WeeklyHours) -> list[tuple[str, list[str]]]:
    """The weekly average's clauses, grouped by document: [(title, [clause, …])]."""
    grouped: dict[str, list[str]] = {}
    for reference in hours.references:
        grouped.setdefault(reference.document.title, []).append(reference.clause)
    return list(grouped.items())


def _heatmap(request: HttpRequest, scope: Scope) -> HttpResponse:
    result = school_year_check(year=scope.year)
    slug = scope.school.slug
    hours = _weekly(result)
    teacher = scope.post is not None
    if teacher:
        assert scope.post is not None
        frame = hours.teacher(slug, scope.post.staff_id).rename({"hours": "figure"})
    else:
        frame = hours.school(slug).rename({"max_hours": "figure"})
    rows = frame.to_dicts()
    per_week_values = [r["per_week"] for r in rows if r["per_week"] is not None]
    per_week = per_week_values[0] if per_week_values else None
    peak = max((r["figure"] or 0.0 for r in rows), default=0.0)
    bands = heat_bands(per_week, peak)
    calendar_url = scope.url("calendar")
    full_time = hours.teachers.filter(
        (hours.teachers["school_id"] == slug) & (hours.teachers["fte"] >= 1.0)
    )
    own_averages = sorted({round(v, 6) for v in full_time["per_week"].drop_nulls().to_list()})
    weeks = []
    for row in rows:
        figure = row["figure"] or 0.0
        over = row["over"] if teacher else row["over"] > 0
        weeks.append(
            {
                **row,
                "figure_text": _hours(row["figure"]),
                "mean_text": _hours(row.get("mean_hours")),
                "level": heat_level(figure, bands),
                "is_over": bool(over),
                "holiday": row["working_days"] == 0,
                "url": _link(calendar_url, view="week", week=row["monday"].isoformat()),
                "short_date": f"{row['monday'].day} {row['monday']:%b}",
                "others": max((row.get("busiest_count") or 0) - 1, 0),
            }
        )
    months: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for week in weeks:
        months[_first_of_month(week["monday"])].append(week)
    columns = max((len(w) for w in months.values()), default=0)
    grid = [
        {
            "label": _month_name(month),
            "short": f"{month:%b %y}",
            "weeks": cells,
            "blanks": range(columns - len(cells)),
        }
        for month, cells in sorted(months.items())
    ]
    over_weeks = [w for w in weeks if w["is_over"]]
    busiest = max(weeks, key=lambda w: (w["figure"] or 0.0, -w["week"]), default=None)
    budget = result.pack.budget
    annual = (
        hours.teacher(slug, scope.post.staff_id)["annual_hours"].first()
        if teacher and scope.post
        else None
    )
    context = {
        "school": scope.school,
        "year": scope.year,
        "post": scope.post,
        "teacher": teacher,
        "grid": grid,
        "columns": ORDINALS[:columns],
        "weeks": weeks,
        "legend": _band_labels(bands),
        "per_week": _hours(per_week) if per_week is not None else None,
        "annual": _hours(annual) if annual is not None else None,
        "own_averages": [_hours(v) for v in own_averages],
        "varies": len(own_averages) > 1,
        "working_weeks": _hours(
            float(result.tables.schools.filter(school_id=slug)["working_weeks"][0])
        ),
        "budget": budget,
        "counted": [
            {"label": category_label(c), "css": category_class(c)} for c in hours.categories
        ],
        "lines": hours.lines,
        "references": _by_document(hours),
        "over_weeks": over_weeks,
        "busiest": busiest if busiest and (busiest["figure"] or 0) > 0 else None,
        "calendar_url": calendar_url,
        "breadcrumbs": _breadcrumbs(request, scope, "Hours week by week"),
    }
    return render(request, "schools/heatmap.html", context)


@login_required
def school_heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    return _heatmap(request, _school_scope(request, slug))


@login_required
def teacher_heatmap(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _heatmap(request, _teacher_scope(request, slug, staff_id))
