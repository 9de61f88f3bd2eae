"""Services that write the committee's monitoring record (16.6). Each writes in one
transaction and adds an audit entry; a refused change writes nothing and says why.

An issue raised with the teacher's name withheld from management is audited without its
actor, so the school's list of changes (which its head reads) cannot name them either."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction

from fairload.web.accounts.policies import User
from fairload.web.audit.services import audit_record
from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.schools.form_parts import long_day
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.services import year_touch


class MonitoringRefused(Exception):
    """The change was refused and nothing was written; the message says why."""


@dataclass(frozen=True)
class MeetingValues:
    held_on: date
    attendees: tuple[str, ...]  # staff ids of the year's posts
    minutes: str


@dataclass(frozen=True)
class ChangeValues:
    title: str
    description: str
    introduced_on: date
    consulted: bool
    note: str


def _in_session(year: SchoolYear, day: date, what: str) -> None:
    """16.6 is about the session: a date outside the year is a mistake, said plainly."""
    if not year.start <= day <= year.end:
        raise MonitoringRefused(
            f"{what} must be within {year.label}, from {long_day(year.start)} to "
            f"{long_day(year.end)}; {long_day(day)} is not."
        )


def _names(year: SchoolYear, staff_ids: Sequence[str]) -> list[str]:
    names = dict(year.staff.filter(staff_id__in=staff_ids).values_list("staff_id", "name"))
    missing = [s for s in staff_ids if s not in names]
    if missing:
        raise MonitoringRefused(f"There is no staff post '{missing[0]}' in {year.label}.")
    return [names[s] for s in staff_ids]


def meeting_save(
    *, actor: User, year: SchoolYear, values: MeetingValues, meeting: Meeting | None = None
) -> Meeting:
    """Record a committee meeting of the session (or correct one): its date, who attended
    and its minutes."""
    _in_session(year, values.held_on, "The meeting's date")
    if not values.minutes.strip():
        raise MonitoringRefused("Enter the meeting's minutes.")
    attendees = _names(year, values.attendees)
    with transaction.atomic():
        row = meeting or Meeting(school=year.school, label=year.label)
        row.held_on, row.attendees, row.minutes = values.held_on, attendees, values.minutes
        row.save()
        audit_record(
            actor=actor,
            action="monitoring.meeting",
            school=year.school,
            summary=f"{'Changed' if meeting else 'Recorded'} the committee meeting of "
            f"{long_day(values.held_on)}",
            details={"held_on": values.held_on.isoformat(), "attendees": len(attendees)},
        )
    return row


def issue_raise(
    *,
    actor: User,
    year: SchoolYear,
    title: str,
    details: str,
    name_withheld: bool,
    today: date,
) -> StaffIssue:
    """A teacher raises an issue with the committee; with ``name_withheld`` management
    sees it without their name (and the audit entry names nobody)."""
    if not title.strip() or not details.strip():
        raise MonitoringRefused("Enter the issue's title and what it is about.")
    with transaction.atomic():
        issue = StaffIssue.objects.create(
            school=year.school,
            label=year.label,
            raised_by=actor if actor.is_authenticated else None,
            name_withheld=name_withheld,
            raised_on=today,
            title=title.strip(),
            details=details.strip(),
        )
        audit_record(
            actor=None if name_withheld else actor,
            action="monitoring.issue",
            school=year.school,
            summary=f"An issue was raised with the committee: {issue.title}"
            + (" (the teacher's name is withheld from management)" if name_withheld else ""),
        )
    return issue


def issue_respond(*, actor: User, issue: StaffIssue, response: str, today: date) -> StaffIssue:
    """The committee's response to an issue (replacing any earlier one)."""
    if not response.strip():
        raise MonitoringRefused("Enter the committee's response.")
    with transaction.atomic():
        issue.response, issue.responded_on = response.strip(), today
        issue.save(update_fields=["response", "responded_on"])
        audit_record(
            actor=actor,
            action="monitoring.response",
            school=issue.school,
            summary=f"The committee responded to the issue: {issue.title}",
        )
    return issue


def practice_change_save(
    *,
    actor: User,
    year: SchoolYear,
    values: ChangeValues,
    change: PracticeChange | None = None,
) -> PracticeChange:
    """Record a change to practice or policy that may affect workload, consulted on or
    not (or correct one). The year's check reads the record (record.py), so its cached
    checks are made old."""
    _in_session(year, values.introduced_on, "The change's date")
    if not values.title.strip():
        raise MonitoringRefused("Enter the change's title.")
    with transaction.atomic():
        row = change or PracticeChange(school=year.school, label=year.label)
        before = None if change is None else change.consulted
        row.title, row.description = values.title.strip(), values.description.strip()
        row.introduced_on, row.consulted, row.note = (
            values.introduced_on,
            values.consulted,
            values.note.strip(),
        )
        row.save()
        year_touch(year)
        audit_record(
            actor=actor,
            action="monitoring.change",
            school=year.school,
            summary=f"{'Changed' if change else 'Recorded'} the change to practice "
            f"'{row.title}' as {'consulted on' if row.consulted else 'not consulted on'}",
            details={"consulted": [before, row.consulted]},
        )
    return row
