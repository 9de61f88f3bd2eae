"""Who may see and write the committee's monitoring record (16.6).

- Meetings and changes to practice or policy: everyone who works at the school or may see
  it reads them (as the committee page); the committee records them: the head teacher,
  the school's union representatives, and site administrators.
- Issues raised by staff: any teacher of the school (anyone with a post in its current
  year, or a role there) raises one. The committee and those who see the school read
  every issue; a teacher reads their own.
- Who raised an issue: where the teacher asked that management sees it without their
  name, only the teacher and the school's union representatives (the teachers' side of
  the committee) see it; never a head teacher, a council officer or a site
  administrator, on any page.
"""

from __future__ import annotations

from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User, can_edit_school, can_view_school
from fairload.web.committee.policies import can_view_committee, works_at
from fairload.web.monitoring.models import StaffIssue
from fairload.web.schools.models import School


def is_school_rep(user: User, school: School) -> bool:
    """A union representative at the school: the teachers' side of its committee."""
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.UNION_REP, school=school).exists()
    )


def can_view_monitoring(user: User, school: School) -> bool:
    """The monitoring page, its meetings and its changes: as the committee page."""
    return can_view_committee(user, school)


def can_record_monitoring(user: User, school: School) -> bool:
    """Recording meetings, changes and responses: the committee's two sides."""
    return can_edit_school(user, school) or is_school_rep(user, school)


def can_raise_issue(user: User, school: School) -> bool:
    """Any teacher of the school: a post in its current year, or a role held there (a
    council officer or site administrator, who sees the school from outside, does not)."""
    return works_at(user, school)


def can_view_every_issue(user: User, school: School) -> bool:
    """The committee and those who see the school read every issue."""
    return can_view_school(user, school)


def can_view_issue(user: User, issue: StaffIssue) -> bool:
    return (user.is_authenticated and issue.raised_by_id == user.pk) or can_view_every_issue(
        user, issue.school
    )


def raiser_visible(user: User, issue: StaffIssue) -> bool:
    """Whether the page may name who raised the issue to ``user``."""
    if not user.is_authenticated or not can_view_issue(user, issue):
        return False
    if not issue.name_withheld:
        return True
    return issue.raised_by_id == user.pk or is_school_rep(user, issue.school)
