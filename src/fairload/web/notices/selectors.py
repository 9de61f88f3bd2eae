"""Reading notices: a person sees their own, and nobody else's."""

from __future__ import annotations

from django.db.models import QuerySet

from fairload.web.accounts.policies import User
from fairload.web.notices.models import Notice

#: the most a person's list shows (the newest)
LIST_LIMIT = 100


def notices_for(*, user: User) -> QuerySet[Notice]:
    """The user's own notices, newest first; none for someone signed out."""
    if not user.is_authenticated:
        return Notice.objects.none()
    return Notice.objects.filter(recipient=user).select_related("school")[:LIST_LIMIT]
