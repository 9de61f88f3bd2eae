"""Notifying people: record what each is owed, queue it, and (in the worker) send it.

The one call other apps make is ``notify``. It never sends: it writes one Notice per
recipient and queues a task per new notice, in the caller's transaction (the database task
backend writes the task as a row beside the notice, so a step that rolls back queues
nothing, and a step that commits cannot lose its notices). The worker's task calls
``notice_deliver``, which sends the email and records when, or why not; a failed send is
tried again later, up to ``ATTEMPTS`` times.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from fairload.web.accounts.policies import User
from fairload.web.notices.kinds import notice_kind
from fairload.web.notices.models import Notice
from fairload.web.schools.models import School

#: How long the worker waits before trying a failed send again: one wait per retry, so a
#: notice is tried len(RETRY_WAITS) + 1 times in all, over about three hours.
RETRY_WAITS = (
    timedelta(minutes=1),
    timedelta(minutes=5),
    timedelta(minutes=30),
    timedelta(hours=2),
)
ATTEMPTS = len(RETRY_WAITS) + 1
#: A notice claimed this long ago and neither sent nor failed was being sent by a worker
#: that stopped; ``notices_sweep`` queues it again.
STALE_CLAIM = timedelta(minutes=15)
#: A queued notice whose try is this overdue has lost its task; the sweep queues it again.
LOST_TASK = timedelta(minutes=10)


def _queue(notices: Iterable[Notice]) -> None:
    from fairload.web.notices.tasks import notice_send

    for notice in notices:
        task = notice_send
        if notice.next_try_at > timezone.now():
            task = notice_send.using(run_after=notice.next_try_at)
        task.enqueue(notice.pk)


def notify(
    kind: str,
    recipients: Iterable[User],
    context: Mapping[str, str] | None = None,
    *,
    school: School,
    about: str,
    link: str,
    deadline: datetime | None = None,
    now: datetime | None = None,
) -> list[Notice]:
    """Tell each recipient, by email from the worker, that ``kind``'s step wants them.

    ``about`` names the subject (one notice per kind, subject and recipient: calling again
    with the same three queues nothing more); ``link`` is a path on the site; ``context``
    holds the strings the kind's template reads (kinds.py says which). Returns the notices
    this call queued (not those already there). Never sends inside the request."""
    spec = notice_kind(kind)
    values = {str(k): str(v) for k, v in (context or {}).items()}
    missing = [k for k in spec.needs if not values.get(k)]
    if missing:
        raise ValueError(f"a '{kind}' notice needs {', '.join(missing)} in its context")
    if spec.needs_deadline and deadline is None:
        raise ValueError(f"a '{kind}' notice needs a deadline")
    if not link.startswith("/"):
        raise ValueError(f"a notice's link is a path on the site, not {link!r}")
    now = now or timezone.now()
    # A disabled login (offboarded) is told nothing more.
    people = {p.pk: p for p in recipients if p is not None and p.is_authenticated and p.is_active}
    if not people:
        return []
    batch = uuid.uuid4()
    rows = [
        Notice(
            recipient_id=pk,
            school=school,
            kind=kind,
            about=about[:200],
            context=values,
            link=link,
            deadline=deadline,
            queued_at=now,
            next_try_at=now,
            batch=batch,
        )
        for pk in sorted(people)
    ]
    with transaction.atomic():
        # A row already there (the same step again, or twice at once) is left alone.
        Notice.objects.bulk_create(rows, ignore_conflicts=True)
        made = list(Notice.objects.filter(batch=batch).order_by("pk"))
        _queue(made)
    return made


def _absolute(link: str) -> str:
    return f"{settings.FAIRLOAD_SITE_URL}{link}"


def notice_message(notice: Notice) -> EmailMessage:
    """The email for a notice: the kind's template, its first line the subject."""
    spec = notice_kind(notice.kind)
    person = notice.recipient
    text = render_to_string(
        spec.template,
        {
            "name": person.get_full_name() or person.get_username(),
            "school": notice.school.name,
            "step": spec.step,
            "deadline": timezone.localtime(notice.deadline) if notice.deadline else None,
            "link": _absolute(notice.link),
            "notices_link": _absolute(reverse("my-notices")),
            **notice.context,
        },
    )
    subject, _, body = text.strip().partition("\n")
    return EmailMessage(
        subject=subject.strip(),
        body=body.strip() + "\n",
        from_email=settings.FAIRLOAD_NOTICE_FROM,
        to=[person.email],
    )


def _reason(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def notice_deliver(*, notice_id: int, now: datetime | None = None) -> str:
    """For the worker: send one notice unless it has gone already, and record the outcome.

    The notice is claimed by a conditional update first, so two tasks for one notice (a
    sweep that queued it again, say) send it once. Returns its status afterwards."""
    now = now or timezone.now()
    claimed = Notice.objects.filter(pk=notice_id, status=Notice.Status.QUEUED).update(
        status=Notice.Status.SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    notice = Notice.objects.select_related("recipient", "school").filter(pk=notice_id).first()
    if notice is None:
        return "gone"
    if not claimed:
        return str(notice.status)
    if not notice.recipient.email:
        Notice.objects.filter(pk=notice.pk).update(
            status=Notice.Status.FAILED, failure="The login has no email address."
        )
        return Notice.Status.FAILED.value
    try:
        notice_message(notice).send()
    except Exception as error:  # an SMTP refusal, a dropped connection, a bad template…
        return _failed(notice, error, now)
    Notice.objects.filter(pk=notice.pk).update(status=Notice.Status.SENT, sent_at=timezone.now())
    return Notice.Status.SENT.value


def _failed(notice: Notice, error: BaseException, now: datetime) -> str:
    """Record why; queue the next try while tries are left, else give up (it stays listed
    as not sent, with the reason, and ``notices_sweep --failed`` can queue it again)."""
    reason = _reason(error)
    if notice.attempts >= ATTEMPTS:
        Notice.objects.filter(pk=notice.pk).update(
            status=Notice.Status.FAILED, failure=f"Gave up after {notice.attempts} tries: {reason}"
        )
        return Notice.Status.FAILED.value
    notice.next_try_at = now + RETRY_WAITS[notice.attempts - 1]
    with transaction.atomic():
        Notice.objects.filter(pk=notice.pk).update(
            status=Notice.Status.QUEUED, failure=reason, next_try_at=notice.next_try_at
        )
        _queue([notice])
    return Notice.Status.QUEUED.value


def notices_sweep(*, now: datetime | None = None, failed: bool = False) -> int:
    """Queue again what a stopped worker or a lost task left behind: notices claimed long
    ago and never finished, and queued ones long overdue; with ``failed``, those given up
    on too (after the mail server is mended). Returns how many were queued."""
    now = now or timezone.now()
    stuck = Q(status=Notice.Status.SENDING, claimed_at__lt=now - STALE_CLAIM)
    lost = Q(status=Notice.Status.QUEUED, next_try_at__lt=now - LOST_TASK)
    if failed:
        lost |= Q(status=Notice.Status.FAILED)
    with transaction.atomic():
        again = list(Notice.objects.select_for_update().filter(stuck | lost))
        Notice.objects.filter(pk__in=[n.pk for n in again]).update(
            status=Notice.Status.QUEUED, next_try_at=now, attempts=0
        )
        for notice in again:
            notice.next_try_at = now
        _queue(again)
    return len(again)
