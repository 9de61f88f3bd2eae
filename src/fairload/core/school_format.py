"""The school-year format (``fairload/school-year@1``): a validated document -> SchoolYear.

Validation has two stages, both located by line and field: the published JSON Schema
(shape, names, types), then consistency (staff ids that events name, dates inside the
year). Every problem is collected so a person can fix a file in one pass.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, time
from typing import Any

from fairload.core.errors import InputError, InputErrors, Location, SchoolYearError
from fairload.core.school_year import (
    Agreement,
    AgreementGroup,
    AgreementProcess,
    BalanceOfTimeProforma,
    Closure,
    Committee,
    CommitteeMember,
    DateRange,
    Event,
    FlexibleHours,
    Nation,
    Post,
    School,
    SchoolYear,
    Sector,
    Signature,
    StaffMember,
    Term,
    Vote,
    YearCalendar,
)
from fairload.core.validation import bundled_schema, validate
from fairload.core.yamlfile import field_path, line_of

FORMAT = "fairload/school-year@1"


def schema() -> dict[str, Any]:
    return bundled_schema("fairload.core", "school-year")


def _date(value: Any) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def _time(value: Any) -> time:
    return time.fromisoformat(str(value))


class _Reader:
    """Builds objects from a validated document, collecting located consistency errors."""

    def __init__(self, document: Any, source: str) -> None:
        self.document = document
        self.source = source
        self.errors: list[InputError] = []

    def error(self, message: str, path: list[str | int], hint: str = "") -> None:
        location = Location(self.source, line_of(self.document, path), field_path(path))
        self.errors.append(SchoolYearError(message, location, hint))

    def build(self, path: list[str | int], factory: Any, *args: Any, **kwargs: Any) -> Any:
        """Call a value-object constructor; its ValueError becomes a located error."""
        try:
            return factory(*args, **kwargs)
        except ValueError as exc:
            self.error(str(exc), path)
            return None


def _attendees(
    spec: Any, staff: tuple[StaffMember, ...], reader: _Reader, path: list[Any]
) -> tuple[str, ...]:
    ids = [s.id for s in staff]
    if spec == "all":
        return tuple(ids)
    if isinstance(spec, list):
        chosen = list(spec)
    else:
        posts = set(spec.get("posts", []))
        departments = set(spec.get("departments", []))
        if not posts and not departments:
            posts = set(_POSTS)  # {exclude: [...]} alone means everyone else
        for post in sorted(posts - _POSTS):
            reader.error(
                f"unknown post '{post}'", path, "Posts: " + ", ".join(p.value for p in Post)
            )
        known_departments = {s.department for s in staff if s.department}
        for department in sorted(departments - known_departments):
            reader.error(
                f"no staff member is in the department '{department}'",
                path,
                "Departments in the staff list: "
                + (", ".join(sorted(known_departments)) or "none"),
            )
        # A Post is a StrEnum: it is in a set of post names as its value is.
        chosen = [
            s.id
            for s in staff
            if (posts and s.post in posts) or (departments and s.department in departments)
        ]
        already = set(chosen)
        chosen += [i for i in spec.get("include", []) if i not in already]
        excluded = set(spec.get("exclude", []))
        chosen = [i for i in chosen if i not in excluded]
    known = set(ids)
    unknown = [i for i in chosen if i not in known]
    for i in unknown:
        reader.error(f"unknown staff id '{i}'", path, "Use an id from the staff list.")
    return tuple(i for i in chosen if i in known)


#: Every post's name (a school file's ``posts:`` are checked against it per event).
_POSTS = frozenset(p.value for p in Post)


def _dates_as_text(value: Any) -> Any:
    """Dates as ISO text, keeping located containers (and so line numbers) intact.

    Documents from YAML files already hold text; dicts built in Python or loaded by a
    plain YAML loader hold ``date`` objects, which the schema would otherwise reject.
    """
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, dict):
        for key, item in value.items():
            value[key] = _dates_as_text(item)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            value[index] = _dates_as_text(item)
    return value


def parse_school_year(document: Any, source: str = "<school year>") -> SchoolYear:
    """Validate a school-year document and build the SchoolYear; raise InputErrors if bad.

    Date values may be ISO text or ``date`` objects; a document is normalised in place.
    """
    if not isinstance(document, Mapping):
        raise SchoolYearError("a school-year file must be a mapping", Location(source, 1))
    if document.get("format") != FORMAT:
        raise SchoolYearError(
            f"format is {document.get('format')!r}, expected '{FORMAT}'",
            Location(source, line_of(document, ["format"]), "format"),
            f"Put 'format: {FORMAT}' at the top of the file.",
        )
    _dates_as_text(document)
    validate(document, schema(), source, error_type=SchoolYearError)
    reader = _Reader(document, source)
    s = document["school"]
    school = reader.build(
        ["school"],
        School,
        id=s["id"],
        name=s["name"],
        authority=s["authority"],
        pack=s["pack"],
        sector=Sector(s["sector"]),
        nation=Nation(s["nation"]),
        roll=s["roll"],
        pupil_day_start=_time(s["pupil_day"]["start"]),
        pupil_day_end=_time(s["pupil_day"]["end"]),
        period_minutes=s.get("period_minutes"),
        periods_per_week=s.get("periods_per_week"),
        roll_history=tuple(
            sorted((str(r["session"]), int(r["roll"])) for r in s.get("roll_history", []))
        ),
        timetable_cycle_weeks=s.get("timetable_cycle_weeks", 1),
    )
    y = document["year"]
    span = reader.build(["year"], DateRange, _date(y["start"]), _date(y["end"]))
    terms = tuple(
        t
        for i, raw in enumerate(y["terms"])
        if (t := _term(reader, raw, ["year", "terms", i], Term)) is not None
    )
    closures = tuple(
        c
        for i, raw in enumerate(y.get("closures", []))
        if (c := _term(reader, raw, ["year", "closures", i], Closure)) is not None
    )
    calendar = None
    if span is not None:
        calendar = reader.build(
            ["year"],
            YearCalendar,
            label=y["label"],
            dates=span,
            terms=terms,
            inservice_days=tuple(_date(d) for d in y["inservice_days"]),
            closures=closures,
            open_on_bank_holidays=tuple(_date(d) for d in y.get("open_on_bank_holidays", [])),
        )
    staff = tuple(
        m
        for i, raw in enumerate(document["staff"])
        if (m := reader.build(["staff", i], _staff_member, raw)) is not None
    )
    _check_cycles(document, reader)
    seen: dict[str, int] = {}
    for i, member in enumerate(staff):
        if member.id in seen:
            reader.error(
                f"staff id '{member.id}' is used twice (also staff[{seen[member.id]}])",
                ["staff", i, "id"],
            )
        seen.setdefault(member.id, i)
    events = _events(document.get("events", []), staff, span, reader)
    agreement = _agreement(
        document.get("agreement", {}),
        {m.id for m in staff},
        reader,
        s.get("timetable_cycle_weeks", 1),
    )
    proformas = _proformas(document.get("proformas", []), {m.id for m in staff}, reader)
    if reader.errors or calendar is None:
        raise InputErrors(reader.errors)
    try:
        return SchoolYear(
            school, calendar, staff, events, dict(document.get("policy", {})), agreement, proformas
        )
    except ValueError as exc:
        raise SchoolYearError(str(exc), Location(source)) from exc


def _term(reader: _Reader, raw: Mapping[str, Any], path: list[Any], kind: Any) -> Any:
    span = reader.build(path, DateRange, _date(raw["start"]), _date(raw["end"]))
    return kind(raw["name"], span) if span else None


def _staff_member(raw: Mapping[str, Any]) -> StaffMember:
    fields = {k: v for k, v in raw.items() if k != "post"}
    for key in ("contact_hours_by_cycle_week", "contact_periods_by_cycle_week"):
        if key in fields:
            fields[key] = tuple(fields[key])
    return StaffMember(post=Post(raw["post"]), **fields)


_BY_CYCLE_WEEK = ("contact_hours_by_cycle_week", "contact_periods_by_cycle_week")
_PER_WEEK = ("contact_hours_per_week", "contact_periods_per_week")


def _check_cycles(document: Mapping[str, Any], reader: _Reader) -> None:
    """Each week-by-week timetable has one figure per week of the school's cycle."""
    weeks = document["school"].get("timetable_cycle_weeks", 1)
    for i, raw in enumerate(document["staff"]):
        for key in _BY_CYCLE_WEEK:
            if key not in raw:
                continue
            for weekly in (w for w in _PER_WEEK if w in raw):
                reader.error(
                    f"give {key} or {weekly}, not both",
                    ["staff", i, key],
                    "The weekly figure is worked out as the average over the cycle.",
                )
            if len(raw[key]) != weeks:
                reader.error(
                    f"{len(raw[key])} weeks of contact given, but the timetable cycle is "
                    f"{weeks} week{'s' if weeks != 1 else ''}",
                    ["staff", i, key],
                    "Give one figure per week of school.timetable_cycle_weeks.",
                )


