"""Export downloads and calendar feeds: parse the request, ask the policies, render.

The feed itself is public (calendar apps cannot sign in): its address carries a secret.
Every other page needs a login, and a school or teacher the person may not see (or whose
feeds they may not manage) answers 404.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_safe

from fairload.io.ical import events_to_ics
from fairload.web.accounts.policies import (
    can_manage_school_feed,
    can_manage_teacher_feed,
)
from fairload.web.feeds.deadlines import (
    FeedScope,
    deadlines_for,
    deadlines_ics,
    feed_with_deadlines,
)
from fairload.web.feeds.export import school_year_yaml
from fairload.web.feeds.models import NAME_MAX_LENGTH, FeedToken
from fairload.web.feeds.selectors import feed_find, feeds_live
from fairload.web.feeds.services import (
    FeedAlreadyMade,
    feed_create,
    feed_form_key,
    feed_mark_used,
    feed_revoke,
)
from fairload.web.schools.lookups import post_for, school_for, school_year_for
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_current, year_key
from fairload.web.schools.to_core import to_core

#: How long a calendar app (or a proxy on the phone) may keep a feed before asking again.
FEED_MAX_AGE = 900


# --- the feed -------------------------------------------------------------------------------


#: Calendar apps ask every few minutes; the text changes only with the year's revision.
_FEEDS: Memo[str | None] = Memo()


def _feed_text(year: SchoolYear, found: FeedToken) -> str | None:
    core = to_core(year)
    if found.staff_id is not None and found.staff_id not in {s.id for s in core.staff}:
        return None
    return events_to_ics(core, found.staff_id)


@require_safe
def feed(request: HttpRequest, token: str) -> HttpResponse:
    """The iCalendar feed a secret address opens: the school's current year, or just one
    teacher's part of it. Unknown and revoked addresses answer 404."""
    found = feed_find(token)
    if found is None:
        raise Http404("No such feed")
    year = school_year_current(school=found.school)
    if year is None:
        raise Http404("No such feed")
    body = _FEEDS.get_or_make((*year_key(year), found.staff_id), lambda: _feed_text(year, found))
    if body is None:
        raise Http404("No such feed")  # the teacher has left the school's current year
    # Deadlines change with the process, not the year, so they are read on every request.
    deadlines = deadlines_for(scope=_scope(found, year), now=timezone.now())
    site = request.build_absolute_uri("/").rstrip("/")
    body = feed_with_deadlines(body, deadlines_ics(deadlines, school=found.school, site_url=site))
    feed_mark_used(found)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = f"private, max-age={FEED_MAX_AGE}"
    response["Content-Disposition"] = f'inline; filename="{_feed_filename(found)}"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _scope(found: FeedToken, year: SchoolYear) -> FeedScope:
    """Whose feed it is: a teacher's own person only if they made the feed themselves."""
    person = None
    if found.staff_id is not None:
        post = year.staff.filter(staff_id=found.staff_id).select_related("person").first()
        if post is not None and post.person_id and post.person_id == found.created_by_id:
            person = post.person
    return FeedScope(school=found.school, staff_id=found.staff_id, person=person)


def _feed_filename(found: FeedToken) -> str:
    return f"{found.school.slug}{'-' + found.staff_id if found.staff_id else ''}.ics"


def _subscription(request: HttpRequest, token: str) -> dict[str, str]:
    """The feed's address to show once: https (webcal:// for a one-tap subscribe)."""
    path = reverse("feed", args=[token])
    # Production is served over https (behind a proxy that says so); only a development
    # server is plain http, and there an https address would not open.
    scheme = "https" if request.is_secure() or not settings.DEBUG else request.scheme
    address = f"{scheme}://{request.get_host()}{path}"
    return {"https_url": address, "webcal_url": f"webcal://{request.get_host()}{path}"}


def _created(
    request: HttpRequest, token: str, *, school: School, post: StaffPost | None
) -> HttpResponse:
    """The page that shows a new feed's address, the only time it is ever shown."""
    context = {
        "school": school,
        "post": post,
        "back_url": reverse("teacher-page", args=[school.slug, post.staff_id]) + "#calendar-feed"
        if post is not None
        else reverse("school-feeds", args=[school.slug]),
        **_subscription(request, token),
    }
    response = render(request, "feeds/created.html", context)
    # The page holds the secret: no browser or proxy may keep a copy.
    response["Cache-Control"] = "no-store"
    return response


# --- making a feed: POST, redirect, GET ----------------------------------------------------

#: The session key that carries a new feed's secret from the POST to the one GET that
#: shows it; the GET takes it out, so a reload shows the list, not the secret again.
_MADE = "fairload.feed_made"


