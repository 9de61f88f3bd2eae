"""Whose calendar a page shows, and what the calendar and the heat map pages share.

A page shows a school's calendar (for anyone who may see the school) or one teacher's
(for the teacher, and those who may see their page); ``Scope`` says which, and gives the
page's addresses. The hours come from ``fairload.core.weeks``, so these pages, the
budget table and the command line count the same hours the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import urlencode

from django.http import HttpRequest
from django.urls import reverse

from fairload.core.check import CheckResult
from fairload.core.weeks import WeeklyHours, weekly_hours
from fairload.io.ical import categories
from fairload.web.accounts.policies import can_view_school, can_view_teacher
from fairload.web.schools.lookups import post_for, school_year_for
from fairload.web.schools.models import School, SchoolYear, StaffPost


def category_class(category: str) -> str:
    """The chip's colour class; an unknown category keeps the neutral grey chip."""
    return f"fl-category-{category}" if category in categories() else ""


def hours_text(value: float | None) -> str:
    if value is None:
        return "—"
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


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


def school_scope(request: HttpRequest, slug: str) -> Scope:
    return Scope(*school_year_for(request, slug))


def teacher_scope(request: HttpRequest, slug: str, staff_id: str) -> Scope:
    post = post_for(request.user, slug, staff_id, can_view_teacher)
    return Scope(post.school_year.school, post.school_year, post)


def breadcrumbs(request: HttpRequest, scope: Scope, here: str) -> list[dict[str, str]]:
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


def first_of_month(day: date) -> date:
    return day.replace(day=1)


def month_name(day: date) -> str:
    return f"{day:%B} {day.year}"


def link(base: str, **params: str | None) -> str:
    query = {k: v for k, v in params.items() if v}
    return f"{base}?{urlencode(query)}" if query else base


def weekly(result: CheckResult) -> WeeklyHours:
    pack = result.pack
    return weekly_hours(pack.budget, result.tables, pack.parameters, result.at)
