"""Making and revoking calendar feeds, and noting when one is read."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from fairload.web.audit.services import audit_record
from fairload.web.feeds.models import FeedToken
from fairload.web.schools.models import School, StaffPost

#: last_used_at is written at most this often per feed: calendar apps poll, and a write on
#: every poll would cost more than the feed is worth.
LAST_USED_EVERY = timedelta(minutes=1)


def feed_token_hash(token: str) -> str:
    """What is stored for a feed's secret: its hex SHA-256."""
    return hashlib.sha256(token.encode()).hexdigest()


def _whom(staff_id: str | None, staff_name: str) -> str:
    return "the whole school" if staff_id is None else staff_name


def feed_create(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    school: School,
    staff_id: str | None = None,
    staff_name: str = "",
) -> tuple[FeedToken, str]:
    """A new feed of the school (staff_id None) or of one teacher, and its secret.

    The secret is returned once and never stored; the caller shows it and forgets it.
    """
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        feed = FeedToken.objects.create(
            school=school,
            staff_id=staff_id,
            token_hash=feed_token_hash(token),
            created_by=actor if actor.is_authenticated else None,
        )
        audit_record(
            actor=actor,
            action="feed.create",
            summary=f"Made a calendar feed for {_whom(staff_id, staff_name)}",
            school=school,
            details={"feed": feed.pk, "staff_id": staff_id},
        )
    return feed, token


def feed_revoke(
    *, actor: AbstractBaseUser | AnonymousUser, feed: FeedToken, staff_name: str = ""
) -> bool:
    """Stop a feed for good; False if it had already been revoked (nothing is written)."""
    with transaction.atomic():
        changed = FeedToken.objects.filter(pk=feed.pk, revoked_at=None).update(
            revoked_at=timezone.now()
        )
        if not changed:
            return False
        feed.refresh_from_db(fields=["revoked_at"])
        audit_record(
            actor=actor,
            action="feed.revoke",
            summary=f"Revoked a calendar feed for {_whom(feed.staff_id, staff_name)}",
            school=feed.school,
            details={"feed": feed.pk, "staff_id": feed.staff_id},
        )
    return True


def feed_mark_used(feed: FeedToken, now: datetime | None = None) -> None:
    """Note that the feed was read, unless that was noted within the last minute.

    Cheap: no query at all when the loaded value is recent, and otherwise one UPDATE that
    does nothing if another server has just written it."""
    now = now or timezone.now()
    since = now - LAST_USED_EVERY
    if feed.last_used_at is not None and feed.last_used_at > since:
        return
    FeedToken.objects.filter(Q(last_used_at=None) | Q(last_used_at__lte=since), pk=feed.pk).update(
        last_used_at=now
    )
    feed.last_used_at = now


def feeds_revoke_for_person(*, actor: AbstractBaseUser | AnonymousUser, person: Any) -> int:
    """Offboarding: stop every feed whose secret the person was shown (those they made) and
    every feed of their own teacher pages. Returns how many were stopped."""
    own = StaffPost.objects.filter(person=person).values_list("school_year__school_id", "staff_id")
    theirs = Q(created_by=person)
    for school_id, staff_id in own:
        theirs |= Q(school_id=school_id, staff_id=staff_id)
    with transaction.atomic():
        feeds = list(FeedToken.objects.filter(theirs, revoked_at=None).select_related("school"))
        FeedToken.objects.filter(pk__in=[f.pk for f in feeds]).update(revoked_at=timezone.now())
        for feed in feeds:
            audit_record(
                actor=actor,
                action="feed.revoke",
                summary=f"Revoked a calendar feed for {_whom(feed.staff_id, feed.staff_id or '')}"
                f" when {person.get_username()} left",
                school=feed.school,
                details={"feed": feed.pk, "staff_id": feed.staff_id},
            )
    return len(feeds)
