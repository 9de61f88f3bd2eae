"""Planning a school's calendar from the agreement's draft: ask (``plan_run_start``), solve
in the task worker (``plan_run_solve``), and use the proposal (``plan_run_apply``).

The planner is the core's (fairload.core.planner), run on the school's live year as the
school-year format reads it (schools/to_core.py) with the wishes the head gave as the
format's ``plan`` section, exactly as ``fairload plan`` runs it on a file (cli_plan.py).
Using a proposal stores the year with the proposed events (the import's own
``school_year_import``, so the core validates the whole year again) and saves the
draft's next version through the agreements' service, in one transaction, audited.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from fairload.core.errors import InputError, InputErrors
from fairload.web.accounts.policies import User
from fairload.web.agreements import policies
from fairload.web.agreements.record import TEXT_PARTS, latest_version
from fairload.web.agreements.selectors import agreement_of
from fairload.web.agreements.services import AgreementRefused, version_save
from fairload.web.audit.services import audit_record
from fairload.web.planner.models import PlanRun
from fairload.web.planner.record import plan_keep, plan_section, plan_text_of, year_plan_text
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.selectors import school_year_current
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document, to_core

#: the solver's time limit and threads for one run (settings may lower them, as tests do)
DEFAULT_SECONDS = 10.0
DEFAULT_WORKERS = 1
#: a run still "solving" this long after it started has lost its worker (a solve stops at
#: its time limit, seconds, and its explanation within a few times that)
STUCK_AFTER = timedelta(minutes=10)
STUCK = (
    "The planner stopped without finishing (it was still solving after "
    f"{STUCK_AFTER.seconds // 60} minutes; its worker may have been restarted). Start again."
)


class PlanRefused(Exception):
    """The plan may not be started or used: the message is for the person who tried."""


def plan_document(
    year: SchoolYear, plan_text: str, events: list[dict[str, Any]] | None = None
) -> tuple[dict[str, Any], Any, Any]:
    """The year's document with ``plan_text`` as its ``plan`` section (and ``events``, a
    proposal's, in place of the year's own, if given), the core's year, and the wishes;
    InputErrors (located by line of the text and field) if the wishes are not the
    format's."""
    from fairload.core.planner import parse_plan
    from fairload.core.school_format import parse_school_year
    from fairload.core.yamlfile import load_text

    document = school_year_document(year)
    if events is None:
        core = to_core(year)
    else:
        document["events"] = events
        core = parse_school_year(document, f"{year.school.slug} {year.label}")
    document["plan"] = load_text(plan_text, "plan")
    spec = parse_plan(document, core, "plan")
    return document, core, spec


def plan_problems(year: SchoolYear, plan_text: str) -> list[InputError]:
    """What is wrong with the wishes, each located; none if the planner can read them."""
    try:
        plan_document(year, plan_text)
    except InputErrors as exc:
        return list(exc.errors)
    except InputError as exc:
        return [exc]
    return []


def last_plan_text(school: School) -> str:
    """The wishes of the school's last run, to start the form from."""
    run = PlanRun.objects.filter(school=school).order_by("-requested_at", "-pk").first()
    return run.plan_text if run is not None else ""


def plan_text_initial(year: SchoolYear) -> str:
    """What the wishes box starts from: the year's own plan section, else the wishes of
    the school's last run; empty if neither."""
    return year_plan_text(year) or last_plan_text(year.school)


def _may_plan(actor: User, year: SchoolYear) -> None:
    if not policies.may_draft(actor, year.school):
        raise PlanRefused("You may not draft this agreement.")
    if agreement_of(year=year) is None:
        raise PlanRefused("Start the agreement's draft first.")


def _queue(
    actor: User,
    year: SchoolYear,
    mode: str,
    plan_text: str,
    what_if: Sequence[str] = (),
    base: PlanRun | None = None,
    asked: str = "",
) -> PlanRun:
    from fairload.web.planner.tasks import plan_run_task

    with transaction.atomic():
        run = PlanRun.objects.create(
            school=year.school,
            label=year.label,
            mode=mode,
            plan_text=plan_text,
            what_if=list(what_if),
            asked=asked[:300],
            base=base,
            revision=year.revision,
            requested_by=actor if actor.is_authenticated else None,
            requested_at=timezone.now(),
        )
        audit_record(
            actor=actor,
            action="planner.start",
            school=year.school,
            summary=f"Asked the planner what if {asked or '; '.join(what_if)} for {year.label}"
            if what_if
            else f"Asked the planner to {PlanRun.Mode(mode).label.lower()} for {year.label}",
            details={"year": year.label, "run": run.pk, "mode": mode, "what_if": list(what_if)},
        )
        # The task's row is written in this transaction, so it exists once the run does.
        plan_run_task.enqueue(run.pk)
    return run


