"""The agreement's deadlines in calendar feeds (the provider hook of feeds/deadlines.py):

- the consultation's close, while it is open, in every feed of the school (the whole
  teaching staff is consulted, 16.4, and when it closes is no one's secret);
- in a person's own feed (``scope.person``), what the process asks of them: a signature
  wanted from the head teacher or a union representative on the committee once the staff
  have approved the final version and until they have signed it (16.5); the council's
  deadline for the submission, for the head teacher until it is submitted; and, once the
  council has returned the agreement, its resubmission, for the committee.

The agreement is due *before* the council's day (core.process.due_date), so a deadline
of that day is at its first moment. What a step needs and when it is done is the core's
(steps.py); who acts is the agreement's policies.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime, time

from django.urls import reverse
from django.utils import timezone

from fairload.core.process import long_day
from fairload.web.accounts.policies import User
from fairload.web.agreements import policies
from fairload.web.agreements.models import Agreement, Submission
from fairload.web.agreements.record import current_final, roles_signed_by
from fairload.web.agreements.selectors import agreement_of, submission_current, year_events
from fairload.web.agreements.steps import agreement_due, step_refusal, steps_done
from fairload.web.feeds.deadlines import Deadline, FeedScope
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import school_year_current


def _first_moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def agreement_deadlines(scope: FeedScope, now: datetime) -> Iterator[Deadline]:
    year = school_year_current(school=scope.school)
    if year is None:
        return
    agreement = agreement_of(year=year)
    if agreement is not None:
        yield from _consultation(year, agreement, now)
    if scope.person is not None:
        yield from _asked_of(scope.person, year, agreement, now)


def _uid(year: SchoolYear, what: str) -> str:
    return f"agreement-{year.school.slug}-{year.label}-{what}"


def _consultation(year: SchoolYear, agreement: Agreement, now: datetime) -> Iterator[Deadline]:
    closes = agreement.consultation_closes_at
    if agreement.consultation_opened_at is None or agreement.consultation_closed_at is not None:
        return
    if closes is None or closes <= now:
        return
    yield Deadline(
        uid=_uid(year, "consultation-closes"),
        title=f"The consultation on the draft agreement for {year.label} closes",
        due=closes,
        link=reverse("agreement-comments", args=[year.school.slug]),
        description="The whole teaching staff may comment on the draft until this time; "
        "the committee answers every comment.",
    )


def _asked_of(
    person: User, year: SchoolYear, agreement: Agreement | None, now: datetime
) -> Iterator[Deadline]:
    school = year.school
    due = agreement_due(year)
    if due is None:
        return
    done = steps_done(year)
    home = reverse("agreement-home", args=[school.slug])
    by = f"The agreement is due with {school.council.name} before {long_day(due)}."
    submission = submission_current(agreement=agreement) if agreement is not None else None
    returned = submission is not None and submission.decision == Submission.Decision.RETURNED
    if agreement is not None and "sign" not in done:
        roles = set(policies.signing_roles(person, school))
        signed = roles_signed_by(
            agreement=agreement, events=year_events(year=year), person_id=person.pk
        )
        may_sign = current_final(agreement) is not None and (
            step_refusal(year, "sign", timezone.localdate(now)) is None
        )
        if roles - signed and may_sign:
            yield Deadline(
                uid=_uid(year, "signature-wanted"),
                title=f"Sign the agreement for {year.label}",
                due=_first_moment(due),
                link=reverse("agreement-sign", args=[school.slug]),
                description=f"The staff have approved the final version. {by} This reminder "
                "leaves your calendar once you have signed.",
            )
    if returned and policies.is_committee(person, school):
        assert submission is not None and submission.decided_at is not None
        yield Deadline(
            uid=_uid(year, f"returned-{submission.pk}"),
            title=f"Returned by the council: the agreement for {year.label}",
            due=max(_first_moment(due), submission.decided_at),
            link=home,
            description=f"{school.council.name} returned the agreement with reasons, which "
            f"reopens the draft. {by}",
        )
    elif "submit" not in done and policies.may_submit(person, school):
        yield Deadline(
            uid=_uid(year, "submission-due"),
            title=f"Submit the agreement for {year.label} to {school.council.name}",
            due=_first_moment(due),
            link=home,
            description=f"{by} Signed by the head teacher and the union representatives, "
            "it is submitted on the pro-forma (16.5).",
        )
