"""The council overview: every school with its findings and agreement stage."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fairload.web.schools.models import SchoolYear

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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remove", "stage"),
    [(None, "submitted"), ("submitted", "signed"), ("vote", "consulted")],
)
def test_the_stage_comes_from_the_packs_process_steps_and_the_check(
    as_user, schools, remove, stage
):
    year = SchoolYear.objects.get(school=schools["test-academy"])
    if remove:
        del year.agreement["process"][remove]
        year.save()

    page = as_user("council").get(COUNCIL).content.decode()

    assert f'data-stage="{stage}"' in page


@pytest.mark.django_db
def test_the_overview_names_the_pack_by_title_shows_the_due_date_and_why(as_user, schools):
    year = SchoolYear.objects.get(school=schools["test-academy"])
    del year.agreement["process"]["submitted"]
    year.save()

    page = as_user("council").get(COUNCIL, {"overdue": "yes"}).content.decode()

    assert "South Ayrshire" in page and "scotland/south-ayrshire-jnct-2.7" not in page
    assert "Due 13 August 2025: the signed agreement is not recorded as submitted" in page
    assert 'data-school="test-academy"' in page


@pytest.mark.django_db
def test_the_overdue_filter_leaves_out_schools_on_time(as_user):
    page = as_user("council").get(COUNCIL, {"overdue": "yes"}).content.decode()

    assert "No school matches." in page


@pytest.mark.django_db
def test_the_overview_downloads_as_csv(as_user):
    response = as_user("council").get(COUNCIL, {"format": "csv"})

    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("school,year,pack,stage,due,overdue,why,breach")
    assert lines[1].startswith("Test Academy,")
    assert "union members" not in lines[0]


@pytest.mark.django_db
def test_the_union_officer_sees_member_counts_with_small_ones_suppressed(as_user, cast):
    from fairload.web.accounts.models import Membership, UnionMembership

    Membership.objects.filter(user=cast["union-officer"]).update(union="EIS")
    UnionMembership.objects.create(user=cast["teacher"], union="EIS")

    page = as_user("union-officer").get(COUNCIL).content.decode()
    council_page = as_user("council").get(COUNCIL).content.decode()

    assert "<td" in page and "data-members>fewer than 5<" in page
    assert "Kirsty" not in page  # never who
    assert "data-members" not in council_page
    csv_text = as_user("union-officer").get(COUNCIL, {"format": "csv"}).content.decode()
    assert "union members" in csv_text and "fewer than 5" in csv_text


@pytest.mark.django_db
def test_a_year_that_has_begun_without_submission_is_overdue(as_user, schools):
    year = SchoolYear.objects.get(school=schools["test-academy"])
    year.agreement = {"process": {"draft_prepared": "2025-05-12"}}
    year.save()

    page = as_user("council").get(COUNCIL).content.decode()

    assert "Overdue" in page
