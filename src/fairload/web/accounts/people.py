"""People's logins: make one, give and take roles, link a post, disable, send a reset link.

Every change is audited. Disabling a login (offboarding) cuts at once everything that lets
the person in: their sessions, the calendar feeds whose secret they were given, and their
API tokens.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.contrib.sessions.models import Session
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone

from fairload.web.accounts.models import COUNCIL_ROLES, Membership, Role
from fairload.web.api.services import api_tokens_revoke_all
from fairload.web.audit.services import audit_record
from fairload.web.feeds.services import feeds_revoke_for_person
from fairload.web.schools.models import Council, School, StaffPost
from fairload.web.schools.services import year_touch

Actor = AbstractBaseUser | AnonymousUser

#: The subject of the email with a link to set a password (Django's own, which ships a
#: template of the same default name, says "Password reset on <site>").
SET_PASSWORD_SUBJECT = "registration/set_password_subject.txt"


def _where(school: School | None, council: Council | None) -> str:
    place = school or council
    return f" in {place.name}" if place is not None else ""


def role_grant(
    *,
    actor: Actor,
    person: Any,
    role: Role,
    school: School | None = None,
    council: Council | None = None,
    union: str = "",
) -> Membership:
    """Give the person a role (the same role in the same place again changes only the
    union it acts for)."""
    if role in COUNCIL_ROLES:
        school = None
    elif role == Role.SITE_ADMIN:
        school = council = None
    else:
        council = None
    if role not in (Role.UNION_REP, Role.UNION_OFFICER):
        union = ""
    with transaction.atomic():
        membership, _ = Membership.objects.update_or_create(
            user=person, role=role, school=school, council=council, defaults={"union": union}
        )
        audit_record(
            actor=actor,
            action="role.grant",
            school=school,
            summary=f"Gave {person.get_username()} the role {role.label}{_where(school, council)}"
            + (f" for {union}" if union else ""),
        )
    return membership


def role_revoke(*, actor: Actor, membership: Membership) -> None:
    with transaction.atomic():
        membership.delete()
        audit_record(
            actor=actor,
            action="role.revoke",
            school=membership.school,
            summary=f"Took the role {membership.get_role_display()} from "
            f"{membership.user.get_username()}{_where(membership.school, membership.council)}",
        )


def person_create(
    *,
    actor: Actor,
    username: str,
    email: str,
    first_name: str = "",
    last_name: str = "",
    role: Role,
    school: School | None = None,
    council: Council | None = None,
    union: str = "",
) -> Any:
    """A new login with no password yet (its owner sets one from the reset link)."""
    with transaction.atomic():
        person = get_user_model().objects.create_user(
            username=username, email=email, first_name=first_name, last_name=last_name
        )
        person.set_unusable_password()
        person.save()
        audit_record(
            actor=actor,
            action="person.create",
            school=school,
            summary=f"Made the login {username}",
        )
        role_grant(
            actor=actor, person=person, role=role, school=school, council=council, union=union
        )
    return person


def post_link(*, actor: Actor, person: Any, post: StaffPost) -> None:
    """Say that this post is the person's: their teacher page becomes theirs."""
    with transaction.atomic():
        StaffPost.objects.filter(pk=post.pk).update(person=person)
        year_touch(post.school_year)
        audit_record(
            actor=actor,
            action="person.link-post",
            school=post.school_year.school,
            summary=f"Linked {person.get_username()} to the post of {post.name} ({post.staff_id})",
        )


def sessions_end(person: Any) -> int:
    """End every signed-in session of the person (database sessions)."""
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now())
        if session.get_decoded().get("_auth_user_id") == str(person.pk)
    ]
    Session.objects.filter(pk__in=mine).delete()
    return len(mine)


def person_disable(*, actor: Actor, person: Any) -> dict[str, int]:
    """Offboarding: the login stops working, and so does everything it made or was given.

    Returns how many sessions, feeds and tokens were cut."""
    with transaction.atomic():
        person.is_active = False
        person.set_unusable_password()  # and any session Django still holds fails its hash check
        person.save(update_fields=["is_active", "password"])
        cut = {
            "sessions": sessions_end(person),
            "feeds": feeds_revoke_for_person(actor=actor, person=person),
            "api_tokens": api_tokens_revoke_all(user=person),
        }
        audit_record(
            actor=actor,
            action="person.disable",
            summary=f"Disabled the login {person.get_username()}",
            details=cut,
        )
    return cut


def person_enable(*, actor: Actor, person: Any) -> None:
    """The login works again once its owner sets a new password from a reset link."""
    with transaction.atomic():
        person.is_active = True
        person.save(update_fields=["is_active"])
        audit_record(
            actor=actor,
            action="person.enable",
            summary=f"Enabled the login {person.get_username()}",
        )


class _SetPasswordLink(PasswordResetForm):
    """Django's reset email, sent to one chosen login (even one with no password yet)."""

    def __init__(self, person: Any) -> None:
        super().__init__({"email": person.email})
        self.person = person

    def get_users(self, email: str) -> Any:
        return [self.person] if self.person.is_active and self.person.email else []


def password_reset_send(*, actor: Actor, person: Any, request: HttpRequest) -> bool:
    """Email the person a link to set their password; False if they have no address or the
    login is disabled."""
    form = _SetPasswordLink(person)
    if not form.is_valid() or not form.get_users(person.email):
        return False
    form.save(
        request=request,
        use_https=request.is_secure(),
        subject_template_name=SET_PASSWORD_SUBJECT,
    )
    audit_record(
        actor=actor,
        action="person.password-reset",
        summary=f"Sent {person.get_username()} a link to set their password",
    )
    return True
