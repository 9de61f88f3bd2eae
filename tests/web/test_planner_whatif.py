"""What-if on the planner's pages: one change chosen from the school's own wishes and
staff (how many of a wish, more like one, a teacher's FTE), re-planned by the task worker
from the calendar on screen (a proposal, or the year's own), previewed with what it
changes and the findings before and after, and used like any proposal. Each solve is
tiny (one wish, a 2 s limit, one thread)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.agreements.models import AgreementVersion
from fairload.web.audit.models import AuditEntry
from fairload.web.planner.models import PlanRun
from fairload.web.planner.record import plan_keep
from fairload.web.planner.services import plan_text_initial
from fairload.web.schools.models import StaffPost
from fairload.web.schools.to_core import school_year_document

from .agreement_helpers import agreement_drafted, year_of
from .notice_helpers import run_worker
from .planner_helpers import wishes

SLUG = "test-academy"
START = reverse("planner-start", args=[SLUG])
WHAT_IF = reverse("planner-whatif", args=[SLUG])


@pytest.fixture(autouse=True)
def quick(settings):  # type: ignore[no-untyped-def]
    settings.FAIRLOAD_PLANNER_SECONDS = 2.0
    settings.FAIRLOAD_PLANNER_WORKERS = 1


@pytest.fixture
def drafted(cast, schools):  # type: ignore[no-untyped-def]
    return agreement_drafted(schools[SLUG], cast["head"])


@pytest.fixture
def proposed(as_user, drafted, monkeypatch) -> PlanRun:  # type: ignore[no-untyped-def]
    """Three planned meetings, proposed and solved (not used)."""
    as_user("head").post(START, {"plan": wishes(3), "mode": "propose"})
    run_worker(monkeypatch)
    run = PlanRun.objects.get()
    assert run.found, run.error
    return run


def _latest() -> PlanRun:
    return PlanRun.objects.order_by("-pk").first()  # type: ignore[return-value]


def _page(client, run: PlanRun) -> str:  # type: ignore[no-untyped-def]
    return client.get(reverse("planner-run", args=[SLUG, run.pk])).content.decode()


@pytest.mark.django_db
def test_the_what_if_form_offers_the_plans_wishes_and_the_staff_by_name(as_user, proposed):
    page = as_user("head").get(f"{WHAT_IF}?from={proposed.pk}").content.decode()

    assert '<label class="govuk-label" for="id_add-wish">Like which of the school' in page
    assert '<option value="meetings">3 × &#x27;Planned meeting&#x27; (60 minutes, Wednesdays)' in (
        page
    )
    assert '<label class="govuk-label" for="id_fte-staff">Which teacher</label>' in page
    assert '<option value="t1">Kirsty Teacher (FTE 1)</option>' in page
    assert f'name="base" value="{proposed.pk}"' in page
    # the proposal's own page leads here
    assert f"{WHAT_IF}?from={proposed.pk}" in _page(as_user("head"), proposed)


@pytest.mark.django_db
def test_a_what_if_adding_one_more_shows_one_event_added_and_is_used(
    as_user, proposed, monkeypatch
):
    head = as_user("head")

    asked = head.post(
        WHAT_IF, {"kind": "add", "base": proposed.pk, "add-wish": "meetings", "add-count": "1"}
    )

    run = _latest()
    assert asked.status_code == 302 and asked["Location"].endswith(f"/plan/{run.pk}/")
    assert run.mode == PlanRun.Mode.WHAT_IF and run.status == PlanRun.Status.QUEUED
    assert run.what_if == ["add meetings as meetings-more"] and run.base == proposed
    assert "Waiting for the planner" in _page(head, run)

    run_worker(monkeypatch)

    run.refresh_from_db()
    assert run.status == PlanRun.Status.DONE, run.error
    # against the proposal it started from: one more meeting, titled as the wish it is
    # like, the proposal's three days all kept, nothing moved or removed (the planner
    # keeps to the days of the events' kind: the new one may take an old one's day, and
    # the old one the new day, which, counted by title, read as one moved)
    changes = run.result["report"]["changes"]
    assert (len(changes["added"]), changes["moved"], changes["removed"]) == (1, [], [])

    def days(r: PlanRun) -> set[str]:
        return {e["date"] for e in r.result["events"] if e["title"].startswith("Planned")}

    assert days(proposed) < days(run) and len(days(run)) == 4
    page = _page(head, run)
    assert "What if: 1 more like &#x27;Planned meeting&#x27;" in page
    assert "1 added" in page and "0 moved" in page and "0 removed" in page
    assert "Findings before and after" in page and "the calendar it started from" in page
    assert "Use this calendar" in page

    used = head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    assert used["Location"] == reverse("agreement-version", args=[SLUG, 2])
    version = AgreementVersion.objects.get(agreement__school__slug=SLUG, number=2)
    assert len([e for e in version.calendar if e["title"] == "Planned meeting"]) == 4
    assert "what if 1 more like 'Planned meeting'" in version.note
    assert AuditEntry.objects.filter(
        action="planner.start", summary__contains="what if 1 more like"
    ).exists()


@pytest.mark.django_db
def test_a_what_if_on_the_count_starts_from_the_years_own_calendar(as_user, drafted, monkeypatch):
    """Instead of a proposal: the year's own plan section and its own events."""
    head = as_user("head")
    plan_keep(year_of(drafted.school), wishes(3))

    head.post(WHAT_IF, {"kind": "count", "count-wish": "meetings", "count-count": "2"})
    run_worker(monkeypatch)

    run = _latest()
    assert run.what_if == ["meetings.count=2"] and run.base is None
    assert run.status == PlanRun.Status.DONE, run.error
    planned = [e for e in run.result["events"] if e["title"] == "Planned meeting"]
    assert len(planned) == 2
    assert "the school's calendar as it was" in _page(head, run)