def plan_run_start(*, actor: User, year: SchoolYear, mode: str, plan_text: str) -> PlanRun:
    """Queue a run of the planner on the year (the task worker solves it)."""
    _may_plan(actor, year)
    if mode not in (PlanRun.Mode.PROPOSE, PlanRun.Mode.FIX):
        raise PlanRefused(f"No such way to plan: {mode}.")
    problems = plan_problems(year, plan_text)
    if problems:
        raise PlanRefused("; ".join(str(p) for p in problems))
    return _queue(actor, year, mode, plan_text)


def whatif_starting_events(year: SchoolYear, base: PlanRun | None) -> list[dict[str, Any]] | None:
    """The calendar a what-if re-plans from: the base run's proposal while the year is as
    it was proposed for; the year's own (None) with no base, or once the base is used
    (the year then holds it). PlanRefused if the year has changed since the base."""
    if base is None or base.applied_at is not None:
        return None
    if not base.found or not base.result or base.result.get("events") is None:
        raise PlanRefused("That run proposed no calendar to start from.")
    if base.label != year.label or base.revision != year.revision:
        raise PlanRefused(
            "The school's year has changed since that calendar was proposed: propose again."
        )
    return list(base.result["events"])


def plan_whatif_start(
    *,
    actor: User,
    year: SchoolYear,
    plan_text: str,
    changes: Sequence[str],
    base: PlanRun | None = None,
    asked: str = "",
) -> PlanRun:
    """Queue a what-if: the wishes and year with ``changes`` made (the core's what-if,
    core/planner/whatif.py), re-planned from the current calendar (``base``'s proposal,
    or the year's own). PlanRefused, saying why, if a change is not one the plan allows."""
    from fairload.core.planner.whatif import apply_what_if

    _may_plan(actor, year)
    if not changes:
        raise PlanRefused("Say what to change.")
    try:
        _, core, spec = plan_document(year, plan_text, whatif_starting_events(year, base))
        apply_what_if(list(changes), core, spec)
    except InputErrors as exc:
        raise PlanRefused("; ".join(str(p) for p in exc.errors)) from None
    except InputError as exc:
        raise PlanRefused(exc.message) from None
    return _queue(actor, year, PlanRun.Mode.WHAT_IF, plan_text, changes, base, asked)


def plan_run_again(*, actor: User, run: PlanRun) -> PlanRun:
    """Ask the same again of a run that failed (its worker stopped, or it could not run)."""
    if run.status != PlanRun.Status.FAILED:
        raise PlanRefused("Only a run that failed is started again.")
    year = school_year_current(school=run.school)
    if year is None or year.label != run.label:
        raise PlanRefused("The school's year is no longer stored.")
    if run.mode == PlanRun.Mode.WHAT_IF:
        return plan_whatif_start(
            actor=actor,
            year=year,
            plan_text=run.plan_text,
            changes=run.what_if,
            base=run.base,
            asked=run.asked,
        )
    return plan_run_start(actor=actor, year=year, mode=run.mode, plan_text=run.plan_text)


def plan_runs_expire(school: School, now: datetime) -> int:
    """Mark the school's runs still "solving" ``STUCK_AFTER`` after they started as
    failed, saying so (their worker died: nothing else would ever finish them)."""
    return PlanRun.objects.filter(
        school=school, status=PlanRun.Status.RUNNING, started_at__lt=now - STUCK_AFTER
    ).update(status=PlanRun.Status.FAILED, error=STUCK, finished_at=now)


def _breaches(check: Any) -> list[dict[str, str]]:
    return [
        {"rule": f.rule, "subject": f.subject.label, "message": f.message}
        for f in check.findings
        if f.counts_as_breach
    ]


