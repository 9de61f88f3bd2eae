"""Calendar feeds: a secret address per feed, serving the school's or one teacher's events.

The feed is public (calendar apps cannot sign in), so everything rests on the secret:
unknown and revoked addresses answer 404, the secret is never stored, and only those the
policies allow can make or revoke a feed.
"""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta

import pytest
from django.db.models import Q
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from fairload.web.audit.models import AuditEntry
from fairload.web.feeds.models import FeedToken
from fairload.web.feeds.services import feed_create, feed_mark_used
from fairload.web.schools.models import Event, School, SchoolYear, StaffPost
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document

from .access import CAST, refused

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

pytestmark = pytest.mark.django_db

SCOTTISH = "test-academy"
_ADDRESS = re.compile(r"data-feed-url>https://testserver/feeds/([A-Za-z0-9_-]+)\.ics<")


def _token(response) -> str:  # type: ignore[no-untyped-def]
    """The secret shown (once) on the page a new feed answers with."""
    assert response.status_code == 200, response.content
    match = _ADDRESS.search(response.content.decode())
    assert match, "the new feed's https address is on the page"
    return match.group(1)


def _make_teacher_feed(as_user, who: str = "teacher", staff_id: str = "t1") -> str:  # type: ignore[no-untyped-def]
    url = reverse("teacher-feeds", args=[SCOTTISH, staff_id])
    return _token(as_user(who).post(url, follow=True))


def _make_school_feed(as_user, who: str = "head") -> str:  # type: ignore[no-untyped-def]
    return _token(as_user(who).post(reverse("school-feeds", args=[SCOTTISH]), follow=True))


def _read(token: str) -> Calendar:
    response = Client().get(reverse("feed", args=[token]))
    assert response.status_code == 200, response.content
    return Calendar.from_ical(response.content)


def _event_uids(calendar: Calendar) -> set[str]:
    """The UIDs of the timed events (the in-service days are all-day VEVENTs of their own)."""
    return {
        str(vevent["UID"]) for vevent in calendar.walk("VEVENT") if "X-FAIRLOAD-CATEGORY" in vevent
    }


def _uids_of(events) -> set[str]:  # type: ignore[no-untyped-def]
    return {f"{e.event_id}@{SCOTTISH}.fairload" for e in events}


def _teachers_events(staff_id: str):  # type: ignore[no-untyped-def]
    year = SchoolYear.objects.get(school__slug=SCOTTISH)
    return (
        Event.objects.filter(school_year=year)
        .filter(
            Q(attendees__staff_id=staff_id)
            | Q(observer__staff_id=staff_id)
            | Q(observed__staff_id=staff_id)
        )
        .distinct()
    )


# --- what a feed serves ---------------------------------------------------------------------


def test_a_teachers_feed_is_valid_icalendar_with_exactly_their_events(as_user):
    token = _make_teacher_feed(as_user)

    response = Client().get(reverse("feed", args=[token]))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, max-age=900"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["X-WR-CALNAME"]) == "Test Academy — Kirsty Teacher"
    expected = _uids_of(_teachers_events("t1"))
    assert _event_uids(calendar) == expected
    # Kirsty teaches maths: the maths department meeting is hers, and not Duncan's (English).
    assert f"dm1@{SCOTTISH}.fairload" in expected
    assert f"dm1@{SCOTTISH}.fairload" not in _uids_of(_teachers_events("t2"))
    all_day = [v for v in calendar.walk("VEVENT") if "X-FAIRLOAD-CATEGORY" not in v]
    assert len(all_day) == 5  # the year's five in-service days


def test_a_colleagues_feed_leaves_out_the_maths_department_meeting(as_user):
    token = _make_teacher_feed(as_user, "colleague", "t2")

    uids = _event_uids(_read(token))

    assert uids == _uids_of(_teachers_events("t2"))
    assert f"dm1@{SCOTTISH}.fairload" not in uids
    assert f"sm1@{SCOTTISH}.fairload" in uids


def test_the_school_feed_has_every_event_of_the_year(as_user):
    token = _make_school_feed(as_user)

    calendar = _read(token)

    year = SchoolYear.objects.get(school__slug=SCOTTISH)
    assert _event_uids(calendar) == _uids_of(year.events.all())
    assert len(_event_uids(calendar)) == 7
    assert str(calendar["X-WR-CALNAME"]) == "Test Academy"


