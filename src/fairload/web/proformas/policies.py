"""Who may see and act on a teacher's balance-of-time pro-forma (JNCT2.7 9.2, Appendix 2).

A pro-forma is between a teacher and their line manager, so only three people read it:
- the teacher whose post it is (who fills it in, signs it and sends it);
- their line manager, the person whose post the post structure names (PT, DHT or HT,
  ``fairload.core.proforma.line_manager``), who agrees it or returns it;
- the school's head teacher (the role "head teacher or line manager"), who may act as
  the line manager.
Nobody else: not a union representative, a colleague, the council, a union officer, a
site administrator, nor anyone of another school; each gets 404, as for a page that
does not exist.

Which pro-formas have been agreed (names and where each has got to, not their hours) is
the head's list, which those who edit the school read.
"""

from __future__ import annotations

from fairload.core.proforma import LINE_MANAGER, TEACHER
from fairload.web.accounts.models import Membership, Role
from fairload.web.accounts.policies import User, can_edit_school
from fairload.web.schools.models import School, StaffPost


def _is_head(user: User, school: School) -> bool:
    return (
        user.is_authenticated
        and Membership.objects.filter(user=user, role=Role.HEAD, school=school).exists()
    )


def acting_roles(user: User, post: StaffPost, manager: StaffPost | None) -> set[str]:
    """The pro-forma roles ``user`` holds on ``post``'s pro-forma (whose line manager's
    post is ``manager``): the teacher, the line manager, both or none. The head acts as
    line manager for anyone but themselves."""
    if not user.is_authenticated:
        return set()
    roles = set()
    if post.person_id == user.pk:
        roles.add(TEACHER)
    elif (manager is not None and manager.person_id == user.pk) or _is_head(
        user, post.school_year.school
    ):
        roles.add(LINE_MANAGER)
    return roles


def can_view_proforma(user: User, post: StaffPost, manager: StaffPost | None) -> bool:
    return bool(acting_roles(user, post, manager))


def can_list_proformas(user: User, school: School) -> bool:
    """Who has and has not agreed a pro-forma: the head (and those who edit the school)."""
    return can_edit_school(user, school)
