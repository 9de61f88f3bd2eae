"""Columnar inputs: the frames every rule template evaluates over.

Every frame carries ``school_id``, so the same template code checks one school
interactively or every school in a country in one pass. ``tables_from_years``
turns school-year objects into frames; a benchmark or a database shell may build
frames directly with the same columns (see ``SCHEMAS``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from typing import Any, Final, Literal

import polars as pl

from fairload.core.calendar import SchoolPeriod, school_period
from fairload.core.school_year import SchoolYear

SCHEMAS: dict[str, dict[str, Any]] = {
    "schools": {
        "school_id": pl.String,
        "name": pl.String,
        "pack": pl.String,
        "sector": pl.String,
        "roll": pl.Int64,
        "previous_roll": pl.Int64,
        "period_minutes": pl.Int64,
        "periods_per_week": pl.Int64,
        "working_days": pl.Int64,
        "pupil_days": pl.Int64,
        "inservice_days": pl.Int64,
        "working_weeks": pl.Float64,
    },
    "staff": {
        "school_id": pl.String,
        "staff_id": pl.String,
        "name": pl.String,
        "sector": pl.String,
        "post": pl.String,
        "job_size": pl.Int64,
        "fte": pl.Float64,
        "probationer": pl.Boolean,
        "qts": pl.Boolean,
        "contact_hours_per_week": pl.Float64,
        "personal_hours_per_week": pl.Float64,
        "contact_hours_by_cycle_week": pl.List(pl.Float64),
        "management_hours_per_week": pl.Float64,
        "management_periods_per_week": pl.Int64,
        "non_contact_periods_per_week": pl.Float64,
        "ppa_hours_per_week": pl.Float64,
        "timetabled_hours_per_week": pl.Float64,
        "leadership_hours_per_week": pl.Float64,
        "teaching_share": pl.Float64,
        "tlr": pl.Boolean,
        "leadership_pay": pl.Boolean,
        "management_responsibilities": pl.Boolean,
    },
    "events": {
        "school_id": pl.String,
        "event_id": pl.String,
        "title": pl.String,
        "category": pl.String,
        "date": pl.Date,
        "week": pl.Int64,
        "term": pl.String,
        "hours": pl.Float64,
        "after_school": pl.Boolean,
        "evening": pl.Boolean,
        "minutes_after_pupil_day": pl.Int64,
        "inservice_day": pl.Boolean,
        "observer": pl.String,
        "observed": pl.String,
        "activity": pl.String,
        "foreseeable": pl.Boolean,
        "during_ppa": pl.Boolean,
    },
    "attendance": {
        "school_id": pl.String,
        "event_id": pl.String,
        "staff_id": pl.String,
        "role": pl.String,
    },
    "policy": {"school_id": pl.String, "question": pl.String, "answer": pl.String},
    "allocations": {"school_id": pl.String, "heading": pl.String, "hours": pl.Float64},
    "proformas": {
        "school_id": pl.String,
        "staff_id": pl.String,
        "activity": pl.String,
        "hours": pl.Float64,
        "signed_roles": pl.List(pl.String),
    },
    "groups": {
        "school_id": pl.String,
        "group_id": pl.String,
        "title": pl.String,
        "hours": pl.Float64,
        "members": pl.List(pl.String),
    },
    "committee": {
        "school_id": pl.String,
        "staff_id": pl.String,
        "role": pl.String,
        "union": pl.String,
        "since": pl.Date,
        "until": pl.Date,
        "accredited_unions": pl.List(pl.String),
    },
    "process": {
        "school_id": pl.String,
        "year_start": pl.Date,
        "previous_summer_term_start": pl.Date,
        "previous_summer_term_end": pl.Date,
        "committee_formed": pl.Date,
        "draft_prepared": pl.Date,
        "consultation_opened": pl.Date,
        "consultation_closed": pl.Date,
        "comments_considered": pl.Boolean,
        "vote_held_on": pl.Date,
        "vote_eligible": pl.Int64,
        "vote_in_favour": pl.Int64,
        "vote_against": pl.Int64,
        "signed_roles": pl.List(pl.String),
        "signed_first": pl.Date,
        "signed_last": pl.Date,
        "submitted": pl.Date,
        "calendar_published": pl.Date,
        "calendar_agreed_with_union": pl.Boolean,
        # The planned flexible approach (SNCT 14/43, JNCT2.7 3.3), where one is recorded.
        "flexible_cycle_weeks": pl.Int64,
        "flexible_max_hours_in_any_week": pl.Float64,
        "flexible_submitted": pl.Date,
        "flexible_confirmed": pl.Date,
    },
}

#: Below this many attendance rows the events are paired by one join on their texts.
_SMALL = 50_000

#: The engine every lazy plan of the core is collected with. Polars' default ("auto")
#: chose its streaming engine for these plans, which took several times as long, for a
#: country's wide budget frame and for a school's small plans alike; eager steps run
#: in memory already.
ENGINE: Final = "in-memory"
#: ... except a plan over a country's attendance (millions of rows), which the streaming
#: engine runs in batches: in memory, its intermediate frames took the peak past 4 GB.
LARGE_ENGINE: Final = "streaming"


def filtered(frame: pl.DataFrame, where: pl.Expr) -> pl.DataFrame:
    """``frame.filter(where)`` as one plain query: an eager filter also runs Polars' query
    optimisations, which for one filter over a frame in memory only cost time."""
    return frame.lazy().filter(where).collect(engine=ENGINE, optimizations=PLAIN)


#: No query optimisations: for a plan over one school's few rows they cost more than they save.
PLAIN: Final = pl.QueryOptFlags.none()


def engine_for(rows: int) -> Literal["in-memory", "streaming"]:
    """The engine for a plan over this many rows of the largest frame it reads."""
    return ENGINE if rows < _SMALL else LARGE_ENGINE


@dataclass(frozen=True, slots=True)
class Keys:
    """Integer keys of the frames, made as the frames are built (``tables_from_years``,
    :func:`integer_keys`): each staff row's school as its row of ``schools``, and each
    allocation's place in a table of the schools' hours a heading (``headings``, a
    block of ``schools.height`` places each, in school order). The budget then hands a
    teacher their school's figures by a gather, with no text key compared: for a
    country that comparison was most of its time (issue 8).

    They describe the very frames they hold (compared by identity): a Tables whose
    frames are others (``dataclasses.replace(tables, staff=...)``) has no keys for
    them, see :meth:`Tables.integer_keys`.
    """

    schools: pl.DataFrame
    staff: pl.DataFrame
    allocations: pl.DataFrame
    #: each staff row's school: its row in ``schools`` (UInt32, no nulls)
    staff_school: pl.Series
    #: the allocations' distinct headings, in order of first appearance
    headings: tuple[str, ...]
    #: each allocation row's place: its heading's place in ``headings`` x the number of
    #: schools + its school's row in ``schools`` (UInt32, no nulls)
    allocation_place: pl.Series

    def describe(
        self, schools: pl.DataFrame, staff: pl.DataFrame, allocations: pl.DataFrame
    ) -> bool:
        """Whether these are the keys of exactly these frames."""
        return (
            self.schools is schools
            and self.staff is staff
            and self.allocations is allocations
            and self.staff_school.len() == staff.height
            and self.allocation_place.len() == allocations.height
        )


def _keys(
    schools: pl.DataFrame,
    staff: pl.DataFrame,
    allocations: pl.DataFrame,
    staff_school: pl.Series,
    allocation_school: pl.Series,
    headings: tuple[str, ...],
    allocation_heading: pl.Series,
) -> Keys:
    count = schools.height
    if (len(headings) + 1) * max(count, 1) >= 2**32:
        raise ValueError("too many schools and headings for 32-bit places")
    place = allocation_heading.cast(pl.UInt32) * count + allocation_school.cast(pl.UInt32)
    return Keys(
        schools, staff, allocations, staff_school.cast(pl.UInt32), headings, place.cast(pl.UInt32)
    )


def integer_keys(
    schools: pl.DataFrame, staff: pl.DataFrame, allocations: pl.DataFrame
) -> Keys | None:
    """The frames' :class:`Keys`, worked out from their text keys; None where a school
    id appears twice in ``schools`` (or is missing), a staff or allocation row names a
    school that is not there, or an allocation has no heading (the budget then matches
    the text keys itself)."""
    ids = schools.get_column("school_id")
    heading = allocations.get_column("heading")
    if ids.null_count() or heading.null_count() or ids.n_unique() != ids.len():
        return None
    rows = pl.DataFrame({"school_id": ids}).with_row_index("_row")

    def school_rows(frame: pl.DataFrame) -> pl.Series:
        return frame.select("school_id").join(
            rows, on="school_id", how="left", maintain_order="left"
        )["_row"]

    staff_school, allocation_school = school_rows(staff), school_rows(allocations)
    if staff_school.null_count() or allocation_school.null_count():
        return None
    headings = heading.unique(maintain_order=True)
    places = pl.DataFrame({"heading": headings}).with_row_index("_place")
    allocation_heading = allocations.select("heading").join(
        places, on="heading", how="left", maintain_order="left"
    )["_place"]
    return _keys(
        schools,
        staff,
        allocations,
        staff_school,
        allocation_school,
        tuple(headings.to_list()),
        allocation_heading,
    )


@dataclass(frozen=True, slots=True)
class AttendanceKeys:
    """Integer keys of the attendance, made as the frames are built (by
    :func:`tables_from_years` as it makes the rows; the synthetic country carries them
    through its joins; :func:`attendance_keys` works them out from the text keys):
    each attendance row's event as its row of ``events``, and its person as their row
    of ``staff``. A country's attendance is then paired with its
    events by a gather, where joining its millions of rows on two text keys (and
    checking each pair's texts) was a fifth of a country's check and grew faster than
    the country (issue 8); and a teacher's attended hours can be summed by an integer.

    Made only where every attendance row names an event that ``events`` holds once,
    and no teacher is in ``staff`` twice: then :meth:`Tables.attended_events` over the
    keys is exactly the join on the text keys. Like :class:`Keys`, they describe the
    very frames they hold (compared by identity).
    """

    events: pl.DataFrame
    staff: pl.DataFrame
    attendance: pl.DataFrame
    #: each attendance row's event: its row in ``events`` (UInt32, no nulls)
    event_row: pl.Series
    #: each attendance row's person: their row in ``staff`` (UInt32, null where the
    #: person is not in ``staff``)
    staff_row: pl.Series

    def describe(self, events: pl.DataFrame, staff: pl.DataFrame, attendance: pl.DataFrame) -> bool:
        """Whether these are the keys of exactly these frames."""
        return (
            self.events is events
            and self.staff is staff
            and self.attendance is attendance
            and self.event_row.len() == attendance.height
            and self.staff_row.len() == attendance.height
        )


def attendance_keys(
    events: pl.DataFrame, staff: pl.DataFrame, attendance: pl.DataFrame
) -> AttendanceKeys | None:
    """The frames' :class:`AttendanceKeys`, worked out from their text keys (a join,
    for a builder that does not know them as it makes the rows); None where an
    attendance row names an event ``events`` does not hold, or holds twice, or a teacher
    is in ``staff`` twice (:meth:`Tables.attended_events` then joins the text keys)."""
    on_event, on_staff = ["school_id", "event_id"], ["school_id", "staff_id"]
    if events.select(on_event).is_duplicated().any():
        return None
    if staff.select(on_staff).is_duplicated().any():
        return None

    def rows(frame: pl.DataFrame, on: list[str], name: str) -> pl.Series:
        return (
            attendance.select(on)
            .join(frame.select(on).with_row_index(name), on=on, how="left", maintain_order="left")
            .get_column(name)
        )

    event_row = rows(events, on_event, "_event")
    if event_row.null_count():
        return None
    return AttendanceKeys(
        events,
        staff,
        attendance,
        event_row.cast(pl.UInt32),
        rows(staff, on_staff, "_staff").cast(pl.UInt32),
    )


@dataclass(frozen=True)
class Tables:
    """The frames one check reads, and the school-year objects behind them when there are any."""

    schools: pl.DataFrame
    staff: pl.DataFrame
    events: pl.DataFrame
    attendance: pl.DataFrame
    policy: pl.DataFrame
    allocations: pl.DataFrame
    process: pl.DataFrame
    years: Mapping[str, SchoolYear]
    proformas: pl.DataFrame = field(default_factory=lambda: frame("proformas", []))
    #: the agreement's committees and working groups, one row a group
    groups: pl.DataFrame = field(default_factory=lambda: frame("groups", []))
    #: School Negotiating Committee members, one row a member (a recorded committee
    #: with no members is one row with no staff_id); no row: no committee recorded
    committee: pl.DataFrame = field(default_factory=lambda: frame("committee", []))
    #: integer keys of schools, staff and allocations, made with the frames (see
    #: :class:`Keys`); the budget reads them through :meth:`integer_keys`
    keys: Keys | None = field(default=None, repr=False, compare=False)
    #: integer keys of the attendance (see :class:`AttendanceKeys`), made with the
    #: frames; :meth:`attended_events` reads them through :meth:`attendance_integer_keys`
    attendance_keys: AttendanceKeys | None = field(default=None, repr=False, compare=False)

    def integer_keys(self) -> Keys | None:
        """:attr:`keys` if they are these frames' keys, else None (frames replaced since)."""
        keys = self.keys
        if keys is None or not keys.describe(self.schools, self.staff, self.allocations):
            return None
        return keys

    def attendance_integer_keys(self) -> AttendanceKeys | None:
        """:attr:`attendance_keys` if they are these frames' keys, else None."""
        keys = self.attendance_keys
        if keys is None or not keys.describe(self.events, self.staff, self.attendance):
            return None
        return keys

    def attended_totals(
        self, figures: Mapping[str, pl.Expr], where: pl.Expr | None = None
    ) -> pl.DataFrame | None:
        """Each teacher's sum of a figure of the events they attend: a row a row of
        ``staff`` (in its order), a column a figure (an expression over the events'
        columns, worked out once an event), summed over the person's attendance rows
        that meet ``where`` (an expression over the attendance's columns, such as its
        role), 0 where there are none; as a ``group_by("school_id", "staff_id")`` of
        :meth:`attended_events` would give them, without a text key compared.

        For a country, through the tables' :class:`AttendanceKeys`: the figures are
        worked out on the events, gathered by each attendance row's event row and summed
        by its staff row. Grouping the millions of attendance rows by two text keys (and
        testing each row's category) grew faster than the country (issue 8). None for
        one school (a query on the texts is quicker there) or without the keys.
        """
        keys = self.attendance_integer_keys()
        if keys is None or self.attendance.height < _SMALL:
            return None
        per_event = self.events.select(**figures)
        read = where.meta.root_names() if where is not None else []
        keep = pl.col("_staff").is_not_null()
        if where is not None:
            keep = keep & where.fill_null(False)
        # One plan in batches (the attendance's engine): no column of millions of the
        # events' figures is ever whole in memory.
        summed = (
            pl.DataFrame(
                [
                    keys.staff_row.alias("_staff"),
                    keys.event_row.alias("_event"),
                    *(self.attendance.get_column(name) for name in dict.fromkeys(read)),
                ]
            )
            .lazy()
            .filter(keep)
            .select(
                "_staff",
                *(pl.lit(figure).gather(pl.col("_event")) for figure in per_event.get_columns()),
            )
            .group_by("_staff")
            .agg(pl.col(name).sum() for name in figures)
            .collect(engine=LARGE_ENGINE)
        )
        places = summed.get_column("_staff")
        return pl.DataFrame(
            [
                pl.zeros(self.staff.height, dtype=per_event.schema[name], eager=True)
                .scatter(places, summed.get_column(name))
                .alias(name)
                for name in figures
            ]
        )

    def attended_by_staff_row(
        self, where: pl.Expr, roles: Sequence[str], *columns: str
    ) -> pl.LazyFrame | None:
        """The attendance rows in ``roles`` whose event meets ``where`` (an expression
        over the events' columns), as ``_staff`` (the person's row of ``staff``),
        ``_event`` (the event's row of ``events``) and the events' ``columns``: what
        :meth:`attended_events` gives, keyed by integers, for a rule that groups a
        teacher's attendance and names only the few teachers it finds.

        For a country, through the tables' :class:`AttendanceKeys`: grouping its
        millions of attendance rows by two text keys was most of a rule's time (issue 8).
        None for one school, without the keys, for a ``where`` that reads more than the
        events, or where someone attending is not in ``staff`` (a grouping by the text
        keys still counts them; a staff row cannot).
        """
        keys = self.attendance_integer_keys()
        if keys is None or self.attendance.height < _SMALL or keys.staff_row.null_count():
            return None
        if not set(where.meta.root_names()) <= set(self.events.columns):
            return None
        chosen = self.events.select(where.fill_null(False)).to_series()
        return (
            pl.DataFrame(
                [
                    keys.staff_row.alias("_staff"),
                    keys.event_row.alias("_event"),
                    self.attendance.get_column("role"),
                ]
            )
            .lazy()
            .filter(pl.lit(chosen).gather(pl.col("_event")) & pl.col("role").is_in(roles))
            .select(
                "_staff",
                "_event",
                *(pl.lit(self.events.get_column(c)).gather(pl.col("_event")) for c in columns),
            )
        )

    def staff_by_row(self, found: pl.LazyFrame, *columns: str) -> pl.LazyFrame:
        """``found`` (a frame with a ``_staff`` row of ``staff``, see
        :meth:`attended_by_staff_row`) with each teacher's school_id and staff_id first
        and their ``columns`` last, ``_staff`` dropped."""
        staff = self.staff.select("school_id", "staff_id", *columns).with_row_index("_staff")
        named = found.join(staff.lazy(), on="_staff", how="left", maintain_order="left")
        rest = [name for name in found.collect_schema().names() if name != "_staff"]
        return named.select("school_id", "staff_id", *rest, *columns)

    @cached_property
    def one_school(self) -> bool:
        """Whether the staff and the attendance are all of the tables' one school: then a
        teacher is keyed by staff_id alone (a grouping on two texts took twice as long)."""
        if self.schools.height != 1:
            return False
        school = self.schools.item(0, "school_id")
        return all(
            frame.is_empty()
            or (frame["school_id"].n_unique() == 1 and frame.item(0, "school_id") == school)
            for frame in (self.staff, self.attendance)
        )

    @property
    def teacher_keys(self) -> list[str]:
        """The columns that name a teacher in a grouping or a join: staff_id alone where
        :attr:`one_school`, else school_id and staff_id."""
        return ["staff_id"] if self.one_school else ["school_id", "staff_id"]

    @property
    def small(self) -> bool:
        """Few enough rows (one school, a few) that a step's fixed cost, not the data,
        is its time: the rules' plans are then collected together."""
        return max(self.attendance.height, self.staff.height, self.events.height) < _SMALL

    @cached_property
    def school_names(self) -> pl.DataFrame:
        """school_id and school_name: what a school finding needs to say whose it is."""
        # The two columns as they are, without a query (a step's fixed cost was the time).
        return pl.DataFrame([self.schools["school_id"], self.schools["name"].alias("school_name")])

    @cached_property
    def school_process(self) -> pl.DataFrame:
        """The process frame with each school's name: what every process step reads."""
        names = self.school_names
        if names.height == 1 and self.process["school_id"].equals(names["school_id"]):
            return self.process.hstack([names["school_name"]])  # one school: no join needed
        return self.process.join(names, on="school_id")

    @cached_property
    def _attended_rows(self) -> tuple[pl.DataFrame, pl.Series]:
        """The attendance rows whose event is in ``events``, in attendance order, and the
        row of ``events`` each one names.

        For a country attendance has millions of rows: joining it to the events on their
        two text keys while carrying every events column took most of a check. With the
        tables' :class:`AttendanceKeys` there is no join: each row's event row is known.
        Without them the join is of integer keys only (a hash of the two texts), each
        match is then checked against the texts themselves, so a hash collision can never
        pair the wrong event (should one ever occur, the exact join on the texts is used
        instead).
        """
        keys = ["school_id", "event_id"]
        made = self.attendance_integer_keys()
        if made is not None:  # every row names an event held once: the join is a gather
            return self.attendance, made.event_row
        if self.attendance.height < _SMALL:  # one school: one join is quicker than the steps
            return self._one_school_attended() or self._exact_attended(keys)
        present = pl.col("school_id").is_not_null() & pl.col("event_id").is_not_null()
        hashed = pl.col("school_id").hash(seed=0) ^ pl.col("event_id").hash(seed=1)
        events = self.events.with_row_index("_event").filter(present)
        attendance = self.attendance.with_row_index("_attendance").filter(present)
        pairs = attendance.select("_attendance", _key=hashed).join(
            events.select("_event", _key=hashed), on="_key", how="inner", maintain_order="left"
        )
        rows, event_rows = pairs["_attendance"], pairs["_event"]
        everyone = pl.select(
            pl.int_range(0, self.attendance.height, dtype=pl.UInt32).cast(rows.dtype)
        ).to_series()
        matched = self.attendance if rows.equals(everyone) else self.attendance[rows]
        if all(matched[k].equals(self.events[k].gather(event_rows)) for k in keys):
            return matched, event_rows
        return self._exact_attended(keys)

    def _one_school_attended(self) -> tuple[pl.DataFrame, pl.Series] | None:
        """:meth:`_exact_attended` for one school whose events' ids are distinct: each
        row's event row is its event id's code among them (an enum of the events' ids),
        a cast of one column where the join and the row index were two queries of a
        fixed cost each. None where that is not so (the join is made)."""
        events = self.events
        if events.is_empty() or not self.one_school:
            return None
        ids, school = events.get_column("event_id"), events.get_column("school_id")
        if ids.null_count() or ids.n_unique() != ids.len():
            return None
        if school.n_unique() != 1 or school.first() != self.schools.item(0, "school_id"):
            return None
        codes = self.attendance.get_column("event_id").cast(pl.Enum(ids), strict=False)
        rows = codes.to_physical().cast(pl.UInt32).alias("_event")
        if not rows.null_count():
            return self.attendance, rows
        present = rows.is_not_null()  # an attendance row of no event: the join drops it
        return self.attendance.filter(present), rows.filter(present)

    def _exact_attended(self, keys: list[str]) -> tuple[pl.DataFrame, pl.Series]:
        exact = self.attendance.join(
            self.events.select(keys).with_row_index("_event"), on=keys, maintain_order="left"
        )
        # The attendance columns as they are (a drop would be a step of its own).
        return pl.DataFrame([exact[c] for c in self.attendance.columns]), exact["_event"]

    @cached_property
    def _attended_columns(self) -> dict[str, pl.Series]:
        return {}

    def attended_events(self, *columns: str, where: pl.Expr | None = None) -> pl.DataFrame:
        """Attendance joined to its events: one row per person per event, with role.

        With ``columns``, only those columns of the events (with every attendance column):
        a template asks for what it reads. The join is made once per Tables and each
        column taken from the events once: for a country they are the largest frames.

        With ``where``, only the rows that meet it, in the same order. A condition on the
        events' columns alone is tested on the events and only the chosen events'
        attendance is taken: for a country, a rule about one kind of event then reads a
        sliver of the attendance instead of every row with every column it names.
        """
        names = where.meta.root_names() if where is not None else []
        events_only = bool(names) and set(names) <= set(self.events.columns)
        # One school: a filter of the joined rows is fewer steps than choosing the events.
        if where is None or not events_only or self.attendance.height < _SMALL:
            joined = (
                self._attended_columns_of(*columns, *names)
                if columns
                else self._attended_columns_of()
            )
            return joined if where is None else joined.filter(where)
        attendance, event_rows = self._attended_rows
        chosen = self.events.select(where.alias("_chosen")).to_series().gather(event_rows)
        attendance, event_rows = attendance.filter(chosen), event_rows.filter(chosen)
        wanted = {*columns, *names} if columns else set(self.events.columns)
        return attendance.hstack(
            [
                self.events[name].gather(event_rows)
                for name in self.events.columns
                if name in wanted and name not in attendance.columns
            ]
        )

    def attended_events_lazy(
        self, *columns: str, where: pl.Expr | None = None, event_rows: bool = False
    ) -> pl.LazyFrame:
        """:meth:`attended_events` as a lazy frame: for one school the condition is part
        of the rule's plan (no eager step of its own); for a country the rows are chosen
        as :meth:`attended_events` chooses them. ``event_rows``: for one school (only),
        with each row's event as its row of ``events`` (``_event``)."""
        if where is not None and not self.small:
            return self.attended_events(*columns, where=where).lazy()
        names = where.meta.root_names() if where is not None else []
        attendance, taken = (
            self._attended_parts(*columns, *names) if columns else self._attended_parts()
        )
        if self.small:  # the events' columns added in the plan, not by an eager step
            if event_rows:
                taken = [*taken, self._attended_rows[1].alias("_event")]
            joined = attendance.lazy().with_columns(pl.lit(column) for column in taken)
        else:
            joined = attendance.hstack(taken).lazy()
        return joined if where is None else joined.filter(where)

    def _attended_columns_of(self, *columns: str) -> pl.DataFrame:
        attendance, taken = self._attended_parts(*columns)
        return attendance.hstack(taken)

    def _attended_parts(self, *columns: str) -> tuple[pl.DataFrame, list[pl.Series]]:
        """The attendance rows paired with events, and the events' columns asked for
        (every one without ``columns``), each taken from the events once per Tables."""
        attendance, event_rows = self._attended_rows
        wanted = set(columns) if columns else set(self.events.columns)
        cache = self._attended_columns
        missing = [
            c
            for c in self.events.columns
            if c in wanted and c not in cache and c not in attendance.columns
        ]
        if self.small and missing:  # the columns in one step: each step's cost is fixed
            chosen = pl.DataFrame([self.events.get_column(c) for c in missing])
            cache.update(chosen[event_rows].to_dict())
        taken = []
        for name in self.events.columns:
            if name in wanted and name not in attendance.columns:
                if name not in cache:
                    cache[name] = self.events[name].gather(event_rows)
                taken.append(cache[name])
        return attendance, taken


