"""Services that write: importing a whole school year, all or nothing."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils.text import slugify

from fairload.core.errors import InputError, Location
from fairload.core.packs import discover
from fairload.core.school_format import parse_school_year
from fairload.io.school_file import dump_school_year
from fairload.web.committee.record import record_store
from fairload.web.planner.record import plan_store
from fairload.web.schools.models import (
    STAFF_FIGURES,
    Council,
    Event,
    School,
    SchoolYear,
    StaffPost,
)

_CALENDAR_KEYS = ("terms", "inservice_days", "closures", "open_on_bank_holidays")
#: The agreement's parts stored as rows (fairload.web.committee), not in its JSON.
_AGREEMENT_ROWS = ("groups", "committee")


def school_year_import(*, document: dict[str, Any], source: str) -> SchoolYear:
    """Validate a school-year document with the core, then store it in one transaction.

    A year already stored under the same school and label is replaced; the logins linked
    to its staff posts are kept. Any problem raises before anything is written.
    """
    core = parse_school_year(document, source)
    if core.school.pack not in discover():
        # The core also reads a pack from a folder path; a stored school may only name an
        # installed pack, never a folder on the server.
        raise InputError(
            f"no pack '{core.school.pack}' is installed",
            Location(source, field="school.pack"),
            "Known packs: " + ", ".join(sorted(discover())),
        )
    normal = dump_school_year(core)
    with transaction.atomic():
        # The year first, then the school: the order every edit of a year takes its locks
        # in (year_drafts.locked, then rows that refer to the school), so a re-import and
        # concurrent edits wait for each other instead of deadlocking on PostgreSQL.
        list(
            SchoolYear.objects.select_for_update(of=("self",)).filter(
                school__slug=core.school.id, label=core.calendar.label
            )
        )
        council = _council_for(core.school.id, core.school.authority, core.school.pack)
        school, _ = School.objects.update_or_create(
            slug=core.school.id,
            defaults={
                "council": council,
                "name": core.school.name,
                "pack": core.school.pack,
                "sector": core.school.sector.value,
                "nation": core.school.nation.value,
                "roll": core.school.roll,
                "pupil_day_start": core.school.pupil_day_start,
                "pupil_day_end": core.school.pupil_day_end,
                "period_minutes": core.school.period_minutes,
                "periods_per_week": core.school.periods_per_week,
            },
        )
        previous = SchoolYear.objects.filter(school=school, label=core.calendar.label).first()
        people: dict[str, int] = {}
        revision = 0
        if previous is not None:
            revision = previous.revision + 1
            people = dict(previous.staff.exclude(person=None).values_list("staff_id", "person_id"))
            previous.delete()
        year = SchoolYear.objects.create(
            school=school,
            label=core.calendar.label,
            start=core.calendar.dates.start,
            end=core.calendar.dates.end,
            calendar={k: v for k, v in normal["year"].items() if k in _CALENDAR_KEYS},
            policy=normal.get("policy", {}),
            # groups and committee are rows of their own (record_store, below)
            agreement={
                k: v for k, v in normal.get("agreement", {}).items() if k not in _AGREEMENT_ROWS
            },
            proformas=normal.get("proformas", []),
            revision=revision,
        )
        posts = StaffPost.objects.bulk_create(
            StaffPost(
                school_year=year,
                staff_id=member.id,
                name=member.name,
                person_id=people.get(member.id),
                post=member.post.value,
                department=member.department or "",
                **{name: getattr(member, name) for name in STAFF_FIGURES},
            )
            for member in core.staff
        )
        post_by_id = {post.staff_id: post for post in posts}
        events = Event.objects.bulk_create(
            Event(
                school_year=year,
                event_id=event.id,
                title=event.title,
                category=event.category,
                date=event.date,
                start=event.start,
                end=event.end,
                observer=post_by_id.get(event.observer or ""),
                observed=post_by_id.get(event.observed or ""),
                activity=event.activity or "",
                foreseeable=event.foreseeable,
                during_ppa=event.during_ppa,
            )
            for event in core.events
        )
        through = Event.attendees.through
        through.objects.bulk_create(
            through(event_id=stored.pk, staffpost_id=post_by_id[staff_id].pk)
            for stored, event in zip(events, core.events, strict=True)
            for staff_id in event.attendees
        )
        record_store(year, core, post_by_id)
        plan_store(year, document)  # the school's wishes (docs/school-year-format.md#plan)
    return year


def _council_for(school_slug: str, authority: str, pack: str) -> Council:
    """The school's council: the one it is in if the file names it, else the council of
    that name, else a new one. A school never moves council by a slug that happens to
    differ from its council's name."""
    existing = School.objects.filter(slug=school_slug).select_related("council").first()
    if existing is not None and existing.council.name == authority:
        return existing.council
    named = Council.objects.filter(name=authority).first()
    if named is not None:
        return named
    council, _ = Council.objects.get_or_create(
        slug=slugify(authority), defaults={"name": authority, "pack": pack}
    )
    return council


def year_touch(year: SchoolYear) -> None:
    """Record that the year or one of its rows changed: cached checks of it are now old.

    Every service that writes a year's staff, events, calendar, policy or agreement calls
    this inside its transaction."""
    SchoolYear.objects.filter(pk=year.pk).update(revision=F("revision") + 1)
    # All fields, not just the revision: the caller's copy must show what was written
    # (a service may have changed the year's calendar, policy or pro-formas in the row).
    year.refresh_from_db()
