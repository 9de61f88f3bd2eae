"""Secret ballots: who may vote, who did, and the papers as cast, never linked.

A ballot belongs to a school and is *about* something named generically (``subject_kind``
and ``subject_id``: an agreement's year, a dispute's case), so every workflow reuses it.

Secrecy is in the shape of the tables (docs/decisions/0004-ballot-secrecy.md):
- ``Participation`` records that an elector voted on a paper (one row per elector and paper,
  enforced by a unique constraint), and never how.
- ``Vote`` records how a paper was cast, and never by whom: no voter, no time, and a random
  key instead of an ascending id, so neither its key nor any column gives the order votes
  arrived in. At close the votes are rewritten in a random order (services.ballot_close).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models

from fairload.core.ballots import BallotState, Choice


class Ballot(models.Model):
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, related_name="ballots")
    subject_kind = models.CharField(max_length=40, help_text="What it is about: 'agreement', …")
    subject_id = models.CharField(max_length=100, help_text="Which one, e.g. a year's label")
    policy = models.CharField(max_length=40, help_text="Who may see and run it (policies.py)")
    question = models.CharField(max_length=300)
    pack = models.CharField(max_length=200)
    #: The BallotParameters naming the pack's figures; the threshold is read at opening.
    parameter_names = models.JSONField()
    threshold = models.JSONField(help_text="The threshold in force at opening, with clauses")
    state = models.CharField(
        max_length=10, choices=[(s.value, s.value) for s in BallotState], default="open"
    )
    electorate_size = models.PositiveIntegerField()
    opened_at = models.DateTimeField()
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closes_at = models.DateTimeField()
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    #: Written at close, never before: the tally, turnout and outcome with its figures.
    result = models.JSONField(null=True, blank=True)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        indexes = [models.Index(fields=["subject_kind", "subject_id"])]

    def __str__(self) -> str:
        return f"{self.school}: {self.question}"


class BallotPaper(models.Model):
    """What the electors vote on. A paper with a mistake is withdrawn and the next issued;
    the votes cast on a withdrawn paper are void."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="papers")
    number = models.PositiveIntegerField()
    text = models.TextField()
    issued_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    withdrawn_reason = models.CharField(max_length=500, blank=True)

    class Meta:
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["ballot", "number"], name="one_paper_per_number"),
            models.UniqueConstraint(
                fields=["ballot"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="one_current_paper_per_ballot",
            ),
        ]


class Elector(models.Model):
    """Someone entitled to vote, fixed when the ballot opened."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="electors")
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ballot_electors",
    )
    name = models.CharField(max_length=200)
    staff_id = models.CharField(max_length=100, blank=True)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["ballot", "person"],
                condition=models.Q(person__isnull=False),
                name="one_elector_per_person",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Participation(models.Model):
    """That an elector voted on a paper. Never how."""

    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="participations")
    paper = models.ForeignKey(BallotPaper, on_delete=models.CASCADE, related_name="participations")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["elector", "paper"], name="one_vote_per_elector")
        ]


class Vote(models.Model):
    """A paper as cast. Never whose, never when: a random key, and only its paper, the
    choice, and the receipt code the voter was shown once."""

    key = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    paper = models.ForeignKey(BallotPaper, on_delete=models.CASCADE, related_name="votes")
    choice = models.CharField(max_length=10, choices=[(c.value, c.value) for c in Choice])
    receipt = models.CharField(max_length=20, unique=True)


class BallotNotice(models.Model):
    """A message an elector is owed (the ballot opened, its paper was reissued, it closed).
    The email queue sends the unsent ones (selectors.ballot_notices_unsent) and marks them
    (services.ballot_notice_mark_sent); every elector is told, so a notice never says who
    voted."""

    class Kind(models.TextChoices):
        OPENED = "opened", "The ballot is open"
        REISSUED = "reissued", "The ballot paper was reissued: vote again"
        CLOSED = "closed", "The ballot has closed"

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="notices")
    elector = models.ForeignKey(Elector, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField()
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "pk"]
