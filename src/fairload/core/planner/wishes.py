"""The ``plan`` section of a school year: what the school wants to hold, as wishes.

A wish is a kind of event the calendar should hold: how many (or how many hours), how
long each lasts, for whom, and where it may go (weekdays, start times, months, terms,
spans with none). A hard wish must be met; a preference (``hard: false``) is met as far
as the rules allow, each one short costing its ``weight``. The section is validated by
``schema/school-plan.schema.json``, every problem located by line and field.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, time
from typing import Any

from fairload.core.errors import InputErrors, Location, SchoolYearError
from fairload.core.school_format import _attendees, _Reader
from fairload.core.school_year import DateRange, SchoolYear
from fairload.core.validation import bundled_schema, validate
from fairload.core.yamlfile import field_path, line_of

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday")
DEFAULT_STEP_MINUTES = 15
#: how far above the mean load the spread starts to cost (the plan's spread_tolerance)
DEFAULT_SPREAD_TOLERANCE = 0.25


@dataclass(frozen=True, slots=True)
class Wish:
    """One kind of event the school wants in its calendar."""

    id: str
    title: str
    category: str
    minutes: int
    attendees: tuple[str, ...]
    #: how many in the year; None: one in every ``every_weeks`` span the wish allows
    count: int | None = None
    every_weeks: int | None = None
    weekdays: tuple[int, ...] = (0, 1, 2, 3, 4)
    earliest_start: time | None = None
    latest_start: time | None = None
    months: tuple[int, ...] = ()
    terms: tuple[str, ...] = ()
    not_between: tuple[DateRange, ...] = ()
    inservice: str = "allowed"
    hard: bool = True
    weight: int = 1
    activity: str | None = None
    #: the department or teacher this wish is for, when its ``for_each`` made it
    group: str | None = None

    def describe(self) -> str:
        """The wish in words: "10 × 'Staff meeting' (60 minutes, Mondays or Tuesdays)"."""
        where = []
        if self.weekdays != (0, 1, 2, 3, 4):
            where.append(" or ".join(WEEKDAYS[d].title() + "s" for d in self.weekdays))
        if self.months:
            where.append("in " + ", ".join(date(2000, m, 1).strftime("%B") for m in self.months))
        if self.terms:
            where.append("in " + " or ".join(self.terms))
        if self.every_weeks and self.every_weeks > 1:
            where.append(f"at most one every {self.every_weeks} weeks")
        how = ", ".join([f"{self.minutes} minutes", *where])
        many = "" if self.count is None else f"{self.count} × "
        return f"{many}'{self.title}' ({how})"


@dataclass(frozen=True, slots=True)
class PlanSpec:
    """The school's wishes and the needs-agreement rules it has agreed to go beyond."""

    wishes: tuple[Wish, ...]
    agreed: tuple[str, ...] = ()
    step_minutes: int = DEFAULT_STEP_MINUTES
    spread_tolerance: float = DEFAULT_SPREAD_TOLERANCE

    def wish(self, wish_id: str) -> Wish:
        return next(w for w in self.wishes if w.id == wish_id)


def schema() -> dict[str, Any]:
    return bundled_schema("fairload.core", "school-plan")


def _clock(value: Any) -> time:
    return time.fromisoformat(str(value))


