"""A synthetic country the size of Scotland, built directly as the core's frames.

About 2,500 schools (four in five primary, one in seven secondary, the rest special)
and 54,000 teachers, each school with a full year's collegiate calendar under the
South Ayrshire pack: in-service days, briefings, staff, department and working-group
meetings, parents' evenings, reports, assessment, planning, PRD, union meetings, CPD.
The calendar is compliant by construction; a small, seeded share of schools and
teachers carry the breaches real schools have (a long meeting, an interim report,
an over-timetabled probationer, a depute short of management time, a missing vote).

Schools and staff are drawn with ``random.Random(seed)`` (a few values each); the
calendar is a per-sector template joined to every school, and attendance (millions
of rows) comes from joins of events to staff, never a Python loop over rows.
Part-timers attend in-service days on the weekdays they work and a pro-rata share of
other whole-school events (chosen by a seeded hash), so they stay within their share.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import polars as pl

from fairload.core.calendar import school_period
from fairload.core.packs import Pack
from fairload.core.school_year import Closure, DateRange, Nation, Term, YearCalendar
from fairload.core.tables import SCHEMAS, AttendanceKeys, Tables, integer_keys

PACK_ID = "scotland/south-ayrshire-jnct-2.7"
SEED = 2025
SCHOOLS = 2500
PRIMARY_SHARE, SECONDARY_SHARE = 0.80, 0.144  # the rest are special schools
DEPARTMENTS = 12  # secondary departments; primaries have three stages
YEAR_GROUPS = 6
PART_TIME_FTES = (0.4, 0.6, 0.8)  # two, three or four days a week
PART_TIME_SHARE = 0.5  # x FTE: the share of whole-school events a part-timer attends

#: Seeded rates of the breaches real schools have.
RATES = {
    "long_meeting": 0.03,  # a 2.5-hour staff meeting (7.3)
    "long_parents_evening": 0.02,  # 3 hours of appointments (6.2)
    "interim_report": 0.02,  # a second report round for one department (5.3)
    "no_vote": 0.01,  # the agreement was never put to the vote (16.4, 16.5)
    "time_tracking": 0.005,  # weekly time sheets (2.4)
    "changed_allocation": 0.01,  # planning raised to 30 hours, balance of time cut (2.2)
    "short_management": 0.03,  # a primary's promoted staff short of the band's time (8.10)
    "short_depute": 0.03,  # a secondary depute two periods short (8.8)
    "over_contact": 0.003,  # a teacher timetabled for 23.5 hours (3.1)
    "over_probationer": 0.10,  # a probationer at 19.5 hours (3.2)
}


@dataclass(frozen=True)
class Figures:
    """The agreement's figures the synthetic timetables are built to, from the pack."""

    contact_max_hours: float
    probationer_max_hours: float
    probationer_hours: float
    periods_per_week: int
    period_minutes: int
    contact_periods_max: int
    guidance_periods: int

    @classmethod
    def of(cls, pack: Pack, at: date) -> Figures:
        def number(name: str) -> float:
            return pack.parameters.number(name, at)

        (guidance,) = pack.parameters.resolve("management_time_guidance", at).value
        return cls(
            contact_max_hours=number("class_contact_max_hours_per_week"),
            probationer_max_hours=number("probationer_contact_max_hours_per_week"),
            probationer_hours=number("probationer_contact_recommended_hours_per_week"),
            periods_per_week=int(number("periods_per_week")),
            period_minutes=int(number("period_minutes")),
            contact_periods_max=int(number("contact_periods_max_per_week")),
            guidance_periods=guidance["periods"],
        )


@dataclass(frozen=True)
class Year:
    """The council's 2025-26 session, shared by every school."""

    calendar: YearCalendar
    working_days: tuple[date, ...]
    pupil_weeks: tuple[tuple[date, ...], ...]  # pupil days by week, Monday to Friday