def frame(name: str, rows: Iterable[Mapping[str, Any]]) -> pl.DataFrame:
    """A frame of one of the standard shapes, empty or not."""
    return pl.DataFrame(list(rows), schema=SCHEMAS[name], orient="row")


def _minutes(t: Any) -> int:
    return int(t.hour) * 60 + int(t.minute)


def _school_rows(year: SchoolYear, period: SchoolPeriod) -> dict[str, Any]:
    school = year.school
    return {
        "school_id": school.id,
        "name": school.name,
        "pack": school.pack,
        "sector": school.sector.value,
        "roll": school.roll,
        "previous_roll": school.roll_history[-1][1] if school.roll_history else None,
        "period_minutes": school.period_minutes,
        "periods_per_week": school.periods_per_week,
        "working_days": period.working_day_count,
        "pupil_days": period.pupil_day_count,
        "inservice_days": len(year.calendar.inservice_days),
        "working_weeks": period.working_weeks,
    }


def _staff_rows(year: SchoolYear) -> list[dict[str, Any]]:
    school = year.school
    period_hours = (school.period_minutes or 0) / 60
    rows = []
    for s in year.staff:
        contact = s.contact_hours_per_week
        if contact is None and s.contact_periods_per_week is not None and period_hours:
            contact = s.contact_periods_per_week * period_hours
        by_week = _contact_by_cycle_week(s, period_hours)
        if by_week:
            contact = sum(by_week) / len(by_week)  # "per week" on average over the cycle
        management = s.management_hours_per_week
        if management is None and s.management_periods_per_week is not None and period_hours:
            management = s.management_periods_per_week * period_hours
        # A timetable in hours is turned into periods with the school's period length
        # (JNCT2.7 8.8 counts periods); without one it stays unknown, and the rules say so.
        contact_periods: float | None = s.contact_periods_per_week
        if contact_periods is None and contact is not None and school.period_minutes:
            contact_periods = round(contact * 60 / school.period_minutes, 2)
        non_contact = (
            school.periods_per_week - contact_periods
            if school.periods_per_week is not None and contact_periods is not None
            else None
        )
        rows.append(
            {
                "school_id": school.id,
                "staff_id": s.id,
                "name": s.name,
                "sector": school.sector.value,
                "post": s.post.value,
                "job_size": s.job_size,
                "fte": s.fte,
                "probationer": s.probationer,
                "qts": s.qts,
                "contact_hours_per_week": contact,
                "personal_hours_per_week": s.personal_hours_per_week,
                "contact_hours_by_cycle_week": list(by_week) or None,
                "management_hours_per_week": management,
                "management_periods_per_week": s.management_periods_per_week,
                "non_contact_periods_per_week": non_contact,
                "ppa_hours_per_week": s.ppa_hours_per_week,
                "timetabled_hours_per_week": s.timetabled_hours_per_week,
                "leadership_hours_per_week": s.leadership_hours_per_week,
                "teaching_share": contact / s.timetabled_hours_per_week
                if contact is not None and s.timetabled_hours_per_week
                else None,
                "tlr": s.tlr,
                "leadership_pay": s.leadership_pay,
                "management_responsibilities": s.management_responsibilities,
            }
        )
    return rows


