"""Notifications: queued in the request, sent by the worker, once, with failures kept and
tried again; the ballot's steps tell every elector the same words, voted or not."""

from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPServerDisconnected

import pytest
import time_machine
from django.conf import settings as django_settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from fairload.core.ballots import Choice
from fairload.web.ballots.models import Ballot, BallotNotice
from fairload.web.ballots.services import ballot_close, ballot_reissue, ballot_vote
from fairload.web.notices import kinds
from fairload.web.notices.ballot_hook import REMIND_BEFORE
from fairload.web.notices.models import Notice
from fairload.web.notices.services import ATTEMPTS, RETRY_WAITS, notices_sweep, notify

from .ballot_helpers import AFTER, DURING, OPENED, electors_for, open_agreement_ballot
from .notice_helpers import run_worker

pytestmark = pytest.mark.django_db

SLUG = "test-academy"
FAILING = "tests.web.test_notices.FailingBackend"


class FailingBackend(BaseEmailBackend):
    """A mail server that drops the connection."""

    def send_messages(self, email_messages):  # type: ignore[no-untyped-def]
        raise SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def emails(cast):  # type: ignore[no-untyped-def]
    for who in ("teacher", "colleague", "head"):
        cast[who].email = f"{who}@example.org"
        cast[who].save()
    return cast


def _consultation(cast, schools, who=("teacher", "colleague"), about="agreement:2026-27:v1"):  # type: ignore[no-untyped-def]
    return notify(
        kinds.CONSULTATION_OPEN,
        [cast[w] for w in who],
        school=schools[SLUG],
        about=about,
        link=reverse("school-dashboard", args=[SLUG]),
        deadline=OPENED + timedelta(days=14),
        now=OPENED,
    )


def _sent_to(address: str) -> list[mail.EmailMessage]:
    return [m for m in mail.outbox if m.to == [address]]


# --- queued in the request, sent by the worker -------------------------------------------------


@time_machine.travel(OPENED, tick=False)
def test_opening_a_ballot_by_its_page_queues_the_notices_and_sends_none_in_the_request(
    as_user, emails, monkeypatch
):
    response = as_user("head").post(
        reverse("ballot-new", args=[SLUG]),
        {"question": "Do you approve the agreement?", "paper_text": "Final version 3"},
    )
    assert response.status_code == 302

    assert mail.outbox == []
    assert DBTaskResult.objects.filter(task_path__endswith="ballot_notices_queue").exists()

    run_worker(monkeypatch)

    ballot = Ballot.objects.get()
    assert sorted(m.to[0] for m in mail.outbox) == ["colleague@example.org", "teacher@example.org"]
    message = _sent_to("teacher@example.org")[0]
    assert message.subject == "Vote by Thursday 11 June: the working time agreement, Test Academy"
    assert "Do you approve the agreement?" in message.body
    assert "Deadline: the ballot closes Thursday 11 June 2026, 10:00" in message.body  # BST
    assert (
        f"{django_settings.FAIRLOAD_SITE_URL}/schools/{SLUG}/ballots/{ballot.pk}/" in message.body
    )
    assert set(Notice.objects.values_list("status", flat=True)) == {"sent"}
    # every elector's notice is handed over, those without a login too (no one to email)
    assert not BallotNotice.objects.filter(sent_at__isnull=True).exists()


def test_notify_queues_and_the_worker_sends_with_the_school_step_deadline_and_link(
    cast, emails, schools, monkeypatch
):
    made = _consultation(cast, schools)

    assert [n.status for n in made] == ["queued", "queued"] and mail.outbox == []
    run_worker(monkeypatch)

    body = _sent_to("teacher@example.org")[0].body
    assert "Test Academy" in body
    assert "Step: Comment on the draft agreement" in body
    assert "Deadline: comments by Monday 15 June 2026, 10:00" in body
    assert f"{django_settings.FAIRLOAD_SITE_URL}/schools/{SLUG}/" in body
    notice = Notice.objects.get(recipient=cast["teacher"])
    assert notice.status == "sent" and notice.sent_at is not None and notice.attempts == 1


