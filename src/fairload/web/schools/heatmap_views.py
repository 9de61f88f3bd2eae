"""The heat map pages: a school's or a teacher's counted hours, the year week by week."""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from itertools import pairwise
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from fairload.core.weeks import HEAT_LEVELS, WeeklyHours, heat_bands, heat_level
from fairload.web.schools.calendar_scope import (
    Scope,
    breadcrumbs,
    category_class,
    first_of_month,
    hours_text,
    link,
    month_name,
    school_scope,
    teacher_scope,
    weekly,
)
from fairload.web.schools.labels import category_label
from fairload.web.schools.selectors import school_year_check


def _band_labels(bands: tuple[float, ...]) -> list[dict[str, Any]]:
    """The key to the heat map's levels, in hours."""
    labels: list[dict[str, Any]] = [
        {"level": 0, "label": "No hours"},
        {"level": 1, "label": f"Up to {hours_text(bands[0])} h"},
    ]
    for level, (lower, upper) in enumerate(pairwise(bands), start=2):
        labels.append(
            {"level": level, "label": f"More than {hours_text(lower)} up to {hours_text(upper)} h"}
        )
    labels.append({"level": HEAT_LEVELS, "label": f"More than {hours_text(bands[-1])} h"})
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
    hours = weekly(result)
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
                "figure_text": hours_text(row["figure"]),
                "mean_text": hours_text(row.get("mean_hours")),
                "level": heat_level(figure, bands),
                "is_over": bool(over),
                "holiday": row["working_days"] == 0,
                "url": link(calendar_url, view="week", week=row["monday"].isoformat()),
                "short_date": f"{row['monday'].day} {row['monday']:%b}",
                "others": max((row.get("busiest_count") or 0) - 1, 0),
            }
        )
    months: dict[date, list[dict[str, Any]]] = defaultdict(list)
    for week in weeks:
        months[first_of_month(week["monday"])].append(week)
    columns = max((len(w) for w in months.values()), default=0)
    grid = [
        {
            "label": month_name(month),
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
        "per_week": hours_text(per_week) if per_week is not None else None,
        "annual": hours_text(annual) if annual is not None else None,
        "own_averages": [hours_text(v) for v in own_averages],
        "varies": len(own_averages) > 1,
        "working_weeks": hours_text(
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
        "breadcrumbs": breadcrumbs(request, scope, "Hours week by week"),
    }
    return render(request, "schools/heatmap.html", context)


@login_required
def school_heatmap(request: HttpRequest, slug: str) -> HttpResponse:
    return _heatmap(request, school_scope(request, slug))


@login_required
def teacher_heatmap(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    return _heatmap(request, teacher_scope(request, slug, staff_id))