def _events(
    raws: list[Any], staff: tuple[StaffMember, ...], span: DateRange | None, reader: _Reader
) -> tuple[Event, ...]:
    events = []
    ids = {s.id for s in staff}
    used_ids: set[str] = set()
    for i, raw in enumerate(raws):
        path: list[Any] = ["events", i]
        event_id = str(raw.get("id") or f"e{i + 1:04d}")
        if event_id in used_ids:
            reader.error(f"event id '{event_id}' is used twice", [*path, "id"])
        used_ids.add(event_id)
        day = _date(raw["date"])
        if span is not None and day not in span:
            reader.error(
                f"{day} is outside the school year ({span.start} to {span.end})", [*path, "date"]
            )
        for role in ("observer", "observed"):
            if raw.get(role) and raw[role] not in ids:
                reader.error(f"unknown staff id '{raw[role]}'", [*path, role])
        # An observation involves the observer and the observed, not the whole staff.
        named = raw.get("observer") or raw.get("observed")
        spec = raw.get("attendees", [] if named else "all")
        attendees = _attendees(spec, staff, reader, [*path, "attendees"])
        event = reader.build(
            path,
            Event,
            id=event_id,
            title=raw["title"],
            category=raw["category"],
            date=day,
            start=_time(raw["start"]),
            end=_time(raw["end"]),
            attendees=attendees,
            observer=raw.get("observer"),
            observed=raw.get("observed"),
            activity=raw.get("activity"),
            foreseeable=raw.get("foreseeable"),
            during_ppa=raw.get("during_ppa", False),
        )
        if event is not None:
            events.append(event)
    return tuple(events)