def council_year() -> Year:
    d = date
    calendar = YearCalendar(
        label="2025-26",
        dates=DateRange(d(2025, 8, 13), d(2026, 6, 26)),
        terms=(
            Term("Autumn", DateRange(d(2025, 8, 13), d(2025, 12, 19))),
            Term("Spring", DateRange(d(2026, 1, 6), d(2026, 4, 2))),
            Term("Summer", DateRange(d(2026, 4, 20), d(2026, 6, 26))),
        ),
        # One in-service day on each weekday, so a part-timer's share is exact.
        inservice_days=(
            d(2025, 8, 13),
            d(2025, 8, 14),
            d(2025, 11, 14),
            d(2026, 2, 16),
            d(2026, 5, 5),
        ),
        closures=(
            Closure("September weekend", DateRange(d(2025, 9, 26), d(2025, 9, 29))),
            Closure("October break", DateRange(d(2025, 10, 13), d(2025, 10, 17))),
            Closure("Christmas", DateRange(d(2025, 12, 20), d(2026, 1, 5))),
            Closure("February break", DateRange(d(2026, 2, 12), d(2026, 2, 13))),
            Closure("Easter", DateRange(d(2026, 4, 3), d(2026, 4, 17))),
        ),
        open_on_bank_holidays=(d(2025, 12, 1), d(2026, 6, 15)),
    )
    period = school_period(calendar, Nation.SCOTLAND)
    weeks: dict[date, list[date]] = {}
    for day in period.working_days:
        if day not in calendar.inservice_days:
            weeks.setdefault(day - timedelta(days=day.weekday()), []).append(day)
    return Year(calendar, period.working_days, tuple(tuple(w) for w in weeks.values()))


# ---------------------------------------------------------------------------
# The calendar template: one row per event a school of the sector holds.
# group: all | teaching (not the head or deputes) | wg (a working group) | yg (a
# year group's teachers) | dept (a department); arg picks which.


def _template(year: Year, sector: str) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    weeks = len(year.pupil_weeks)

    def add(
        key: str,
        title: str,
        category: str,
        week: int | None,
        weekday: int,
        start: str,
        hours: float,
        group: str = "all",
        arg: int = 0,
        day: date | None = None,
    ) -> None:
        h, m = map(int, start.split(":"))
        rows.append(
            {
                "sector": sector,
                "key": key,
                "title": title,
                "category": category,
                "week": week,
                "weekday": weekday,
                "fixed_date": day,
                "start_min": h * 60 + m,
                "hours": hours,
                "group": group,
                "arg": arg,
            }
        )

    after = "15:40" if sector != "primary" else "15:30"
    for n, day in enumerate(year.calendar.inservice_days):
        add(f"ins{n}", "In-service day", "in-service", None, 0, "09:00", 6.0, day=day)
    add(
        "tu0",
        "Trade union meeting",
        "union-meeting",
        None,
        0,
        "15:00",
        1.0,
        day=year.calendar.inservice_days[2],
    )
    for w in range(1, min(weeks, 37)):
        add(f"brf{w}", "Staff briefing", "briefing", w, 0, "08:30", 0.25)
    for n, w in enumerate(range(1, weeks - 2, 2)):
        if n < 16:
            add(f"sm{n}", "Staff meeting", "staff-meeting", w, 1, after, 1.0)
    for n in range(8):
        title = "Department meetings" if sector != "primary" else "Stage meetings"
        add(f"dm{n}", title, "department-meeting", 2 + 4 * n, 2, after, 1.0, "teaching")
    for g in range(3):
        for n in range(4):
            add(
                f"wg{g}.{n}",
                f"Working group {g + 1}",
                "working-group",
                3 + g + 8 * n,
                3,
                after,
                1.25,
                "wg",
                g,
            )
    if sector == "secondary":
        for g in range(YEAR_GROUPS):
            add(
                f"pe{g}",
                f"S{g + 1} parents' evening",
                "parents-evening",
                6 + 5 * g,
                3,
                "16:00",
                2.5,
                "yg",
                g,
            )
        for d in range(DEPARTMENTS):
            add(
                f"rep{d}",
                "Full reports to parents due",
                "report",
                10 + 2 * d,
                0,
                after,
                2.0,
                "dept",
                d,
            )
    else:
        for n, w in enumerate((9, 28)):
            add(f"pe{n}", "Parent consultations", "parents-evening", w, 2, "15:30", 2.5, "teaching")
        add("rep0", "Written reports to parents due", "report", 35, 4, after, 2.0, "teaching")
    add("oe0", "Information evening", "open-evening", 20, 1, "18:00", 1.5, "teaching")
    for n, w in enumerate((7, 19, 33)):
        add(f"tr{n}", "Tracking and monitoring", "assessment", w, 2, after, 1.0, "teaching")
    for n, w in enumerate((13, 27)):
        add(f"mod{n}", "Moderation", "moderation", w, 2, after, 1.5, "teaching")
    for n, w in enumerate((2, 14, 26, 36)):
        add(f"pl{n}", "Planning", "planning", min(w, weeks - 1), 3, after, 1.5)
    for n, w in enumerate((5, 12, 22, 30)):
        add(f"cpd{n}", "CLPL twilight", "cpd", w, 0, after, 1.5)
    return rows