def plan_run_solve(run_id: int) -> str:
    """Solve one queued run and store its result (or why it failed). The task's body."""
    from fairload.core.check import run_check
    from fairload.core.findings import Severity
    from fairload.core.packs import load_bundled
    from fairload.core.planner import Planner, anchors_from
    from fairload.core.planner.report import plan_report
    from fairload.core.planner.whatif import apply_what_if
    from fairload.core.planner.wishes import check_agreed
    from fairload.core.tables import tables_from_years
    from fairload.io.report_format import to_json
    from fairload.io.school_file import dump_school_year

    claimed = PlanRun.objects.filter(pk=run_id, status=PlanRun.Status.QUEUED).update(
        status=PlanRun.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return "not queued"
    run = PlanRun.objects.select_related("school", "base").get(pk=run_id)
    what_if = run.mode == PlanRun.Mode.WHAT_IF
    try:
        year = SchoolYear.objects.filter(school=run.school, label=run.label).first()
        if year is None:
            raise PlanRefused("The school's year is no longer stored.")
        starting = whatif_starting_events(year, run.base) if what_if else None
        document, core, spec = plan_document(year, run.plan_text, starting)
        pack = load_bundled(core.school.pack)
        check_agreed(
            document,
            spec,
            {r.id: r.title for r in pack.rules if r.severity is Severity.NEEDS_AGREEMENT},
            "plan",
        )
        before = run_check(pack, tables_from_years([core]))
        fte: dict[str, float] = {}
        original_calendar = core.calendar
        wishes_text = run.plan_text
        if what_if:
            was = {s.id: s.fte for s in core.staff}
            wishes_text = _changed_wishes(run, spec)
            core, spec = apply_what_if(list(run.what_if), core, spec)
            fte = {s.id: s.fte for s in core.staff if s.fte != was.get(s.id)}
        anchors = []
        if run.mode in (PlanRun.Mode.FIX, PlanRun.Mode.WHAT_IF):
            categories = {w.category for w in spec.wishes}
            anchors = anchors_from(e for e in core.events if e.category in categories)
        planner = Planner(core, pack, spec, None, anchors)
        result = planner.solve(
            seconds=float(getattr(settings, "FAIRLOAD_PLANNER_SECONDS", DEFAULT_SECONDS)),
            workers=int(getattr(settings, "FAIRLOAD_PLANNER_WORKERS", DEFAULT_WORKERS)),
        )
        if what_if and result.year is not None:
            _as_liked(result, planner, list(run.what_if))
        report = json.loads(to_json(plan_report(planner, result, before)))
        dumped = dump_school_year(result.year) if result.year is not None else None
        events = dumped["events"] if dumped is not None else None
        kept: dict[str, Any] = {"report": report, "events": events, "before": _breaches(before)}
        kept["fte"] = fte
        if wishes_text != run.plan_text:  # "WISH.count=N", "add WISH as NEW"
            kept["plan"] = wishes_text
        if dumped is not None and core.calendar != original_calendar:  # "weeks=N"
            kept["year"] = dumped["year"]
        run.result = json.loads(to_json(kept))
        run.status = PlanRun.Status.DONE
    except (InputError, InputErrors, PlanRefused) as exc:
        run.status, run.error = PlanRun.Status.FAILED, str(exc)
    except Exception as exc:  # the worker goes on; the page says the run failed
        run.status, run.error = PlanRun.Status.FAILED, f"The planner stopped: {exc}"
    run.finished_at = timezone.now()
    # Only a run still solving: one marked stuck meanwhile (plan_runs_expire) stays failed.
    PlanRun.objects.filter(pk=run.pk, status=PlanRun.Status.RUNNING).update(
        status=run.status, result=run.result, error=run.error, finished_at=run.finished_at
    )
    return str(run.status)


def _changed_wishes(run: PlanRun, spec: Any) -> str:
    """The run's wishes with its what-if's changes to them made (the core's
    ``what_if_section``), as the plan section's YAML; the run's own text, comments and
    all, when the what-if changes no wish (a teacher's FTE, the working weeks)."""
    from fairload.core.planner.whatif import what_if_section

    section = plan_section(run.plan_text)
    changed = what_if_section(list(run.what_if), section, spec)
    return run.plan_text if changed == section else plan_text_of(changed)


_ADDED = re.compile(r"^add (?P<like>\S+) as (?P<new>\S+)$")


def _as_liked(result: Any, planner: Any, what_if: list[str]) -> None:
    """A what-if's "add WISH as NEW" events take WISH's title (the core names them
    "Title (NEW)"), and what changes is counted over them all: the planner keeps to the
    days of the events' kind, not of each wish, so the new one may take an old one's day
    and the old one the new day; shown by title, that reads as one moved and one added,
    where the calendar has one event more and none moved."""
    from dataclasses import replace

    from fairload.core.planner import changes

    titles = {w.id: w.title for w in planner.spec.wishes}
    alias = {
        titles[m["new"]]: titles[m["like"]]
        for m in (_ADDED.match(c.strip()) for c in what_if)
        if m and m["new"] in titles and m["like"] in titles
    }
    if not alias:
        return
    events = tuple(replace(e, title=alias.get(e.title, e.title)) for e in result.events)
    result.events = events
    result.year = replace(
        result.year,
        events=tuple(replace(e, title=alias.get(e.title, e.title)) for e in result.year.events),
    )
    result.changes = changes(planner.replaced, events)


def plan_run_apply(*, actor: User, run: PlanRun, now: datetime) -> int:
    """Store the proposed calendar as the year's events and save the draft's next version
    (agreements' version_save) in one transaction; the version's number. PlanRefused (or
    AgreementRefused, from the agreement's own gates) if it may not be, nothing written."""
    school = run.school
    if not policies.may_draft(actor, school):
        raise PlanRefused("You may not draft this agreement.")
    if run.applied_at is not None:
        raise PlanRefused("This calendar has been used already.")
    if not run.found or not run.result or run.result.get("events") is None:
        raise PlanRefused("This run proposed no calendar.")
    with transaction.atomic():
        year = school_year_current(school=school)
        if year is None or year.label != run.label or year.revision != run.revision:
            raise PlanRefused(
                "The school's year has changed since this calendar was proposed: propose again."
            )
        agreement = agreement_of(year=year)
        if agreement is None:
            raise PlanRefused("Start the agreement's draft first.")
        document = school_year_document(year)
        document["events"] = run.result["events"]
        if "year" in run.result:  # a what-if's "weeks=N": the year ends sooner
            document["year"] = run.result["year"]
        fte = run.result.get("fte", {})
        for row in document["staff"]:
            if row["id"] in fte:  # a what-if's "fte STAFF=0.6"
                row["fte"] = fte[row["id"]]
        stored = school_year_import(document=document, source=f"plan run {run.pk}")
        # The wishes behind the calendar stay with the year: a what-if's as it changed them.
        plan_keep(stored, run.result.get("plan", run.plan_text))
        agreement = agreement_of(year=stored)
        assert agreement is not None
        latest = latest_version(agreement)
        content: dict[str, Any] = {"allocations": dict(latest.allocations) if latest else {}}
        content |= {n: getattr(latest, n) if latest else "" for n, _, _ in TEXT_PARTS}
        changes = run.result["report"].get("changes", {})
        version = version_save(
            actor=actor,
            agreement=agreement,
            content=content,
            note=f"Calendar from the planner{_asked(run)} ({_counted(changes)})",
            now=now,
        )
        claimed = PlanRun.objects.filter(pk=run.pk, applied_at=None).update(
            applied_at=now, applied_version=version.number
        )
        if not claimed:
            raise PlanRefused("This calendar has been used already.")
        audit_record(
            actor=actor,
            action="planner.apply",
            school=school,
            summary=f"Used the planner's calendar as version {version.number} "
            f"of the {stored.label} agreement ({_counted(changes)})",
            details={"year": stored.label, "run": run.pk, "version": version.number, **changes},
        )
    run.refresh_from_db()
    return version.number


def _asked(run: PlanRun) -> str:
    return f", what if {run.asked or '; '.join(run.what_if)}" if run.what_if else ""


def _counted(changes: dict[str, list[str]]) -> str:
    return ", ".join(f"{len(changes.get(k, []))} {k}" for k in ("added", "moved", "removed"))


__all__ = [
    "AgreementRefused",
    "PlanRefused",
    "last_plan_text",
    "plan_problems",
    "plan_run_again",
    "plan_run_apply",
    "plan_run_solve",
    "plan_run_start",
    "plan_runs_expire",
    "plan_text_initial",
    "plan_whatif_start",
]