def test_the_feed_follows_the_calendar_when_an_event_changes(as_user):
    token = _make_teacher_feed(as_user)
    Event.objects.filter(event_id="sm1", school_year__school__slug=SCOTTISH).update(
        title="Whole-school meeting (moved)"
    )

    titles = {str(v["SUMMARY"]) for v in _read(token).walk("VEVENT")}

    assert "Whole-school meeting (moved)" in titles


# --- unknown, revoked, stopped ------------------------------------------------------------


@pytest.mark.parametrize(
    "token",
    ["not-a-feed", "x" * 43, "A" * 500, "..", "%00"],
    ids=["short", "right length", "long", "dots", "nul"],
)
def test_an_unknown_address_is_404(as_user, token):
    _make_school_feed(as_user)  # a real feed exists; guessing still finds nothing

    assert Client().get(f"/feeds/{token}.ics").status_code == 404


def test_a_revoked_feed_is_404(as_user):
    token = _make_teacher_feed(as_user)
    feed = FeedToken.objects.get()
    _read(token)

    response = as_user("teacher").post(
        reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", feed.pk])
    )

    assert response.status_code == 302
    assert Client().get(reverse("feed", args=[token])).status_code == 404


def test_a_feed_stops_when_the_login_that_made_it_is_disabled_or_deleted(as_user, cast):
    teacher_token = _make_teacher_feed(as_user)
    school_token = _make_school_feed(as_user)
    _read(teacher_token)

    teacher = cast["teacher"]
    teacher.is_active = False
    teacher.save()
    # What deleting the head's login does to the feed (created_by is SET_NULL).
    FeedToken.objects.filter(created_by=cast["head"]).update(created_by=None)

    assert Client().get(reverse("feed", args=[teacher_token])).status_code == 404
    assert Client().get(reverse("feed", args=[school_token])).status_code == 404


def test_a_teachers_feed_is_404_once_they_are_not_in_the_current_year(as_user):
    token = _make_teacher_feed(as_user)
    document = school_year_document(SchoolYear.objects.get(school__slug=SCOTTISH))
    document["staff"] = [s for s in document["staff"] if s["id"] != "t1"]
    for event in document["events"]:
        event["attendees"] = [a for a in event["attendees"] if a != "t1"]
    school_year_import(document=document, source="t1 has left")

    assert Client().get(reverse("feed", args=[token])).status_code == 404


def test_the_feed_answers_only_reads(as_user):
    token = _make_school_feed(as_user)

    assert Client().post(reverse("feed", args=[token])).status_code == 405
    assert Client().head(reverse("feed", args=[token])).status_code == 200


# --- the secret -----------------------------------------------------------------------------


def test_the_secret_is_not_stored_only_its_hash(as_user):
    token = _make_teacher_feed(as_user)

    feed = FeedToken.objects.get()
    assert feed.token_hash == hashlib.sha256(token.encode()).hexdigest()
    stored = [str(v) for v in FeedToken.objects.values().get().values()]
    assert not any(token in value for value in stored)
    for entry in AuditEntry.objects.all():
        assert token not in entry.summary
        assert token not in str(entry.details)
        assert feed.token_hash not in str(entry.details)


def test_the_address_is_shown_once_in_both_forms_and_never_again(as_user):
    teacher = as_user("teacher")
    response = teacher.post(reverse("teacher-feeds", args=[SCOTTISH, "t1"]), follow=True)
    token = _token(response)
    page = response.content.decode()

    assert f"webcal://testserver/feeds/{token}.ics" in page
    assert "Add Subscribed Calendar" in page and "From URL" in page
    assert response["Cache-Control"] == "no-store"
    again = as_user("teacher").get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content
    assert token.encode() not in again
    assert b"data-feed=" in again  # listed, without its address
    reload = teacher.get(reverse("teacher-feeds", args=[SCOTTISH, "t1"]), follow=True).content
    assert token.encode() not in reload  # the page that showed it, reloaded, does not


