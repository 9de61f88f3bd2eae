"""Generate the demo schools in examples/: three fictional schools' 2025-26 years.

Deterministic (the schools draw in turn from one ``random.Random(2025)``), so re-running it
rewrites byte-identical files. Run it with ``make examples``; the files it writes are
committed, and tests/examples checks that they are exactly what this script produces.

Each school is compliant except for a few deliberate, realistic breaches, listed in
examples/README.md and marked ``# deliberate`` in the files. Budget limits and
management-time tables come from the South Ayrshire pack, never from literals here;
part-time staff get a pro-rata share of the collegiate calendar on the days they work.
"""

from __future__ import annotations

import argparse
import json
import random
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import yaml

from fairload.core.calendar import school_period
from fairload.core.expressions import evaluate
from fairload.core.packs import load_pack
from fairload.core.school_format import FORMAT, parse_school_year
from fairload.core.school_year import Closure, DateRange, Nation, YearCalendar
from fairload.core.yamlfile import load_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
SEED = 2025
SCOTTISH_PACK = "scotland/south-ayrshire-jnct-2.7"
ENGLISH_PACK = "england/neu-asos-2015"
WORKING_DAYS = 195  # SNCT 3.5 and STPCD 51.2: what every example year must come to
MON, TUE, WED, THU, FRI = range(5)


# ---------------------------------------------------------------------------
# A small YAML writer: block style for the document, one flow-style line per row.


class Flow(dict[Any, Any]):
    """A mapping written on one line: ``{id: t1, name: …}``."""


@dataclass(frozen=True)
class Comment:
    """A comment line: in a list, a heading for the rows below; as a mapping key, a note."""

    text: str


_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'()/&+@_-]*$")


def scalar(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "null"}[value]
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int | date):
        return value.isoformat() if isinstance(value, date) else str(value)
    text = str(value)
    if _PLAIN.match(text) and not text.endswith(" ") and yaml.safe_load(text) == text:
        return text
    return json.dumps(text, ensure_ascii=False)


def flow(value: Any) -> str:
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(flow(v) for v in value) + "]"
    return scalar(value)


def block(key: str, value: Any, indent: int = 0) -> list[str]:
    pad = " " * indent
    rows = isinstance(value, list) and any(isinstance(i, dict | Comment) for i in value)
    if isinstance(value, Flow) or (isinstance(value, list) and not rows):
        return [f"{pad}{key}: {flow(value)}"]
    if isinstance(value, dict):
        lines = [f"{pad}{key}:"]
        for k, v in value.items():
            lines += [f"{pad}  # {k.text}"] if isinstance(k, Comment) else block(k, v, indent + 2)
        return lines
    if isinstance(value, list):
        return [f"{pad}{key}:"] + [
            f"{pad}  # {i.text}" if isinstance(i, Comment) else f"{pad}  - {flow(i)}" for i in value
        ]
    return [f"{pad}{key}: {scalar(value)}"]


def render(header: Sequence[str], document: dict[str, Any]) -> str:
    lines = [f"# {h}".rstrip() for h in header]
    for key, value in document.items():
        lines += block(key, value)
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------
# People.


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


SCOTTISH_FIRST = _names(
    "Ailsa Alasdair Andrew Aileen Calum Catriona Claire Colin Craig Douglas Eilidh Elaine Euan "
    "Fiona Fraser Gillian Gordon Graeme Grant Hamish Heather Iain Isla Jamie Jenna Karen Kenneth "
    "Kerr Kirsty Lesley Lewis Lindsay Lorna Mairi Malcolm Martin Moira Morag Morven Neil Niall "
    "Nicola Paula Rhona Roisin Ross Ruth Sandra Scott Shona Steven Stuart Struan Yvonne Zoe"
)
SCOTTISH_SURNAMES = _names(
    "Aitken Anderson Baird Bell Boyd Brodie Campbell Carmichael Clark Craig Crawford Cunningham "
    "Dalziel Drummond Dunlop Ferguson Forsyth Fraser Galbraith Gibson Gillespie Graham Grant Gray "
    "Hamilton Henderson Hendry Hunter Imrie Johnston Kennedy Kerr Kirk Lamont Lindsay Logan "
    "MacDonald MacKenzie MacLeod McKay McMillan Mitchell Morrison Muir Munro Murray Nairn Ogilvie "
    "Paterson Pollock Quinn Rankin Reid Rennie Robertson Ross Scott Shaw Simpson Sinclair Soutar "
    "Stewart Taylor Tennant Thomson Urquhart Wallace Watson Weir Young Barr Blair Buchanan Cowan "
    "Docherty Fleming Gallacher Harvey Jardine Kelly Laird Lennox Marshall McAllister McGregor "
    "McIntyre Moffat Nicol Orr Park Ritchie Sutherland Tait Walker Wilson Wylie"
)
ENGLISH_FIRST = _names(
    "Aisha Amelia Adam Ben Charlotte Chloe Daniel David Eleanor Emily Faisal Georgia Grace Hannah "
    "Harry Imran Jack James Jasmine Joe Katie Kwame Laura Leah Liam Lucy Matthew Megan Mohammed "
    "Natalie Nathan Olivia Oliver Priya Rachel Rebecca Rhys Ruby Sam Sarah Sophie Thomas Tom "
    "Victoria Will Yasmin Zara"
)
ENGLISH_SURNAMES = _names(
    "Ahmed Ali Atkinson Bailey Baker Barker Bennett Booth Bradley Brooks Carter Chapman Clarke "
    "Collins Cooper Davies Dawson Edwards Ellis Evans Fisher Fletcher Foster Gill Green Hall "
    "Harris Hill Holmes Hughes Hussain Jackson Jones Khan Kaur Lawrence Lewis Marsh Mason "
    "Matthews Mills Moore Morgan Nelson Norris Osei Owen Parker Patel Pearce Phillips Price "
    "Rahman Richards Roberts Robinson Russell Shah Sharma Singh Spencer Stevens Turner Walsh Ward "
    "Webb Wells White Williams Wood Wright"
)
DEPARTMENT_TITLES = {
    "business-computing": "Business and computing",
    "design-technology": "Design and technology",
    "rmps": "RMPS",
    "mfl": "MFL",
    "pe": "PE",
}


def department_title(department: str) -> str:
    return DEPARTMENT_TITLES.get(department, department.replace("-", " ").capitalize())


@dataclass
class Member:
    id: str
    name: str
    post: str
    fields: dict[str, Any] = field(default_factory=dict)
    department: str | None = None
    fte: float = 1.0
    days: frozenset[int] = frozenset(range(5))  # the weekdays they work
    groups: frozenset[str] = frozenset()  # year groups or classes they teach
    note: str | None = None  # why the row is deliberately out of line

    def row(self) -> Flow:
        row = Flow(id=self.id, name=self.name, post=self.post)
        if self.fte < 1:
            row["fte"] = self.fte
        if self.department:
            row["department"] = self.department
        return Flow(row | self.fields)