# ---------------------------------------------------------------------------


def _management_table(pack: Pack, at: date) -> pl.DataFrame:
    rows = [
        {"post": r["post"], "job_size": r.get("job_size"), "periods": r["periods"]}
        for name in ("management_time_secondary", "management_time_guidance")
        for r in pack.parameters.resolve(name, at).value
    ]
    return pl.DataFrame(rows, schema={"post": pl.String, "job_size": pl.Int64, "periods": pl.Int64})


def _primary_bands(pack: Pack, at: date) -> list[dict[str, Any]]:
    return list(pack.parameters.resolve("primary_roll_bands", at).value)


def _schools(rng: random.Random, count: int, bands: list[dict[str, Any]]) -> pl.DataFrame:
    primaries = round(count * PRIMARY_SHARE)
    secondaries = round(count * SECONDARY_SHARE)
    rows = []
    for n in range(count):
        sector = (
            "primary"
            if n < primaries
            else "secondary"
            if n < primaries + secondaries
            else "special"
        )
        if sector == "primary":
            staff = rng.randint(5, 24)
            roll = max(20, min(700, staff * 22 + rng.randint(-20, 20)))
            band = next(b for b in bands if b["roll_from"] <= roll <= b["roll_to"])
            deputes, pts = band["dht"], math.ceil(band["pt"])
            management = band["management_fte"]
        elif sector == "secondary":
            staff = int(rng.triangular(40, 120, 45))
            roll = staff * 15
            deputes, pts, management = min(4, max(2, staff // 30)), max(4, staff // 6), 0.0
        else:
            staff = rng.randint(6, 20)
            roll = staff * 5
            deputes, pts, management = 1, 2, 0.0
        flags = {
            k: rng.random() < v
            for k, v in RATES.items()
            if k not in ("over_contact", "over_probationer")
        }
        rows.append(
            {
                "school_id": f"s{n:04d}",
                "sector": sector,
                "n_staff": staff,
                "roll": roll,
                "deputes": deputes,
                "pts": pts,
                "ptgs": (2 if staff >= 60 else 1) if sector == "secondary" else 0,
                "management_fte": management,
                "shift": rng.randrange(4),
                "others": rng.randint(10, 40),
                **flags,
            }
        )
    return pl.DataFrame(rows)


def _block(rng: random.Random, days: int) -> int:
    return ((1 << days) - 1) << rng.randrange(6 - days)


def _bit(mask: str, bit: pl.Expr) -> pl.Expr:
    """Whether ``bit`` is set in the integer column ``mask``."""
    return (pl.col(mask) // pl.lit(2).pow(bit)) % 2 == 1


def _staff(
    rng: random.Random, schools: pl.DataFrame, table: pl.DataFrame, figures: Figures
) -> pl.DataFrame:
    staff = (
        schools.select(
            "school_id",
            "sector",
            "n_staff",
            "deputes",
            "pts",
            "ptgs",
            "management_fte",
            "short_management",
            "short_depute",
        )
        .with_columns(idx=pl.int_ranges(0, "n_staff"))
        .explode("idx")
    )
    n = staff.height
    # A few random values per teacher, drawn in Python (tens of thousands, not millions).
    draws = {
        "job_size": [rng.randint(1, 8) for _ in range(n)],
        "probationer_draw": [rng.random() for _ in range(n)],
        "part_time_draw": [rng.random() for _ in range(n)],
        "fte_pick": (ftes := [rng.choice(PART_TIME_FTES) for _ in range(n)]),
        # The weekdays a part-timer works, as a bit mask: FTE x 5 days in a block.
        "part_time_days": [_block(rng, round(fte * 5)) for fte in ftes],
        "first_day": [rng.randrange(4) for _ in range(n)],
        "wg": [rng.randrange(3) if rng.random() < 0.25 else None for _ in range(n)],
        "yg_mask": [
            sum(1 << g for g in rng.sample(range(YEAR_GROUPS), rng.randint(3, 6))) for _ in range(n)
        ],
        "over_contact": [rng.random() < RATES["over_contact"] for _ in range(n)],
        "over_probationer": [rng.random() < RATES["over_probationer"] for _ in range(n)],
    }
    staff = staff.with_columns(pl.Series(k, v, strict=False) for k, v in draws.items())
    idx, dht, pts, ptg = pl.col("idx"), pl.col("deputes"), pl.col("pts"), pl.col("ptgs")
    post = (
        pl.when(idx == 0)
        .then(pl.lit("head-teacher"))
        .when(idx <= dht)
        .then(pl.lit("depute-head"))
        .when(idx <= dht + pts)
        .then(pl.lit("principal-teacher"))
        .when(idx <= dht + pts + ptg)
        .then(pl.lit("principal-teacher-guidance"))
        .otherwise(pl.lit("teacher"))
    )
    staff = staff.with_columns(post=post)
    main_grade = pl.col("post") == "teacher"
    primary = pl.col("sector") == "primary"
    staff = staff.with_columns(
        probationer=main_grade & (pl.col("probationer_draw") < 0.05),
        fte=pl.when(
            main_grade & (pl.col("probationer_draw") >= 0.05) & (pl.col("part_time_draw") < 0.06)
        )
        .then(pl.col("fte_pick"))
        .otherwise(1.0),
        job_size=pl.when(pl.col("post") == "depute-head")
        .then(pl.col("job_size").clip(3, 8))
        .when(pl.col("post") == "principal-teacher")
        .then(pl.col("job_size"))
        .otherwise(None),
        department=pl.when(primary).then(idx % 3).otherwise(idx % DEPARTMENTS),
    ).with_columns(
        # Weekdays worked, as a bit mask: part-timers work FTE x 5 days in a block.
        days_mask=pl.when(pl.col("fte") < 1).then(pl.col("part_time_days")).otherwise(31),
    )
    # Secondary and special: periods. Management by job size from the pack's table.
    staff = staff.join(table, on=["post", "job_size"], how="left")
    staff = staff.with_columns(
        periods=pl.when(pl.col("post") == "principal-teacher-guidance")
        .then(figures.guidance_periods + idx % 2)
        .otherwise(pl.col("periods"))
    )
    promoted_primary = primary & pl.col("post").is_in(["depute-head", "principal-teacher"])
    week = figures.contact_max_hours  # a primary's management time is FTE x 22.5 hours
    share = pl.col("management_fte") * week / (dht + pts).cast(pl.Float64)
    staff = staff.with_columns(
        mgmt_periods=pl.when(primary)
        .then(None)
        .when(pl.col("post") == "head-teacher")
        .then(figures.contact_periods_max)
        .otherwise(pl.col("periods")),
        mgmt_hours_primary=pl.when(~promoted_primary)
        .then(None)
        .when(pl.col("short_management"))
        .then(share * 0.5)
        .otherwise(share),
    )
    staff = staff.with_columns(
        contact_periods=pl.when(primary | pl.col("probationer") | (pl.col("fte") < 1))
        .then(None)
        .otherwise(figures.contact_periods_max - pl.col("mgmt_periods").fill_null(0))
    ).with_columns(
        contact_periods=pl.when(
            pl.col("short_depute") & (pl.col("post") == "depute-head") & (idx == 1)
        )
        .then(pl.col("contact_periods") + 2)
        .otherwise(pl.col("contact_periods"))
    )
    period_hours = figures.period_minutes / 60
    contact_hours = (
        pl.when(pl.col("probationer") & pl.col("over_probationer"))
        .then(figures.probationer_max_hours + 1)
        .when(pl.col("probationer"))
        .then(figures.probationer_hours)
        .when(pl.col("fte") < 1)
        .then(week * pl.col("fte"))
        .when(pl.col("over_contact") & main_grade)
        .then(week + 1)
        .when(primary & (pl.col("post") == "head-teacher"))
        .then(0.0)
        .when(primary)
        .then(week - pl.col("mgmt_hours_primary").fill_null(0.0))
        .otherwise(pl.col("contact_periods") * period_hours)
    )
    management_hours = (
        pl.when(primary & (pl.col("post") == "head-teacher"))
        .then(week)
        .when(primary)
        .then(pl.col("mgmt_hours_primary"))
        .otherwise(pl.col("mgmt_periods") * period_hours)
    )
    return staff.with_columns(
        staff_id=pl.format("t{}", idx),
        name=pl.format("Teacher {} of {}", idx, pl.col("school_id")),
        contact_hours_per_week=contact_hours,
        management_hours_per_week=management_hours,
        management_periods_per_week=pl.col("mgmt_periods"),
        non_contact_periods_per_week=figures.periods_per_week - pl.col("contact_periods"),
        qts=pl.lit(True),
        tlr=pl.lit(False),
        leadership_pay=pl.lit(False),
        management_responsibilities=pl.lit(False),
    )


def _week_days(year: Year) -> pl.DataFrame:
    """For each pupil week and weekday, the pupil day an event set for it falls on:
    that day, else the next pupil day in the week (else the last one)."""
    rows = []
    for w, days in enumerate(year.pupil_weeks):
        for weekday in range(5):
            later = [d for d in days if d.weekday() >= weekday]
            rows.append({"week": w, "weekday": weekday, "date": (later or [days[-1]])[0]})
    return pl.DataFrame(rows)


def _events(year: Year, schools: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    template = pl.DataFrame(
        [row for sector in ("primary", "secondary", "special") for row in _template(year, sector)]
    )
    events = schools.select("school_id", "sector", "shift").join(template, on="sector")
    # Each school keeps its own meeting day: the template's weekday shifted, Monday-Thursday.
    events = events.with_columns(
        weekday=pl.when(pl.col("fixed_date").is_null())
        .then((pl.col("weekday") + pl.col("shift")) % 4)
        .otherwise(pl.col("weekday")),
        event_id=pl.col("key"),
    )
    # Other short whole-school items (safeguarding updates, fire drills, ...).
    n_weeks = len(year.pupil_weeks)
    others = (
        schools.select("school_id", "sector", "shift", "others")
        .with_columns(n=pl.int_ranges(0, "others"))
        .explode("n")
        .with_columns(
            event_id=pl.format("oth{}", pl.col("n")),
            title=pl.lit("Whole-school update"),
            category=pl.lit("other"),
            week=(pl.col("n") * 7 + pl.col("shift")) % (n_weeks - 1) + 1,
            weekday=pl.col("n") % 5,
            fixed_date=pl.lit(None, dtype=pl.Date),
            start_min=pl.lit(8 * 60 + 30),
            hours=pl.lit(0.25),
            group=pl.lit("all"),
            arg=pl.lit(0),
        )
    )
    reviews = staff.select(
        "school_id",
        "sector",
        event_id=pl.format("prd{}", pl.col("idx")),
        title=pl.lit("Professional review and development"),
        category=pl.lit("review"),
        week=pl.col("idx") % 12 + 25,
        weekday=pl.col("first_day"),
        fixed_date=pl.lit(None, dtype=pl.Date),
        start_min=pl.lit(15 * 60 + 40),
        hours=pl.lit(1.0),
        group=pl.lit("person"),
        arg=pl.col("idx"),
    )
    columns = [
        "school_id",
        "sector",
        "event_id",
        "title",
        "category",
        "week",
        "weekday",
        "fixed_date",
        "start_min",
        "hours",
        "group",
        "arg",
    ]
    events = pl.concat(
        [events.select(columns), others.select(columns), reviews.select(columns)],
        how="vertical_relaxed",
    )
    events = _inject_event_breaches(events, schools, n_weeks)
    days = _week_days(year)
    events = events.join(days, on=["week", "weekday"], how="left").with_columns(
        date=pl.coalesce("fixed_date", "date")
    )
    assert events["date"].null_count() == 0, "every event falls on a pupil day"
    start = year.calendar.dates.start
    monday = start - timedelta(days=start.weekday())
    term = pl.lit(None, dtype=pl.String)
    for t in reversed(year.calendar.terms):
        term = (
            pl.when(pl.col("date").is_between(t.dates.start, t.dates.end))
            .then(pl.lit(t.name))
            .otherwise(term)
        )
    day_end = pl.when(pl.col("sector") == "primary").then(15 * 60 + 15).otherwise(15 * 60 + 30)
    return events.with_columns(
        week=(pl.col("date") - monday).dt.total_days() // 7 + 1,
        weekday=pl.col("date").dt.weekday() - 1,
        term=term,
        after_school=pl.col("start_min") >= day_end,
        evening=pl.col("start_min") + pl.col("hours") * 60 > day_end,
    )


def _inject_event_breaches(
    events: pl.DataFrame, schools: pl.DataFrame, n_weeks: int
) -> pl.DataFrame:
    flags = schools.select("school_id", "long_meeting", "long_parents_evening", "interim_report")
    events = events.join(flags, on="school_id").with_columns(
        hours=pl.when(pl.col("long_meeting") & (pl.col("event_id") == "sm3"))
        .then(2.5)
        .when(pl.col("long_parents_evening") & (pl.col("event_id") == "pe1"))
        .then(3.0)
        .otherwise(pl.col("hours"))
    )
    interim = events.filter(
        pl.col("interim_report") & pl.col("event_id").is_in(["rep0", "rep3"])
    ).with_columns(
        event_id=pl.col("event_id") + "i",
        title=pl.lit("Interim reports due"),
        # A term away from the full reports, wrapping round to the autumn.
        week=(pl.col("week") + 12) % (n_weeks - 1) + 1,
    )
    return pl.concat([events, interim]).drop(
        "long_meeting", "long_parents_evening", "interim_report"
    )


def _attendance(events: pl.DataFrame, staff: pl.DataFrame) -> pl.DataFrame:
    """Who attends what: events joined to staff by group, millions of rows, no loops.

    Lazy, so Polars keeps only the columns each join needs and filters as it goes."""
    people = (
        staff.lazy()
        .with_row_index("_staff")
        .select(
            "school_id",
            "staff_id",
            "_staff",
            "idx",
            "post",
            "department",
            "wg",
            "yg_mask",
            "fte",
            "days_mask",
        )
    )
    teachers = people.filter(~pl.col("post").is_in(["head-teacher", "depute-head"]))
    e = (
        events.lazy()
        .with_row_index("_event")
        .select("school_id", "event_id", "_event", "category", "weekday", "group", "arg")
    )

    def group(name: str) -> pl.LazyFrame:
        return e.filter(pl.col("group") == name)

    parts = [
        group("all").join(people, on="school_id"),
        group("teaching").join(teachers, on="school_id"),
        group("wg").join(people, left_on=["school_id", "arg"], right_on=["school_id", "wg"]),
        group("dept").join(
            teachers, left_on=["school_id", "arg"], right_on=["school_id", "department"]
        ),
        group("person").join(people, left_on=["school_id", "arg"], right_on=["school_id", "idx"]),
        group("yg").join(teachers, on="school_id").filter(_bit("yg_mask", pl.col("arg"))),
    ]
    # Part-timers: in-service days on the weekdays they work (one in-service day falls on
    # each weekday, so that is exactly their share), their own review, and a seeded
    # share of everything else, below their FTE.
    in_service = pl.col("category") == "in-service"
    works_that_day = _bit("days_mask", pl.col("weekday"))
    draw = pl.concat_str("school_id", "event_id", "staff_id").hash(seed=SEED) % 1000
    keep = (
        (pl.col("fte") >= 1)
        | (pl.col("group") == "person")
        | (in_service & works_that_day)
        | (~in_service & (draw < pl.col("fte") * PART_TIME_SHARE * 1000))
    )
    # Each row's event and person as their rows of events and staff: the integer keys
    # (AttendanceKeys) a database export would carry as its foreign keys.
    columns = ["school_id", "event_id", "staff_id", "_event", "_staff"]
    return (
        pl.concat([p.filter(keep).select(columns) for p in parts])
        .with_columns(role=pl.lit("attendee"))
        .collect()
    )


def _policy(schools: pl.DataFrame) -> pl.DataFrame:
    answers = [
        schools.select(
            "school_id",
            question=pl.lit("daily-or-weekly-time-tracking"),
            answer=pl.when(pl.col("time_tracking")).then(pl.lit("true")).otherwise(pl.lit("false")),
        ),
        schools.select(
            "school_id",
            question=pl.lit("work-outwith-premises-protocol-agreed"),
            answer=pl.lit("true"),
        ),
    ]
    return pl.concat(answers)


def _allocations(pack: Pack, at: date, schools: pl.DataFrame) -> pl.DataFrame:
    """Appendix 1's hours for every heading; a few schools moved five hours to planning."""
    from fairload.core.expressions import evaluate

    assert pack.budget is not None
    defaults = pl.DataFrame(
        [
            {"heading": line.id, "default": evaluate(line.hours, pack.parameters, at)[0]}
            for line in pack.budget.lines
            if line.hours is not None
            and line.teacher in ("allocation", "remainder")
            and line.school
        ]
    )
    changed = pl.col("changed_allocation")
    return (
        schools.select("school_id", "changed_allocation")
        .join(defaults, how="cross")
        .with_columns(
            hours=pl.when(changed & (pl.col("heading") == "planning"))
            .then(pl.col("default") + 5)
            .when(changed & (pl.col("heading") == "balance-of-time"))
            .then(pl.col("default") - 5)
            .otherwise(pl.col("default"))
        )
        .select("school_id", "heading", "hours")
    )


def _process(year: Year, schools: pl.DataFrame) -> pl.DataFrame:
    voted = ~pl.col("no_vote")
    d = date
    return schools.select(
        "school_id",
        year_start=pl.lit(year.calendar.dates.start),
        committee_formed=pl.lit(d(2025, 4, 22)),
        draft_prepared=pl.lit(d(2025, 5, 9)),
        consultation_opened=pl.lit(d(2025, 5, 12)),
        consultation_closed=pl.lit(d(2025, 5, 23)),
        comments_considered=pl.lit(True),
        vote_held_on=pl.when(voted).then(pl.lit(d(2025, 5, 29))),
        vote_eligible=pl.when(voted).then(pl.col("n_staff")),
        vote_in_favour=pl.when(voted).then(pl.col("n_staff") * 3 // 4),
        vote_against=pl.when(voted).then(pl.col("n_staff") // 8),
        signed_roles=pl.when(voted)
        .then(pl.lit(["head-teacher", "union-rep"], dtype=pl.List(pl.String)))
        .otherwise(pl.lit([], dtype=pl.List(pl.String))),
        submitted=pl.when(voted).then(pl.lit(d(2025, 6, 6))),
        calendar_published=pl.lit(None, dtype=pl.Date),
        calendar_agreed_with_union=pl.lit(None, dtype=pl.Boolean),
    )


def _conform(name: str, frame: pl.DataFrame) -> pl.DataFrame:
    """The frame with exactly the standard columns and types, missing ones as nulls."""
    schema = SCHEMAS[name]
    return frame.select(
        [
            (pl.col(c) if c in frame.columns else pl.lit(None)).cast(t).alias(c)
            for c, t in schema.items()
        ]
    )


def build_country(pack: Pack, schools: int = SCHOOLS, seed: int = SEED) -> Tables:
    """Every frame of a synthetic country of ``schools`` schools, checked under ``pack``."""
    rng = random.Random(seed)
    year = council_year()
    at = year.calendar.dates.start
    school_rows = _schools(rng, schools, _primary_bands(pack, at))
    figures = Figures.of(pack, at)
    staff = _staff(rng, school_rows, _management_table(pack, at), figures)
    events = _events(year, school_rows, staff)
    attendance = _attendance(events, staff)
    period = school_period(year.calendar, Nation.SCOTLAND)
    schools_frame = school_rows.select(
        "school_id",
        "sector",
        "roll",
        name=pl.format("School {}", pl.col("school_id")),
        pack=pl.lit(PACK_ID),
        period_minutes=pl.when(pl.col("sector") != "primary").then(figures.period_minutes),
        periods_per_week=pl.when(pl.col("sector") != "primary").then(figures.periods_per_week),
        working_days=pl.lit(period.working_day_count),
        pupil_days=pl.lit(period.pupil_day_count),
        inservice_days=pl.lit(len(year.calendar.inservice_days)),
        working_weeks=pl.lit(period.working_weeks),
    )
    schools_table, staff_table = _conform("schools", schools_frame), _conform("staff", staff)
    allocations = _conform("allocations", _allocations(pack, at, school_rows))
    events_table = _conform("events", events.with_columns(during_ppa=pl.lit(False)))
    attendance_table = _conform("attendance", attendance)
    return Tables(
        schools=schools_table,
        staff=staff_table,
        events=events_table,
        attendance=attendance_table,
        policy=_conform("policy", _policy(school_rows)),
        allocations=allocations,
        process=_conform("process", _process(year, school_rows)),
        years={},
        # The integer keys, as every builder of Tables makes them (part of the build).
        keys=integer_keys(schools_table, staff_table, allocations),
        attendance_keys=AttendanceKeys(
            events_table,
            staff_table,
            attendance_table,
            attendance["_event"].cast(pl.UInt32),
            attendance["_staff"].cast(pl.UInt32),
        ),
    )