@pytest.mark.django_db
def test_a_what_if_on_a_teachers_fte_is_stored_with_the_calendar_used(
    as_user, proposed, monkeypatch
):
    head = as_user("head")
    head.post(WHAT_IF, {"kind": "fte", "base": proposed.pk, "fte-staff": "t1", "fte-fte": "0.60"})
    run_worker(monkeypatch)
    run = _latest()
    assert run.what_if == ["fte t1=0.6"]
    assert run.status == PlanRun.Status.DONE, run.error
    assert run.result["fte"] == {"t1": 0.6}

    head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    assert StaffPost.objects.get(school_year__school__slug=SLUG, staff_id="t1").fte == 0.6


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({"kind": "count", "count-wish": "meetings", "count-count": "0"}, "Enter 1 or more"),
        ({"kind": "count", "count-wish": "meetings", "count-count": ""}, "Enter how many"),
        (
            {"kind": "count", "count-wish": "no-such-wish", "count-count": "2"},
            "Select a valid choice",
        ),
        ({"kind": "fte", "fte-staff": "t1", "fte-fte": "1.5"}, "Enter an FTE of 1 or less"),
        ({"kind": "fte", "fte-staff": "t1", "fte-fte": "0"}, "Enter an FTE above 0"),
        ({"kind": "fte", "fte-staff": "nobody", "fte-fte": "0.5"}, "Select a valid choice"),
    ],
    ids=["count 0", "no count", "no such wish", "fte over 1", "fte 0", "no such teacher"],
)
def test_a_what_if_not_in_the_choices_is_refused_and_nothing_is_queued(
    as_user, proposed, data, error
):
    response = as_user("head").post(WHAT_IF, {"base": proposed.pk, **data})

    assert response.status_code == 200
    text = response.content.decode()
    assert "There is a problem" in text and error in text
    assert PlanRun.objects.count() == 1


@pytest.mark.django_db
def test_a_what_if_from_a_proposal_made_before_the_year_changed_is_refused(as_user, proposed):
    year = year_of(proposed.school)
    year.revision += 1
    year.save(update_fields=["revision"])

    page = as_user("head").get(f"{WHAT_IF}?from={proposed.pk}").content.decode()
    posted = as_user("head").post(
        WHAT_IF, {"kind": "add", "base": proposed.pk, "add-wish": "meetings", "add-count": "1"}
    )

    assert "has changed since that calendar was proposed" in page
    assert 'name="kind"' not in page
    assert posted.status_code == 200 and PlanRun.objects.count() == 1


@pytest.mark.django_db
def test_a_school_with_no_wishes_is_sent_to_give_them_first(as_user, drafted):
    page = as_user("head").get(WHAT_IF).content.decode()

    assert "The school has no wishes yet" in page
    assert reverse("planner-start", args=[SLUG]) in page
    assert 'name="kind"' not in page


@pytest.mark.django_db
def test_a_run_of_another_school_is_not_a_base(as_user, cast, schools, proposed):
    other = PlanRun.objects.create(
        school=schools["test-school"],
        label="x",
        mode="propose",
        plan_text="",
        revision=0,
        requested_at=proposed.requested_at,
    )

    assert as_user("head").get(f"{WHAT_IF}?from={other.pk}").status_code == 404
    assert as_user("head").get(f"{WHAT_IF}?from=abc").status_code == 404


