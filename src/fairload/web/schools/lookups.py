"""Finding the school (and its current year) a request names, or answering 404.

Every page of a school starts here, so the answer to someone who may not see a school is
the same everywhere: 404, not revealing that it exists.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from fairload.web.accounts.models import Membership
from fairload.web.accounts.policies import User, can_view_school
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_current

Allowed = Callable[[User, School], bool]
AllowedPost = Callable[[User, StaffPost], bool]


def school_for(request: HttpRequest, slug: str, allowed: Allowed = can_view_school) -> School:
    """The school, if `allowed` (a policy) lets the user at it; else 404."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    if not allowed(request.user, school):
        school_refuse(request.user, school)
    request.fairload_school = school  # type: ignore[attr-defined]  # for the menu (navigation.py)
    return school


def school_refuse(user: User, school: School) -> NoReturn:
    """Refuse a page of `school`: 403 "not for your role" to someone who works there (its
    existence is no secret to them, and 403.html links home), else 404 "No such school"."""
    if not can_view_school(user, school) and _works_at(user, school):
        raise PermissionDenied("This page is not for your role")
    raise Http404("No such school")


def _works_at(user: User, school: School) -> bool:
    """A post in the school, or a role held there: someone who knows the school exists."""
    if not user.is_authenticated:
        return False
    return (
        Membership.objects.filter(user=user, school=school).exists()
        or StaffPost.objects.filter(person=user, school_year__school=school).exists()
    )


def school_year_for(
    request: HttpRequest, slug: str, allowed: Allowed = can_view_school
) -> tuple[School, SchoolYear]:
    """The school and its current year; 404 if not allowed or there is no year yet."""
    school = school_for(request, slug, allowed)
    year = school_year_current(school=school)
    if year is None:
        raise Http404("This school has no year yet")
    return school, year


def post_for(user: User, slug: str, staff_id: str, allowed: AllowedPost) -> StaffPost:
    """The staff post in the school's current year, if `allowed` (a policy) lets the user
    at it; else 404, whether the school, the year or the post is missing or not allowed.

    The post comes with its year and school attached (``post.school_year.school``)."""
    school = get_object_or_404(School.objects.select_related("council"), slug=slug)
    year = school_year_current(school=school)
    post = None
    if year is not None:
        post = StaffPost.objects.filter(school_year=year, staff_id=staff_id).first()
    if post is None or year is None or not allowed(user, post):
        raise Http404("No such teacher")
    post.school_year = year
    return post