@pytest.mark.parametrize("kind", list(kinds.KINDS))
def test_every_kinds_email_names_the_school_the_step_the_deadline_and_the_link(
    kind, cast, emails, schools, monkeypatch
):
    spec = kinds.notice_kind(kind)
    link = reverse("school-dashboard", args=[SLUG])
    notify(
        kind,
        [cast["teacher"]],
        {key: f"the {key}" for key in spec.needs},
        school=schools[SLUG],
        about="every-kind",
        link=link,
        deadline=OPENED + timedelta(days=14),
    )
    run_worker(monkeypatch)

    (message,) = mail.outbox
    assert "Test Academy" in message.subject and "\n" not in message.subject
    assert f"Step: {spec.step}" in message.body
    # a closed ballot and an accepted agreement ask nothing more of anyone: no deadline
    no_deadline = {kinds.BALLOT_CLOSED, kinds.AGREEMENT_ACCEPTED}
    assert ("15 June 2026" in message.body) == (kind not in no_deadline)
    assert f"{django_settings.FAIRLOAD_SITE_URL}{link}" in message.body
    assert all(f"the {key}" in message.body for key in spec.needs)
    assert "&amp;" not in message.body and "{{" not in message.body


def test_the_same_step_twice_sends_once(cast, emails, schools, monkeypatch):
    first = _consultation(cast, schools)
    again = _consultation(cast, schools)
    run_worker(monkeypatch)
    once_more = _consultation(cast, schools)
    run_worker(monkeypatch)

    assert len(first) == 2 and again == [] and once_more == []
    assert len(mail.outbox) == 2
    # a different subject is a different notice
    assert len(_consultation(cast, schools, about="agreement:2026-27:v2")) == 2


def test_a_task_run_twice_sends_once(cast, emails, schools, monkeypatch):
    from fairload.web.notices.tasks import notice_send

    (notice,) = _consultation(cast, schools, who=("teacher",))
    notice_send.enqueue(notice.pk)  # e.g. a sweep that queued it again
    run_worker(monkeypatch)

    assert len(mail.outbox) == 1


def test_a_step_that_rolls_back_queues_nothing(cast, emails, schools):
    from django.db import transaction

    with pytest.raises(RuntimeError), transaction.atomic():
        _consultation(cast, schools)
        raise RuntimeError("the step failed after notifying")

    assert not Notice.objects.exists() and not DBTaskResult.objects.exists()


# --- failures -------------------------------------------------------------------------------


def test_a_failing_send_is_recorded_with_its_reason_and_tried_again_later(
    cast, emails, schools, monkeypatch, settings
):
    settings.EMAIL_BACKEND = FAILING
    with time_machine.travel(OPENED, tick=False):
        (notice,) = _consultation(cast, schools, who=("teacher",))
        run_worker(monkeypatch)
        notice.refresh_from_db()

        assert notice.status == "queued" and notice.attempts == 1
        assert notice.failure == "SMTPServerDisconnected: Connection unexpectedly closed"
        assert notice.next_try_at == OPENED + RETRY_WAITS[0]
        assert not DBTaskResult.objects.ready().exists()  # the retry waits its turn

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(OPENED + RETRY_WAITS[0], tick=False):
        run_worker(monkeypatch)
    notice.refresh_from_db()

    assert notice.status == "sent" and notice.attempts == 2
    assert len(mail.outbox) == 1


