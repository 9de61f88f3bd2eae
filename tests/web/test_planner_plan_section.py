"""The school year's own ``plan`` section (docs/school-year-format.md#plan), stored with
the year: an imported file's is kept and starts the planner's wishes box (else the last
run's wishes do), the year's document (export, re-import) gives it back, and a calendar
the planner proposed, once used, keeps the wishes it was made from with the new year."""

from __future__ import annotations

import pytest
import yaml
from django.urls import reverse

from fairload.core.yamlfile import load_file
from fairload.web.planner.models import PlanRun, YearPlan
from fairload.web.planner.record import year_plan_text
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document

from .agreement_helpers import agreement_drafted, year_of
from .conftest import SCOTTISH
from .notice_helpers import run_worker
from .planner_helpers import wishes

SLUG = "test-academy"
START = reverse("planner-start", args=[SLUG])


@pytest.fixture(autouse=True)
def quick(settings):  # type: ignore[no-untyped-def]
    settings.FAIRLOAD_PLANNER_SECONDS = 2.0
    settings.FAIRLOAD_PLANNER_WORKERS = 1


def _with_plan(plan: str | None) -> None:
    """Import the test school's file again, with ``plan`` as its plan section (or none)."""
    document = load_file(SCOTTISH)
    if plan is not None:
        document["plan"] = yaml.safe_load(plan)
    school_year_import(document=document, source="test")


def _box(client) -> str:  # type: ignore[no-untyped-def]
    page = client.get(START).content.decode()
    return page.split('name="plan"', 1)[1].split(">", 1)[1].split("</textarea>", 1)[0]


@pytest.mark.django_db
def test_an_imported_plan_section_is_kept_and_starts_the_wishes_box(as_user, cast, schools):
    _with_plan(wishes(7, title="Staff meeting from the file"))
    agreement_drafted(schools[SLUG], cast["head"])
    year = year_of(schools[SLUG])

    assert yaml.safe_load(year_plan_text(year))["wishes"][0]["count"] == 7
    assert "Staff meeting from the file" in _box(as_user("head"))
    # the year's document (what export writes, and a re-import reads) gives it back
    assert school_year_document(year)["plan"]["wishes"][0]["title"] == (
        "Staff meeting from the file"
    )


@pytest.mark.django_db
def test_the_years_plan_comes_before_the_last_runs_wishes(as_user, cast, schools):
    agreement_drafted(schools[SLUG], cast["head"])
    head = as_user("head")
    head.post(START, {"plan": wishes(4, title="From the last run"), "mode": "propose"})
    assert "From the last run" in _box(head)  # no plan section: the last run's wishes

    _with_plan(wishes(5, title="From the year"))  # the agreement is the school's: kept

    assert "From the year" in _box(head) and "From the last run" not in _box(head)


@pytest.mark.django_db
def test_a_file_without_a_plan_section_replaces_the_year_without_one(schools):
    _with_plan(wishes(3))
    assert YearPlan.objects.count() == 1

    _with_plan(None)

    assert YearPlan.objects.count() == 0
    assert "plan" not in school_year_document(year_of(schools[SLUG]))


@pytest.mark.django_db
def test_a_calendar_used_keeps_the_wishes_it_was_made_from_with_the_year(
    as_user, cast, schools, monkeypatch
):
    _with_plan(wishes(2, title="The file's wishes"))
    agreement_drafted(schools[SLUG], cast["head"])
    head = as_user("head")
    ours = "# the committee's wishes, 2025-26\n" + wishes(3)
    head.post(START, {"plan": ours, "mode": "propose"})
    run_worker(monkeypatch)
    run = PlanRun.objects.get()
    assert run.found, run.error

    head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    year = year_of(schools[SLUG])
    assert year.revision > run.revision  # the year stored again, with the calendar
    assert year_plan_text(year) == ours.strip()  # as written, its comment kept
    assert school_year_document(year)["plan"]["wishes"][0]["count"] == 3
    assert _box(head).strip().startswith("# the committee&#x27;s wishes")
