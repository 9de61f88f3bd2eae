"""The appeal's steps (section 17) and the flexible approach's (3.3).

Every step is refused with an AppealRefused that says why, bumps the year's revision
(year_touch) so its checks are made again from the live record, writes the audit log
(outside the school's own log of changes, which the council's officers read: an appeal is
for its parties and the Joint Secretaries only), and tells whoever is asked to act. The
order of the steps and their gates are the core's (steps.py): a step the core refuses is
refused, and an outcome the core's gate would not accept (an informal meeting without a
member of each side) is rolled back with the core's reason.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import AbstractBaseUser
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fairload.core.process import canonical_json
from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User
from fairload.web.agreements.models import FailureReport
from fairload.web.appeals import policies, steps
from fairload.web.appeals.models import (
    Appeal,
    AppealDocument,
    Attendee,
    Conclusion,
    FlexibleApproach,
    Meeting,
)
from fairload.web.audit.services import audit_record
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.services import year_touch

#: The largest document one may upload (the database keeps it with the appeal).
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
#: The core's step for each meeting.
MEETING_STEP = {Meeting.Kind.INFORMAL: "informal-meeting", Meeting.Kind.HEARING: "hearing"}
RESOLVED, NOT_RESOLVED = "resolved", "not resolved"


class AppealRefused(Exception):
    """A step that may not be taken: the message is for the person who tried."""


class _GateNotMet(Exception):
    """The core's gate does not hold on the record as written: roll it back."""


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise AppealRefused(message)


def _person(actor: User) -> AbstractBaseUser | None:
    return actor if isinstance(actor, AbstractBaseUser) and actor.is_authenticated else None


def appeal_year(appeal: Appeal) -> SchoolYear | None:
    return (
        SchoolYear.objects.select_related("school__council")
        .filter(school_id=appeal.school_id, label=appeal.label)
        .first()
    )


def _touched(actor: User, school: School, label: str, action: str, summary: str) -> None:
    year = SchoolYear.objects.filter(school=school, label=label).first()
    if year is not None:
        year_touch(year)
    audit_record(
        actor=actor,
        action=f"appeal.{action}" if not action.startswith("flexible") else action,
        summary=f"{school.name} {label}: {summary}",
        details={"school": school.slug, "year": label},
    )


def _appeal_touched(actor: User, appeal: Appeal, action: str, summary: str) -> None:
    _touched(actor, appeal.school, appeal.label, action, summary)


def _core_gate(appeal: Appeal, step_id: str, on: date) -> None:
    reason = steps.refusal(appeal, step_id, on)
    if reason:
        raise AppealRefused(reason)


def parties(school: School) -> list[Any]:
    """The head teacher and the union representatives: the appeal's parties."""
    return [
        m.user
        for m in Membership.objects.filter(
            school=school, role__in=[Role.HEAD, Role.UNION_REP]
        ).select_related("user")
    ]


def joint_secretaries(school: School) -> list[Any]:
    return [
        m.user
        for m in Membership.objects.filter(
            council_id=school.council_id, role__in=[Role.JNCT_MANAGEMENT, Role.JNCT_TEACHERS]
        ).select_related("user")
    ]


def appeal_link(appeal: Appeal) -> str:
    return reverse("appeal-detail", args=[appeal.pk])


def _notify(
    kind: str,
    recipients: Iterable[Any],
    *,
    school: School,
    about: str,
    link: str,
    context: dict[str, str] | None = None,
    deadline: datetime | None = None,
) -> None:
    from fairload.web.notices.services import notify

    notify(
        kind,
        list(recipients),
        context or {},
        school=school,
        about=about,
        link=link,
        deadline=deadline,
    )


def _tell_the_appeal(
    kind: str,
    appeal: Appeal,
    about: str,
    context: dict[str, str] | None = None,
    deadline: datetime | None = None,
) -> None:
    """Tell the parties and the Joint Secretaries of a step of the appeal."""
    _notify(
        kind,
        [*parties(appeal.school), *joint_secretaries(appeal.school)],
        school=appeal.school,
        about=f"appeal:{appeal.pk}:{about}",
        link=appeal_link(appeal),
        context=context,
        deadline=deadline,
    )


