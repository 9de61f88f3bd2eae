"""Making the agreement: versions, consultation, comments and answers, the final version
and its ballot, signatures, submission and the council's decision, a failure report.

Every step is refused with an AgreementRefused that says why, writes the audit log
(never a vote: the ballot service keeps those), bumps the year's revision (year_touch) so
its checks are made again from the live record, and calls ``agreement_notify`` for
whoever is asked to act. The order of the steps and their gates are the core's
(steps.step_refusal); the checks here are only that a row is the one it must be.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AbstractBaseUser
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fairload.core.ballots import AGREEMENT_APPROVAL
from fairload.core.packs import load_bundled
from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User
from fairload.web.agreements import policies
from fairload.web.agreements.models import (
    Agreement,
    AgreementVersion,
    Comment,
    FailureReport,
    Signature,
    Submission,
)
from fairload.web.agreements.record import (
    TEXT_PARTS,
    canonical_document,
    current_final,
    latest_version,
    signature_states,
)
from fairload.web.agreements.selectors import (
    headings,
    previous_year_version,
    year_events,
)
from fairload.web.agreements.steps import content_hash, step_refusal
from fairload.web.audit.services import audit_record
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.policies import AGREEMENT
from fairload.web.ballots.selectors import ElectorIn, electorate_teaching_staff
from fairload.web.ballots.services import BallotRefused, ballot_open
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.services import year_touch
from fairload.web.signing import signer_name

#: The pack parameter for the consultation's window, where the pack gives one (16.4).
CONSULTATION_WINDOW = "consultation_window_days"


class AgreementRefused(Exception):
    """A step that may not be taken: the message is for the person who tried."""


def agreement_notify(
    *,
    kind: str,
    agreement: Agreement,
    recipients: Iterable[Any],
    link: str,
    deadline: datetime | None = None,
    context: dict[str, str] | None = None,
) -> None:
    """The one hook for email notices: a step asks these people to act. ``kind`` is a
    notice kind of web/notices (consultation-open, signature-wanted, agreement-submitted,
    agreement-returned, agreement-accepted). The notice queue sends them from its worker,
    never in the request; until the notices app is installed this does nothing."""
    if not apps.is_installed("fairload.web.notices"):
        return
    from fairload.web.notices.services import notify

    year = _year(agreement)
    latest = latest_version(agreement)
    notify(
        kind,
        list(recipients),
        context or {},
        school=year.school,
        about=f"agreement:{year.school.slug}:{year.label}:v{latest.number if latest else 0}",
        link=link,
        deadline=deadline,
    )


def committee_people(year: SchoolYear) -> list[Any]:
    """The committee's people today: the head teacher and its sitting members (who sign,
    and hear back)."""
    return policies.committee_members(year)


def agreement_link(year: SchoolYear) -> str:
    return reverse("agreement-home", args=[year.school.slug])


def _year(agreement: Agreement) -> SchoolYear:
    return agreement.school_year


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise AgreementRefused(message)


def _core_gate(year: SchoolYear, step_id: str, now: datetime) -> None:
    reason = step_refusal(year, step_id, timezone.localdate(now))
    if reason:
        raise AgreementRefused(reason)


def _recorded(actor: User, agreement: Agreement, action: str, summary: str, **details: Any) -> None:
    """A step was taken: the year's record changed (its checks are made again) and the
    audit log says who did what."""
    year = _year(agreement)
    year_touch(year)
    audit_record(
        actor=actor,
        action=f"agreement.{action}",
        school=year.school,
        summary=summary,
        details={"year": year.label, **details},
    )


def _voids(agreement: Agreement) -> int:
    """How many signatures hold now (and so are voided by the change being made)."""
    return sum(
        1
        for s in signature_states(agreement=agreement, events=year_events(year=_year(agreement)))
        if s.holds
    )


def _locked_busy(agreement: Agreement) -> None:
    """A version may not be saved while the staff vote on the final one, or while the
    council has it: the ballot is reissued, or the council returns it, first."""
    final = current_final(agreement)
    if final is None:
        return
    if final.ballot is not None and final.ballot.state == "open":
        raise AgreementRefused(
            "The staff are voting on the final version: close the ballot, or reissue its "
            "paper, before changing the agreement."
        )
    if Submission.objects.filter(
        version=final, decision__in=[Submission.Decision.PENDING, Submission.Decision.ACCEPTED]
    ).exists():
        raise AgreementRefused(
            "The council has this agreement: it can be changed once the council returns it."
        )


def agreement_start(*, actor: User, year: SchoolYear, now: datetime) -> Agreement:
    """Start the year's agreement with version 1: a copy of the school's last agreement
    (next year's draft starts as this year's), or the pack's defaults."""
    _refuse_unless(policies.may_draft(actor, year.school), "You may not draft this agreement.")
    with transaction.atomic():
        agreement, made = Agreement.objects.get_or_create(
            school=year.school,
            label=year.label,
            defaults={"created_at": now, "year_start": year.start},
        )
        agreement.school_year = year
        if not made and agreement.versions.exists():
            return agreement
        source = previous_year_version(year=year)
        known = {h.id for h in headings(year=year)}
        content: dict[str, Any] = {"allocations": {}}
        if source is not None:
            content = {
                "allocations": {k: v for k, v in source.allocations.items() if k in known},
                **{name: getattr(source, name) for name, _, _ in TEXT_PARTS},
            }
        AgreementVersion.objects.create(
            agreement=agreement,
            number=1,
            created_at=now,
            created_by=_person(actor),
            note=(
                f"A copy of {source.agreement.label}'s version {source.number}"
                if source is not None
                else "The pack's defaults"
            ),
            calendar=year_events(year=year),
            **content,
        )
        _recorded(
            actor,
            agreement,
            "start",
            f"Started the {year.label} agreement's draft"
            + (f" from {source.agreement.label}'s" if source else ""),
        )
    return agreement


