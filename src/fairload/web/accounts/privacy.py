"""UK GDPR: everything fairload holds about a person (article 15), and erasing them
(article 17) while the schools keep their totals.

Erasure removes the login and all that hangs on it (roles, union membership, API tokens,
two-factor devices, uploads, sign-in records), stops the feeds they could read, and takes
their name off their staff posts, which stay (anonymous) so each school's workload figures
are unchanged. The audit log is append-only, so the entries the person made keep their
username (kept for the school's legal record, article 17(3)(b) and (e)); the erasure itself
is audited without naming them.
"""

from __future__ import annotations

from typing import Any

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db import transaction
from django.utils import timezone

from fairload.web.accounts.models import Membership, UnionMembership
from fairload.web.accounts.people import Actor, sessions_end
from fairload.web.api.models import ApiToken
from fairload.web.audit.models import AuditEntry
from fairload.web.audit.services import audit_record
from fairload.web.feeds.models import FeedToken
from fairload.web.feeds.services import feeds_revoke_for_person
from fairload.web.imports.models import PendingImport
from fairload.web.schools.models import STAFF_FIGURES, Event, StaffPost
from fairload.web.schools.services import year_touch

#: Staff post fields given in a subject access download (the figures the checks use).
POST_FIELDS = ("staff_id", "name", "post", "department", *STAFF_FIGURES)


def _when(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def person_data(person: Any) -> dict[str, Any]:
    """Everything fairload holds about the person, as JSON-ready data."""
    posts = StaffPost.objects.filter(person=person).select_related("school_year__school")
    union = UnionMembership.objects.filter(user=person).first()
    return {
        "generated_at": timezone.now().isoformat(),
        "login": {
            "username": person.get_username(),
            "first_name": person.first_name,
            "last_name": person.last_name,
            "email": person.email,
            "active": person.is_active,
            "joined": _when(person.date_joined),
            "last_sign_in": _when(person.last_login),
        },
        "roles": [
            {
                "role": m.get_role_display(),
                "school": m.school.name if m.school else None,
                "council": m.council.name if m.council else None,
                "union_acted_for": m.union or None,
            }
            for m in Membership.objects.filter(user=person).select_related("school", "council")
        ],
        "union_membership": (
            {"union": union.union, "declared_at": _when(union.declared_at)} if union else None
        ),
        "staff_posts": [
            {
                "school": post.school_year.school.name,
                "year": post.school_year.label,
                **{field: getattr(post, field) for field in POST_FIELDS},
                "events": [
                    {
                        "title": e.title,
                        "category": e.category,
                        "date": e.date.isoformat(),
                        "start": e.start.isoformat(),
                        "end": e.end.isoformat(),
                    }
                    for e in Event.objects.filter(attendees=post).order_by("date", "start")
                ],
            }
            for post in posts
        ],
        "api_tokens": [
            {
                "name": t.name,
                "made": _when(t.created),
                "last_used": _when(t.last_used),
                "revoked": t.revoked,
            }
            for t in ApiToken.objects.filter(user=person)
        ],
        "calendar_feeds_made": [
            {
                "school": f.school.name,
                "staff_id": f.staff_id,
                "made": _when(f.created_at),
                "revoked": _when(f.revoked_at),
            }
            for f in FeedToken.objects.filter(created_by=person).select_related("school")
        ],
        "uploads_waiting": [
            {"file": p.filename, "uploaded": _when(p.created_at)}
            for p in PendingImport.objects.filter(user=person, applied_at=None)
        ],
        "sign_ins": [
            {"at": _when(a.attempt_time), "address": a.ip_address}
            for a in AccessLog.objects.filter(username=person.get_username())
        ],
        "audit_log": [
            {
                "at": _when(e.at),
                "action": e.action,
                "summary": e.summary,
                "school": e.school_name or None,
            }
            for e in AuditEntry.objects.filter(actor=person)
        ],
    }


def person_erase(*, actor: Actor, person: Any) -> dict[str, int]:
    """Erase the person; the schools keep their posts (without the name) and totals."""
    username = person.get_username()
    with transaction.atomic():
        feeds = feeds_revoke_for_person(actor=actor, person=person)
        sessions = sessions_end(person)
        posts = list(StaffPost.objects.filter(person=person).select_related("school_year"))
        for post in posts:
            StaffPost.objects.filter(pk=post.pk).update(
                person=None, name=f"Former member of staff ({post.staff_id})"
            )
        for year in {post.school_year_id: post.school_year for post in posts}.values():
            year_touch(year)
        for model in (AccessAttempt, AccessFailureLog, AccessLog):
            model.objects.filter(username=username).delete()
        person.delete()
        audit_record(
            actor=actor,
            action="person.erase",
            summary="Erased a person at their request (UK GDPR article 17)",
            details={"posts_kept_without_name": len(posts), "feeds_stopped": feeds},
        )
    return {"posts": len(posts), "feeds": feeds, "sessions": sessions}