class Staff(list[Member]):
    """A school's staff, with unique fictional names and ids made from them."""

    def __init__(self, rng: random.Random, first: Sequence[str], surnames: Sequence[str]):
        super().__init__()
        self.rng = rng
        self.first = first
        self.surnames = list(surnames)
        rng.shuffle(self.surnames)

    def add(self, post: str, department: str | None = None, **fields: Any) -> Member:
        surname, first = self.surnames.pop(), self.rng.choice(self.first)
        staff_id = re.sub(r"[^a-z]", "", (first[0] + surname).lower())
        member = Member(staff_id, f"{first} {surname}", post, fields, department)
        self.append(member)
        return member

    def part_time(self, member: Member, fte: float) -> Member:
        """They work their FTE of the week, rounded up to whole days, in one block."""
        count = min(5, round(fte * 5 + 0.49))
        first = self.rng.randrange(0, 6 - count)
        member.fte, member.days = fte, frozenset(range(first, first + count))
        return member

    def rows(self, groups: list[tuple[str, Callable[[Member], Any]]]) -> list[Any]:
        rows: list[Any] = []
        placed: set[str] = set()
        for heading, keep in groups:
            chosen = [m for m in self if m.id not in placed and keep(m)]
            rows.append(Comment(heading))
            for m in chosen:
                rows += [Comment(f"deliberate: {m.note}")] if m.note else []
                rows.append(m.row())
            placed |= {m.id for m in chosen}
        assert placed == {m.id for m in self}, "every member belongs under a heading"
        return rows


# ---------------------------------------------------------------------------
# Years.


@dataclass
class Year:
    start: date
    end: date
    terms: list[tuple[str, date, date]]
    inservice: list[date]
    closures: list[tuple[str, date, date]]
    open_on_bank_holidays: list[date]
    nation: Nation
    label: str = "2025-26"

    def working_days(self) -> list[date]:
        calendar = YearCalendar(
            self.label,
            DateRange(self.start, self.end),
            (),
            tuple(self.inservice),
            tuple(Closure(n, DateRange(a, b)) for n, a, b in self.closures),
            tuple(self.open_on_bank_holidays),
        )
        period = school_period(calendar, self.nation)
        if period.working_day_count != WORKING_DAYS:
            raise SystemExit(f"{self.label} has {period.working_day_count} working days")
        return list(period.working_days)

    def document(self) -> dict[str, Any]:
        doc: dict[str, Any] = {"label": self.label, "start": self.start, "end": self.end}
        doc["terms"] = [Flow(name=n, start=a, end=b) for n, a, b in self.terms]
        doc["inservice_days"] = self.inservice
        doc["closures"] = [Flow(name=n, start=a, end=b) for n, a, b in self.closures]
        if self.open_on_bank_holidays:
            doc["open_on_bank_holidays"] = self.open_on_bank_holidays
        return doc


def south_ayrshire_year() -> Year:
    """South Ayrshire's 2025-26 session: open on St Andrew's Day (observed) and on the
    one-off June bank holiday, closed for the September weekend and the usual breaks."""
    d = date
    return Year(
        start=d(2025, 8, 13),
        end=d(2026, 6, 26),
        terms=[
            ("Autumn", d(2025, 8, 13), d(2025, 12, 19)),
            ("Spring", d(2026, 1, 6), d(2026, 4, 2)),
            ("Summer", d(2026, 4, 20), d(2026, 6, 26)),
        ],
        inservice=[d(2025, 8, 13), d(2025, 8, 14), d(2025, 11, 14), d(2026, 2, 16), d(2026, 5, 5)],
        closures=[
            ("September weekend", d(2025, 9, 26), d(2025, 9, 29)),
            ("October break", d(2025, 10, 13), d(2025, 10, 17)),
            ("Christmas", d(2025, 12, 20), d(2026, 1, 5)),
            ("February break", d(2026, 2, 12), d(2026, 2, 13)),
            ("Easter", d(2026, 4, 3), d(2026, 4, 17)),
        ],
        open_on_bank_holidays=[d(2025, 12, 1), d(2026, 6, 15)],
        nation=Nation.SCOTLAND,
    )


def english_year() -> Year:
    d = date
    return Year(
        start=d(2025, 9, 1),
        end=d(2026, 7, 21),
        terms=[
            ("Autumn", d(2025, 9, 1), d(2025, 12, 18)),
            ("Spring", d(2026, 1, 5), d(2026, 3, 27)),
            ("Summer", d(2026, 4, 13), d(2026, 7, 21)),
        ],
        inservice=[d(2025, 9, 1), d(2025, 9, 2), d(2025, 11, 21), d(2026, 1, 5), d(2026, 6, 26)],
        closures=[
            ("October half term", d(2025, 10, 27), d(2025, 10, 31)),
            ("Christmas", d(2025, 12, 19), d(2026, 1, 2)),
            ("February half term", d(2026, 2, 16), d(2026, 2, 20)),
            ("Easter", d(2026, 3, 30), d(2026, 4, 10)),
            ("May half term", d(2026, 5, 25), d(2026, 5, 29)),
        ],
        open_on_bank_holidays=[],
        nation=Nation.ENGLAND,
    )


# ---------------------------------------------------------------------------
# A school's calendar under construction.


@dataclass
class Event:
    id: str
    title: str
    category: str
    day: date
    start: str
    end: str
    extra: dict[str, Any]
    note: str | None
    attendees: list[str] = field(default_factory=list)


class Plan:
    """A school's events, in headed sections, with each part-timer's pro-rata share of
    every budget heading kept: they attend on their working days until it is used."""

    def __init__(self, staff: Staff, year: Year, after: str, limits: dict[str, Any]) -> None:
        self.staff = staff
        self.after = after  # when after-school meetings start
        self.limits: dict[str, tuple[str, float]] = limits  # category: (line, full-time hours)
        self.pupil_days = [d for d in year.working_days() if d not in year.inservice]
        self.used: dict[tuple[str, str], float] = defaultdict(float)
        self.sections: list[tuple[str, list[Event]]] = []
        self.counters: dict[str, int] = defaultdict(int)

    def weeks(self) -> list[list[date]]:
        """Pupil days grouped by week."""
        weeks: dict[date, list[date]] = defaultdict(list)
        for day in self.pupil_days:
            weeks[day - timedelta(days=day.weekday())].append(day)
        return [weeks[k] for k in sorted(weeks)]

    @staticmethod
    def day_in(week: list[date], weekday: int) -> date | None:
        """That weekday of the week if pupils are in, else the next pupil day before Friday."""
        return next(
            (d for d in week if d.weekday() == weekday or weekday < d.weekday() < FRI), None
        )

    def nearest(self, target: date, weekday: int | None = None) -> date:
        """The first pupil day on or after ``target`` (on ``weekday`` if given)."""
        return next(d for d in self.pupil_days if d >= target and weekday in (None, d.weekday()))

    def ids(self, keep: Callable[[Member], Any] = lambda m: True) -> list[str]:
        return [m.id for m in self.staff if keep(m)]

    def section(self, heading: str) -> None:
        self.sections.append((heading, []))

    def add(
        self,
        prefix: str,
        title: str,
        category: str,
        day: date,
        who: Iterable[str],
        *,
        hours: float = 1.0,
        start: str | None = None,
        pattern: bool = True,
        note: str | None = None,
        **extra: Any,
    ) -> Event:
        """An event for ``who``: part-timers only on their days (if ``pattern``) and within
        their share of its budget heading."""
        self.counters[prefix] += 1
        begin = datetime.strptime(start or self.after, "%H:%M")
        end = (begin + timedelta(hours=hours)).strftime("%H:%M")
        event_id = f"{prefix}{self.counters[prefix]:02d}"
        event = Event(event_id, title, category, day, begin.strftime("%H:%M"), end, extra, note)
        wanted = set(who)
        line_id, full = self.limits.get(category, (None, 0.0))
        for m in self.staff:
            if m.id not in wanted or (pattern and day.weekday() not in m.days):
                continue
            if line_id and m.fte < 1 and self.used[(m.id, line_id)] + hours > full * m.fte + 1e-9:
                continue
            event.attendees.append(m.id)
            self.used[(m.id, line_id or "")] += hours
        self.sections[-1][1].append(event)
        return event

    def attendees(self, chosen: list[str]) -> Any:
        """The shortest way to write attendees: all, posts and departments with includes
        and excludes, or a list of ids."""
        order = [m.id for m in self.staff]
        if set(chosen) == set(order):
            return "all"
        options: list[Any] = [sorted(chosen, key=order.index)]
        for by_post, by_department in ((True, True), (True, False), (False, True)):
            options.append(self._grouped(set(chosen), by_post, by_department))
        return min((o for o in options if o is not None), key=lambda o: len(flow(o)))

    def _grouped(self, chosen: set[str], by_post: bool, by_department: bool) -> Flow | None:
        def mostly(key: Callable[[Member], str | None]) -> list[str]:
            groups: dict[str, list[str]] = defaultdict(list)
            for m in self.staff:
                if (k := key(m)) is not None:
                    groups[k].append(m.id)
            return [k for k, ids in groups.items() if 2 * len(chosen.intersection(ids)) >= len(ids)]

        posts = mostly(lambda m: m.post) if by_post else []
        departments = mostly(lambda m: m.department) if by_department else []
        if not posts and not departments:
            return None
        base = {m.id for m in self.staff if m.post in posts or m.department in departments}
        spec = Flow()
        if posts:
            spec["posts"] = posts
        if departments:
            spec["departments"] = departments
        if include := [m.id for m in self.staff if m.id in chosen - base]:
            spec["include"] = include
        if exclude := [m.id for m in self.staff if m.id in base - chosen]:
            spec["exclude"] = exclude
        return spec

    def rows(self) -> list[Any]:
        rows: list[Any] = []
        for heading, events in self.sections:
            rows.append(Comment(heading))
            for e in events:
                observation = e.extra.get("observed") is not None
                if not e.attendees and not observation:
                    raise ValueError(f"nobody attends {e.title} on {e.day}")
                rows += [Comment(f"deliberate: {e.note}")] if e.note else []
                row = Flow(id=e.id, title=e.title, category=e.category, date=e.day)
                row |= {"start": e.start, "end": e.end}
                # An observation names who observes and who is observed; nobody else
                # attends (left out, attendees would default to all staff).
                row["attendees"] = [] if observation else self.attendees(e.attendees)
                rows.append(Flow(row | {k: v for k, v in e.extra.items() if v is not None}))
        return rows