def test_the_feed_survives_a_reimport_of_the_year(as_user):
    token = _make_teacher_feed(as_user)
    year = SchoolYear.objects.get(school__slug=SCOTTISH)
    old_post = StaffPost.objects.get(school_year=year, staff_id="t1").pk
    document = school_year_document(year)
    document["events"].append(
        {
            "id": "dm2",
            "title": "Maths department meeting",
            "category": "department-meeting",
            "date": "2025-10-01",
            "start": "15:45",
            "end": "16:45",
            "attendees": ["t1", "pt3"],
        }
    )

    school_year_import(document=document, source="re-import")

    assert not StaffPost.objects.filter(pk=old_post).exists()  # the posts were recreated
    uids = _event_uids(_read(token))
    assert f"dm2@{SCOTTISH}.fairload" in uids
    assert uids == _uids_of(_teachers_events("t1"))


# --- last used ------------------------------------------------------------------------------


def test_reading_a_feed_notes_when_at_most_once_a_minute(as_user):
    token = _make_teacher_feed(as_user)
    feed = FeedToken.objects.get()
    assert feed.last_used_at is None

    _read(token)
    first = FeedToken.objects.get().last_used_at
    _read(token)
    assert first is not None
    assert FeedToken.objects.get().last_used_at == first

    earlier = timezone.now() - timedelta(minutes=2)
    FeedToken.objects.update(last_used_at=earlier)
    _read(token)
    assert FeedToken.objects.get().last_used_at > earlier


def test_noting_a_recent_read_costs_no_query(cast, schools, django_assert_num_queries):
    feed, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])
    now = timezone.now()
    feed.last_used_at = now - timedelta(seconds=30)

    with django_assert_num_queries(0):
        feed_mark_used(feed, now)
    with django_assert_num_queries(1):
        feed_mark_used(feed, now + timedelta(minutes=1))


# --- who may make and revoke ----------------------------------------------------------------

#: who -> may they make / revoke: the school's feed (can_manage_school_feed) and Kirsty's own
SCHOOL_MANAGERS = {"head", "admin"}
KIRSTYS_MANAGERS = {"teacher", "admin"}


@pytest.mark.parametrize("who", CAST)
def test_only_the_head_and_administrators_make_the_schools_feed(as_user, who):
    url = reverse("school-feeds", args=[SCOTTISH])
    response = as_user(who).post(url)

    if who in SCHOOL_MANAGERS:
        assert response.status_code == 302
        assert FeedToken.objects.filter(staff_id=None).count() == 1
    else:
        assert response.status_code == refused(who, url)
        assert not FeedToken.objects.exists()
        assert not AuditEntry.objects.filter(action__startswith="feed.").exists()


@pytest.mark.parametrize("who", CAST)
def test_only_the_head_and_administrators_revoke_the_schools_feed(as_user, cast, schools, who):
    feed, token = feed_create(actor=cast["head"], school=schools[SCOTTISH])

    url = reverse("school-feed-revoke", args=[SCOTTISH, feed.pk])
    response = as_user(who).post(url)

    feed.refresh_from_db()
    if who in SCHOOL_MANAGERS:
        assert response.status_code == 302
        assert feed.revoked_at is not None
    else:
        assert response.status_code == refused(who, url)
        assert feed.revoked_at is None
        assert Client().get(reverse("feed", args=[token])).status_code == 200


@pytest.mark.parametrize("who", CAST)
def test_only_the_teacher_and_administrators_make_the_teachers_feed(as_user, who):
    response = as_user(who).post(reverse("teacher-feeds", args=[SCOTTISH, "t1"]))

    if who in KIRSTYS_MANAGERS:
        assert response.status_code == 302
        assert FeedToken.objects.filter(staff_id="t1").count() == 1
    else:
        assert response.status_code == 404
        assert not FeedToken.objects.exists()


@pytest.mark.parametrize("who", CAST)
def test_only_the_teacher_and_administrators_revoke_the_teachers_feed(as_user, cast, schools, who):
    feed, _ = feed_create(
        actor=cast["teacher"], school=schools[SCOTTISH], staff_id="t1", staff_name="Kirsty"
    )

    response = as_user(who).post(reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", feed.pk]))

    feed.refresh_from_db()
    if who in KIRSTYS_MANAGERS:
        assert response.status_code == 302
        assert feed.revoked_at is not None
    else:
        assert response.status_code == 404
        assert feed.revoked_at is None


def test_signed_out_posts_change_nothing(cast, schools):
    feed, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])
    client = Client()

    for url in (
        reverse("school-feeds", args=[SCOTTISH]),
        reverse("school-feed-revoke", args=[SCOTTISH, feed.pk]),
        reverse("teacher-feeds", args=[SCOTTISH, "t1"]),
    ):
        response = client.post(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))

    assert FeedToken.objects.count() == 1
    feed.refresh_from_db()
    assert feed.revoked_at is None


