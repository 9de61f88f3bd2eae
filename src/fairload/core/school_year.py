"""One school's year: the school, its calendar, staff, events, policies and agreement.

These are the core's inputs. Files (``fairload.io.school_file``), iCalendar feeds and
the web app's database all turn into these objects; checks never see where they
came from.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, time, timedelta
from enum import StrEnum


class Sector(StrEnum):
    NURSERY = "nursery"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    SPECIAL = "special"


class Nation(StrEnum):
    ENGLAND = "england"
    WALES = "wales"
    SCOTLAND = "scotland"
    NORTHERN_IRELAND = "northern-ireland"


@dataclass(frozen=True, slots=True)
class DateRange:
    """Whole days from ``start`` to ``end`` inclusive."""

    start: date
    end: date

    def __post_init__(self) -> None:
        if self.start > self.end:
            raise ValueError(
                f"a date range must not end ({self.end}) before it starts ({self.start})"
            )

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass(frozen=True, slots=True)
class Term:
    name: str
    dates: DateRange


@dataclass(frozen=True, slots=True)
class Closure:
    """A holiday or other day(s) the school is closed to staff within the year."""

    name: str
    dates: DateRange


@dataclass(frozen=True, slots=True)
class YearCalendar:
    """The school year as declared: its span, terms, in-service days and closures."""

    label: str
    dates: DateRange
    terms: tuple[Term, ...]
    inservice_days: tuple[date, ...]
    closures: tuple[Closure, ...] = ()
    open_on_bank_holidays: tuple[date, ...] = ()

    def __post_init__(self) -> None:
        for term in self.terms:
            if term.dates.start < self.dates.start or term.dates.end > self.dates.end:
                raise ValueError(f"term '{term.name}' falls outside the school year {self.label}")
        for day in self.inservice_days:
            if day not in self.dates:
                raise ValueError(f"in-service day {day} falls outside the school year {self.label}")


@dataclass(frozen=True, slots=True)
class School:
    id: str
    name: str
    authority: str
    pack: str
    sector: Sector
    nation: Nation
    roll: int
    pupil_day_start: time
    pupil_day_end: time
    period_minutes: int | None = None
    periods_per_week: int | None = None
    #: earlier sessions' rolls, oldest first: (session, roll)
    roll_history: tuple[tuple[str, int], ...] = ()
    #: weeks before the timetable repeats (SNCT 14/43: a fortnightly week A / week B is 2)
    timetable_cycle_weeks: int = 1

    def __post_init__(self) -> None:
        if self.timetable_cycle_weeks < 1:
            raise ValueError("timetable_cycle_weeks must be at least 1")
        if self.roll < 0:
            raise ValueError("roll must not be negative")
        if self.pupil_day_start >= self.pupil_day_end:
            raise ValueError("the pupil day must end after it starts")


class Post(StrEnum):
    HEAD_TEACHER = "head-teacher"
    DEPUTE_HEAD = "depute-head"
    DEPUTY_HEAD = "deputy-head"
    ASSISTANT_HEAD = "assistant-head"
    PRINCIPAL_TEACHER = "principal-teacher"
    PRINCIPAL_TEACHER_GUIDANCE = "principal-teacher-guidance"
    TEACHER = "teacher"


@dataclass(frozen=True, slots=True)
class StaffMember:
    """A teacher's post and timetable, as the agreement needs them. No special-category data."""

    id: str
    name: str
    post: Post
    fte: float = 1.0
    job_size: int | None = None
    probationer: bool = False
    qts: bool = True
    department: str | None = None
    contact_hours_per_week: float | None = None
    personal_hours_per_week: float | None = None
    contact_periods_per_week: int | None = None
    #: contact in each week of the school's timetable cycle, week 1 first (empty: every
    #: week the same); contact_*_per_week is then the cycle's average
    contact_hours_by_cycle_week: tuple[float, ...] = ()
    contact_periods_by_cycle_week: tuple[int, ...] = ()
    management_periods_per_week: int | None = None
    management_hours_per_week: float | None = None
    ppa_hours_per_week: float | None = None
    timetabled_hours_per_week: float | None = None
    leadership_hours_per_week: float | None = None
    tlr: bool = False
    leadership_pay: bool = False
    management_responsibilities: bool = False

    def __post_init__(self) -> None:
        if not 0 < self.fte <= 1:
            raise ValueError(f"{self.name}: FTE must be more than 0 and at most 1, not {self.fte}")
        if self.contact_hours_by_cycle_week and self.contact_periods_by_cycle_week:
            raise ValueError(
                f"{self.name}: give contact by cycle week in hours or periods, not both"
            )


@dataclass(frozen=True, slots=True)
class Event:
    """A calendar commitment: a meeting, a parents' evening, an observation, …"""

    id: str
    title: str
    category: str
    date: date
    start: time
    end: time
    attendees: tuple[str, ...] = ()
    observer: str | None = None
    observed: str | None = None
    activity: str | None = None
    foreseeable: bool | None = None
    during_ppa: bool = False

    def __post_init__(self) -> None:
        if self.end <= self.start:
            raise ValueError(f"event '{self.title}' on {self.date} must end after it starts")

    @property
    def hours(self) -> float:
        minutes = (self.end.hour * 60 + self.end.minute) - (
            self.start.hour * 60 + self.start.minute
        )
        return minutes / 60