class Wishes:
    """A school's ``plan`` section (docs/school-year-format.md#plan): what ``fairload plan``
    proposes its calendar of the wishes' categories from. A part-timer attends a wish
    only while its hours fit their pro-rata share of its budget heading, after the
    calendar's events that the plan keeps (as :meth:`Plan.add` does for events)."""

    def __init__(self, plan: Plan, categories: Iterable[str]) -> None:
        self.plan = plan
        self.categories = set(categories)
        self.used: dict[tuple[str, str], float] = defaultdict(float)
        for _heading, events in plan.sections:
            for e in events:
                line_id, _ = plan.limits.get(e.category, (None, 0.0))
                if line_id and e.category not in self.categories:
                    begin, end = (datetime.strptime(t, "%H:%M") for t in (e.start, e.end))
                    for staff_id in e.attendees:
                        self.used[(staff_id, line_id)] += (end - begin).seconds / 3600
        self.rows: list[Flow] = []

    def add(self, who: Iterable[str], hours_each: float, **row: Any) -> None:
        """A wish (its fields in ``row``) for ``who``; ``hours_each``: the hours it puts
        on each attendee's heading in the year."""
        assert row["category"] in self.categories, row["category"]
        line_id, full = self.plan.limits.get(row["category"], (None, 0.0))
        wanted, chosen = set(who), []
        for m in self.plan.staff:
            if m.id not in wanted:
                continue
            if line_id and m.fte < 1 and self.used[(m.id, line_id)] + hours_each > full * m.fte:
                continue
            chosen.append(m.id)
            self.used[(m.id, line_id or "")] += hours_each
        self.rows.append(Flow(row | {"attendees": self.plan.attendees(chosen)}))

    def reviews(self, who: Iterable[str], earliest_start: str) -> None:
        """A PRD review (JNCT 12) for each of ``who``, in term 2."""
        self.add(
            who, 1, id="prd", title="PRD review", category="review", minutes=60, count=1,
            for_each="teacher", terms=["Spring"], earliest_start=earliest_start,
        )  # fmt: skip

    def section(self, agreed: Sequence[str] = ()) -> dict[str, Any]:
        return ({"agreed": list(agreed)} if agreed else {}) | {"wishes": self.rows}


def budget_limits(pack_id: str, at: date) -> dict[str, tuple[str, float]]:
    """Each calendar category's budget line and its full-time hours, from the pack."""
    pack = load_pack(pack_id)
    assert pack.budget is not None
    return {
        category: (line.id, evaluate(line.hours, pack.parameters, at)[0])
        for line in pack.budget.lines
        if line.hours is not None
        for category in line.categories
    }


def appendix_1_allocations(at: date) -> Flow:
    """The agreed hours per heading: Appendix 1's defaults, from the pack."""
    pack = load_pack(SCOTTISH_PACK)
    assert pack.budget is not None
    return Flow(
        {
            line.id: evaluate(line.hours, pack.parameters, at)[0]
            for line in pack.budget.lines
            if line.hours is not None
            and line.teacher in ("allocation", "remainder")
            and line.school
        }
    )


def management_periods(at: date) -> dict[tuple[str, int | None], int]:
    """Management time (periods a week) by post and job size, from the pack's tables."""
    pack = load_pack(SCOTTISH_PACK)
    return {
        (row["post"], row.get("job_size")): row["periods"]
        for name in ("management_time_secondary", "management_time_guidance")
        for row in pack.parameters.resolve(name, at).value
    }


SCOTTISH_POLICY = {
    "daily-or-weekly-time-tracking": False,
    "work-outwith-premises-protocol-agreed": True,
    "staff-expected-at-parents-evenings-for-groups-not-taught": False,
}


# ---------------------------------------------------------------------------
# 1. A South Ayrshire secondary: about 80 staff on a 33-period week.

SECONDARY_DEPARTMENTS = [
    # department, main-grade teachers, principal teachers' job sizes
    ("english", 7, [6]),
    ("maths", 7, [6]),
    ("science", 8, [5, 7]),
    ("social-subjects", 5, [5]),
    ("modern-languages", 3, [3]),
    ("expressive-arts", 4, [3, 2]),
    ("technologies", 4, [4]),
    ("physical-education", 4, [4]),
    ("business-computing", 3, [3]),
    ("home-economics", 2, [1]),
    ("rmps", 1, [1]),
    ("support-for-learning", 2, [8]),
]
SCOTTISH_YEARS = ["S1", "S2", "S3", "S4", "S5", "S6"]


