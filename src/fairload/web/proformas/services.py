"""A teacher's pro-forma between them and their line manager (JNCT2.7 9.2, Appendix 2):
save it, sign and send it, return it with a comment, agree and sign it.

Which step may follow which, whether it adds up and whether a signature still stands
are the core's (``fairload.core.proforma``); here each step is checked against the
person (policies.py), written in one transaction with the year's revision bumped (its
checks are made again: the pro-forma is in the year's file), audited, and told to whoever
is asked to act (web/notices). A refused step raises ProformaRefused and writes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.urls import reverse

from fairload.core import proforma as core
from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User
from fairload.web.audit.services import audit_record
from fairload.web.notices import kinds
from fairload.web.proformas.models import Proforma, ProformaSignature
from fairload.web.proformas.policies import acting_roles
from fairload.web.proformas.selectors import ProformaView, proforma_of, proforma_opening
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.services import year_touch
from fairload.web.signing import signer_name


class ProformaRefused(Exception):
    """A step that may not be taken: the message is for the person who tried."""


def proforma_link(post: StaffPost) -> str:
    return reverse("proforma-page", args=[post.school_year.school.slug, post.staff_id])


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise ProformaRefused(message)


def _step(view: ProformaView, actor: User, step_id: str) -> str:
    """The state the step leads to, if the actor may take it now."""
    opening = proforma_opening(year=view.year)
    _refuse_unless(opening is None, opening or "")
    step = core.STEPS[step_id]
    roles = acting_roles(actor, view.post, view.manager)
    _refuse_unless(step.by in roles, "This step of the pro-forma is not yours to take.")
    try:
        return core.step_after(view.status, step_id, step.by)
    except core.StepRefused as refused:
        raise ProformaRefused(str(refused)) from None


def _locked(post: StaffPost, now: datetime) -> tuple[Proforma, ProformaView]:
    """The teacher's stored pro-forma (made if need be) locked for this transaction, and
    the pro-forma as it is now. The year is locked first, the order every edit of a year
    takes its locks in (so a re-import and this wait for each other)."""
    year = post.school_year
    if not SchoolYear.objects.select_for_update().filter(pk=year.pk).exists():
        raise ProformaRefused("The year was imported again meanwhile: open the pro-forma again.")
    year.refresh_from_db(fields=["revision"])  # what was read before the lock may be old
    key = {"school_id": year.school_id, "label": year.label, "staff_id": post.staff_id}
    Proforma.objects.get_or_create(**key, defaults={"changed_at": now})
    stored = Proforma.objects.select_for_update().get(**key)
    return stored, proforma_of(year=year, post=post)


def _recorded(actor: User, post: StaffPost, action: str, summary: str, **more: Any) -> None:
    year = post.school_year
    year_touch(year)
    audit_record(
        actor=actor,
        action=f"proforma.{action}",
        school=year.school,
        summary=summary,
        details={"year": year.label, "staff": post.staff_id, **more},
    )


def _clean(
    hours: Mapping[str, float], details: Mapping[str, str]
) -> tuple[dict[str, float], dict[str, str]]:
    return (
        {str(k): float(v) for k, v in hours.items() if v},
        {str(k): str(v).strip() for k, v in details.items() if str(v).strip()},
    )


def proforma_save(
    *,
    actor: User,
    post: StaffPost,
    hours: Mapping[str, float],
    details: Mapping[str, str],
    now: datetime,
) -> ProformaView:
    """Save the teacher's hours and brief details. A change to a pro-forma that was sent
    or agreed takes it back to a draft: the signatures made over it no longer stand."""
    hours_now, details_now = _clean(hours, details)
    _refuse_unless(all(v >= 0 for v in hours_now.values()), "Hours must not be negative.")
    with transaction.atomic():
        stored, view = _locked(post, now)
        target = _step(view, actor, "save")
        if (stored.hours, stored.details) == (hours_now, details_now):
            return view  # nothing changed: the signatures still stand
        standing = [s for s in view.signatures if s.holds]
        stored.hours, stored.details = hours_now, details_now
        stored.state, stored.changed_at = target, now
        stored.save()
        _recorded(
            actor,
            post,
            "save",
            "Changed the balance-of-time pro-forma"
            + (f"; {len(standing)} signature(s) no longer stand" if standing else ""),
        )
    return proforma_of(year=post.school_year, post=post)


def _sign(
    actor: User, view: ProformaView, stored: Proforma, role: str, now: datetime
) -> ProformaSignature:
    """Appendix 2's "Signed … Position … Date", over the pro-forma as it is now."""
    year = view.year
    mine = StaffPost.objects.filter(school_year=year, person_id=actor.pk).first()
    if mine is not None:
        position = mine.get_post_display()
    elif Membership.objects.filter(user_id=actor.pk, school=year.school, role=Role.HEAD).exists():
        position = Role.HEAD.label
    else:
        position = ProformaSignature.SignedAs(role).label
    return ProformaSignature.objects.create(
        proforma=stored,
        person_id=actor.pk,
        name=signer_name(actor, year),
        role=role,
        position=position,
        signed_at=now,
        content_hash=view.state.content_hash,
        document=view.state.as_document(),
    )