def parse_plan(document: Any, year: SchoolYear, source: str = "<school year>") -> PlanSpec:
    """The ``plan`` section of a (parsed) school-year document; InputErrors if bad."""
    if "plan" not in document:
        raise SchoolYearError(
            "the school year has no plan section",
            _location(document, source, ["plan"]),
            "Add 'plan: {wishes: [...]}' saying what the school wants to hold "
            "(docs/school-year-format.md#plan).",
        )
    raw = document["plan"]
    validate(raw, schema(), source, error_type=SchoolYearError, base_path=["plan"])
    reader = _Reader(document, source)
    terms = {t.name for t in year.calendar.terms}
    wishes: list[Wish] = []
    seen: set[str] = set()
    for i, item in enumerate(raw["wishes"]):
        path: list[str | int] = ["plan", "wishes", i]
        if item["id"] in seen:
            reader.error(f"wish id '{item['id']}' is used twice", [*path, "id"])
        seen.add(item["id"])
        if "count" in item and "hours" in item:
            reader.error("give count or hours, not both", [*path, "hours"])
        if "count" not in item and "hours" not in item and "every_weeks" not in item:
            reader.error(
                "say how many: count, hours or every_weeks",
                path,
                "count: 10, hours: 10 (of meetings of this length) or every_weeks: 2.",
            )
        count = item.get("count")
        if "hours" in item:
            exact = item["hours"] * 60 / item["minutes"]
            count = round(exact)
            if abs(exact - count) > 1e-9 or count < 1:
                reader.error(
                    f"{item['hours']} hours is not a whole number of {item['minutes']}-minute "
                    "events",
                    [*path, "hours"],
                    f"Give hours a multiple of {item['minutes'] / 60:g}, or a count.",
                )
        for j, name in enumerate(item.get("terms", [])):
            if name not in terms:
                reader.error(
                    f"the year has no term '{name}'",
                    [*path, "terms", j],
                    "Terms: " + ", ".join(sorted(terms)),
                )
        spans = []
        for j, span in enumerate(item.get("not_between", [])):
            built = reader.build(
                [*path, "not_between", j],
                DateRange,
                date.fromisoformat(span["start"]),
                date.fromisoformat(span["end"]),
            )
            if built is not None:
                spans.append(built)
        earliest = _clock(item["earliest_start"]) if "earliest_start" in item else None
        latest = _clock(item["latest_start"]) if "latest_start" in item else None
        if earliest and latest and latest < earliest:
            reader.error("latest_start is before earliest_start", [*path, "latest_start"])
        attendees = _attendees(
            item.get("attendees", "all"), year.staff, reader, [*path, "attendees"]
        )
        if not attendees:
            reader.error("the wish has no attendees", [*path, "attendees"])
        title = item.get("title", item["id"].replace("-", " ").capitalize())
        groups = _groups(item.get("for_each"), item["id"], title, attendees, year)
        for group_id, key, _title, _who in groups:
            if key is not None and group_id in seen:
                reader.error(f"wish id '{group_id}' is used twice", [*path, "for_each"])
            seen.add(group_id)
        if item.get("for_each") and not groups:
            reader.error(
                f"no attendee of the wish has a {item['for_each']}",
                [*path, "for_each"],
                "Give the staff a department, or drop for_each.",
            )
        wishes += [
            Wish(
                id=group_id,
                title=group_title,
                category=item["category"],
                minutes=item["minutes"],
                attendees=who,
                count=count,
                every_weeks=item.get("every_weeks"),
                weekdays=tuple(WEEKDAYS.index(d) for d in item.get("weekdays", WEEKDAYS)),
                earliest_start=earliest,
                latest_start=latest,
                months=tuple(item.get("months", ())),
                terms=tuple(item.get("terms", ())),
                not_between=tuple(spans),
                inservice=item.get("inservice", "allowed"),
                hard=item.get("hard", True),
                weight=item.get("weight", 1),
                activity=item.get("activity"),
                group=key,
            )
            for group_id, key, group_title, who in groups
        ]
    if reader.errors:
        raise InputErrors(reader.errors)
    return PlanSpec(
        tuple(wishes),
        tuple(raw.get("agreed", ())),
        raw.get("step_minutes", DEFAULT_STEP_MINUTES),
        float(raw.get("spread_tolerance", DEFAULT_SPREAD_TOLERANCE)),
    )


def _groups(
    for_each: str | None, wish_id: str, title: str, attendees: tuple[str, ...], year: SchoolYear
) -> list[tuple[str, str | None, str, tuple[str, ...]]]:
    """(id, group, title, attendees) of each wish a ``for_each`` makes: one for each
    department among the attendees (its members who attend), or for each attendee; the
    wish itself when it has no ``for_each``."""
    if for_each is None:
        return [(wish_id, None, title, attendees)]
    staff = {s.id: s for s in year.staff}
    if for_each == "teacher":
        return [(f"{wish_id}-{i}", i, f"{title}: {staff[i].name}", (i,)) for i in attendees]
    by_department: dict[str, list[str]] = {}
    for i in attendees:
        if staff[i].department:
            by_department.setdefault(str(staff[i].department), []).append(i)
    return [
        (f"{wish_id}-{d}", d, f"{title}: {d.replace('-', ' ')}", tuple(who))
        for d, who in sorted(by_department.items())
    ]


def _location(document: Any, source: str, path: list[str | int]) -> Location:
    return Location(source, line_of(document, path[:-1] or path), field_path(path))


def check_agreed(
    document: Any, spec: PlanSpec, needs_agreement: Mapping[str, str], source: str
) -> None:
    """Each rule the plan records as agreed is one of the pack's needs-agreement rules
    (id -> title); InputErrors located at ``plan.agreed[i]`` otherwise."""
    reader = _Reader(document, source)
    for i, rule_id in enumerate(spec.agreed):
        if rule_id not in needs_agreement:
            reader.error(
                f"'{rule_id}' is not one of the pack's rules that need agreement",
                ["plan", "agreed", i],
                "Rules that need agreement: " + (", ".join(sorted(needs_agreement)) or "none"),
            )
    if reader.errors:
        raise InputErrors(reader.errors)