def test_a_feed_cannot_be_revoked_through_another_teachers_or_schools_address(
    as_user, cast, schools
):
    colleagues, _ = feed_create(
        actor=cast["colleague"], school=schools[SCOTTISH], staff_id="t2", staff_name="Duncan"
    )
    english, _ = feed_create(actor=cast["other-head"], school=schools["test-school"])
    school_feed, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])

    # Kirsty names Duncan's feed under her own address; the head names the English school's
    # feed, and a teacher's feed as if it were the school's.
    assert (
        as_user("teacher")
        .post(reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", colleagues.pk]))
        .status_code
        == 404
    )
    assert (
        as_user("head").post(reverse("school-feed-revoke", args=[SCOTTISH, english.pk])).status_code
        == 404
    )
    assert (
        as_user("head")
        .post(reverse("school-feed-revoke", args=[SCOTTISH, colleagues.pk]))
        .status_code
        == 404
    )
    assert (
        as_user("teacher")
        .post(reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", school_feed.pk]))
        .status_code
        == 404
    )
    assert not FeedToken.objects.exclude(revoked_at=None).exists()


# --- where feeds are listed -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "sees"),
    [
        ("teacher", True),
        ("admin", True),
        ("head", False),
        ("rep", False),
        ("council", False),
        ("union-officer", False),
    ],
)
def test_only_those_who_manage_a_teachers_feed_see_it_on_their_page(
    as_user, cast, schools, who, sees
):
    feed_create(actor=cast["teacher"], school=schools[SCOTTISH], staff_id="t1", staff_name="K")

    response = as_user(who).get(reverse("teacher-page", args=[SCOTTISH, "t1"]))

    assert response.status_code == 200
    page = response.content.decode()
    assert ('id="calendar-feed"' in page) is sees
    assert ("data-feed=" in page) is sees
    assert (reverse("teacher-feeds", args=[SCOTTISH, "t1"]) in page) is sees


def test_the_school_feeds_page_lists_live_feeds_with_a_revoke_button(as_user, cast, schools):
    live, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])
    gone, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])
    as_user("head").post(reverse("school-feed-revoke", args=[SCOTTISH, gone.pk]))
    teachers, _ = feed_create(
        actor=cast["teacher"], school=schools[SCOTTISH], staff_id="t1", staff_name="K"
    )

    page = as_user("head").get(reverse("school-feeds", args=[SCOTTISH])).content.decode()

    assert f'data-feed="{live.pk}"' in page
    assert reverse("school-feed-revoke", args=[SCOTTISH, live.pk]) in page
    assert f'data-feed="{gone.pk}"' not in page
    assert f'data-feed="{teachers.pk}"' not in page  # a teacher's own feed is theirs


# --- audit ----------------------------------------------------------------------------------


def test_making_and_revoking_feeds_is_audited_without_the_secret(as_user):
    token = _make_teacher_feed(as_user)
    feed = FeedToken.objects.get()
    as_user("teacher").post(reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", feed.pk]))
    school_token = _make_school_feed(as_user)

    entries = list(AuditEntry.objects.filter(action__startswith="feed.").order_by("pk"))

    school = School.objects.get(slug=SCOTTISH)
    assert [(e.action, e.summary, e.school, e.actor_name) for e in entries] == [
        ("feed.create", "Made a calendar feed for Kirsty Teacher", school, "teacher"),
        ("feed.revoke", "Revoked a calendar feed for Kirsty Teacher", school, "teacher"),
        ("feed.create", "Made a calendar feed for the whole school", school, "head"),
    ]
    for entry in entries:
        for secret in (token, school_token):
            assert secret not in entry.summary and secret not in str(entry.details)
    changes = as_user("head").get(reverse("school-audit", args=[SCOTTISH])).content.decode()
    assert "Made a calendar feed for Kirsty Teacher" in changes


def test_revoking_twice_is_recorded_once(as_user):
    _make_teacher_feed(as_user)
    feed = FeedToken.objects.get()
    url = reverse("teacher-feed-revoke", args=[SCOTTISH, "t1", feed.pk])

    as_user("teacher").post(url)
    response = as_user("teacher").post(url)

    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="feed.revoke").count() == 1