def _working_days(slug: str) -> int:
    from fairload.core.calendar import school_period
    from fairload.web.schools.to_core import to_core

    core = to_core(year_of_slug(slug))
    return len(school_period(core.calendar, core.school.nation).working_days)


def year_of_slug(slug: str):  # type: ignore[no-untyped-def]
    from fairload.web.schools.models import School

    return year_of(School.objects.get(slug=slug))


@pytest.mark.django_db
def test_a_what_if_on_the_working_weeks_offers_only_fewer_and_says_how_many_the_year_has(
    as_user, proposed
):
    days = _working_days(SLUG)
    most = (days - 1) // 5
    page = as_user("head").get(f"{WHAT_IF}?from={proposed.pk}").content.decode()

    assert "Move to fewer working weeks" in page
    assert f"The year has {days / 5:g} working weeks of 5 days." in page

    refused = as_user("head").post(
        WHAT_IF, {"kind": "weeks", "base": proposed.pk, "weeks-weeks": str(most + 1)}
    )

    assert refused.status_code == 200
    assert f"Enter at most {most}: the year has {days / 5:g} working weeks" in (
        refused.content.decode()
    )
    assert PlanRun.objects.count() == 1


@pytest.mark.django_db
def test_a_what_if_on_the_working_weeks_ends_the_year_sooner_and_used_stores_its_new_end(
    as_user, proposed, monkeypatch
):
    head = as_user("head")
    most = (_working_days(SLUG) - 1) // 5

    head.post(WHAT_IF, {"kind": "weeks", "base": proposed.pk, "weeks-weeks": str(most - 2)})
    run_worker(monkeypatch)

    run = _latest()
    assert run.what_if == [f"weeks={most - 2}"]
    assert run.status == PlanRun.Status.DONE, run.error
    year = run.result["year"]
    assert year["end"] < year_of_slug(SLUG).end.isoformat()
    assert f"What if: {most - 2} working weeks" in _page(head, run)

    used = head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    assert used["Location"] == reverse("agreement-version", args=[SLUG, 2])
    assert year_of_slug(SLUG).end.isoformat() == year["end"]
    assert _working_days(SLUG) == (most - 2) * 5


def _stored_wishes(slug: str) -> dict[str, dict[str, object]]:
    """The year's plan section as its export carries it: each wish by id."""
    document = school_year_document(year_of_slug(slug))
    return {w["id"]: w for w in document["plan"]["wishes"]}


@pytest.mark.django_db
def test_a_what_if_adding_more_used_stores_the_added_wish_so_proposing_again_keeps_it(
    as_user, proposed, monkeypatch
):
    """Using "2 more like 'Planned meeting'" stores the wish it added in the year's plan
    section (its export carries it): the wishes box starts from it, and a later "Propose a
    calendar" plans all five, not the three the what-if started from."""
    head = as_user("head")
    head.post(
        WHAT_IF, {"kind": "add", "base": proposed.pk, "add-wish": "meetings", "add-count": "2"}
    )
    run_worker(monkeypatch)
    run = _latest()
    assert run.status == PlanRun.Status.DONE, run.error

    head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    stored = _stored_wishes(SLUG)
    assert stored["meetings"]["count"] == 3
    assert stored["meetings-more"]["count"] == 2
    assert stored["meetings-more"]["title"] == "Planned meeting"
    assert {k: v for k, v in stored["meetings-more"].items() if k not in ("id", "count")} == {
        k: v for k, v in stored["meetings"].items() if k not in ("id", "count")
    }
    text = plan_text_initial(year_of_slug(SLUG))
    assert "meetings-more" in text

    head.post(START, {"plan": text, "mode": "propose"})
    run_worker(monkeypatch)
    again = _latest()
    assert again.found, again.error
    assert len([e for e in again.result["events"] if e["title"] == "Planned meeting"]) == 5


@pytest.mark.django_db
def test_a_what_if_on_the_count_used_stores_the_new_count(as_user, proposed, monkeypatch):
    head = as_user("head")
    head.post(
        WHAT_IF,
        {"kind": "count", "base": proposed.pk, "count-wish": "meetings", "count-count": "2"},
    )
    run_worker(monkeypatch)
    run = _latest()
    assert run.status == PlanRun.Status.DONE, run.error

    head.post(reverse("planner-run-apply", args=[SLUG, run.pk]))

    assert _stored_wishes(SLUG)["meetings"]["count"] == 2
