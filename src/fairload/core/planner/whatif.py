"""What-if changes to a year and its wishes, before re-planning from the current calendar.

Each change is one short text:

- ``WISH.count=N``, ``WISH.minutes=N``, ``WISH.every_weeks=N``, ``WISH.weight=N``,
  ``WISH.hard=yes|no``: change a wish ("staff-meetings.count=12");
- ``add WISH as NEW``: one more wish like WISH, for the same staff ("one more working
  group"), count 1 unless followed by ``.count=N`` in another change;
- ``fte STAFF=0.6``: a teacher's FTE.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

from fairload.core.errors import InputError
from fairload.core.planner.wishes import PlanSpec, Wish
from fairload.core.school_year import SchoolYear

_WISH = re.compile(r"^(?P<wish>[a-z0-9-]+)\.(?P<field>[a-z_]+)=(?P<value>.+)$")
_ADD = re.compile(r"^add (?P<wish>[a-z0-9-]+) as (?P<new>[a-z0-9][a-z0-9-]*)$")
_FTE = re.compile(r"^fte (?P<staff>\S+)=(?P<value>[0-9.]+)$")
_INTEGERS = ("count", "minutes", "every_weeks", "weight")
HINT = (
    "Write WISH.count=N (or minutes, every_weeks, weight, hard=yes|no), "
    "'add WISH as NEW' or 'fte STAFF=0.6'."
)


def apply_what_if(
    changes: list[str], year: SchoolYear, spec: PlanSpec
) -> tuple[SchoolYear, PlanSpec]:
    """The year and wishes with each change made; InputError naming a bad one."""
    wishes = list(spec.wishes)
    for text in changes:
        change = text.strip()
        if m := _ADD.match(change):
            like = _find(wishes, m["wish"], change)
            if any(w.id == m["new"] for w in wishes):
                raise InputError(f"what-if '{change}': there is already a wish '{m['new']}'")
            wishes.append(replace(like, id=m["new"], title=f"{like.title} ({m['new']})", count=1))
        elif m := _FTE.match(change):
            year = _with_fte(year, m["staff"], float(m["value"]), change)
        elif m := _WISH.match(change):
            wish = _find(wishes, m["wish"], change)
            wishes[wishes.index(wish)] = _changed(wish, m["field"], m["value"], change)
        else:
            raise InputError(f"what-if '{change}' is not a change fairload knows", hint=HINT)
    return year, replace(spec, wishes=tuple(wishes))


def _find(wishes: list[Wish], wish_id: str, change: str) -> Wish:
    for wish in wishes:
        if wish.id == wish_id:
            return wish
    raise InputError(
        f"what-if '{change}': the plan has no wish '{wish_id}'",
        hint="Wishes: " + ", ".join(w.id for w in wishes),
    )


def _changed(wish: Wish, field: str, value: str, change: str) -> Wish:
    fields: dict[str, Any] = {}
    if field in _INTEGERS:
        if not value.isdigit() or int(value) < 1:
            raise InputError(f"what-if '{change}': {field} is a whole number of at least 1")
        fields[field] = int(value)
    elif field == "hard":
        if value not in ("yes", "no"):
            raise InputError(f"what-if '{change}': hard is yes or no")
        fields[field] = value == "yes"
    else:
        raise InputError(f"what-if '{change}': a wish's {field} cannot be changed here", hint=HINT)
    return replace(wish, **fields)


def _with_fte(year: SchoolYear, staff_id: str, fte: float, change: str) -> SchoolYear:
    if staff_id not in {s.id for s in year.staff}:
        raise InputError(f"what-if '{change}': no staff member '{staff_id}'")
    try:
        staff = tuple(replace(s, fte=fte) if s.id == staff_id else s for s in year.staff)
    except ValueError as exc:
        raise InputError(f"what-if '{change}': {exc}") from None
    return replace(year, staff=staff)
