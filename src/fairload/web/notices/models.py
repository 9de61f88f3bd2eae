"""Notices: an email someone is owed, from the moment a step asks for it until it has gone.

One row per (kind, subject, recipient): ``about`` names the subject ("ballot:12:open:…",
"agreement:auchenlea-academy:2026-27:v3"), so a retried step or a double click finds the
row already there and nothing is sent twice. The worker sends it (tasks.notice_send) and
records when, or why it could not.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class Notice(models.Model):
    class Status(models.TextChoices):
        QUEUED = "queued", "Queued"
        SENDING = "sending", "Sending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Not sent"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="+")
    #: a name from kinds.KINDS (checked by notify; no choices, so a new kind needs no migration)
    kind = models.CharField(max_length=40)
    about = models.CharField(max_length=200, help_text="Which subject: one notice per kind")
    #: what the template reads beyond the school, the step, the deadline and the link
    context = models.JSONField(default=dict, blank=True)
    link = models.CharField(max_length=300, help_text="A path on the site")
    deadline = models.DateTimeField(null=True, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField()
    #: when the worker may next try (a retry after a failure waits)
    next_try_at = models.DateTimeField()
    #: when the worker took it to send (a worker that died mid-send leaves this behind)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    #: why the last try failed (kept after a later success, for the record)
    failure = models.CharField(max_length=500, blank=True)
    #: the notify() call that made it, so that call knows which rows it made
    batch = models.UUIDField()

    class Meta:
        ordering = ["-queued_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "about", "recipient"], name="one_notice_per_subject"
            )
        ]
        indexes = [
            models.Index(fields=["recipient", "-queued_at"], name="notice_inbox"),
            models.Index(fields=["status", "next_try_at"], name="notice_due"),
            models.Index(fields=["batch"], name="notice_batch"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.about} to {self.recipient_id}: {self.status}"
