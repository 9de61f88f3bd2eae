"""What-if changes to a year and its wishes, before re-planning from the current calendar.

Each change is one short text:

- ``WISH.count=N``, ``WISH.minutes=N``, ``WISH.every_weeks=N``, ``WISH.weight=N``,
  ``WISH.hard=yes|no``: change a wish ("staff-meetings.count=12");
- ``add WISH as NEW``: one more wish like WISH, for the same staff ("one more working
  group"), count 1 unless followed by ``.count=N`` in another change;
- ``fte STAFF=0.6``: a teacher's FTE;
- ``weeks=N``: move to N working weeks (a working week is five working days, as
  ``core.calendar`` counts them): the year ends earlier, its last working days dropped
  until N × 5 are left (the last week or weeks of the final term: the session ends
  sooner, as a council shortening the year would). The year and its final term end on
  the last working day kept; closures, in-service days and the calendar's events after
  it go (the report lists the events). A year is not lengthened here: edit its terms.
"""

from __future__ import annotations

import copy
import re
from dataclasses import replace
from typing import Any

from fairload.core.calendar import DAYS_PER_WORKING_WEEK, school_period
from fairload.core.errors import InputError
from fairload.core.planner.wishes import PlanSpec, Wish
from fairload.core.school_year import DateRange, SchoolYear

_WISH = re.compile(r"^(?P<wish>[a-z0-9-]+)\.(?P<field>[a-z_]+)=(?P<value>.+)$")
_ADD = re.compile(r"^add (?P<wish>[a-z0-9-]+) as (?P<new>[a-z0-9][a-z0-9-]*)$")
_FTE = re.compile(r"^fte (?P<staff>\S+)=(?P<value>[0-9.]+)$")
_WEEKS = re.compile(r"^weeks=(?P<value>\S+)$")
_INTEGERS = ("count", "minutes", "every_weeks", "weight")
HINT = (
    "Write WISH.count=N (or minutes, every_weeks, weight, hard=yes|no), "
    "'add WISH as NEW', 'fte STAFF=0.6' or 'weeks=38'."
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
        elif m := _WEEKS.match(change):
            year = with_weeks(year, m["value"], change)
        elif m := _WISH.match(change):
            wish = _find(wishes, m["wish"], change)
            wishes[wishes.index(wish)] = _changed(wish, m["field"], m["value"], change)
        else:
            raise InputError(f"what-if '{change}' is not a change fairload knows", hint=HINT)
    return year, replace(spec, wishes=tuple(wishes))


def what_if_section(changes: list[str], section: dict[str, Any], spec: PlanSpec) -> dict[str, Any]:
    """The ``plan`` section (as plain data) with the what-if's changes to the wishes made,
    to store with the year once its calendar is used: ``WISH.FIELD=N`` sets the field
    (a count in place of hours); ``add WISH as NEW`` adds a wish like WISH and titled as
    it (its events read as WISH's), count 1. A wish a ``for_each`` made (``spec``: the
    section as parsed) becomes a wish of its own, its staff taken out of the one that
    made it. The year's changes (``fte``, ``weeks``) are stored with the year itself.
    The changes are ones ``apply_what_if`` accepted."""
    section = copy.deepcopy(section)
    items: list[dict[str, Any]] = section["wishes"]
    made = {w.id: w for w in spec.wishes}

    def own(wish_id: str) -> dict[str, Any]:
        """The section's item for the wish, made one of its own if a for_each made it."""
        for item in items:
            if item["id"] == wish_id:
                return item
        wish = made[wish_id]
        parent = next(
            i for i in items if i.get("for_each") and wish_id == f"{i['id']}-{wish.group}"
        )
        item = {k: v for k, v in parent.items() if k != "for_each"}
        item |= {"id": wish_id, "title": wish.title, "attendees": list(wish.attendees)}
        parent["attendees"] = _without(parent.get("attendees", "all"), wish.attendees)
        items.insert(items.index(parent) + 1, item)
        if all(
            any(i["id"] == w.id for i in items)
            for w in spec.wishes
            if w.group is not None and w.id == f"{parent['id']}-{w.group}"
        ):
            items.remove(parent)  # every wish it made is now one of its own
        return item

    def count(item: dict[str, Any], value: int) -> None:
        item.pop("hours", None)
        item["count"] = value

    for text in changes:
        change = text.strip()
        if m := _ADD.match(change):
            like = own(m["wish"])
            new = {k: v for k, v in like.items() if k != "hours"} | {"id": m["new"], "count": 1}
            new["title"] = made[m["wish"]].title if m["wish"] in made else like["title"]
            items.insert(items.index(like) + 1, new)
        elif m := _WISH.match(change):
            item = own(m["wish"])
            if m["field"] == "hard":
                item["hard"] = m["value"] == "yes"
            elif m["field"] == "count":
                count(item, int(m["value"]))
            else:
                if m["field"] == "minutes" and "hours" in item:
                    count(item, made[m["wish"]].count or 1)  # the count the hours made
                item[m["field"]] = int(m["value"])
    return section


def _without(attendees: Any, ids: tuple[str, ...]) -> Any:
    """An ``attendees`` choice with ``ids`` taken out."""
    if isinstance(attendees, list):
        return [i for i in attendees if i not in ids]
    chosen = {} if attendees == "all" else dict(attendees)
    out = list(chosen.get("exclude", []))
    chosen["exclude"] = out + [i for i in ids if i not in out]
    return chosen


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


def with_weeks(year: SchoolYear, value: str, change: str = "") -> SchoolYear:
    """The year moved to ``value`` working weeks by ending it earlier (``weeks=N``)."""
    change = change or f"weeks={value}"
    period = school_period(year.calendar, year.school.nation)
    days = sorted(period.working_days)
    have = period.working_weeks
    if not value.isdigit() or int(value) < 1:
        raise InputError(f"what-if '{change}': weeks is a whole number of at least 1")
    keep = int(value) * DAYS_PER_WORKING_WEEK
    if keep >= len(days):
        raise InputError(
            f"what-if '{change}': the year has {have:g} working weeks; weeks=N shortens it",
            hint="To lengthen the year, edit its terms and closures.",
        )
    last = days[keep - 1]
    calendar = year.calendar

    def cut(span: DateRange) -> DateRange:
        return DateRange(span.start, min(span.end, last))

    return replace(
        year,
        calendar=replace(
            calendar,
            dates=cut(calendar.dates),
            terms=tuple(
                replace(t, dates=cut(t.dates)) for t in calendar.terms if t.dates.start <= last
            ),
            inservice_days=tuple(d for d in calendar.inservice_days if d <= last),
            closures=tuple(
                replace(c, dates=cut(c.dates)) for c in calendar.closures if c.dates.start <= last
            ),
            open_on_bank_holidays=tuple(d for d in calendar.open_on_bank_holidays if d <= last),
        ),
        events=tuple(e for e in year.events if e.date <= last),
    )