def _previous_summer_term(year: SchoolYear) -> tuple[date | None, date | None]:
    """The summer term before this session: this year's summer term (its term named
    'Summer', else its last) a year earlier (JNCT2.7 16.3)."""
    terms = year.calendar.terms
    summer = [t for t in terms if "summer" in t.name.lower()] or list(terms[-1:])
    if not summer:
        return None, None

    def year_before(day: date) -> date:
        return day.replace(year=day.year - 1, day=min(day.day, 28) if day.month == 2 else day.day)

    return year_before(summer[-1].dates.start), year_before(summer[-1].dates.end)


def _contact_by_cycle_week(member: Any, period_hours: float) -> tuple[float, ...]:
    """A teacher's class contact hours in each week of the timetable cycle, if they vary."""
    if member.contact_hours_by_cycle_week:
        return tuple(float(h) for h in member.contact_hours_by_cycle_week)
    if member.contact_periods_by_cycle_week and period_hours:
        return tuple(p * period_hours for p in member.contact_periods_by_cycle_week)
    return ()


def _process_row(year: SchoolYear) -> dict[str, Any]:
    steps = year.agreement.process
    flexible = year.agreement.flexible_approach
    vote = steps.vote
    signed_on = [s.signed_on for s in steps.signatures]
    summer_start, summer_end = _previous_summer_term(year)
    return {
        "school_id": year.school.id,
        "year_start": year.calendar.dates.start,
        "previous_summer_term_start": summer_start,
        "previous_summer_term_end": summer_end,
        "signed_first": min(signed_on, default=None),
        "signed_last": max(signed_on, default=None),
        "committee_formed": steps.committee_formed,
        "draft_prepared": steps.draft_prepared,
        "consultation_opened": steps.consultation_opened,
        "consultation_closed": steps.consultation_closed,
        "comments_considered": steps.comments_considered,
        "vote_held_on": vote.held_on if vote else None,
        "vote_eligible": vote.eligible if vote else None,
        "vote_in_favour": vote.in_favour if vote else None,
        "vote_against": vote.against if vote else None,
        "signed_roles": sorted({s.role for s in steps.signatures}),
        "submitted": steps.submitted,
        "calendar_published": steps.calendar_published,
        "calendar_agreed_with_union": steps.calendar_agreed_with_union,
        "flexible_cycle_weeks": flexible.cycle_weeks if flexible else None,
        "flexible_max_hours_in_any_week": (
            flexible.max_contact_hours_in_any_week if flexible else None
        ),
        "flexible_submitted": flexible.submitted if flexible else None,
        "flexible_confirmed": flexible.confirmed if flexible else None,
    }


