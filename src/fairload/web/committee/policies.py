"""Who may see and change a school's groups and negotiating committee.

- Everyone who works at the school (a teacher with a post in its current year, or any
  role held there) and everyone who may see the school reads the groups and committee:
  names are not special-category data, and a union representative is named with the
  union they represent, which is public by their role.
- The school's head teacher and site administrators change them (as they edit the year).
- Union membership counts per union (16.1: representation reflects each union's relative
  membership) are shown only to those who may see that union's members: its reps in the
  school and its officers for the council (``policies.unions_acted_for``), never to a
  head, a council officer or an administrator; and a count smaller than the pack's
  minimum is shown as "fewer than N", so nobody's membership can be worked out.
"""

from __future__ import annotations

from fairload.web.accounts.models import Membership
from fairload.web.accounts.policies import (
    User,
    can_edit_school,
    can_view_school,
    unions_acted_for,
)
from fairload.web.schools.models import School, StaffPost
from fairload.web.schools.selectors import school_year_current


def can_view_committee(user: User, school: School) -> bool:
    """The groups and committee page: those who see the school, and its own staff."""
    return can_view_school(user, school) or works_at(user, school)


def works_at(user: User, school: School) -> bool:
    """The school's own staff: a role held there, or a post in its current year."""
    if not user.is_authenticated:
        return False
    if Membership.objects.filter(user=user, school=school).exists():
        return True
    year = school_year_current(school=school)
    return year is not None and StaffPost.objects.filter(school_year=year, person=user).exists()


def can_manage_committee(user: User, school: School) -> bool:
    """Adding, changing and removing groups and committee members: those who edit the year."""
    return can_edit_school(user, school)


def union_counts_visible(user: User, school: School) -> set[str]:
    """The unions whose membership count in the school the user may see."""
    return unions_acted_for(user, school)