def test_a_get_on_an_action_goes_back_to_where_the_action_lives(as_user, cast, schools):
    feed, _ = feed_create(actor=cast["head"], school=schools[SCOTTISH])

    make = as_user("teacher").get(reverse("teacher-feeds", args=[SCOTTISH, "t1"]))
    revoke = as_user("head").get(reverse("school-feed-revoke", args=[SCOTTISH, feed.pk]))

    assert make.status_code == 302
    assert make["Location"] == reverse("teacher-page", args=[SCOTTISH, "t1"]) + "#calendar-feed"
    assert revoke["Location"] == reverse("school-feeds", args=[SCOTTISH])
    assert not FeedToken.objects.filter(staff_id="t1").exists()
    feed.refresh_from_db()
    assert feed.revoked_at is None


# --- making a feed: post, redirect, get; named; never twice by accident ---------------------


def _form_key(page: str) -> str:
    match = re.search(r'name="form_key" value="([^"]+)"', page)
    assert match, "the make-a-feed form carries a one-time key"
    return match.group(1)


@pytest.mark.parametrize(
    ("form_url", "make_url"),
    [
        (reverse("school-feeds", args=[SCOTTISH]), reverse("school-feeds", args=[SCOTTISH])),
        (
            reverse("teacher-page", args=[SCOTTISH, "t1"]),
            reverse("teacher-feeds", args=[SCOTTISH, "t1"]),
        ),
    ],
    ids=["school", "teacher"],
)
def test_making_a_feed_redirects_and_a_resubmitted_form_makes_no_second_one(
    as_user, form_url, make_url
):
    who = "head" if "teachers" not in make_url else "teacher"
    client = as_user(who)
    key = _form_key(client.get(form_url).content.decode())

    made = client.post(make_url, {"name": "My phone", "form_key": key})
    assert made.status_code == 302 and made["Location"] == make_url
    shown = client.get(made["Location"], follow=True)
    _token(shown)
    assert shown["Cache-Control"] == "no-store"
    again = client.post(make_url, {"name": "My phone", "form_key": key}, follow=True)

    assert FeedToken.objects.count() == 1
    assert FeedToken.objects.get().name == "My phone"
    page = again.content.decode()
    assert "That form had already been sent, so no second feed was made" in page
    assert not _ADDRESS.search(page)
    assert AuditEntry.objects.filter(action="feed.create").count() == 1


def test_the_same_name_twice_makes_no_second_feed_and_says_so(as_user):
    head = as_user("head")
    url = reverse("school-feeds", args=[SCOTTISH])
    head.post(url, {"name": "Staffroom screen", "form_key": "first"})
    head.get(url)  # the address, shown once

    again = head.post(url, {"name": "staffroom screen ", "form_key": "second"}, follow=True)

    assert FeedToken.objects.count() == 1
    page = again.content.decode()
    assert "There is already a feed named “Staffroom screen”: no second one was made." in page
    assert not _ADDRESS.search(page)


def test_a_name_is_shown_in_the_list_and_may_be_used_again_once_revoked(as_user):
    head = as_user("head")
    url = reverse("school-feeds", args=[SCOTTISH])
    head.post(url, {"name": "Staffroom screen", "form_key": "first"}, follow=True)

    listed = head.get(url).content.decode()
    assert re.search(r"<td[^>]*data-feed-name>Staffroom screen</td>", listed)
    head.post(reverse("school-feed-revoke", args=[SCOTTISH, FeedToken.objects.get().pk]))
    head.post(url, {"name": "Staffroom screen", "form_key": "second"}, follow=True)

    assert FeedToken.objects.filter(revoked_at=None, name="Staffroom screen").count() == 1
    assert (
        AuditEntry.objects.filter(
            action="feed.create",
            summary="Made a calendar feed named “Staffroom screen” for the whole school",
        ).count()
        == 2
    )