def test_after_every_try_fails_it_is_kept_as_not_sent_with_the_reason(
    cast, emails, schools, monkeypatch, settings
):
    settings.EMAIL_BACKEND = FAILING
    at = OPENED
    with time_machine.travel(at, tick=False):
        (notice,) = _consultation(cast, schools, who=("teacher",))
        run_worker(monkeypatch)
    for wait in RETRY_WAITS:
        at += wait
        with time_machine.travel(at, tick=False):
            run_worker(monkeypatch)
    notice.refresh_from_db()

    assert notice.status == "failed" and notice.attempts == ATTEMPTS
    assert notice.failure == (
        f"Gave up after {ATTEMPTS} tries: SMTPServerDisconnected: Connection unexpectedly closed"
    )
    # once the mail server is mended, an operator queues it again
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    with time_machine.travel(at, tick=False):
        assert notices_sweep(failed=True) == 1
        run_worker(monkeypatch)
    assert len(mail.outbox) == 1


def test_a_worker_that_stopped_mid_send_leaves_a_notice_the_sweep_queues_again(
    cast, emails, schools, monkeypatch
):
    (notice,) = _consultation(cast, schools, who=("teacher",))
    DBTaskResult.objects.all().delete()  # the task was taken...
    Notice.objects.filter(pk=notice.pk).update(status="sending", claimed_at=OPENED)  # ...and died

    with time_machine.travel(OPENED + timedelta(minutes=20), tick=False):
        run_worker(monkeypatch)  # the worker sweeps when it starts

    notice.refresh_from_db()
    assert notice.status == "sent" and len(mail.outbox) == 1


def test_a_disabled_login_is_told_nothing(cast, emails, schools):
    cast["colleague"].is_active = False
    cast["colleague"].save()

    made = _consultation(cast, schools)

    assert [n.recipient for n in made] == [cast["teacher"]]


def test_a_login_without_an_email_address_is_recorded_not_sent(cast, schools, monkeypatch):
    (notice,) = _consultation(cast, schools, who=("teacher",))
    run_worker(monkeypatch)
    notice.refresh_from_db()

    assert notice.status == "failed" and notice.failure == "The login has no email address."
    assert mail.outbox == []


def test_notify_refuses_what_a_kind_needs_and_lacks(cast, schools):
    with pytest.raises(ValueError, match="needs a deadline"):
        notify(
            kinds.CONSULTATION_OPEN, [cast["teacher"]], school=schools[SLUG], about="x", link="/"
        )
    with pytest.raises(ValueError, match="needs reasons"):
        notify(
            kinds.AGREEMENT_RETURNED, [cast["teacher"]], school=schools[SLUG], about="x", link="/"
        )
    with pytest.raises(ValueError, match="a path on the site"):
        notify(
            kinds.AGREEMENT_ACCEPTED,
            [cast["teacher"]],
            school=schools[SLUG],
            about="x",
            link="https://elsewhere.example/",
        )
    with pytest.raises(LookupError, match="no notice kind 'ballot-result'"):
        notify("ballot-result", [cast["teacher"]], school=schools[SLUG], about="x", link="/")


# --- the ballot's notices ---------------------------------------------------------------------


def _ballot(cast, schools, *who: str) -> Ballot:  # type: ignore[no-untyped-def]
    """An agreement ballot of these members of the cast, opened at OPENED."""
    with time_machine.travel(OPENED, tick=False):
        return open_agreement_ballot(
            school=schools[SLUG],
            actor=cast["head"],
            electorate=electors_for([cast[w] for w in who]),
        )


def _body_for(address: str, subject_start: str) -> str:
    (message,) = [m for m in _sent_to(address) if m.subject.startswith(subject_start)]
    return message.body.replace("colleague", "NAME").replace("teacher", "NAME")