@dataclass(frozen=True, slots=True)
class Vote:
    """The staff vote on the draft agreement (JNCT2.7 16.4). Counts only: ballots stay secret."""

    held_on: date
    eligible: int
    in_favour: int
    against: int
    abstained: int = 0

    def __post_init__(self) -> None:
        if min(self.eligible, self.in_favour, self.against, self.abstained) < 0:
            raise ValueError("vote counts must not be negative")
        if self.in_favour + self.against + self.abstained > self.eligible:
            raise ValueError("more votes were cast than staff were eligible to vote")


#: Signature and committee roles in words: a finding, message or page says "union
#: representative", never the id ``union-rep``. The one table of them.
ROLE_LABELS: dict[str, str] = {
    "head-teacher": "head teacher",
    "union-rep": "union representative",
    "senior-manager": "senior manager",
    "teacher": "teacher",
    "line-manager": "line manager",
}


def role_label(role: str) -> str:
    """A role's label in a sentence ('union-rep' → 'union representative'); an id the
    table does not hold is shown with its hyphens as spaces."""
    return ROLE_LABELS.get(role, role.replace("-", " "))


@dataclass(frozen=True, slots=True)
class Signature:
    role: str
    name: str
    signed_on: date
    #: the SHA-256 of the version signed (fairload.core.process.content_hash), if known
    content_hash: str | None = None
    #: the signer's staff id, if known
    staff: str | None = None


@dataclass(frozen=True, slots=True)
class AgreementProcess:
    """Dated steps of reaching the school's agreement (JNCT2.7 section 16)."""

    committee_formed: date | None = None
    draft_prepared: date | None = None
    consultation_opened: date | None = None
    consultation_closed: date | None = None
    comments_considered: bool | None = None
    vote: Vote | None = None
    signatures: tuple[Signature, ...] = ()
    submitted: date | None = None
    calendar_published: date | None = None
    calendar_agreed_with_union: bool | None = None


@dataclass(frozen=True, slots=True)
class AgreementGroup:
    """A committee or working group the agreement allocates hours to (JNCT2.7 7.1,
    Appendix 2): a teacher who is not a member gains its hours in the balance of time."""

    id: str
    title: str
    hours: float
    members: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.hours < 0:
            raise ValueError("a group's hours must not be negative")


@dataclass(frozen=True, slots=True)
class CommitteeMember:
    """A member of the School Negotiating Committee (JNCT2.7 16.1), sitting from ``since``
    to ``until`` (inclusive; None: still sitting). ``union`` is the union a union
    representative represents: their accredited role, recorded only for that role."""

    staff_id: str
    role: str
    since: date
    union: str | None = None
    until: date | None = None

    def __post_init__(self) -> None:
        if self.until is not None and self.until < self.since:
            raise ValueError(f"a committee member's 'to' ({self.until}) is before 'from'")


@dataclass(frozen=True, slots=True)
class Committee:
    """The School Negotiating Committee as recorded, and the unions with an accredited
    representative in the school (16.2: none means the head teacher organises it)."""

    members: tuple[CommitteeMember, ...]
    accredited_unions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class FlexibleHours:
    """A planned, flexible approach to working hours (SNCT 14/43; JNCT2.7 3.3): class
    contact averaged over a cycle of weeks with a cap on any single week
    (``agreement.flexible_approach``, the plan; either may be None where only the dated
    steps are recorded). It is "submitted to the Joint Secretaries … in advance of
    implementation for confirmation" (``agreement.process.flexible_approach``): until
    ``confirmed``, the weekly limits apply to every week."""

    cycle_weeks: int | None = None
    max_contact_hours_in_any_week: float | None = None
    submitted: date | None = None
    confirmed: date | None = None

    def __post_init__(self) -> None:
        if self.submitted and self.confirmed and self.confirmed < self.submitted:
            raise ValueError("the flexible approach is confirmed before it was submitted")


@dataclass(frozen=True, slots=True)
class Agreement:
    """The school's working-time agreement: hours per heading and how it was reached."""

    allocations: dict[str, float] = field(default_factory=dict)
    process: AgreementProcess = field(default_factory=AgreementProcess)
    groups: tuple[AgreementGroup, ...] = ()
    committee: Committee | None = None
    flexible_approach: FlexibleHours | None = None


@dataclass(frozen=True, slots=True)
class BalanceOfTimeProforma:
    """A teacher's planned use of their balance of time, agreed with their line manager
    (JNCT2.7 9.2 and Appendix 2)."""

    staff_id: str
    activities: dict[str, float]
    signatures: tuple[Signature, ...] = ()
    #: activity id -> its brief details (Appendix 2), where given
    details: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if any(hours < 0 for hours in self.activities.values()):
            raise ValueError("pro-forma hours must not be negative")


@dataclass(frozen=True, slots=True)
class SchoolYear:
    """Everything one check needs about one school's year."""

    school: School
    calendar: YearCalendar
    staff: tuple[StaffMember, ...]
    events: tuple[Event, ...] = ()
    policy: dict[str, bool | str] = field(default_factory=dict)
    agreement: Agreement = field(default_factory=Agreement)
    proformas: tuple[BalanceOfTimeProforma, ...] = ()
    format_version: int = 1

    def __post_init__(self) -> None:
        ids = [s.id for s in self.staff]
        if len(set(ids)) != len(ids):
            raise ValueError("staff ids must be unique")
        event_ids = [e.id for e in self.events]
        if len(set(event_ids)) != len(event_ids):
            raise ValueError("event ids must be unique")

    def staff_member(self, staff_id: str) -> StaffMember:
        for member in self.staff:
            if member.id == staff_id:
                return member
        raise KeyError(staff_id)