def _person(actor: User) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None


def version_save(
    *, actor: User, agreement: Agreement, content: dict[str, Any], note: str, now: datetime
) -> AgreementVersion:
    """Save the draft as its next version. Versions are never changed once saved; a
    version after the final one reopens the draft (and voids its signatures)."""
    year = _year(agreement)
    _refuse_unless(policies.may_draft(actor, year.school), "You may not draft this agreement.")
    known = {h.id for h in headings(year=year)}
    allocations = {k: float(v) for k, v in content.get("allocations", {}).items() if v is not None}
    unknown = set(allocations) - known
    _refuse_unless(not unknown, f"No such heading: {', '.join(sorted(unknown))}.")
    with transaction.atomic():
        Agreement.objects.select_for_update().filter(pk=agreement.pk).first()
        _locked_busy(agreement)
        voided = _voids(agreement)
        previous = latest_version(agreement)
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=(previous.number + 1) if previous else 1,
            created_at=now,
            created_by=_person(actor),
            note=note.strip()[:500],
            allocations=allocations,
            calendar=year_events(year=year),
            **{name: str(content.get(name, "")).strip() for name, _, _ in TEXT_PARTS},
        )
        _recorded(
            actor,
            agreement,
            "version",
            f"Saved version {version.number} of the {year.label} agreement"
            + (f"; {voided} signature{'s' if voided != 1 else ''} void" if voided else ""),
            version=version.number,
            voided_signatures=voided,
        )
    return version


def _window_days(year: SchoolYear, on: Any) -> int | None:
    parameters = load_bundled(year.school.pack).parameters
    if CONSULTATION_WINDOW not in parameters:
        return None
    return int(parameters.number(CONSULTATION_WINDOW, on))


def consultation_open(
    *, actor: User, agreement: Agreement, now: datetime, days: int | None = None
) -> Agreement:
    """Open the latest version to the whole teaching staff for the pack's window of days
    (or, where the pack gives none, the committee's)."""
    year = _year(agreement)
    _refuse_unless(policies.is_committee(actor, year.school), "You may not open the consultation.")
    _refuse_unless(
        agreement.consultation_opened_at is None, "The consultation has already been opened."
    )
    window = _window_days(year, timezone.localdate(now)) or days
    _refuse_unless(bool(window and window > 0), "Say for how many days the staff are consulted.")
    version = latest_version(agreement)
    _refuse_unless(version is not None, "Save a draft before consulting on it.")
    _core_gate(year, "consultation-open", now)
    with transaction.atomic():
        agreement.consultation_opened_at = now
        agreement.consultation_closes_at = now + timedelta(days=int(window or 0))
        agreement.consultation_version = version
        agreement.save(
            update_fields=[
                "consultation_opened_at",
                "consultation_closes_at",
                "consultation_version",
            ]
        )
        _recorded(
            actor,
            agreement,
            "consultation.open",
            f"Opened the consultation on version {version.number} to the teaching staff "  # type: ignore[union-attr]
            f"until {timezone.localtime(agreement.consultation_closes_at):%d %B %Y}",
        )
        agreement_notify(
            kind="consultation-open",
            agreement=agreement,
            recipients=get_user_model().objects.filter(
                pk__in=[e.person_id for e in agreement_electorate(year, now) if e.person_id]
            ),
            link=reverse("agreement-comments", args=[year.school.slug]),
            deadline=agreement.consultation_closes_at,
        )
    return agreement