def _proformas(
    raws: list[Any], staff_ids: set[str], reader: _Reader
) -> tuple[BalanceOfTimeProforma, ...]:
    proformas = []
    seen: set[str] = set()
    for i, raw in enumerate(raws):
        path: list[Any] = ["proformas", i, "staff"]
        if not _known_staff(raw["staff"], staff_ids, reader, path):
            continue
        if raw["staff"] in seen:
            reader.error(f"'{raw['staff']}' has two pro-formas", path, "Keep one per teacher.")
            continue
        seen.add(raw["staff"])
        signatures = tuple(
            Signature(s["role"], s["name"], _date(s["signed_on"]))
            for s in raw.get("signatures", [])
        )
        activities = {str(k): float(v) for k, v in raw["activities"].items()}
        details = {str(k): str(v) for k, v in raw.get("details", {}).items() if v}
        proformas.append(BalanceOfTimeProforma(raw["staff"], activities, signatures, details))
    return tuple(proformas)


def _known_staff(staff_id: str, staff_ids: set[str], reader: _Reader, path: list[Any]) -> bool:
    if staff_id in staff_ids:
        return True
    reader.error(f"unknown staff id '{staff_id}'", path, "Use an id from the staff list.")
    return False


def _groups(raws: list[Any], staff_ids: set[str], reader: _Reader) -> tuple[AgreementGroup, ...]:
    groups = []
    seen: set[str] = set()
    for i, raw in enumerate(raws):
        path: list[Any] = ["agreement", "groups", i]
        if raw["id"] in seen:
            reader.error(f"group id '{raw['id']}' is used twice", [*path, "id"])
        seen.add(raw["id"])
        members = raw.get("members", [])
        for j, member in enumerate(members):
            _known_staff(member, staff_ids, reader, [*path, "members", j])
        groups.append(AgreementGroup(raw["id"], raw["title"], float(raw["hours"]), tuple(members)))
    return tuple(groups)


