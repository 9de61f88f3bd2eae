"""Making and revoking calendar feeds, and noting when one is read."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import IntegrityError, transaction
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


def feed_form_key() -> str:
    """A one-time key for a "make a feed" form: the same form sent twice makes one feed."""
    return secrets.token_urlsafe(16)


class FeedAlreadyMade(Exception):
    """The feed asked for exists already: the same form sent again, or a live feed of the
    same school or teacher with the same name. Nothing was made."""

    def __init__(self, feed: FeedToken, message: str) -> None:
        super().__init__(message)
        self.feed = feed
        self.message = message


def _already_made(
    school: School, staff_id: str | None, name: str, form_key: str | None
) -> FeedAlreadyMade | None:
    if form_key:
        sent = FeedToken.objects.filter(school=school, form_key=form_key).first()
        if sent is not None:
            return FeedAlreadyMade(
                sent,
                "That form had already been sent, so no second feed was made. Its address "
                "was shown when it was made; if it is lost, revoke the feed and make another.",
            )
    if name:
        same = FeedToken.objects.filter(
            school=school, staff_id=staff_id, name__iexact=name, revoked_at=None
        ).first()
        if same is not None:
            return FeedAlreadyMade(
                same, f"There is already a feed named “{same.name}”: no second one was made."
            )
    return None


def feed_create(
    *,
    actor: AbstractBaseUser | AnonymousUser,
    school: School,
    staff_id: str | None = None,
    staff_name: str = "",
    name: str = "",
    form_key: str | None = None,
) -> tuple[FeedToken, str]:
    """A new feed of the school (staff_id None) or of one teacher, and its secret.

    The secret is returned once and never stored; the caller shows it and forgets it.
    Idempotent: the same form_key twice, or the name of a live feed of the same school or
    teacher, raises FeedAlreadyMade and makes nothing.
    """
    name = name.strip()
    found = _already_made(school, staff_id, name, form_key)
    if found is not None:
        raise found
    token = secrets.token_urlsafe(32)
    try:
        with transaction.atomic():
            feed = FeedToken.objects.create(
                school=school,
                staff_id=staff_id,
                name=name,
                form_key=form_key or None,
                token_hash=feed_token_hash(token),
                created_by=actor if actor.is_authenticated else None,
            )
            named = f" named “{name}”" if name else ""
            audit_record(
                actor=actor,
                action="feed.create",
                summary=f"Made a calendar feed{named} for {_whom(staff_id, staff_name)}",
                school=school,
                details={"feed": feed.pk, "staff_id": staff_id, "name": name},
            )
    except IntegrityError:
        # the same form sent twice at once: the other request made the feed
        found = _already_made(school, staff_id, "", form_key)
        if found is None:
            raise
        raise found from None
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