def _notify(
    kind: str, recipients: Iterable[Any], post: StaffPost, stored: Proforma, **context: str
) -> None:
    from fairload.web.notices.services import notify

    year = post.school_year
    notify(
        kind,
        list(recipients),
        context,
        school=year.school,
        about=f"proforma:{year.school.slug}:{year.label}:{post.staff_id}:{stored.steps}",
        link=proforma_link(post),
    )


def manager_people(view: ProformaView) -> list[Any]:
    """Who is told a pro-forma waits for them: the line manager's login, else the
    school's head teachers (who act as line manager)."""
    if view.manager is not None and view.manager.person is not None:
        return [view.manager.person]
    return [
        m.user
        for m in Membership.objects.filter(school=view.year.school, role=Role.HEAD).select_related(
            "user"
        )
    ]


def proforma_send(
    *, actor: User, post: StaffPost, password_ok: bool, now: datetime
) -> ProformaView:
    """The teacher signs the pro-forma and sends it to their line manager; it must add
    up (what may stay unallocated allowed) and say what any 'Other' hours are."""
    _refuse_unless(password_ok, "That is not your password.")
    with transaction.atomic():
        stored, view = _locked(post, now)
        target = _step(view, actor, "send")
        _refuse_unless(view.send_refusal is None, view.send_refusal or "")
        _sign(actor, view, stored, core.TEACHER, now)
        stored.state, stored.sent_at = target, now
        stored.steps += 1
        stored.save()
        _recorded(
            actor,
            post,
            "send",
            "Signed the balance-of-time pro-forma and sent it to the line manager",
            sha256=view.state.content_hash,
        )
        _notify(kinds.PROFORMA_SENT, manager_people(view), post, stored, teacher=post.name)
    return proforma_of(year=post.school_year, post=post)


def proforma_return(*, actor: User, post: StaffPost, comment: str, now: datetime) -> ProformaView:
    """The line manager sends the pro-forma back to the teacher with a comment."""
    _refuse_unless(bool(comment.strip()), "Say what the teacher should change.")
    with transaction.atomic():
        stored, view = _locked(post, now)
        target = _step(view, actor, "return")
        stored.state, stored.comment = target, comment.strip()
        stored.steps += 1
        stored.save()
        _recorded(actor, post, "return", "Returned the balance-of-time pro-forma")
        _notify(
            kinds.PROFORMA_RETURNED,
            [post.person],
            post,
            stored,
            comment=stored.comment,
            manager=signer_name(actor, post.school_year),
        )
    return proforma_of(year=post.school_year, post=post)


def proforma_agree(
    *, actor: User, post: StaffPost, password_ok: bool, now: datetime
) -> ProformaView:
    """The line manager agrees the pro-forma and signs it: both signatures now stand."""
    _refuse_unless(password_ok, "That is not your password.")
    with transaction.atomic():
        stored, view = _locked(post, now)
        target = _step(view, actor, "agree")
        _refuse_unless(view.holds(core.TEACHER), "The teacher's signature no longer stands.")
        _sign(actor, view, stored, core.LINE_MANAGER, now)
        stored.state, stored.comment = target, ""
        stored.steps += 1
        stored.save()
        _recorded(
            actor,
            post,
            "agree",
            "Agreed and signed the balance-of-time pro-forma",
            sha256=view.state.content_hash,
        )
        _notify(
            kinds.PROFORMA_AGREED,
            [post.person],
            post,
            stored,
            manager=signer_name(actor, post.school_year),
        )
    return proforma_of(year=post.school_year, post=post)
