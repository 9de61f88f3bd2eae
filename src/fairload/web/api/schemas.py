"""What the API answers with: one schema per shape, named as the OpenAPI document shows it."""

from __future__ import annotations

from datetime import date, time
from typing import Any

from ninja import Schema

from fairload.web.schools.models import Event, School, SchoolYear
from fairload.web.schools.selectors import school_year_current


class Message(Schema):
    detail: str


class CouncilOut(Schema):
    slug: str
    name: str


class SchoolOut(Schema):
    slug: str
    name: str
    council: CouncilOut
    pack: str
    sector: str
    roll: int


class YearOut(Schema):
    label: str
    start: date
    end: date


class SchoolDetailOut(SchoolOut):
    nation: str
    year: YearOut | None = None

    @staticmethod
    def resolve_year(obj: School) -> SchoolYear | None:
        return school_year_current(school=obj)


class StaffOut(Schema):
    staff_id: str
    name: str
    post: str
    department: str
    fte: float
    job_size: int | None
    probationer: bool
    qts: bool
    contact_hours_per_week: float | None
    contact_periods_per_week: int | None
    management_periods_per_week: int | None
    management_hours_per_week: float | None
    ppa_hours_per_week: float | None
    timetabled_hours_per_week: float | None
    leadership_hours_per_week: float | None
    tlr: bool
    leadership_pay: bool
    management_responsibilities: bool


class EventOut(Schema):
    event_id: str
    title: str
    category: str
    date: date
    start: time
    end: time
    attendees: list[str]
    observer: str | None = None
    observed: str | None = None
    activity: str
    foreseeable: bool | None
    during_ppa: bool

    @staticmethod
    def resolve_attendees(obj: Event) -> list[str]:
        return sorted(post.staff_id for post in obj.attendees.all())

    @staticmethod
    def resolve_observer(obj: Event) -> str | None:
        return obj.observer.staff_id if obj.observer else None

    @staticmethod
    def resolve_observed(obj: Event) -> str | None:
        return obj.observed.staff_id if obj.observed else None


class BudgetCategoryOut(Schema):
    id: str
    label: str
    hours: float | None
    default_hours: float | None
    planned_hours: float | None
    clause: str | None = None


class SchoolBudgetOut(Schema):
    """`SchoolBudget.as_dict()`: the hours per full-time teacher under each heading."""

    title: str
    total: float
    lines_total: float
    clause: str
    categories: list[BudgetCategoryOut]


class TeacherBudgetLineOut(Schema):
    id: str
    label: str
    hours: float
    planned_hours: float | None
    gained_hours: float | None = None
    gained_from: str | None = None


class TeacherBudgetOut(Schema):
    school: str
    year: str
    staff_id: str
    name: str
    lines: list[TeacherBudgetLineOut]


class PackOut(Schema):
    id: str
    version: str


class FindingsOut(Schema):
    """A check's findings; each finding is `Finding.as_dict()`, working included."""

    pack: PackOut
    at: date
    summary: dict[str, int]
    findings: list[dict[str, Any]]
