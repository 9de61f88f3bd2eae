"""What the monitoring pages read: the session's meetings, changes and issues, each issue
with its raiser's name only where the viewer may see it (policies.raiser_visible)."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from fairload.core.monitoring import not_consulted, practice_change_question
from fairload.core.packs import Question, load_bundled
from fairload.web.accounts.policies import User
from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.monitoring.policies import can_view_every_issue, raiser_visible
from fairload.web.monitoring.record import core_changes
from fairload.web.schools.models import SchoolYear, StaffPost


@dataclass(frozen=True)
class IssueRow:
    issue: StaffIssue
    #: who raised it, where the viewer may see it; None where it is withheld from them
    raised_by: str | None
    #: the viewer raised it
    own: bool


def meetings_of(year: SchoolYear) -> list[Meeting]:
    return list(Meeting.objects.filter(school=year.school, label=year.label))


def changes_of(year: SchoolYear) -> list[PracticeChange]:
    return list(PracticeChange.objects.filter(school=year.school, label=year.label))


def raiser_name(year: SchoolYear, issue: StaffIssue) -> str:
    """The raiser's name as the year's staff list has it, else their login's."""
    if issue.raised_by_id is None:
        return "Someone whose login was removed"
    post = StaffPost.objects.filter(school_year=year, person_id=issue.raised_by_id).first()
    if post is not None:
        return post.name
    person = get_user_model().objects.filter(pk=issue.raised_by_id).first()
    if person is None:
        return "Someone whose login was removed"
    return person.get_full_name() or person.get_username()  # type: ignore[attr-defined]


def issue_row(user: User, year: SchoolYear, issue: StaffIssue) -> IssueRow:
    shown = raiser_name(year, issue) if raiser_visible(user, issue) else None
    return IssueRow(issue, shown, user.is_authenticated and issue.raised_by_id == user.pk)


def issues_for(user: User, year: SchoolYear) -> list[IssueRow]:
    """The issues of the session the user may read: every one for the committee and those
    who see the school, else the user's own."""
    issues = StaffIssue.objects.filter(school=year.school, label=year.label)
    if not can_view_every_issue(user, year.school):
        issues = issues.filter(raised_by_id=user.pk) if user.is_authenticated else issues.none()
    return [issue_row(user, year, issue) for issue in issues]


@dataclass(frozen=True)
class PracticeQuestion:
    """The pack's workload question the record answers, and whether it now says yes."""

    question: Question
    answered_yes: bool
    not_consulted: tuple[str, ...]  # the titles of the changes not consulted on


def practice_question(year: SchoolYear) -> PracticeQuestion | None:
    pack = load_bundled(year.school.pack)
    question_id = practice_change_question(pack, year.start)
    if question_id is None:
        return None
    question = next(q for q in pack.questions if q.id == question_id)
    missed = not_consulted(core_changes(year))
    return PracticeQuestion(question, bool(missed), tuple(c.title for c in missed))
