"""Bearer-token authentication: `Authorization: Bearer <key>`, and nothing else.

The API never reads the session, so a signed-in browser cannot be made to call it
(no CSRF exposure); an unknown, revoked or inactive user's key answers 401.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer

from fairload.web.api.models import ApiToken
from fairload.web.api.services import key_hash


class BearerToken(HttpBearer):
    def __call__(self, request: HttpRequest) -> Any:
        # ninja's own parser logs a malformed header, key and all, under DEBUG; this does not.
        scheme, _, key = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not key.strip():
            return None
        return self.authenticate(request, key.strip())

    def authenticate(self, request: HttpRequest, token: str) -> AbstractBaseUser | None:
        found = (
            ApiToken.objects.filter(key_hash=key_hash(token), revoked=False)
            .select_related("user")
            .first()
        )
        if found is None or not found.user.is_active:
            return None
        ApiToken.objects.filter(pk=found.pk).update(last_used=timezone.now())
        return found.user


def token_user(request: HttpRequest) -> AbstractBaseUser:
    """The token's owner (never request.user, which comes from the session)."""
    user = request.auth  # type: ignore[attr-defined]
    assert isinstance(user, AbstractBaseUser)
    return user