def _make(
    request: HttpRequest, *, school: School, post: StaffPost | None, back: str
) -> HttpResponse:
    name = request.POST.get("name", "").strip()[:NAME_MAX_LENGTH]
    form_key = request.POST.get("form_key", "").strip()[:64] or None
    try:
        feed, token = feed_create(
            actor=request.user,
            school=school,
            staff_id=post.staff_id if post else None,
            staff_name=post.name if post else "",
            name=name,
            form_key=form_key,
        )
    except FeedAlreadyMade as already:
        messages.warning(request, already.message)
        return redirect(_teacher_page(post) if post else back)
    request.session[_MADE] = {"feed": feed.pk, "token": token}
    return redirect(back)  # 302 to a GET: a reload of the next page makes nothing


def _made_token(request: HttpRequest, *, school: School, staff_id: str | None) -> str | None:
    """The secret of the feed just made here, once (it leaves the session as it is read)."""
    made = request.session.get(_MADE)
    if not isinstance(made, dict):
        return None
    if not FeedToken.objects.filter(
        pk=made.get("feed"), school=school, staff_id=staff_id, revoked_at=None
    ).exists():
        return None
    del request.session[_MADE]
    return str(made["token"])


# --- export ---------------------------------------------------------------------------------


@login_required
@require_safe
def school_export(request: HttpRequest, slug: str) -> HttpResponse:
    school, year = school_year_for(request, slug)
    manages_feeds = can_manage_school_feed(request.user, school)
    return render(
        request,
        "feeds/export.html",
        {
            "school": school,
            "year": year,
            "manages_feeds": manages_feeds,
            "live_feeds": len(feeds_live(school=school, staff_id=None)) if manages_feeds else 0,
        },
    )


@login_required
@require_safe
def school_export_yaml(request: HttpRequest, slug: str) -> HttpResponse:
    """The current year as a school-year file: importing it gives the same year back."""
    school, year = school_year_for(request, slug)
    body = school_year_yaml(year, today=timezone.localdate())
    response = HttpResponse(body.encode(), content_type="application/yaml; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{school.slug}-{year.label}.yaml"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- the school's feeds ---------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def school_feeds(request: HttpRequest, slug: str) -> HttpResponse:
    """The school's feeds (GET), or a new one (POST, then back here by a redirect, which
    shows the new feed's address once)."""
    school = school_for(request, slug, can_manage_school_feed)
    here = reverse("school-feeds", args=[school.slug])
    if request.method == "POST":
        return _make(request, school=school, post=None, back=here)
    token = _made_token(request, school=school, staff_id=None)
    if token is not None:
        return _created(request, token, school=school, post=None)
    return render(
        request,
        "feeds/school_feeds.html",
        {
            "school": school,
            "feeds": feeds_live(school=school, staff_id=None),
            "form_key": feed_form_key(),
            "name_max_length": NAME_MAX_LENGTH,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def school_feed_revoke(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Revoke one of the school's feeds (POST); a GET goes back to the list."""
    school = school_for(request, slug, can_manage_school_feed)
    found = get_object_or_404(FeedToken, pk=pk, school=school, staff_id=None)
    if request.method == "POST" and feed_revoke(actor=request.user, feed=found):
        messages.success(request, "Feed revoked. Calendars subscribed to it will stop updating.")
    return redirect("school-feeds", slug=school.slug)


# --- a teacher's own feed -------------------------------------------------------------------


def _managed_post(request: HttpRequest, slug: str, staff_id: str) -> StaffPost:
    return post_for(request.user, slug, staff_id, can_manage_teacher_feed)


def _teacher_page(post: StaffPost) -> str:
    school = post.school_year.school
    return reverse("teacher-page", args=[school.slug, post.staff_id]) + "#calendar-feed"


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def teacher_feeds(request: HttpRequest, slug: str, staff_id: str) -> HttpResponse:
    """A new feed of the teacher's own events (POST, then back here by a redirect, which
    shows its address once); otherwise the list is on their page (GET)."""
    post = _managed_post(request, slug, staff_id)
    school = post.school_year.school
    here = reverse("teacher-feeds", args=[school.slug, post.staff_id])
    if request.method == "POST":
        return _make(request, school=school, post=post, back=here)
    token = _made_token(request, school=school, staff_id=post.staff_id)
    if token is not None:
        return _created(request, token, school=school, post=post)
    return redirect(_teacher_page(post))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def teacher_feed_revoke(request: HttpRequest, slug: str, staff_id: str, pk: int) -> HttpResponse:
    """Revoke one of the teacher's feeds (POST); a GET goes back to their page."""
    post = _managed_post(request, slug, staff_id)
    found = get_object_or_404(
        FeedToken, pk=pk, school=post.school_year.school, staff_id=post.staff_id
    )
    if request.method == "POST" and feed_revoke(
        actor=request.user, feed=found, staff_name=post.name
    ):
        messages.success(request, "Feed revoked. Calendars subscribed to it will stop updating.")
    return redirect(_teacher_page(post))
