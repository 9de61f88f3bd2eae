"""A run whose worker died would say "solving" for ever. Read (its page, its progress,
the wishes page's list, the API) once it has been solving longer than STUCK_AFTER, it is
failed, saying so in plain words, and the person may start it again."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fairload.web.api.services import api_token_create
from fairload.web.planner.models import PlanRun
from fairload.web.planner.services import STUCK_AFTER, plan_run_solve, plan_runs_expire

from .agreement_helpers import agreement_drafted, year_of
from .notice_helpers import run_worker
from .planner_helpers import wishes

SLUG = "test-academy"


@pytest.fixture(autouse=True)
def quick(settings):  # type: ignore[no-untyped-def]
    settings.FAIRLOAD_PLANNER_SECONDS = 2.0
    settings.FAIRLOAD_PLANNER_WORKERS = 1


def _solving(school, started_ago: timedelta, **more: object) -> PlanRun:  # type: ignore[no-untyped-def]
    """A run the worker took (status running) ``started_ago``, and never finished."""
    year = year_of(school)
    now = timezone.now()
    return PlanRun.objects.create(
        school=school,
        label=year.label,
        mode=PlanRun.Mode.PROPOSE,
        plan_text=wishes(2),
        revision=year.revision,
        status=PlanRun.Status.RUNNING,
        requested_at=now - started_ago - timedelta(seconds=1),
        started_at=now - started_ago,
        **more,
    )


@pytest.fixture
def drafted(cast, schools):  # type: ignore[no-untyped-def]
    return agreement_drafted(schools[SLUG], cast["head"])


@pytest.mark.django_db
def test_a_run_solving_past_the_limit_is_read_as_failed_and_started_again(
    as_user, drafted, monkeypatch
):
    run = _solving(drafted.school, STUCK_AFTER + timedelta(minutes=1))
    head = as_user("head")

    page = head.get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()

    run.refresh_from_db()
    assert run.status == PlanRun.Status.FAILED and run.finished_at is not None
    assert "The planner could not run" in page
    assert "still solving after 10 minutes" in page and "Start again" in page

    again = head.post(reverse("planner-run-again", args=[SLUG, run.pk]))

    new = PlanRun.objects.exclude(pk=run.pk).get()
    assert again["Location"] == reverse("planner-run", args=[SLUG, new.pk])
    assert (new.status, new.mode, new.plan_text) == (PlanRun.Status.QUEUED, run.mode, run.plan_text)
    run_worker(monkeypatch)
    new.refresh_from_db()
    assert new.status == PlanRun.Status.DONE, new.error


@pytest.mark.django_db
def test_a_run_solving_within_the_limit_is_left_solving(as_user, drafted):
    run = _solving(drafted.school, STUCK_AFTER - timedelta(minutes=1))

    page = as_user("head").get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()

    run.refresh_from_db()
    assert run.status == PlanRun.Status.RUNNING and "Solving" in page
    assert "Start again" not in page


@pytest.mark.django_db
def test_the_progress_the_list_and_the_api_each_read_a_stuck_run_as_failed(as_user, drafted, cast):
    late = STUCK_AFTER + timedelta(seconds=30)
    head = as_user("head")

    polled = _solving(drafted.school, late)
    status = head.get(reverse("planner-run-status", args=[SLUG, polled.pk]), HTTP_HX_REQUEST="true")
    assert status["HX-Refresh"] == "true"  # htmx reloads the page, which says why

    listed = _solving(drafted.school, late)
    page = head.get(reverse("planner-start", args=[SLUG])).content.decode()
    listed.refresh_from_db()
    assert listed.status == PlanRun.Status.FAILED and "Solving" not in page

    fetched = _solving(drafted.school, late)
    key = api_token_create(user=cast["head"], name="test")[1]
    body = (
        Client(headers={"Authorization": f"Bearer {key}"})
        .get(f"/api/schools/{SLUG}/plans/{fetched.pk}")
        .json()
    )
    assert body["status"] == "failed" and "still solving after" in body["error"]


@pytest.mark.django_db
def test_a_worker_that_finishes_after_its_run_was_read_as_stuck_leaves_it_failed(
    drafted, monkeypatch
):
    """The worker was only slow: its late result does not overwrite what the page said."""
    from fairload.core.planner import Planner

    run = _solving(drafted.school, timedelta(0))
    PlanRun.objects.filter(pk=run.pk).update(status=PlanRun.Status.QUEUED, started_at=None)
    solve = Planner.solve

    def slow(self, **kwargs):  # type: ignore[no-untyped-def]
        plan_runs_expire(drafted.school, timezone.now() + STUCK_AFTER + timedelta(minutes=1))
        return solve(self, **kwargs)

    monkeypatch.setattr(Planner, "solve", slow)

    assert plan_run_solve(run.pk) == "done"

    run.refresh_from_db()
    assert run.status == PlanRun.Status.FAILED and "still solving" in run.error
    assert run.result is None


@pytest.mark.django_db
def test_only_a_failed_run_is_started_again(as_user, drafted):
    run = _solving(drafted.school, timedelta(0))

    response = as_user("head").post(reverse("planner-run-again", args=[SLUG, run.pk]), follow=True)

    assert b"Only a run that failed is started again" in response.content
    assert PlanRun.objects.count() == 1
