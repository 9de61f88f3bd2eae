"""The council overview: every school with its findings and agreement stage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import agreement_stage

COUNCIL = reverse("council-overview", args=["south-ayrshire-council"])
OTHER = reverse("council-overview", args=["test-local-authority"])


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page", "status"),
    [
        ("council", COUNCIL, 200),
        ("union-officer", COUNCIL, 200),
        ("admin", COUNCIL, 200),
        ("head", COUNCIL, 404),
        ("rep", COUNCIL, 404),
        ("teacher", COUNCIL, 404),
        ("other-council", COUNCIL, 404),
        ("council", OTHER, 404),
        ("other-council", OTHER, 200),
    ],
)
def test_only_the_councils_own_officers_and_site_admins_see_its_overview(
    as_user, who, page, status
):
    assert as_user(who).get(page).status_code == status


@pytest.mark.django_db
def test_it_lists_each_school_with_its_stage_and_findings(as_user):
    page = as_user("council").get(COUNCIL).content.decode()

    assert 'data-school="test-academy"' in page
    assert "Submitted" in page


@pytest.mark.django_db
def test_it_filters_by_agreement_stage(as_user):
    page = as_user("council").get(COUNCIL, {"stage": "drafted"}).content.decode()

    assert 'data-school="test-academy"' not in page
    assert "No school matches." in page


@pytest.mark.django_db
def test_a_council_officer_signing_in_lands_on_their_council(as_user):
    response = as_user("council").get(reverse("home"))

    assert response["Location"] == COUNCIL


@pytest.mark.parametrize(
    ("process", "stage"),
    [
        ({}, "not started"),
        ({"draft_prepared": "2025-05-12"}, "drafted"),
        ({"draft_prepared": "2025-05-12", "consultation_closed": "2025-05-27"}, "consulted"),
        ({"vote": {"eligible": 8, "in_favour": 4, "against": 4}}, "not started"),
        ({"vote": {"eligible": 8, "in_favour": 5, "against": 3}}, "approved"),
        (
            {
                "vote": {"eligible": 8, "in_favour": 5, "against": 3},
                "signatures": [{"role": "head-teacher"}, {"role": "union-rep"}],
            },
            "signed",
        ),
        (
            {"vote": {"eligible": 8, "in_favour": 5, "against": 3}, "submitted": "2025-06-10"},
            "submitted",
        ),
    ],
    ids=[
        "nothing",
        "draft",
        "consulted",
        "4 of 8 is not a majority",
        "approved",
        "signed",
        "submitted",
    ],
)
def test_the_agreement_stage_follows_section_16(process, stage):
    assert agreement_stage({"process": process}) == stage


@pytest.mark.django_db
def test_a_year_that_has_begun_without_submission_is_overdue(as_user, schools):
    year = SchoolYear.objects.get(school=schools["test-academy"])
    year.agreement = {"process": {"draft_prepared": "2025-05-12"}}
    year.save()

    page = as_user("council").get(COUNCIL).content.decode()

    assert "Overdue" in page