def consultation_is_open(agreement: Agreement, now: datetime) -> bool:
    """Whether the staff may comment now: opened, not closed, and inside the window (the
    core's reading of the window, as for every step that has one)."""
    return (
        agreement.consultation_opened_at is not None
        and agreement.consultation_closed_at is None
        and step_refusal(agreement.school_year, "comment", timezone.localdate(now)) is None
    )


def consultation_close(*, actor: User, agreement: Agreement, now: datetime) -> Agreement:
    year = _year(agreement)
    _refuse_unless(policies.is_committee(actor, year.school), "You may not close the consultation.")
    _refuse_unless(
        agreement.consultation_opened_at is not None and agreement.consultation_closed_at is None,
        "The consultation is not open.",
    )
    _core_gate(year, "consultation-close", now)
    with transaction.atomic():
        agreement.consultation_closed_at = min(now, agreement.consultation_closes_at or now)
        agreement.save(update_fields=["consultation_closed_at"])
        _recorded(actor, agreement, "consultation.close", "Closed the consultation")
    return agreement


def comment_add(
    *,
    actor: User,
    agreement: Agreement,
    on: str,
    target: str,
    target_label: str,
    text: str,
    now: datetime,
) -> Comment:
    """A teacher's comment on the whole draft, a heading or an event, while the
    consultation is open (16.4: "the whole teaching staff")."""
    year = _year(agreement)
    _refuse_unless(policies.teaches_in(actor, year), "Only the school's teaching staff comment.")
    _refuse_unless(agreement.consultation_opened_at is not None, "The consultation is not open.")
    _refuse_unless(agreement.consultation_closed_at is None, "The consultation is closed.")
    _core_gate(year, "comment", now)
    _refuse_unless(bool(text.strip()), "Write your comment.")
    version = latest_version(agreement)
    assert version is not None
    with transaction.atomic():
        comment = Comment.objects.create(
            agreement=agreement,
            version=version,
            author=_person(actor),
            author_name=actor.get_username() if _person(actor) else "",
            on=on,
            target=target if on != Comment.On.WHOLE else "",
            target_label=target_label if on != Comment.On.WHOLE else "",
            text=text.strip(),
            created_at=now,
        )
        # The log says a comment was made, not by whom to the readers of the school's log:
        # the actor is the log's own column.
        _recorded(
            actor,
            agreement,
            "comment",
            f"Commented on version {version.number}",
            comment=comment.pk,
        )
    return comment


def comment_answer(
    *,
    actor: User,
    comment: Comment,
    accepted: bool,
    text: str,
    version_number: int | None,
    now: datetime,
) -> Comment:
    """The committee's answer: accepted, with the version that takes it in, or not, with
    a reason."""
    agreement = comment.agreement
    year = _year(agreement)
    _refuse_unless(
        policies.is_committee(actor, year.school), "Only the committee answers comments."
    )
    answer_version = None
    if accepted:
        answer_version = agreement.versions.filter(number=version_number or 0).first()
        _refuse_unless(
            answer_version is not None and answer_version.number > comment.version.number,
            f"Name the version that takes the comment in: one after version "
            f"{comment.version.number}, the one commented on (save it first).",
        )
    else:
        _refuse_unless(bool(text.strip()), "Say why the comment is not accepted.")
    with transaction.atomic():
        comment.answer = Comment.Answer.ACCEPTED if accepted else Comment.Answer.NOT_ACCEPTED
        comment.answer_text = text.strip()
        comment.answer_version = answer_version
        comment.answered_at, comment.answered_by = now, _person(actor)
        comment.save()
        _recorded(
            actor,
            agreement,
            "comment.answer",
            f"Answered comment {comment.pk}: {comment.get_answer_display().lower()}"
            + (f" in version {answer_version.number}" if answer_version else ""),
            comment=comment.pk,
        )
    return comment


