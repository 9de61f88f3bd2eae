"""Making and revoking API tokens."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth.models import AbstractBaseUser

from fairload.web.api.models import ApiToken


def key_hash(key: str) -> str:
    """What is stored for a key: its hex SHA-256."""
    return hashlib.sha256(key.encode()).hexdigest()


def api_token_create(*, user: AbstractBaseUser, name: str) -> tuple[ApiToken, str]:
    """A new token for the user and its key: the key is returned once and never stored."""
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, key_hash=key_hash(key))
    return token, key


def api_token_revoke(*, token: ApiToken) -> None:
    token.revoked = True
    token.save(update_fields=["revoked"])


def api_tokens_revoke_all(*, user: AbstractBaseUser) -> int:
    """Offboarding: every token of the person stops working at once. Returns how many."""
    return ApiToken.objects.filter(user=user, revoked=False).update(revoked=True)