def scottish_secondary(rng: random.Random) -> dict[str, Any]:
    year = south_ayrshire_year()
    management = management_periods(year.start)
    staff = Staff(rng, SCOTTISH_FIRST, SCOTTISH_SURNAMES)
    contact_max = 27  # of a 33-period week (JNCT 8.1)

    def promoted(post: str, department: str | None, periods: int, **fields: Any) -> Member:
        return staff.add(
            post,
            department,
            **fields,
            contact_periods_per_week=contact_max - periods,
            management_periods_per_week=periods,
        )

    head = promoted("head-teacher", None, contact_max)
    deputes = [
        promoted("depute-head", None, management[("depute-head", size)], job_size=size)
        for size in (4, 5, 6, 7)
    ]
    short = deputes[2]
    short.fields |= {"contact_periods_per_week": 13, "management_periods_per_week": 14}
    short.note = "timetabled as if job size 5: 20 non-contact periods, not 6 + 16 (JNCT 8.8)"
    principals: dict[str, list[Member]] = defaultdict(list)
    for department, _, sizes in SECONDARY_DEPARTMENTS:
        for size in sizes:
            periods = management[("principal-teacher", size)]
            principals[department].append(
                promoted("principal-teacher", department, periods, job_size=size)
            )
    guidance_periods = management[("principal-teacher-guidance", None)]
    guidance = [
        promoted("principal-teacher-guidance", "pupil-support", guidance_periods + extra)
        for extra in (0, 1)
    ]
    teachers = [
        staff.add("teacher", department, contact_periods_per_week=contact_max)
        for department, count, _ in SECONDARY_DEPARTMENTS
        for _ in range(count)
    ]
    subjects = [d for d, _, _ in SECONDARY_DEPARTMENTS if d != "support-for-learning"]
    probationers = [
        staff.add("teacher", d, probationer=True, contact_hours_per_week=18)
        for d in rng.sample(subjects, 4)
    ]
    probationers[2].fields["contact_hours_per_week"] = 19.5
    probationers[
        2
    ].note = "a probationer timetabled for 19.5 hours (JNCT 3.2: 18.5, and 18 at first)"
    part_timers = [
        staff.part_time(
            staff.add("teacher", rng.choice(subjects), contact_hours_per_week=round(22.5 * fte, 2)),
            fte,
        )
        for fte in (0.4, 0.5, 0.6, 0.6, 0.8, 0.7)
    ]
    for m in staff:
        if m.post in ("teacher", "principal-teacher"):
            m.groups = frozenset(rng.sample(SCOTTISH_YEARS, rng.randint(3, 6)))
        elif m is not head:
            m.groups = frozenset(SCOTTISH_YEARS)
    links = {g: deputes[n % len(deputes)].id for n, g in enumerate(SCOTTISH_YEARS)}

    plan = Plan(staff, year, "15:40", budget_limits(SCOTTISH_PACK, year.start))
    weeks = plan.weeks()
    everyone, classroom = plan.ids(), plan.ids(lambda m: m is not head)
    leadership = [head.id, *(d.id for d in deputes)]
    all_pts = plan.ids(lambda m: m.post.startswith("principal-teacher"))

    plan.section("In-service days (council-planned; part-timers on their working days, pro rata)")
    for day in year.inservice:
        plan.add("ins", "In-service day", "in-service", day, everyone, start="09:00", hours=6)
    plan.section("Trade union meetings (JNCT 13: 3 hours)")
    for day in (year.inservice[0], year.inservice[3]):
        title = "Trade union meeting (all staff welcome)"
        plan.add("tu", title, "union-meeting", day, everyone, start="15:00")

    plan.section("Whole-staff meetings, fortnightly (none in the new-timetable weeks of June)")
    for n, week in enumerate(weeks[:-3]):
        if n % 2 == 1 and (day := plan.day_in(week, TUE)):
            plan.add("sm", "Whole-staff meeting", "staff-meeting", day, everyone)
    plan.section("Department and pupil support team meetings, every fourth week")
    for n, week in enumerate(weeks):
        if n % 4 == 2 and (day := plan.day_in(week, WED)):
            title = "Department and pupil support team meetings"
            plan.add("dm", title, "department-meeting", day, plan.ids(lambda m: m.department))
    plan.section("Curriculum leaders' meetings")
    for n, week in enumerate(weeks):
        if n % 7 == 3 and (day := plan.day_in(week, THU)):
            title = "Curriculum leaders' meeting"
            plan.add("pt", title, "staff-meeting", day, leadership + all_pts)
    plan.section("Working groups: a depute and volunteers, five meetings each")
    volunteers = [t.id for t in teachers + part_timers]
    rng.shuffle(volunteers)
    groups = ["Learning and teaching", "Health and wellbeing", "Digital learning", "Assessment"]
    for g, group in enumerate(groups):
        members = [deputes[g].id, *volunteers[g * 8 : g * 8 + 8]]
        for n in range(5):
            week = weeks[5 + g + n * 7]
            long = g == 0 and n == 2
            note = "a 2.5-hour working-group meeting (JNCT 7.3: over 2 hours)" if long else None
            day = plan.day_in(week, MON) or week[0]
            title = f"{group} working group"
            plan.add(
                "wg", title, "working-group", day, members, hours=2.5 if long else 1.5, note=note
            )

    plan.section("Meetings with parents (JNCT 6: 30 hours; staff attend for groups they teach)")
    evenings = {"S6": (10, 2), "S4": (11, 27), "S5": (1, 22), "S1": (2, 26), "S3": (3, 19)}
    evening_staff: dict[str, list[str]] = {}
    for group, (month, day_of_month) in (evenings | {"S2": (5, 14)}).items():
        day = plan.nearest(date(2025 if month > 7 else 2026, month, day_of_month), THU)
        who = [m.id for m in staff if group in m.groups] + [links[group]]
        start, hours, note = ("16:30", 2.5, None) if group in ("S1", "S2") else ("16:00", 2.5, None)
        if group == "S4":
            hours, note = 3.0, "S4 appointments run 16:00-19:00, 3 hours (JNCT 6.2: at most 2.5)"
        title = f"{group} parents' evening"
        event = plan.add(
            "pe", title, "parents-evening", day, who, start=start, hours=hours, note=note
        )
        evening_staff[group] = event.attendees
    transition = [
        deputes[0].id,
        *(g.id for g in guidance),
        *(ms[0].id for ms in principals.values()),
    ]
    for title, target, weekday, who in (
        ("P7 transition open evening", date(2026, 5, 27), WED, transition),
        ("S3 options information evening", date(2026, 1, 29), TUE, [deputes[1].id, *all_pts]),
    ):
        day = plan.nearest(target, weekday)
        plan.add("oe", title, "open-evening", day, who, start="18:00", hours=1.5)

    plan.section("Reports to parents (JNCT 5.2: one full written report per pupil per session)")
    departments = [d for d, _, _ in SECONDARY_DEPARTMENTS] + ["pupil-support"]
    for n, department in enumerate(departments):
        day = plan.nearest(date(2025, 11, 3) + timedelta(days=14 * n))
        who = plan.ids(lambda m, d=department: m.department == d)
        title = f"{department_title(department)}: full reports to parents due"
        plan.add("rep", title, "report", day, who, hours=2, pattern=False)
    plan.add(
        "rep",
        "S1 settling-in reports due",
        "report",
        plan.nearest(date(2025, 10, 6)),
        [g.id for g in guidance],
        hours=1.5,
        pattern=False,
        note="an interim report round for S1 (JNCT 5.3: to be agreed)",
    )
    plan.section("Assessment, tracking and moderation")
    for n, target in enumerate((date(2025, 10, 1), date(2026, 2, 4), date(2026, 5, 20))):
        day = plan.nearest(target, WED)
        plan.add("tr", f"Tracking and monitoring round {n + 1}", "assessment", day, classroom)
    for target, subject in ((date(2025, 12, 3), "literacy"), (date(2026, 3, 11), "numeracy")):
        day = plan.nearest(target, WED)
        plan.add("mod", f"Moderation: BGE {subject}", "moderation", day, classroom, hours=1.5)
    seniors = plan.ids(lambda m: "S4" in m.groups or "S5" in m.groups)
    day = plan.nearest(date(2026, 1, 28), WED)
    plan.add("mod", "Prelim marking moderation", "moderation", day, seniors, hours=2)
    plan.section("Planning (JNCT 10: 25 hours)")
    day = plan.nearest(date(2026, 4, 28), TUE)
    plan.add("pl", "School improvement plan: staff consultation", "planning", day, everyone)
    for target in (date(2025, 9, 10), date(2026, 6, 3)):
        day = plan.nearest(target, WED)
        plan.add("pl", "Department improvement planning", "planning", day, classroom, hours=1.5)

    plan.section("Personal review and development (JNCT 12: 3 hours), on a day each works")
    reviewer = {head.id: "the Head of Service"} | {d.id: head.name for d in deputes}
    for m in staff:
        if m.post == "teacher":
            reviewer[m.id] = principals.get(m.department or "", guidance)[0].name
        reviewer.setdefault(m.id, deputes[0].name)
    review_days = [d for d in plan.pupil_days if date(2026, 3, 2) <= d <= date(2026, 6, 12)]
    for m in staff:
        day = rng.choice([d for d in review_days if d.weekday() in m.days])
        plan.add("prd", f"PRD: {m.name} with {reviewer[m.id]}", "review", day, [m.id])
    plan.section("Career-long professional learning")
    for target in (date(2025, 10, 29), date(2026, 3, 4)):
        day = plan.nearest(target, WED)
        title = "CLPL twilight: learner participation"
        plan.add("cpd", title, "cpd", day, everyone, hours=1.5)

    # What the school wants to hold, for `fairload plan` (issue 13's own examples).
    categories = ["staff-meeting", "department-meeting", "parents-evening", "report", "review"]
    # fmt: off
    wishes = Wishes(plan, categories)
    mon_tue, after = ["monday", "tuesday"], "15:45"
    exams = [Flow(name="SQA exam diet", start=date(2026, 4, 22), end=date(2026, 6, 2))]
    wishes.add(
        everyone, 10, id="staff-meetings", title="Whole-staff meeting", category="staff-meeting",
        minutes=60, hours=10, weekdays=mon_tue, earliest_start=after, not_between=exams,
    )
    wishes.add(
        leadership + all_pts, 6, id="curriculum-leaders", title="Curriculum leaders' meeting",
        category="staff-meeting", minutes=60, count=6, every_weeks=5, weekdays=["thursday"],
        earliest_start=after,
    )
    wishes.add(
        plan.ids(lambda m: m.department), 15, id="department-meetings", title="Department meeting",
        category="department-meeting", minutes=60, count=15, every_weeks=2, for_each="department",
        weekdays=["wednesday", "thursday"], earliest_start=after,
    )
    for group, month in (("S1", 3), ("S2", 5), ("S3", 3), ("S4", 11)):
        wishes.add(
            evening_staff[group], 2.5, id=f"{group.lower()}-parents",
            title=f"{group} parents' evening", category="parents-evening", minutes=150, count=1,
            months=[month], earliest_start="16:00", latest_start="16:30",
        )
    wishes.add(
        {*evening_staff["S5"], *evening_staff["S6"]}, 2.5, id="s5-s6-parents",
        title="S5/6 parents' evening", category="parents-evening", minutes=150, count=1, months=[2],
        earliest_start="16:00", latest_start="16:30",
    )
    wishes.add(
        plan.ids(lambda m: m.department), 2, id="full-reports", title="Full reports to parents due",
        category="report", minutes=120, count=1, for_each="department", months=[11, 12, 1, 2, 3],
        earliest_start=after,
    )
    wishes.add(
        [g.id for g in guidance], 1.5, id="s1-settling-in", title="S1 settling-in reports due",
        category="report", minutes=90, count=1, months=[10], earliest_start=after,
    )
    wishes.reviews(everyone, after)
    # fmt: on

    return {
        "format": FORMAT,
        "school": {
            "id": "auchenlea-academy",
            "name": "Auchenlea Academy",
            "authority": "South Ayrshire Council",
            "pack": SCOTTISH_PACK,
            "sector": "secondary",
            "nation": "scotland",
            "roll": 1104,
            "period_minutes": 50,
            "periods_per_week": 33,
            "pupil_day": Flow(start="08:50", end="15:30"),
        },
        "year": year.document(),
        "staff": staff.rows(
            [
                ("Head teacher and depute heads", lambda m: m.id in leadership),
                ("Principal teachers", lambda m: m.post == "principal-teacher"),
                ("Principal teachers (guidance)", lambda m: m.post == "principal-teacher-guidance"),
                ("Main-grade teachers", lambda m: m in teachers),
                ("Probationers (National Induction Scheme)", lambda m: m in probationers),
                ("Part-time teachers", lambda m: m.fte < 1),
            ]
        ),
        "events": plan.rows(),
        "policy": SCOTTISH_POLICY,
        "agreement": {
            "allocations": appendix_1_allocations(year.start),
            "process": {
                "committee_formed": date(2025, 4, 22),
                "draft_prepared": date(2025, 5, 9),
                "consultation_opened": date(2025, 5, 12),
                "consultation_closed": date(2025, 5, 23),
                "comments_considered": True,
                "vote": Flow(
                    held_on=date(2025, 5, 29),
                    eligible=len(staff),
                    in_favour=57,
                    against=14,
                    abstained=6,
                ),
                "signatures": [
                    Flow(role="head-teacher", name=head.name, signed_on=date(2025, 6, 3)),
                    Flow(role="union-rep", name=teachers[3].name, signed_on=date(2025, 6, 3)),
                ],
                "submitted": date(2025, 6, 6),
            },
        },
        # 5.3: the S1 settling-in round is agreed as additional; the check still lists it.
        "plan": wishes.section(agreed=["one-report-per-session"]),
    }


