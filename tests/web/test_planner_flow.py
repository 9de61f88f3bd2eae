"""The planner on the agreement's draft: the head gives the wishes, the task worker solves
(run here with the worker's own command, as in production), the page previews the
proposal, and "Use this calendar" stores it and saves the draft's next version, audited.
Each solve is tiny (one wish, a 2 s limit, one thread)."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from fairload.core.packs import load_pack
from fairload.web.agreements.models import AgreementVersion
from fairload.web.audit.models import AuditEntry
from fairload.web.planner.models import PlanRun
from fairload.web.schools.models import Event

from .agreement_helpers import agreement_drafted, year_of
from .notice_helpers import run_worker
from .planner_helpers import wishes

SLUG = "test-academy"
START = reverse("planner-start", args=[SLUG])


@pytest.fixture(autouse=True)
def quick(settings):  # type: ignore[no-untyped-def]
    settings.FAIRLOAD_PLANNER_SECONDS = 2.0
    settings.FAIRLOAD_PLANNER_WORKERS = 1


@pytest.fixture
def drafted(cast, schools):  # type: ignore[no-untyped-def]
    return agreement_drafted(schools[SLUG], cast["head"])


def _ask(client, plan: str, mode: str = "propose"):  # type: ignore[no-untyped-def]
    return client.post(START, {"plan": plan, "mode": mode})


def _solved(monkeypatch) -> PlanRun:  # type: ignore[no-untyped-def]
    run_worker(monkeypatch)
    return PlanRun.objects.get()


def _meetings(category: str = "staff-meeting") -> list[Event]:
    return list(Event.objects.filter(category=category).order_by("date"))


@pytest.mark.django_db
def test_a_head_proposes_previews_and_uses_a_calendar(as_user, drafted, monkeypatch):
    head = as_user("head")
    assert b"Propose a calendar" in head.get(START).content
    before = [(e.title, e.date) for e in _meetings()]

    asked = _ask(head, wishes(3))

    run = PlanRun.objects.get()
    assert asked.status_code == 302 and asked["Location"].endswith(f"/plan/{run.pk}/")
    assert run.status == PlanRun.Status.QUEUED and run.mode == "propose"
    waiting = head.get(asked["Location"])
    # a progress indicator: htmx polls the status; without JavaScript, a refresh
    assert b"Waiting for the planner" in waiting.content
    assert b'hx-trigger="every 2s"' in waiting.content
    assert b'http-equiv="refresh"' in waiting.content
    assert _meetings() and [(e.title, e.date) for e in _meetings()] == before  # nothing yet

    run = _solved(monkeypatch)

    assert run.status == PlanRun.Status.DONE, run.error
    assert run.result["report"]["status"] in ("optimal", "feasible")
    status = head.get(reverse("planner-run-status", args=[SLUG, run.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"
    preview = head.get(asked["Location"]).content.decode()
    assert "3 added" in preview and "Use this calendar" in preview
    assert "Planned meeting: 20" in preview  # an added event, by its day and time
    # the stored year is untouched until the head uses the calendar
    assert [(e.title, e.date) for e in _meetings()] == before

    used = head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    assert used.status_code == 302
    assert used["Location"] == reverse("agreement-version", args=[SLUG, 2])
    planned = [e for e in _meetings() if e.title == "Planned meeting"]
    assert len(planned) == 3 and all(e.date.weekday() == 2 for e in planned)
    version = AgreementVersion.objects.get(agreement=drafted, number=2)
    assert len([e for e in version.calendar if e["title"] == "Planned meeting"]) == 3
    assert version.created_by == run.requested_by
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"planner.start", "planner.apply", "agreement.version"} <= actions
    run.refresh_from_db()
    assert run.applied_version == 2
    # used once: a second press changes nothing
    again = head.post(reverse("planner-run-apply", args=[SLUG, run.pk]), follow=True)
    assert b"used already" in again.content
    assert AgreementVersion.objects.filter(agreement=drafted).count() == 2


@pytest.mark.django_db
def test_fix_my_calendar_keeps_the_schools_own_meeting_where_it_is(as_user, drafted, monkeypatch):
    (own,) = [e for e in _meetings() if e.title == "Whole-school meeting"]
    _ask(as_user("head"), wishes(2, title="Whole-school meeting"), mode="fix")

    run = _solved(monkeypatch)

    assert run.status == PlanRun.Status.DONE, run.error
    changes = run.result["report"]["changes"]
    assert changes["moved"] == [] and changes["removed"] == []
    assert len(changes["added"]) == 1
    kept = [e for e in run.result["events"] if e["title"] == "Whole-school meeting"]
    assert own.date.isoformat() in {e["date"] for e in kept}


@pytest.mark.django_db
def test_wishes_not_in_the_format_are_refused_with_their_line_and_field(as_user, drafted):
    bad = wishes(3).replace("minutes: 60", "minutes: sixty")

    response = _ask(as_user("head"), bad)

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text
    assert "line 5" in text and "plan.wishes[0].minutes" in text
    assert not PlanRun.objects.exists()


@pytest.mark.django_db
def test_when_no_calendar_exists_the_page_says_why_with_the_clause(as_user, drafted, monkeypatch):
    pack = load_pack("scotland/south-ayrshire-jnct-2.7")
    year = year_of(drafted.school)
    rule = pack.rule("one-report-per-session")
    allowed = int(pack.parameters.resolve(rule.settings["max"], year.start).value)
    plan = wishes(allowed + 1, category="report", title="Full reports", weekdays=None)
    plan = plan.replace("  weekdays: null\n", "")
    _ask(as_user("head"), plan)

    run = _solved(monkeypatch)

    assert run.result["report"]["status"] == "infeasible"
    page = as_user("head").get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()
    assert "No calendar can meet every wish and rule" in page
    assert "JNCT2.7, 5.3" in page
    assert "Use this calendar" not in page


@pytest.mark.django_db
def test_a_calendar_proposed_before_the_year_changed_is_not_used(as_user, drafted, monkeypatch):
    _ask(as_user("head"), wishes(2))
    run = _solved(monkeypatch)
    year = year_of(drafted.school)
    year.revision += 1  # an edit of the year since the proposal
    year.save(update_fields=["revision"])

    response = as_user("head").post(reverse("planner-run-apply", args=[SLUG, run.pk]), follow=True)

    assert b"has changed since this calendar was proposed" in response.content
    assert not _meetings() or all(e.title != "Planned meeting" for e in _meetings())
    assert AgreementVersion.objects.filter(agreement=drafted).count() == 1


@pytest.mark.django_db
def test_the_api_starts_a_plan_and_answers_its_status_and_result(cast, drafted, monkeypatch):
    from django.test import Client

    from fairload.web.api.services import api_token_create

    key = api_token_create(user=cast["rep"], name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})
    started = client.post(
        f"/api/schools/{SLUG}/plans",
        {"mode": "propose", "plan": wishes(2)},
        content_type="application/json",
    )
    assert started.status_code == 202
    url = f"/api/schools/{SLUG}/plans/{started.json()['id']}"
    assert client.get(url).json()["status"] == "queued"
    assert client.get(url).json()["result"] is None

    run_worker(monkeypatch)

    body = client.get(url).json()
    assert body["status"] == "done"
    assert body["result"]["status"] in ("optimal", "feasible")
    assert len(body["result"]["changes"]["added"]) == 2
    bad = client.post(
        f"/api/schools/{SLUG}/plans",
        {"mode": "propose", "plan": "wishes: {}"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "plan.wishes" in bad.json()["detail"]


@pytest.mark.django_db
def test_fixing_a_calendar_over_a_limit_shows_the_finding_cleared(as_user, drafted, monkeypatch):
    """A parents' evening longer than the pack's cap is a breach; fixing the calendar
    with the evening the school wants (as long as the fixture's compliant one) clears it."""
    year = year_of(drafted.school)
    (evening,) = Event.objects.filter(school_year=year, category="parents-evening")
    minutes = (evening.end.hour * 60 + evening.end.minute) - (
        evening.start.hour * 60 + evening.start.minute
    )
    Event.objects.filter(pk=evening.pk).update(end=time(23, 30))
    plan = wishes(1, category="parents-evening", title=evening.title, weekdays=None)
    plan = plan.replace("  weekdays: null\n", "").replace("minutes: 60", f"minutes: {minutes}")
    _ask(as_user("head"), plan, mode="fix")

    run = _solved(monkeypatch)

    assert run.status == PlanRun.Status.DONE, run.error
    assert "parents-evening-appointments" in {b["rule"] for b in run.result["before"]}
    page = as_user("head").get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()
    cleared = page.split("Cleared", 1)[1].split("</ul>", 1)[0]
    assert "parents-evening-appointments" in cleared
    assert run.result["report"]["check"]["breaches_after"] < len(run.result["before"])


@pytest.mark.django_db
def test_a_run_the_planner_cannot_finish_is_marked_failed_and_says_why(
    as_user, drafted, monkeypatch
):
    from fairload.core.planner import Planner

    def broken(self, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("solver exploded")

    monkeypatch.setattr(Planner, "solve", broken)
    _ask(as_user("head"), wishes(2))

    run = _solved(monkeypatch)

    assert run.status == PlanRun.Status.FAILED and "solver exploded" in run.error
    page = as_user("head").get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()
    assert "The planner could not run" in page and "solver exploded" in page
    assert "Use this calendar" not in page
    assert AgreementVersion.objects.filter(agreement=drafted).count() == 1