def _committee(
    raw: Mapping[str, Any] | None, staff_ids: set[str], reader: _Reader
) -> Committee | None:
    if raw is None:
        return None
    members = []
    for i, m in enumerate(raw.get("members", [])):
        path: list[Any] = ["agreement", "committee", "members", i]
        if _known_staff(m["staff"], staff_ids, reader, [*path, "staff"]):
            member = reader.build(
                [*path, "to"],
                CommitteeMember,
                m["staff"],
                m["role"],
                _date(m["from"]),
                m.get("union"),
                _date(m["to"]) if "to" in m else None,
            )
            if member is not None:
                members.append(member)
    return Committee(tuple(members), tuple(raw.get("accredited_unions", ())))


def _agreement(
    raw: Mapping[str, Any], staff_ids: set[str], reader: _Reader, cycle_weeks: int = 1
) -> Agreement:
    process = raw.get("process", {})
    vote = None
    if "vote" in process and "ballot" in process:
        reader.error(
            "the process records both a vote and a ballot",
            ["agreement", "process", "ballot"],
            "A ballot run in fairload is the staff vote: keep 'ballot', or 'vote' for one "
            "recorded by hand.",
        )
    # A closed ballot is the staff vote the majority-approval check reads (16.4); an open
    # one holds no counts yet, so the check finds no vote.
    ballot = process.get("ballot", {})
    counted = process.get("vote") or (
        {**ballot, "held_on": ballot["closed_on"]} if "closed_on" in ballot else None
    )
    if counted is not None:
        v = counted
        vote = reader.build(
            ["agreement", "process", "vote" if "vote" in process else "ballot"],
            Vote,
            held_on=_date(v["held_on"]),
            eligible=v["eligible"],
            in_favour=v["in_favour"],
            against=v["against"],
            abstained=v.get("abstained", 0),
        )
    dates = {
        key: _date(process[key])
        for key in (
            "committee_formed",
            "draft_prepared",
            "consultation_opened",
            "consultation_closed",
            "submitted",
            "calendar_published",
        )
        if key in process
    }
    signatures = tuple(
        Signature(s["role"], s["name"], _date(s["signed_on"]))
        for s in process.get("signatures", [])
    )
    returns = [_date(r["on"]) for r in process.get("returned", [])]
    if "submitted" in dates and any(on >= dates["submitted"] for on in returns):
        del dates["submitted"]  # the council returned it: the draft is open again
    steps = AgreementProcess(
        **dates,
        comments_considered=process.get("comments_considered"),
        vote=vote,
        signatures=signatures,
        calendar_agreed_with_union=process.get("calendar_agreed_with_union"),
    )
    return Agreement(
        {k: float(v) for k, v in raw.get("allocations", {}).items()},
        steps,
        _groups(raw.get("groups", []), staff_ids, reader),
        _committee(raw.get("committee"), staff_ids, reader),
        _flexible_approach(
            raw.get("flexible_approach"), process.get("flexible_approach"), cycle_weeks, reader
        ),
    )


def _flexible_approach(
    raw: Mapping[str, Any] | None,
    steps: Mapping[str, Any] | None,
    cycle_weeks: int,
    reader: _Reader,
) -> FlexibleHours | None:
    """The school's planned flexible approach (3.3): the plan, averaged over its timetable
    cycle (``agreement.flexible_approach``), and the dates it was submitted to and
    confirmed by the Joint Secretaries (``agreement.process.flexible_approach``)."""
    if raw is None and steps is None:
        return None
    plan = raw or {}
    if "cycle_weeks" in plan and plan["cycle_weeks"] != cycle_weeks:
        reader.error(
            f"the flexible approach averages over {plan['cycle_weeks']} weeks, but the "
            f"timetable cycle (school.timetable_cycle_weeks) is {cycle_weeks}",
            ["agreement", "flexible_approach", "cycle_weeks"],
            "Give the timetable's cycle and each teacher's contact_hours_by_cycle_week.",
        )
    dated = {
        key: _date((steps or {})[field])
        for key, field in (("submitted", "submitted_on"), ("confirmed", "confirmed_on"))
        if field in (steps or {})
    }
    cap = plan.get("max_contact_hours_in_any_week")
    approach: FlexibleHours | None = reader.build(
        ["agreement", "process", "flexible_approach"],
        FlexibleHours,
        cycle_weeks=plan.get("cycle_weeks"),
        max_contact_hours_in_any_week=None if cap is None else float(cap),
        **dated,
    )
    return approach