def final_freeze(*, actor: User, agreement: Agreement, now: datetime) -> AgreementVersion:
    """Freeze the draft as the final version: a new version, the latest's content with
    the calendar as the year has it now."""
    year = _year(agreement)
    _refuse_unless(policies.may_draft(actor, year.school), "You may not freeze this agreement.")
    latest = latest_version(agreement)
    _refuse_unless(latest is not None, "Save a draft first.")
    _refuse_unless(not latest.is_final, "The latest version is already final.")  # type: ignore[union-attr]
    with transaction.atomic():
        _locked_busy(agreement)
        assert latest is not None
        version = AgreementVersion.objects.create(
            agreement=agreement,
            number=latest.number + 1,
            created_at=now,
            created_by=_person(actor),
            note=f"Version {latest.number}, frozen as final",
            allocations=dict(latest.allocations),
            calendar=year_events(year=year),
            final_at=now,
            **{name: getattr(latest, name) for name, _, _ in TEXT_PARTS},
        )
        _recorded(
            actor,
            agreement,
            "final",
            f"Froze version {version.number} as the final agreement",
            version=version.number,
        )
    return version


def _paper_text(year: SchoolYear, version: AgreementVersion) -> str:
    from fairload.web.agreements.selectors import allocation_rows

    lines = [f"The working time agreement for {year.label}, final version {version.number}.", ""]
    for row in allocation_rows(year=year, version=version):
        tag = " (by agreement)" if row.by_agreement else ""
        lines.append(
            f"{row.heading.label}: {'—' if row.hours is None else f'{row.hours:g}'} hours{tag}"
        )
    for name, label, clause in TEXT_PARTS:
        if getattr(version, name):
            lines += ["", f"{label} ({clause}):", getattr(version, name)]
    lines += ["", f"The calendar: {len(version.calendar)} events."]
    return "\n".join(lines)


def agreement_electorate(year: SchoolYear, now: datetime) -> list[ElectorIn]:
    """The whole teaching staff (16.4) in post today; in the summer term before the year
    being agreed begins, with no year recorded for today, that year's staff."""
    today = timezone.localdate(now)
    return electorate_teaching_staff(school=year.school, on=today) or (
        electorate_teaching_staff(school=year.school, on=year.start)
    )


def approval_ballot_open(*, actor: User, agreement: Agreement, now: datetime) -> Ballot:
    """Open the staff's secret ballot on the final version (16.4), through the ballot
    service: the electorate is the teaching staff in post today."""
    year = _year(agreement)
    final = current_final(agreement)
    _refuse_unless(final is not None, "Freeze a final version before the staff vote on it.")
    assert final is not None
    _refuse_unless(
        final.ballot is None,
        "The staff have already been balloted on this version.",
    )
    _core_gate(year, "ballot-open", now)
    try:
        with transaction.atomic():
            ballot = ballot_open(
                actor=actor,
                school=year.school,
                subject_kind="agreement",
                subject_id=year.label,
                question=f"Do you approve the working time agreement for {year.label}?",
                paper_text=_paper_text(year, final),
                electorate=agreement_electorate(year, now),
                policy=AGREEMENT,
                parameters=AGREEMENT_APPROVAL,
                now=now,
            )
            final.ballot = ballot
            final.save(update_fields=["ballot"])
            year_touch(year)
    except BallotRefused as refused:
        raise AgreementRefused(str(refused)) from None
    return ballot


def sign(
    *, actor: User, agreement: Agreement, role: str, password_ok: bool, now: datetime
) -> Signature:
    """Sign the final version in ``role`` (16.5), after re-entering one's password."""
    year = _year(agreement)
    _refuse_unless(
        role in policies.signing_roles(actor, year.school),
        "You do not sign this agreement in that role.",
    )
    _refuse_unless(password_ok, "That is not your password.")
    final = current_final(agreement)
    _refuse_unless(final is not None, "There is no final version to sign.")
    assert final is not None
    _core_gate(year, "sign", now)
    events = year_events(year=year)
    document = canonical_document(final, events)
    digest = content_hash(document)
    person = _person(actor)
    with transaction.atomic():
        if Signature.objects.filter(
            version=final, person=person, role=role, content_hash=digest
        ).exists():
            raise AgreementRefused("You have already signed this version.")
        signature = Signature.objects.create(
            version=final,
            person=person,
            name=signer_name(actor, year),
            role=role,
            signed_at=now,
            content_hash=digest,
            document=document,
        )
        _recorded(
            actor,
            agreement,
            "sign",
            f"Signed version {final.number} as {signature.get_role_display().lower()}",
            version=final.number,
            sha256=digest,
        )
    return signature


