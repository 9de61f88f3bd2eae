"""Who may see, run and answer the annual evaluation (Appendix 3, 16.7).

- Its page, and its summary once closed: everyone who works at the school or may see it
  (as the committee page). The summary shows no group smaller than the pack's minimum.
- Opening and closing it: the committee (the head teacher, the school's union
  representatives) and site administrators.
- Answering it: every teacher with a post in the session's year, once.
- Nobody, on any page, export or API answer, sees which answer is whose: the tables hold
  no link (models.py), so no policy could grant it.
"""

from __future__ import annotations

from fairload.web.accounts.policies import User
from fairload.web.committee.policies import can_view_committee
from fairload.web.evaluations.models import Evaluation
from fairload.web.monitoring.policies import can_record_monitoring
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.selectors import school_year_current


def can_view_evaluation(user: User, school: School) -> bool:
    return can_view_committee(user, school)


def can_run_evaluation(user: User, school: School) -> bool:
    """The committee's two sides: the school's head and union representatives."""
    return can_record_monitoring(user, school)


def is_evaluation_teacher(user: User, evaluation: Evaluation) -> bool:
    """A teacher of the session the evaluation is of: a post in that year."""
    return user.is_authenticated and (
        StaffPost.objects.filter(
            school_year__school_id=evaluation.school_id,
            school_year__label=evaluation.label,
            person=user,
        ).exists()
    )


def can_answer_school(user: User, school: School) -> bool:
    """The answer page: a teacher with a post in the school's current year."""
    year = school_year_current(school=school)
    return (
        user.is_authenticated
        and year is not None
        and StaffPost.objects.filter(school_year=year, person=user).exists()
    )