def tables_from_years(years: Iterable[SchoolYear]) -> Tables:
    """Frames for one or many school years."""
    schools: list[dict[str, Any]] = []
    staff: list[dict[str, Any]] = []
    events: list[dict[str, Any]] = []
    attendance: list[dict[str, Any]] = []
    policy: list[dict[str, Any]] = []
    allocations: list[dict[str, Any]] = []
    process: list[dict[str, Any]] = []
    proformas: list[dict[str, Any]] = []
    groups: list[dict[str, Any]] = []
    committee: list[dict[str, Any]] = []
    by_id: dict[str, SchoolYear] = {}
    # The integer keys (see Keys), made as the rows are: a school is its row.
    staff_school: list[int] = []
    allocation_school: list[int] = []
    headings: dict[str, int] = {}
    allocation_heading: list[int] = []
    # ... and the attendance's (see AttendanceKeys): each row's event and person as
    # their rows, known as the rows are made (a SchoolYear's ids are each used once).
    event_rows: list[int] = []
    staff_rows: list[int | None] = []
    for row, year in enumerate(years):
        school = year.school
        if school.id in by_id:
            raise ValueError(f"school id '{school.id}' appears twice")
        by_id[school.id] = year
        period = school_period(year.calendar, school.nation)
        schools.append(_school_rows(year, period))
        school_staff = _staff_rows(year)
        staff_row = {s["staff_id"]: len(staff) + n for n, s in enumerate(school_staff)}
        staff.extend(school_staff)
        staff_school.extend([row] * len(school_staff))
        day_end = _minutes(school.pupil_day_end)
        inservice = set(year.calendar.inservice_days)
        for e in year.events:
            events.append(
                {
                    "school_id": school.id,
                    "event_id": e.id,
                    "title": e.title,
                    "category": e.category,
                    "date": e.date,
                    "week": period.week_of(e.date),
                    "term": period.term_of(e.date),
                    "hours": e.hours,
                    # NUT ASOS Instruction 2 limits "meetings outside school session
                    # times": a meeting is after school if any of it runs past the pupil
                    # day, as a 15:00-17:00 meeting does when pupils leave at 15:10.
                    "after_school": _minutes(e.end) > day_end,
                    "evening": _minutes(e.end) > day_end,
                    "minutes_after_pupil_day": _minutes(e.start) - day_end,
                    "inservice_day": e.date in inservice,
                    "observer": e.observer,
                    "observed": e.observed,
                    "activity": e.activity,
                    "foreseeable": e.foreseeable,
                    "during_ppa": e.during_ppa,
                }
            )
            roles = {sid: "attendee" for sid in e.attendees}
            if e.observed:
                roles[e.observed] = "observed"
            if e.observer:
                roles[e.observer] = "observer"
            attendance.extend(
                {"school_id": school.id, "event_id": e.id, "staff_id": sid, "role": role}
                for sid, role in roles.items()
            )
            event_rows.extend([len(events) - 1] * len(roles))
            staff_rows.extend(staff_row.get(sid) for sid in roles)
        policy.extend(
            {"school_id": school.id, "question": q, "answer": str(a).lower()}
            for q, a in year.policy.items()
        )
        allocations.extend(
            {"school_id": school.id, "heading": h, "hours": float(v)}
            for h, v in year.agreement.allocations.items()
        )
        allocation_school.extend([row] * len(year.agreement.allocations))
        allocation_heading.extend(
            headings.setdefault(h, len(headings)) for h in year.agreement.allocations
        )
        process.append(_process_row(year))
        groups.extend(
            {
                "school_id": school.id,
                "group_id": g.id,
                "title": g.title,
                "hours": g.hours,
                "members": list(g.members),
            }
            for g in year.agreement.groups
        )
        committee.extend(_committee_rows(year))
        for proforma in year.proformas:
            signed = sorted({s.role for s in proforma.signatures})
            # An empty pro-forma still counts as handed in: one row with no activity.
            items: list[tuple[str | None, float]] = [*proforma.activities.items()] or [(None, 0.0)]
            proformas.extend(
                {
                    "school_id": school.id,
                    "staff_id": proforma.staff_id,
                    "activity": activity,
                    "hours": hours,
                    "signed_roles": signed,
                }
                for activity, hours in items
            )
    schools_frame, staff_frame = frame("schools", schools), frame("staff", staff)
    allocations_frame = frame("allocations", allocations)
    keys = _keys(
        schools_frame,
        staff_frame,
        allocations_frame,
        pl.Series(staff_school, dtype=pl.UInt32),
        pl.Series(allocation_school, dtype=pl.UInt32),
        tuple(headings),
        pl.Series(allocation_heading, dtype=pl.UInt32),
    )
    events_frame, attendance_frame = frame("events", events), frame("attendance", attendance)
    return Tables(
        schools=schools_frame,
        staff=staff_frame,
        events=events_frame,
        attendance=attendance_frame,
        policy=frame("policy", policy),
        allocations=allocations_frame,
        process=frame("process", process),
        years=by_id,
        proformas=frame("proformas", proformas),
        groups=frame("groups", groups),
        committee=frame("committee", committee),
        keys=keys,
        attendance_keys=AttendanceKeys(
            events_frame,
            staff_frame,
            attendance_frame,
            pl.Series(event_rows, dtype=pl.UInt32),
            pl.Series(staff_rows, dtype=pl.UInt32),
        ),
    )


def _committee_rows(year: SchoolYear) -> list[dict[str, Any]]:
    recorded = year.agreement.committee
    if recorded is None:
        return []
    unions = list(recorded.accredited_unions)
    members: list[dict[str, Any]] = [
        {
            "staff_id": m.staff_id,
            "role": m.role,
            "union": m.union,
            "since": m.since,
            "until": m.until,
        }
        for m in recorded.members
    ] or [{"staff_id": None, "role": None, "union": None, "since": None, "until": None}]
    return [{"school_id": year.school.id, **m, "accredited_unions": unions} for m in members]