def submit(*, actor: User, agreement: Agreement, now: datetime) -> Submission:
    """Submit the signed final version to the council's Head of Service (16.5)."""
    year = _year(agreement)
    _refuse_unless(policies.may_submit(actor, year.school), "The head teacher submits it.")
    final = current_final(agreement)
    _refuse_unless(final is not None, "There is no final version to submit.")
    assert final is not None
    _core_gate(year, "submit", now)
    # The record keeps each step by its day, and reads a return on the day of the last
    # submission as answering it: a submission made the day it was returned would never
    # be in force (the council could not decide it, nor the school submit again).
    _refuse_unless(
        not Submission.objects.filter(
            version__agreement=agreement,
            decision=Submission.Decision.RETURNED,
            decided_at__date=timezone.localdate(now),
        ).exists(),
        "The council returned the agreement today: it can be submitted again from tomorrow.",
    )
    digest = content_hash(canonical_document(final, year_events(year=year)))
    try:
        with transaction.atomic():
            submission = Submission.objects.create(
                version=final, submitted_at=now, submitted_by=_person(actor), content_hash=digest
            )
            _recorded(
                actor,
                agreement,
                "submit",
                f"Submitted version {final.number} to {year.school.council.name}",
                version=final.number,
                sha256=digest,
            )
    except IntegrityError:
        raise AgreementRefused("This version is already with the council.") from None
    agreement_notify(
        kind="agreement-submitted",
        agreement=agreement,
        recipients=[
            m.user
            for m in Membership.objects.filter(
                council=year.school.council, role=Role.COUNCIL_OFFICER
            ).select_related("user")
        ],
        link=reverse("council-agreement", args=[year.school.council.slug, submission.pk]),
    )
    return submission


def submission_decide(
    *, actor: User, submission: Submission, accept: bool, reasons: str, now: datetime
) -> Submission:
    """The council accepts the agreement (recorded for the JNCT's monitoring) or returns
    it with reasons, which reopens the draft."""
    agreement = submission.version.agreement
    year = _year(agreement)
    _refuse_unless(
        policies.may_decide(actor, year.school.council), "Only the council's officers decide."
    )
    _refuse_unless(
        submission.decision == Submission.Decision.PENDING, "This submission has been decided."
    )
    _core_gate(year, "council-decision", now)
    _refuse_unless(accept or bool(reasons.strip()), "Say why the agreement is returned.")
    with transaction.atomic():
        submission.decision = (
            Submission.Decision.ACCEPTED if accept else Submission.Decision.RETURNED
        )
        submission.reasons = reasons.strip()
        submission.decided_at, submission.decided_by = now, _person(actor)
        submission.save()
        _recorded(
            actor,
            agreement,
            "accept" if accept else "return",
            f"{'Accepted' if accept else 'Returned'} {year.school.name}'s agreement "
            f"(version {submission.version.number})"
            + ("" if accept else f": {submission.reasons}"),
            version=submission.version.number,
        )
    agreement_notify(
        kind="agreement-accepted" if accept else "agreement-returned",
        agreement=agreement,
        recipients=committee_people(year),
        link=agreement_link(year),
        context={} if accept else {"reasons": submission.reasons},
    )
    return submission


def failure_report(*, actor: User, agreement: Agreement, text: str, now: datetime) -> FailureReport:
    """Start a report to the joint secretaries that agreement was not reached (17.2)."""
    year = _year(agreement)
    roles = policies.signing_roles(actor, year.school)
    _refuse_unless(bool(roles), "The head teacher or a union representative reports it.")
    _refuse_unless(bool(text.strip()), "Say where agreement could not be reached.")
    _core_gate(year, "failure-reported", now)
    with transaction.atomic():
        report = FailureReport.objects.create(
            agreement=agreement,
            started_at=now,
            started_by=_person(actor),
            by=roles[0],
            text=text.strip(),
        )
        _recorded(
            actor,
            agreement,
            "failure",
            "Started a failure-to-agree report (17.2)",
            report=report.pk,
        )
    return report