# ---------------------------------------------------------------------------
# 2. A South Ayrshire primary: roll 322, hours not periods.

PRIMARY_CLASSES = ["P1a", "P1b", "P2", "P2/3", "P3", "P4", "P4/5", "P5", "P5/6", "P6", "P6/7"]
PRIMARY_CLASSES += ["P7a", "P7b"]
STAGES = ["early-level", "first-level", "second-level"]


def stage_of(class_name: str) -> str:
    return STAGES[0] if class_name[1] == "1" else STAGES[1] if class_name[1] <= "4" else STAGES[2]


def scottish_primary(rng: random.Random) -> dict[str, Any]:
    year = south_ayrshire_year()
    staff = Staff(rng, SCOTTISH_FIRST, SCOTTISH_SURNAMES)
    # Roll 322 is band 301-400 (JNCT 8.10): a head, a depute and three principal
    # teachers, with 0.3 FTE of management time: the depute's 4.5 hours and 0.75 each.
    head = staff.add("head-teacher", contact_hours_per_week=0, management_hours_per_week=22.5)
    depute = staff.add(
        "depute-head", STAGES[2], contact_hours_per_week=18, management_hours_per_week=4.5
    )
    pts = [
        staff.add(
            "principal-teacher", s, contact_hours_per_week=21.75, management_hours_per_week=0.75
        )
        for s in STAGES
    ]
    teachers = [staff.add("teacher", contact_hours_per_week=22.5) for _ in range(9)]
    probationer = staff.add("teacher", probationer=True, contact_hours_per_week=18)
    job_share = staff.part_time(staff.add("teacher", STAGES[1], contact_hours_per_week=11.25), 0.5)
    support = staff.part_time(
        staff.add("teacher", "support-for-learning", contact_hours_per_week=13.5), 0.6
    )
    ncct = staff.part_time(staff.add("teacher", contact_hours_per_week=9), 0.4)
    # Each principal teacher has a class at their own stage; the rest are shared out.
    classes = list(PRIMARY_CLASSES)
    for pt in pts:
        mine = next(c for c in classes if stage_of(c) == pt.department)
        classes.remove(mine)
        pt.groups = frozenset({mine})
    rng.shuffle(classes)
    for member, class_name in zip([*teachers, probationer], classes, strict=True):
        member.department, member.groups = stage_of(class_name), frozenset({class_name})
    job_share.groups = frozenset({"P3"})
    support.groups = ncct.groups = frozenset(PRIMARY_CLASSES)
    depute.groups = frozenset(c for c in PRIMARY_CLASSES if stage_of(c) == STAGES[2])

    plan = Plan(staff, year, "15:30", budget_limits(SCOTTISH_PACK, year.start))
    weeks = plan.weeks()
    everyone, teaching = plan.ids(), plan.ids(lambda m: m is not head)

    plan.section("In-service days (part-timers on their working days, pro rata)")
    for day in year.inservice:
        plan.add("ins", "In-service day", "in-service", day, everyone, start="09:00", hours=6)
    plan.section("Trade union meeting (JNCT 13: 3 hours)")
    title = "Trade union meeting (all staff welcome)"
    plan.add("tu", title, "union-meeting", year.inservice[2], everyone, start="15:00")
    plan.section("Collegiate time: a staff meeting one week, stage meetings every fourth")
    for n, week in enumerate(weeks[1:], start=1):
        if (day := plan.day_in(week, TUE)) and n % 2 == 1:
            plan.add("sm", "Staff meeting", "staff-meeting", day, everyone)
        elif day and n % 4 == 2:
            title = "Stage meetings (early, first and second level)"
            plan.add(
                "st", title, "department-meeting", day, plan.ids(lambda m: m.department in STAGES)
            )
    plan.section("Working groups")
    keen = teachers[4]
    literacy = [depute.id, pts[0].id, keen.id, teachers[1].id, teachers[6].id]
    outdoor = [head.id, pts[2].id, keen.id, teachers[2].id, teachers[7].id, job_share.id]
    for g, (group, members, meetings, hours) in enumerate(
        (("Literacy", literacy, 5, 1.5), ("Outdoor learning", outdoor, 4, 1.0))
    ):
        for n in range(meetings):
            week = weeks[4 + g * 2 + n * 7]
            last = g == 1 and n == meetings - 1
            note = f"{keen.name} is in both working groups: 41.5 hours of staff meetings"
            note += " (JNCT 7.1: 40)"
            day = plan.day_in(week, THU) or week[0]
            title = f"{group} working group"
            plan.add(
                "wg", title, "working-group", day, members, hours=hours, note=note if last else None
            )
    plan.section("Meetings with parents (JNCT 6: 30 hours)")
    for target, title in ((date(2025, 10, 29), "Autumn"), (date(2026, 3, 11), "Spring")):
        day = plan.nearest(target, WED)
        plan.add("pe", f"{title} parent consultations", "parents-evening", day, teaching, hours=2.5)
    p1 = plan.ids(lambda m: any(g.startswith("P1") for g in m.groups))
    p7 = plan.ids(lambda m: any(g.startswith("P7") for g in m.groups))
    for title, target, who in (
        ("P1 induction evening for new parents", date(2026, 5, 20), [head.id, pts[0].id, *p1]),
        ("P7 transition information evening", date(2026, 2, 4), [head.id, depute.id, *p7]),
    ):
        plan.add("oe", title, "open-evening", plan.nearest(target, WED), who, start="18:00")
    plan.section("Reports to parents (one full written report per pupil per session)")
    day = plan.nearest(date(2026, 5, 29))
    plan.add(
        "rep", "Written reports to parents due", "report", day, teaching, hours=2, pattern=False
    )
    plan.section("Assessment, tracking and moderation")
    for target, subject in ((date(2025, 11, 19), "writing"), (date(2026, 3, 18), "numeracy")):
        day = plan.nearest(target, WED)
        title = f"Moderation: {subject} across the levels"
        plan.add("mod", title, "moderation", day, teaching, hours=1.5)
    for n, target in enumerate((date(2025, 10, 8), date(2026, 1, 28), date(2026, 5, 13))):
        day = plan.nearest(target, WED)
        plan.add("tr", f"Tracking meeting {n + 1}", "assessment", day, teaching)
    plan.section("Planning (JNCT 10: 25 hours)")
    for target, title in (
        (date(2025, 8, 27), "Forward planning: term 1"),
        (date(2025, 12, 10), "Forward planning: term 2"),
        (date(2026, 3, 25), "Forward planning: term 3"),
        (date(2026, 6, 10), "School improvement plan"),
    ):
        plan.add("pl", title, "planning", plan.nearest(target, WED), everyone, hours=1.5)
    plan.section("Personal review and development (JNCT 12: 3 hours)")
    review_days = [d for d in plan.pupil_days if date(2026, 2, 23) <= d <= date(2026, 6, 5)]
    for m in staff:
        reviewer = "the Head of Service" if m is head else head.name if m is depute else depute.name
        day = rng.choice([d for d in review_days if d.weekday() in m.days])
        plan.add("prd", f"PRD: {m.name} with {reviewer}", "review", day, [m.id])

    # What the school wants to hold, for `fairload plan`: the staff meetings and stage
    # meetings fit every teacher's 40 hours beside the working groups (JNCT 7.1).
    # fmt: off
    wishes = Wishes(plan, ["staff-meeting", "department-meeting", "parents-evening", "review"])
    wishes.add(
        everyone, 18, id="staff-meetings", title="Staff meeting", category="staff-meeting",
        minutes=60, hours=18, every_weeks=2, weekdays=["monday", "tuesday"], earliest_start="15:30",
    )
    wishes.add(
        plan.ids(lambda m: m.department in STAGES), 9, id="stage-meetings", title="Stage meeting",
        category="department-meeting", minutes=60, count=9, every_weeks=4, for_each="department",
        weekdays=["wednesday", "thursday"], earliest_start="15:30",
    )
    for wish_id, title, months in (
        ("autumn-parents", "Autumn parent consultations", [10, 11]),
        ("spring-parents", "Spring parent consultations", [3]),
    ):
        wishes.add(
            teaching, 2.5, id=wish_id, title=title, category="parents-evening", minutes=150,
            count=1, months=months, earliest_start="15:30", latest_start="16:00",
        )
    wishes.reviews(everyone, "15:30")
    # fmt: on

    return {
        "format": FORMAT,
        "school": {
            "id": "glenburnie-primary",
            "name": "Glenburnie Primary School",
            "authority": "South Ayrshire Council",
            "pack": SCOTTISH_PACK,
            "sector": "primary",
            "nation": "scotland",
            "roll": 322,
            "pupil_day": Flow(start="08:55", end="15:15"),
        },
        "year": year.document(),
        "staff": staff.rows(
            [
                ("Head teacher and depute head", lambda m: m in (head, depute)),
                ("Principal teachers (one per stage)", lambda m: m.post == "principal-teacher"),
                ("Class teachers", lambda m: m.fte == 1),
                ("Part-time teachers", lambda m: m.fte < 1),
            ]
        ),
        "events": plan.rows(),
        "policy": SCOTTISH_POLICY,
        "agreement": {
            "allocations": appendix_1_allocations(year.start),
            "process": {
                "committee_formed": date(2025, 4, 28),
                "draft_prepared": date(2025, 5, 16),
                "consultation_opened": date(2025, 5, 19),
                "consultation_closed": date(2025, 5, 30),
                "comments_considered": True,
                Comment(
                    "deliberate: 9 of 18 in favour is a majority of the votes cast but not "
                    "of the staff (JNCT 16.4);"
                ): None,
                Comment("the agreement was signed and submitted all the same."): None,
                "vote": Flow(
                    held_on=date(2025, 6, 4),
                    eligible=len(staff),
                    in_favour=9,
                    against=4,
                    abstained=2,
                ),
                "signatures": [
                    Flow(role="head-teacher", name=head.name, signed_on=date(2025, 6, 9)),
                    Flow(role="union-rep", name=teachers[0].name, signed_on=date(2025, 6, 9)),
                ],
                "submitted": date(2025, 6, 12),
            },
        },
        "plan": wishes.section(),
    }