def person_name(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


# --- the report (17.2) opens the appeal ------------------------------------------------------


def appeal_open(*, report: FailureReport, now: datetime) -> Appeal:
    """The appeal a failure report opens (one per school year: a second report of the
    same year joins the first's appeal), and the Joint Secretaries are told."""
    agreement = report.agreement
    school = agreement.school
    with transaction.atomic():
        appeal, made = Appeal.objects.get_or_create(
            school=school, label=agreement.label, defaults={"report": report, "opened_at": now}
        )
        if made:
            _notify(
                "appeal-reported",
                joint_secretaries(school),
                school=school,
                about=f"appeal:{school.slug}:{agreement.label}",
                link=appeal_link(appeal),
                context={"side": report.get_by_display().lower()},
            )
    return appeal


# --- meetings (17.3, 17.4) -------------------------------------------------------------------


def meeting_convene(
    *,
    actor: User,
    appeal: Appeal,
    kind: str,
    on: date,
    place: str,
    attendees: list[tuple[str, str, bool]],
    now: datetime,
) -> Meeting:
    """Convene the informal meeting (the first 17.3: a member of each side, appointed by
    the Joint Secretaries, with the head teacher and the union representative) or the
    formal hearing (the second 17.3), naming who is to attend: ``(name, role, nominee)``.
    A meeting not yet held may be convened again (a new day, new attendees)."""
    _refuse_unless(policies.may_act(actor, appeal), "Only the Joint Secretaries convene it.")
    kind = Meeting.Kind(kind)
    _core_gate(appeal, MEETING_STEP[kind], timezone.localdate(now))
    names = [(n.strip(), r, nominee) for n, r, nominee in attendees if n.strip()]
    _refuse_unless(bool(names), "Name who is to attend.")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().filter(appeal=appeal, kind=kind).first()
        _refuse_unless(
            meeting is None or not meeting.held, f"The {kind.label.lower()} has been held."
        )
        if meeting is None:
            meeting = Meeting(appeal=appeal, kind=kind)
        meeting.on, meeting.place = on, place.strip()[:200]
        meeting.convened_at, meeting.convened_by = now, _person(actor)
        meeting.save()
        meeting.attendees.exclude(role=Attendee.As.WITNESS).delete()
        Attendee.objects.bulk_create(
            Attendee(meeting=meeting, name=n[:200], role=r, nominee=nominee)
            for n, r, nominee in names
        )
        _appeal_touched(
            actor,
            appeal,
            f"{kind.value}.convene",
            f"Convened the {kind.label.lower()} for {on:%d %B %Y}",
        )
        _tell_the_appeal(
            "appeal-meeting",
            appeal,
            f"{kind.value}:{on.isoformat()}",
            {"meeting": kind.label.lower(), "day": f"{on:%A} {on.day} {on:%B %Y}"},
            deadline=timezone.make_aware(datetime.combine(on, time(9))),
        )
    return meeting


def attendee_add(
    *,
    actor: User,
    meeting: Meeting,
    name: str,
    role: str,
    nominee: bool = False,
    called_by: str = "",
) -> Attendee:
    """Someone else at the meeting: a nominee, another representative, or a witness
    called by a side (17.4: "Either side may call witnesses")."""
    appeal = meeting.appeal
    _refuse_unless(policies.may_act(actor, appeal), "Only the Joint Secretaries record it.")
    _refuse_unless(not meeting.held, "The meeting's outcome is recorded: it has been held.")
    _refuse_unless(bool(name.strip()), "Enter the attendee's name.")
    role = Attendee.As(role)
    _refuse_unless(
        role != Attendee.As.WITNESS or bool(called_by), "Say which side called the witness."
    )
    _refuse_unless(
        role != Attendee.As.WITNESS or meeting.kind == Meeting.Kind.HEARING,
        "Witnesses are called at the formal hearing (17.4).",
    )
    with transaction.atomic():
        attendee = Attendee.objects.create(
            meeting=meeting,
            name=name.strip()[:200],
            role=role,
            nominee=nominee,
            called_by=called_by if role == Attendee.As.WITNESS else "",
        )
        _appeal_touched(actor, appeal, "attendee", f"Recorded {attendee.name} as attending")
    return attendee


def meeting_outcome(
    *, actor: User, meeting: Meeting, outcome: str, notes: str, now: datetime
) -> Meeting:
    """Record that the meeting was held and what came of it: the informal meeting
    resolved the dispute or not (17.3); the hearing, what it heard (17.4). The core's gate
    must then hold (each party the pack names among the attendees), or nothing changes."""
    appeal = meeting.appeal
    _refuse_unless(policies.may_act(actor, appeal), "Only the Joint Secretaries record it.")
    _refuse_unless(not meeting.held, "Its outcome is already recorded.")
    today = timezone.localdate(now)
    _refuse_unless(
        meeting.on <= today,
        f"The meeting is set for {meeting.on:%d %B %Y}: record its outcome once it is held.",
    )
    outcome = outcome.strip()
    if meeting.kind == Meeting.Kind.INFORMAL:
        _refuse_unless(outcome in (RESOLVED, NOT_RESOLVED), "Say whether it resolved the dispute.")
    else:
        _refuse_unless(bool(outcome), "Say what the hearing heard.")
    step_id = MEETING_STEP[Meeting.Kind(meeting.kind)]
    _core_gate(appeal, step_id, today)
    try:
        with transaction.atomic():
            meeting.outcome, meeting.notes = outcome, notes.strip()
            meeting.outcome_at, meeting.outcome_by = now, _person(actor)
            meeting.save()
            result = steps.gate(appeal, step_id)
            if not result.met:
                raise _GateNotMet(result.reason)
            _appeal_touched(
                actor,
                appeal,
                f"{meeting.kind}.outcome",
                f"Recorded the {meeting.get_kind_display().lower()}'s outcome: {outcome}",
            )
            _tell_the_appeal(
                "appeal-outcome",
                appeal,
                f"{meeting.kind}:outcome",
                {"meeting": meeting.get_kind_display().lower(), "outcome": outcome},
            )
    except _GateNotMet as failed:
        meeting.refresh_from_db()  # the transaction rolled it back
        raise AppealRefused(f"{failed}.") from None
    return meeting


# --- the conclusion (17.5, 17.1) -------------------------------------------------------------


def conclusion_record(
    *,
    actor: User,
    appeal: Appeal,
    on: date,
    decision: str,
    determines_arrangement: bool,
    decided_by: list[dict[str, Any]],
    now: datetime,
) -> Conclusion:
    """The Joint Secretaries' conclusion, final and binding (17.5); it may determine the
    school's arrangement (17.1). Once recorded it is not changed."""
    _refuse_unless(policies.may_act(actor, appeal), "Only the Joint Secretaries conclude it.")
    _refuse_unless(bool(decision.strip()), "Write the conclusion.")
    _refuse_unless(on <= timezone.localdate(now), "The conclusion is dated today or earlier.")
    _core_gate(appeal, "conclusion", timezone.localdate(now))
    try:
        with transaction.atomic():
            conclusion = Conclusion.objects.create(
                appeal=appeal,
                on=on,
                decision=decision.strip(),
                determines_arrangement=determines_arrangement,
                recorded_at=now,
                recorded_by=_person(actor),
                decided_by=decided_by,
            )
            _appeal_touched(
                actor,
                appeal,
                "conclusion",
                "Recorded the Joint Secretaries' conclusion (final and binding)"
                + (", which determines the school's arrangement" if determines_arrangement else ""),
            )
            _tell_the_appeal("appeal-concluded", appeal, "conclusion")
    except IntegrityError:
        raise AppealRefused("The conclusion is already recorded.") from None
    return conclusion


# --- documents -------------------------------------------------------------------------------


def _check_record(year: SchoolYear) -> dict[str, Any]:
    """The school's check as it is now, as the core's versioned, reproducible record."""
    from fairload.core.check import check_record
    from fairload.web.schools.selectors import school_year_check
    from fairload.web.schools.to_core import school_year_document

    return check_record(school_year_check(year=year), {"school_year": school_year_document(year)})


def document_file(
    *,
    actor: User,
    appeal: Appeal,
    stage: str,
    title: str,
    upload: UploadedFile | None,
    now: datetime,
) -> AppealDocument:
    """File a document at a stage: an upload, or (with none) the school's check record
    frozen now, named by its SHA-256."""
    _refuse_unless(policies.may_file(actor, appeal), "You may not file documents here.")
    stage = AppealDocument.Stage(stage)
    _refuse_unless(bool(title.strip()), "Give the document a title.")
    if stage in (AppealDocument.Stage.INFORMAL, AppealDocument.Stage.HEARING):
        _refuse_unless(
            appeal.meetings.filter(kind=stage.value).exists(),
            f"{stage.label} is not convened yet: file the document with the report, or once "
            "it is convened.",
        )
    concluded = Conclusion.objects.filter(appeal=appeal).exists()
    _refuse_unless(
        concluded or stage != AppealDocument.Stage.CONCLUSION,
        "The conclusion is not recorded yet: its documents are filed once it is.",
    )
    _refuse_unless(
        not concluded or stage == AppealDocument.Stage.CONCLUSION,
        "The appeal is concluded: documents are filed only with the conclusion now.",
    )
    if upload is not None:
        _refuse_unless(
            upload.size is not None and upload.size <= MAX_UPLOAD_BYTES,
            f"The file is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB.",
        )
        content = upload.read()
        kind, ref = AppealDocument.Kind.UPLOAD, (upload.name or "document")[:255]
        content_type = (upload.content_type or "application/octet-stream")[:100]
    else:
        year = appeal_year(appeal)
        _refuse_unless(year is not None, "The school's year is no longer stored.")
        assert year is not None
        text = canonical_json(_check_record(year)).encode("utf-8")
        content, kind = text, AppealDocument.Kind.CHECK_RECORD
        ref, content_type = hashlib.sha256(text).hexdigest(), "application/json"
    with transaction.atomic():
        document = AppealDocument.objects.create(
            appeal=appeal,
            stage=stage,
            kind=kind,
            title=title.strip()[:200],
            ref=ref,
            content_type=content_type,
            content=content,
            filed_at=now,
            filed_by=_person(actor),
        )
        _appeal_touched(
            actor,
            appeal,
            "document",
            f"Filed '{document.title}' ({document.get_kind_display().lower()})",
        )
    return document


# --- the planned flexible approach (3.3) -----------------------------------------------------


def flexible_submit(
    *,
    actor: User,
    year: SchoolYear,
    cycle_weeks: int,
    max_contact_hours_in_any_week: Decimal,
    description: str,
    now: datetime,
) -> FlexibleApproach:
    """The head teacher submits the school's planned flexible approach to the Joint
    Secretaries in advance of implementation (3.3); it is not in force until they confirm
    it. A new submission replaces the last (and must be confirmed again)."""
    from fairload.web.agreements.steps import step_refusal

    school = year.school
    _refuse_unless(
        policies.may_submit_flexible(actor, school), "The head teacher submits the approach."
    )
    _refuse_unless(
        cycle_weeks >= 2,
        "A flexible approach averages class contact over a timetable cycle of two weeks or "
        "more: record the year's timetable cycle first.",
    )
    _refuse_unless(max_contact_hours_in_any_week > 0, "Give the cap on any single week.")
    _refuse_unless(bool(description.strip()), "Describe the planned approach.")
    reason = step_refusal(year, "flexible-approach-submitted", timezone.localdate(now))
    if reason and "already recorded" not in reason:
        raise AppealRefused(reason)
    try:
        with transaction.atomic():
            approach = FlexibleApproach.objects.create(
                school=school,
                label=year.label,
                cycle_weeks=cycle_weeks,
                max_contact_hours_in_any_week=max_contact_hours_in_any_week,
                description=description.strip(),
                submitted_at=now,
                submitted_by=_person(actor),
            )
            _touched(
                actor,
                school,
                year.label,
                "flexible.submit",
                "Submitted a planned flexible approach to the Joint Secretaries (3.3)",
            )
    except IntegrityError:
        raise AppealRefused(
            "An approach is already with the Joint Secretaries: wait for their answer."
        ) from None
    _notify(
        "flexible-submitted",
        joint_secretaries(school),
        school=school,
        about=f"flexible:{school.slug}:{year.label}:{approach.pk}",
        link=reverse("flexible-approach", args=[school.slug]),
    )
    return approach


def flexible_decide(
    *, actor: User, approach: FlexibleApproach, confirm: bool, reasons: str, now: datetime
) -> FlexibleApproach:
    """A Joint Secretary confirms that the approach meets the national criteria (it is in
    force from that day), or declines with reasons (it is not in force)."""
    from fairload.web.agreements.steps import step_refusal

    school = approach.school
    _refuse_unless(
        policies.may_decide_flexible(actor, school), "Only the Joint Secretaries confirm it."
    )
    _refuse_unless(
        approach.decision == FlexibleApproach.Decision.PENDING, "This approach has been answered."
    )
    _refuse_unless(confirm or bool(reasons.strip()), "Say why the approach is not confirmed.")
    year = SchoolYear.objects.filter(school=school, label=approach.label).first()
    if year is not None:
        reason = step_refusal(year, "flexible-approach-confirmed", timezone.localdate(now))
        if reason:
            raise AppealRefused(reason)
    sides = policies.joint_secretary_sides(actor, school.council_id)
    with transaction.atomic():
        approach.decision = (
            FlexibleApproach.Decision.CONFIRMED if confirm else FlexibleApproach.Decision.DECLINED
        )
        approach.decided_at, approach.decided_by = now, _person(actor)
        approach.decided_as = sides[0] if sides else ""
        approach.reasons = reasons.strip()
        approach.save()
        _touched(
            actor,
            school,
            approach.label,
            "flexible.decide",
            ("Confirmed" if confirm else "Did not confirm")
            + " the school's planned flexible approach (3.3)",
        )
        _notify(
            "flexible-decided",
            parties(school),
            school=school,
            about=f"flexible:{school.slug}:{approach.label}:{approach.pk}:decided",
            link=reverse("flexible-approach", args=[school.slug]),
            context={
                "decision": approach.get_decision_display().lower()
                + (f": {approach.reasons}" if approach.reasons else "")
            },
        )
    return approach