def test_reissue_and_close_tell_every_elector_the_same_words_whether_or_not_they_voted(
    cast, emails, schools, monkeypatch
):
    ballot = _ballot(cast, schools, "teacher", "colleague")
    with time_machine.travel(DURING, tick=False):
        ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.YES, now=DURING)
        ballot_reissue(
            actor=cast["head"], ballot=ballot, paper_text="v4", reason="a typo", now=DURING
        )
        ballot_vote(ballot=ballot, voter=cast["teacher"], choice=Choice.NO, now=DURING)
        run_worker(monkeypatch)
    closes = DURING + timedelta(days=10)
    with time_machine.travel(closes, tick=False):
        ballot_close(actor=cast["head"], ballot=ballot, now=closes)
        run_worker(monkeypatch)

    voter, other = "teacher@example.org", "colleague@example.org"
    for subject in ("Vote by", "Vote again by", "The ballot has closed"):
        assert _body_for(voter, subject) == _body_for(other, subject)
    reissued = _body_for(voter, "Vote again by")
    assert "because of: a typo" in reissued and "closes Friday 12 June 2026, 10:00" in reissued
    for message in mail.outbox:
        assert "yes" not in message.body.lower().split() and "union member" not in message.body


def test_the_closing_reminder_goes_two_days_before_and_follows_a_reissue(
    cast, emails, schools, monkeypatch
):
    ballot = _ballot(cast, schools, "teacher", "colleague")
    with time_machine.travel(OPENED, tick=False):
        run_worker(monkeypatch)
    first_time = ballot.closes_at - REMIND_BEFORE
    (scheduled,) = DBTaskResult.objects.filter(task_path__endswith="ballot_closing_remind")
    assert scheduled.run_after == first_time

    reissued_at = OPENED + timedelta(days=3)
    with time_machine.travel(reissued_at, tick=False):
        ballot_reissue(
            actor=cast["head"], ballot=ballot, paper_text="v4", reason="typo", now=reissued_at
        )
        run_worker(monkeypatch)
    ballot.refresh_from_db()

    with time_machine.travel(first_time, tick=False):
        run_worker(monkeypatch)  # the old reminder is due, but the ballot closes later now
    assert not [m for m in mail.outbox if m.subject.startswith("The ballot closes")]

    with time_machine.travel(ballot.closes_at - REMIND_BEFORE, tick=False):
        run_worker(monkeypatch)
    reminders = [m for m in mail.outbox if m.subject.startswith("The ballot closes")]
    assert sorted(m.to[0] for m in reminders) == ["colleague@example.org", "teacher@example.org"]
    assert "closes Sunday 14 June 2026, 10:00" in reminders[0].body


def test_a_ballot_closed_before_the_worker_ran_sends_only_its_closing(
    cast, emails, schools, monkeypatch
):
    ballot = _ballot(cast, schools, "teacher")
    with time_machine.travel(AFTER, tick=False):
        ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)
        run_worker(monkeypatch)

    assert [m.subject.split(":")[0] for m in mail.outbox] == ["The ballot has closed"]
    assert not BallotNotice.objects.filter(sent_at__isnull=True).exists()


def test_a_ballot_closed_before_its_reminder_sends_none(cast, emails, schools, monkeypatch):
    ballot = _ballot(cast, schools, "teacher")
    Ballot.objects.filter(pk=ballot.pk).update(state="closed")
    with time_machine.travel(ballot.closes_at - REMIND_BEFORE, tick=False):
        run_worker(monkeypatch)

    assert not [m for m in mail.outbox if m.subject.startswith("The ballot closes")]


# --- my notifications -----------------------------------------------------------------------


def test_my_notifications_lists_mine_and_nobody_elses(as_user, cast, emails, schools, monkeypatch):
    _consultation(cast, schools, who=("colleague",), about="agreement:for-the-colleague")
    notify(
        kinds.AGREEMENT_RETURNED,
        [cast["teacher"]],
        {"reasons": "the calendar is missing"},
        school=schools[SLUG],
        about="agreement:for-the-teacher",
        link=reverse("school-dashboard", args=[SLUG]),
    )
    run_worker(monkeypatch)

    page = as_user("teacher").get(reverse("my-notices")).content.decode()

    assert "The council returned the agreement" in page and "Sent" in page
    assert "Comment on the draft agreement" not in page
    assert "teacher@example.org" in page
    assert "no notifications" in as_user("head").get(reverse("my-notices")).content.decode()
