"""Calendar feeds: a secret address per feed, for calendar apps that cannot sign in.

A feed is the whole school's calendar or one teacher's part of it. The address holds a
random secret; only its SHA-256 is stored, so the database alone cannot be used to read
anyone's calendar, and the full address is shown once, when the feed is made.

A teacher's feed is keyed on the school and the staff id, not on a StaffPost row: a school
year re-import deletes and recreates the posts, and the feed must carry on.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

NAME_MAX_LENGTH = 80


class FeedToken(models.Model):
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, related_name="feed_tokens"
    )
    #: The teacher's staff id, or None for the whole school's feed.
    staff_id = models.SlugField(max_length=100, null=True, blank=True)
    #: what the person calls it ("Kirsty's phone"), shown in the list of feeds
    name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True, default="")
    #: the one-time key of the form that made it: a resubmitted form makes no second feed
    form_key = models.CharField(max_length=64, null=True, blank=True)
    #: hex SHA-256 of the secret in the address; the secret itself is never stored
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="feed_tokens",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["school", "staff_id"], name="feed_scope")]
        constraints = [
            models.UniqueConstraint(fields=["school", "form_key"], name="feed_form_key_once")
        ]

    def __str__(self) -> str:
        whose = self.staff_id or "whole school"
        if self.name:
            whose = f"{whose} ({self.name})"
        state = " — revoked" if self.revoked_at else ""
        return f"{self.school_id}: {whose}{state}"

    @property
    def is_school_feed(self) -> bool:
        return self.staff_id is None
