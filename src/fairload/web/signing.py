"""What every signature in fairload shares: re-entering one's password, and the name it
records. The agreement (16.5) and the pro-forma (Appendix 2) both sign this way; what is
signed, its SHA-256 and what voids it are each one's own (``fairload.core.process``
computes the hash)."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.http import HttpRequest

from fairload.web.accounts.policies import User
from fairload.web.schools.models import SchoolYear, StaffPost


def password_ok(request: HttpRequest, password: str) -> bool:
    """Whether ``password`` is the signed-in person's own. A wrong one counts towards the
    sign-in limits (authenticate is what the sign-in page calls)."""
    checked = authenticate(request, username=request.user.get_username(), password=password)
    return checked is not None and checked.pk == request.user.pk


def signer_name(actor: User, year: SchoolYear) -> str:
    """The signer's name: their full name, else their post's name in the year, else their
    login."""
    full = getattr(actor, "get_full_name", lambda: "")()
    if full:
        return str(full)
    post = StaffPost.objects.filter(school_year=year, person_id=actor.pk).first()
    return post.name if post is not None else actor.get_username()