# ---------------------------------------------------------------------------
# 3. An English academy under the NUT's 2015 action short of strike.

ENGLISH_DEPARTMENTS = [  # department, classroom teachers besides its head (a TLR holder)
    ("english", 6),
    ("maths", 6),
    ("science", 7),
    ("humanities", 5),
    ("mfl", 3),
    ("arts", 4),
    ("design-technology", 3),
    ("pe", 3),
    ("computing", 2),
]
ENGLISH_YEARS = ["Y7", "Y8", "Y9", "Y10", "Y11", "Y12", "Y13"]


def timetable(contact: float, ppa: float, duties: float = 2.0) -> dict[str, Any]:
    """A week of a 25-lesson timetable: teaching, PPA (at least 10 % of teaching: STPCD
    52.5) and registration and duties, which together are the timetabled directed time."""
    return {
        "contact_hours_per_week": contact,
        "ppa_hours_per_week": ppa,
        "timetabled_hours_per_week": round(contact + ppa + duties, 2),
    }


def english_secondary(rng: random.Random) -> dict[str, Any]:
    year = english_year()
    staff = Staff(rng, ENGLISH_FIRST, ENGLISH_SURNAMES)
    lead = {"leadership_pay": True, "management_responsibilities": True}
    head = staff.add("head-teacher", **lead, leadership_hours_per_week=25, **timetable(0, 0, 0))
    deputies = [
        staff.add("deputy-head", **lead, leadership_hours_per_week=14, **timetable(8, 1))
        for _ in range(2)
    ]
    assistants = [
        staff.add("assistant-head", **lead, leadership_hours_per_week=9, **timetable(13, 1.5))
        for _ in range(3)
    ]
    leaders: dict[str, Member] = {}
    teachers: list[Member] = []
    for department, count in ENGLISH_DEPARTMENTS:
        leaders[department] = staff.add(
            "teacher",
            department,
            tlr=True,
            management_responsibilities=True,
            leadership_hours_per_week=2.5,
            **timetable(19, 2.5),
        )
        for _ in range(count):
            contact = rng.choice((20, 21, 22))
            teachers.append(staff.add("teacher", department, **timetable(contact, 2.5)))
    low_ppa = teachers[8]
    low_ppa.fields |= timetable(22, 2.0, 2.5)
    low_ppa.note = "PPA cut to 2 hours for 22 of teaching, for intervention groups (STPCD 52.5)"
    for department in ("english", "science"):
        staff.add("teacher", department, probationer=True, **timetable(18, 2.5))
    for fte, department in ((0.6, "humanities"), (0.8, "english"), (0.5, "arts")):
        contact = round(22 * fte, 1)
        member = staff.add(
            "teacher", department, **timetable(contact, round(contact / 10 + 0.05, 1))
        )
        staff.part_time(member, fte)
    cover = staff.add("teacher", "cover", qts=False, **timetable(0, 0, 25))
    for m in staff:
        if m.department not in (None, "cover"):
            m.groups = frozenset(rng.sample(ENGLISH_YEARS, rng.randint(3, 5)))
    # Each year group has a senior leader linked to it, at its parents' evening.
    links = [*assistants, *deputies]
    for n, group in enumerate(ENGLISH_YEARS):
        links[n % len(links)].groups |= {group}
    science_head = leaders["science"]
    science_head.groups |= {"Y11"}

    plan = Plan(staff, year, "15:20", {})
    weeks = plan.weeks()
    slt = [head.id, *(d.id for d in deputies), *(a.id for a in assistants)]
    teaching = plan.ids(lambda m: m is not cover)
    departments = [d for d, _ in ENGLISH_DEPARTMENTS]

    plan.section("INSET days (the five non-pupil days: STPCD 51.2)")
    for day in year.inservice:
        plan.add("inset", "INSET day", "in-service", day, teaching, start="08:30", hours=7)

    # At most one after-school meeting a week: a rota of whole-staff, department and CPD
    # weeks, with no meeting in a parents' evening week.
    evenings = {"Y7": (10, 9), "Y11": (11, 13), "Y13": (12, 4), "Y10": (1, 29), "Y9": (3, 5)}
    evenings |= {"Y12": (3, 19), "Y8": (5, 7)}
    evening_days = {
        g: plan.nearest(date(2025 if m > 7 else 2026, m, d), THU) for g, (m, d) in evenings.items()
    }
    evening_weeks = {d - timedelta(days=d.weekday()) for d in evening_days.values()}
    plan.section("After-school meetings and CPD (at most one a week on average, an hour each)")
    rota = ["staff", "department", "cpd", "department"]
    quiet = [w for w in weeks[1:] if w[0] - timedelta(days=w[0].weekday()) not in evening_weeks]
    department_meetings = []
    for n, week in enumerate(quiet[:-2]):
        kind = rota[n % len(rota)]
        day = plan.day_in(week, TUE if kind == "department" else MON)
        if day and kind == "staff":
            plan.add("sm", "Whole-staff meeting", "staff-meeting", day, teaching)
        elif day and kind == "cpd":
            plan.add("cpd", "CPD twilight", "cpd", day, teaching)
        elif day:
            department_meetings.append(day)
    y11_monday = evening_days["Y11"] - timedelta(days=evening_days["Y11"].weekday())
    partner = next(d for d in deputies if "Y11" not in d.groups)
    for weekday, note in (
        (TUE, None),
        (
            WED,
            f"{science_head.name}: three evenings in one week, two of them working-group "
            "meetings (instruction 2: at most two)",
        ),
    ):
        day = y11_monday + timedelta(days=weekday)
        title = "KS4 curriculum working group"
        plan.add("wg", title, "working-group", day, [science_head.id, partner.id], note=note)
    plan.section("Department meetings")
    in_departments = plan.ids(lambda m: m.department not in (None, "cover"))
    for day in department_meetings:
        plan.add("dm", "Department meetings", "department-meeting", day, in_departments)

    plan.section("Parents' evenings, for the staff who teach each year group, and open evening")
    evening_staff: dict[str, list[str]] = {}
    for group, day in evening_days.items():
        who = [m.id for m in staff if group in m.groups]
        title = f"{group} parents' evening"
        event = plan.add("pe", title, "parents-evening", day, who, start="16:30", hours=2.5)
        evening_staff[group] = event.attendees
    day = plan.nearest(date(2025, 9, 25), THU)
    who = [*slt, *(m.id for m in leaders.values())]
    plan.add("oe", "Year 6 open evening", "open-evening", day, who, start="17:30", hours=2)

    plan.section("Written reports to parents (instruction 9: one a year)")
    for n, department in enumerate(departments):
        day = plan.nearest(date(2026, 1, 12) + timedelta(days=14 * n))
        who = plan.ids(lambda m, d=department: m.department == d)
        title = f"{department_title(department)}: annual reports to parents due"
        plan.add("rep", title, "report", day, who, pattern=False)
    plan.add(
        "rep",
        "MFL: Year 10 interim reports due",
        "report",
        plan.nearest(date(2026, 6, 8)),
        plan.ids(lambda m: m.department == "mfl"),
        pattern=False,
        note="a second written report for MFL teachers (instruction 9: one a year)",
    )

    plan.section("Lesson observations (an hour each) by a head of department or an assistant head")
    lesson_days = [d for d in plan.pupil_days if d.weekday() < FRI]
    for m in staff:
        if not m.fields["contact_hours_per_week"] or m.id in slt:
            continue
        observers = [a.id for a in assistants]
        if m.department in leaders and leaders[m.department] is not m:
            observers.append(leaders[m.department].id)
        count = 4 if m is teachers[14] else rng.choice((1, 2, 2, 3))
        days = sorted(rng.sample([d for d in lesson_days if d.weekday() in m.days], count))
        for n, day in enumerate(days):
            start, observer, note = rng.choice(("09:00", "10:00", "11:20", "13:40")), None, None
            if m is teachers[14] and n == 3:
                note = f"a fourth observation of {m.name} (instruction 6: three a year)"
            if m is teachers[20] and n == 0:
                observer = cover.id
                note = "observed by a cover supervisor without QTS (instruction 8)"
            observer = observer or rng.choice(observers)
            title = f"Lesson observation: {m.name}"
            extra = {"start": start, "note": note, "observed": m.id, "observer": observer}
            plan.add("obs", title, "observation", day, [], **extra)

    plan.section("Mock inspection, invigilation, cover and gained time")
    plan.add(
        "mock",
        "Mock Ofsted inspection (external consultant)",
        "mock-inspection",
        plan.nearest(date(2026, 2, 3), TUE),
        teaching,
        start="08:40",
        hours=6.5,
        note="a mock inspection commissioned by the trust (instruction 3)",
    )
    plan.add(
        "inv",
        "Year 11 mock exams: invigilation",
        "invigilation",
        plan.nearest(date(2025, 12, 1), MON),
        [teachers[t].id for t in (2, 11, 23, 30)],
        start="09:00",
        hours=2,
        note="teachers directed to invigilate mock exams (instruction 16; STPCD 52.8)",
    )
    plan.add(
        "cov",
        "Cover: Year 9 geography during the planned Year 8 trip",
        "cover",
        plan.nearest(date(2026, 6, 17), WED),
        [teachers[26].id],
        start="13:40",
        note="cover for a planned, foreseeable absence (instruction 14; STPCD 52.7)",
        foreseeable=True,
    )
    year_11 = [m.id for m in teachers + list(leaders.values()) if "Y11" in m.groups][:12]
    plan.add(
        "gt",
        "Gained time: corridor and canteen supervision",
        "gained-time",
        plan.nearest(date(2026, 6, 22), MON),
        year_11,
        start="11:20",
        note="a gained-time activity not on the allowed list (instruction 17)",
        activity="supervise-corridors",
    )
    plan.add(
        "gt",
        "Gained time: schemes of work for September",
        "gained-time",
        plan.nearest(date(2026, 6, 24), WED),
        year_11,
        start="09:00",
        hours=3,
        activity="developing-materials",
    )

    # What the school wants to hold, for `fairload plan`: within instruction 2's one
    # after-school meeting a week on average, an hour each, and two evenings in a week.
    # fmt: off
    wishes = Wishes(plan, ["staff-meeting", "department-meeting", "parents-evening", "report"])
    exams = [Flow(name="GCSE and A-level exams", start=date(2026, 5, 11), end=date(2026, 6, 19))]
    wishes.add(
        teaching, 8, id="staff-meetings", title="Whole-staff meeting", category="staff-meeting",
        minutes=60, count=8, weekdays=["monday", "tuesday"], earliest_start="15:20",
        not_between=exams,
    )
    wishes.add(
        in_departments, 15, id="department-meetings", title="Department meeting",
        category="department-meeting", minutes=60, count=15, every_weeks=2, for_each="department",
        weekdays=["tuesday", "wednesday"], earliest_start="15:20",
    )
    for group, day in evening_days.items():
        wishes.add(
            evening_staff[group], 2.5, id=f"{group.lower()}-parents",
            title=f"{group} parents' evening", category="parents-evening", minutes=150, count=1,
            months=[day.month], earliest_start="16:30",
        )
    wishes.add(
        plan.ids(lambda m: m.department in departments), 1, id="annual-reports",
        title="Annual reports to parents due", category="report", minutes=60, count=1,
        for_each="department", months=[1, 2, 3, 4], earliest_start="15:20",
    )
    # fmt: on

    return {
        "format": FORMAT,
        "school": {
            "id": "hollinsvale-academy",
            "name": "Hollinsvale Academy",
            "authority": "Hollinsvale Learning Trust",
            "pack": ENGLISH_PACK,
            "sector": "secondary",
            "nation": "england",
            "roll": 1010,
            "pupil_day": Flow(start="08:40", end="15:10"),
        },
        "year": year.document(),
        "staff": staff.rows(
            [
                ("Leadership team (leadership pay range)", lambda m: m.id in slt),
                ("Heads of department (TLR holders)", lambda m: m.fields.get("tlr")),
                ("Early career teachers", lambda m: m.fields.get("probationer")),
                ("Classroom teachers", lambda m: m.fte == 1 and m is not cover),
                ("Part-time teachers", lambda m: m.fte < 1),
                ("Cover supervisor (not a qualified teacher)", lambda m: m is cover),
            ]
        ),
        "events": plan.rows(),
        "policy": {
            "weekly-lesson-plans-to-slt": True,
            "mock-inspections": False,
            "ofsted-preparation-commissioned": False,
            "emails-expected-outside-directed-time": True,
            "appraisal-conforms-to-checklist": True,
            "observation-limit-accepted": True,
            "ppa-activities-directed": False,
            "admin-tasks-routinely-required": False,
            "teachers-invigilate-exams": False,
            "cover-routinely-required": False,
            "policies-not-impact-assessed": False,
            "meetings-outside-directed-time": False,
            "mock-exams-replicate-external-process": True,
            "cpd-release-policy-for-all-staff": False,
        },
        "agreement": {
            "process": {
                "calendar_published": date(2025, 7, 10),
                "calendar_agreed_with_union": False,
            }
        },
        "plan": wishes.section(),
    }


