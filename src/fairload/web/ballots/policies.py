"""Who may see a ballot and who may run it (open, reissue, close): the workflow decides.

A workflow registers a named BallotPolicy and names it when it opens a ballot; the ballot
keeps the name, so its pages and API ask the same policy. Electors always see their own
ballot and vote on it; nobody else ever votes. Refusals answer 404, as every page does.

- ``agreement``: the approval of a working-time agreement by the teaching staff (South
  Ayrshire 16.4). Anyone who may see the school sees it; its head teacher and its union
  representatives on its School Negotiating Committee (16.2: agreements/policies.py reads
  the recorded committee) run it.

A dispute's members-only ballot will register its own (union members, reps and officers
of that union only: never the head).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from fairload.web.accounts.policies import User, can_view_school
from fairload.web.schools.models import School

#: (user, school, subject_id) -> allowed
Rule = Callable[[User, School, str], bool]


@dataclass(frozen=True)
class BallotPolicy:
    may_view: Rule
    may_manage: Rule


POLICIES: dict[str, BallotPolicy] = {}


def ballot_policy_register(*, name: str, policy: BallotPolicy) -> None:
    POLICIES[name] = policy


def ballot_policy(name: str) -> BallotPolicy:
    try:
        return POLICIES[name]
    except KeyError:
        raise LookupError(f"no ballot policy '{name}' (known: {', '.join(POLICIES)})") from None


def _agreement_view(user: User, school: School, subject_id: str) -> bool:
    return can_view_school(user, school)


def _agreement_manage(user: User, school: School, subject_id: str) -> bool:
    # The committee as the agreement app reads it (its recorded, dated seats); imported
    # here since the agreement app builds on this one.
    from fairload.web.agreements.policies import is_committee

    return is_committee(user, school)


AGREEMENT = "agreement"
ballot_policy_register(
    name=AGREEMENT, policy=BallotPolicy(may_view=_agreement_view, may_manage=_agreement_manage)
)
