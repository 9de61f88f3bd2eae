"""Reading calendar feeds."""

from __future__ import annotations

from fairload.web.feeds.models import FeedToken
from fairload.web.feeds.services import feed_token_hash
from fairload.web.schools.models import School

#: secrets.token_urlsafe(32) gives 43 characters; anything much longer is not a feed.
_MAX_TOKEN_LENGTH = 100


def feed_find(token: str) -> FeedToken | None:
    """The live feed a secret opens, or None (unknown, revoked, or its maker's login gone
    or disabled: a feed stands for the person who made it)."""
    if not token or len(token) > _MAX_TOKEN_LENGTH:
        return None
    feed = (
        FeedToken.objects.filter(token_hash=feed_token_hash(token), revoked_at=None)
        .select_related("school", "created_by")
        .first()
    )
    if feed is None or feed.created_by is None or not feed.created_by.is_active:
        return None
    return feed


def feeds_live(*, school: School, staff_id: str | None) -> list[FeedToken]:
    """The feeds of the school (staff_id None) or of one teacher not yet revoked, newest
    first."""
    feeds = FeedToken.objects.filter(school=school, revoked_at=None).select_related("created_by")
    if staff_id is None:
        return list(feeds.filter(staff_id=None))
    return list(feeds.filter(staff_id=staff_id))