# ---------------------------------------------------------------------------

SCHOOLS: list[tuple[str, Callable[[random.Random], dict[str, Any]], str]] = [
    (
        "south-ayrshire-secondary.yaml",
        scottish_secondary,
        "A fictional South Ayrshire secondary's 2025-26 year under JNCT2.7: about 80 staff\n"
        "and a full collegiate calendar, compliant but for a few deliberate breaches.",
    ),
    (
        "south-ayrshire-primary.yaml",
        scottish_primary,
        "A fictional South Ayrshire primary (roll 322, band 301-400) for 2025-26 under\n"
        "JNCT2.7, compliant but for two deliberate findings.",
    ),
    (
        "english-secondary.yaml",
        english_secondary,
        "A fictional English academy's 2025-26 directed-time calendar, checked against the\n"
        "NUT's 2015 action short of strike on top of the STPCD, with deliberate breaches.",
    ),
]


def main(out_dir: Path | None = None) -> list[Path]:
    """Write every example school to ``out_dir`` (examples/ by default) and validate it."""
    target = out_dir or EXAMPLES
    target.mkdir(parents=True, exist_ok=True)
    written = []
    rng = random.Random(SEED)  # one stream, so no two schools share a member of staff
    for filename, build, description in SCHOOLS:
        header = [
            "Generated by scripts/make_examples.py (seed 2025): do not edit by hand.",
            "Regenerate with: make examples",
            "",
            *description.splitlines(),
            "Each deliberate breach is marked '# deliberate'; examples/README.md lists them.",
        ]
        path = target / filename
        path.write_text(render(header, build(rng)), encoding="utf-8")
        parse_school_year(load_file(path), str(path))
        written.append(path)
    return written


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Write the demo schools in examples/.")
    parser.add_argument("--out", type=Path, help="folder to write to (default: examples/)")
    for path in main(parser.parse_args().out):
        print(f"wrote {path}")
