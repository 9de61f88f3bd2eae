"""The calendar pages: a school's or a teacher's month and week.

Everything is read through the core: the stored year becomes a core SchoolYear and its
frames by ``school_year_check`` (``to_core`` and ``tables_from_years``, cached by
revision). Which month or week is shown comes from ``calendar_position``, its days from
``calendar_days``; the year week by week is in ``heatmap_views``.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from fairload.core.calendar import monday_of, school_period
from fairload.core.check import CheckResult
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.weeks import counted_categories
from fairload.web.schools.calendar_days import day_views, legend_of
from fairload.web.schools.calendar_position import add_months, day_name, read_position
from fairload.web.schools.calendar_scope import (
    Scope,
    breadcrumbs,
    first_of_month,
    hours_text,
    link,
    month_name,
    school_scope,
    teacher_scope,
    weekly,
)
from fairload.web.schools.selectors import school_year_check


def _today() -> date:
    return timezone.localdate()


def _week_summary(
    result: CheckResult, school_id: str, staff_id: str | None, monday: date, year: CoreSchoolYear
) -> dict[str, Any] | None:
    """The week's counted hours, as the heat map shows them."""
    number = school_period(year.calendar, year.school.nation).week_of(monday)
    hours = weekly(result)
    if staff_id:
        rows = hours.teacher(school_id, staff_id).filter(week=number)
        if rows.is_empty():
            return None
        row = rows.row(0, named=True)
        return {
            "teacher": True,
            "hours": hours_text(row["hours"]),
            "per_week": hours_text(row["per_week"]),
            "over": row["over"],
        }
    rows = hours.school(school_id).filter(week=number)
    if rows.is_empty():
        return None
    row = rows.row(0, named=True)
    return {
        "teacher": False,
        "hours": hours_text(row["max_hours"]),
        "mean": hours_text(row["mean_hours"]),
        "busiest": row["busiest_name"],
        "others": max((row["busiest_count"] or 0) - 1, 0),
        "per_week": hours_text(row["per_week"]),
        "over": row["over"],
    }


def _query(view: str, start: date) -> dict[str, str]:
    if view == "month":
        return {"view": view, "month": start.strftime("%Y-%m")}
    return {"view": view, "week": start.isoformat()}


def _calendar(request: HttpRequest, scope: Scope) -> HttpResponse:
    result = school_year_check(year=scope.year)
    core = result.tables.years[scope.school.slug]
    today = _today()
    position = read_position(request, core, today)
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
    if position.view == "month":
        last = add_months(first, 1) - timedelta(days=1)
        previous, following = add_months(first, -1), add_months(first, 1)
        lowest, highest = first_of_month(year_start), first_of_month(year_end)
        title = month_name(first)
        previous_label, next_label = month_name(previous), month_name(following)
        today_start = first_of_month(today)
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
        title = f"Week beginning {day_name(first)}"
        previous_label = f"Week beginning {previous.day} {previous:%B}"
        next_label = f"Week beginning {following.day} {following:%B}"
        today_start = monday_of(today)
        week_of_page = first
        month_of_page = min(
            max(first_of_month(first), first_of_month(year_start)), first_of_month(year_end)
        )
    counted = set(counted_categories(result.pack.budget))
    days = day_views(core, first, last, staff_id, counted, today)
    base = scope.url("calendar")
    staff_param = {"staff": staff_id} if scope.post is None and staff_id else {}

    def url(view: str, start: date) -> str:
        return link(base, **_query(view, start), **staff_param)

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
        "legend": legend_of(days),
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
        "breadcrumbs": breadcrumbs(request, scope, "Calendar"),
    }
    return render(request, "schools/calendar.html", context)


@login_required
def school_calendar(request: HttpRequest, slug: str) -> HttpResponse:
    return _calendar(request, school_scope(request, slug))


@login_required
def teacher_calendar(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _calendar(request, teacher_scope(request, slug, staff_id))
