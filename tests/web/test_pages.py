"""What the pages show: the budget against the pack and the findings with their clauses."""

from __future__ import annotations

from datetime import time

import pytest
from django.urls import reverse

from fairload.core.yamlfile import load_file
from fairload.web.schools.models import Event, SchoolYear, StaffPost
from fairload.web.schools.services import school_year_import

from .conftest import PACKS


@pytest.mark.django_db
def test_the_dashboard_shows_appendix_1_and_says_nothing_breaks_the_agreement(as_user):
    page = as_user("head").get(reverse("school-dashboard", args=["test-academy"])).content.decode()

    assert "The 35 hour week for teachers (Appendix 1)" in page
    assert "1365" in page
    assert "Nothing breaks the agreement." in page


@pytest.mark.django_db
def test_a_long_meeting_shows_as_a_warning_with_its_clause_and_figures(as_user):
    event = Event.objects.get(event_id="sm1", school_year__school__slug="test-academy")
    event.end = time(18, 30)  # 15:45 to 18:30: 2.75 hours
    event.save()

    page = as_user("rep").get(reverse("school-dashboard", args=["test-academy"])).content.decode()

    assert 'data-finding="meeting-max-duration"' in page
    assert "South Ayrshire JNCT2.7, 7.3" in page
    assert "lasts 2.75 hours; the limit is 2 hours" in page


@pytest.mark.django_db
def test_a_teacher_sees_their_own_budget_and_findings(as_user):
    post = StaffPost.objects.get(staff_id="t1", school_year__school__slug="test-academy")
    post.contact_periods_per_week = 29
    post.save()

    page = (
        as_user("teacher")
        .get(reverse("teacher-page", args=["test-academy", "t1"]))
        .content.decode()
    )

    assert "My working-time budget" in page
    assert "Kirsty Teacher is timetabled for 24.17 hours a week; the limit is 22.5" in page
    assert "Whole-school meeting" in page


@pytest.mark.django_db
def test_the_home_page_takes_a_one_school_head_straight_to_the_dashboard(as_user):
    response = as_user("head").get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse("school-dashboard", args=["test-academy"])


@pytest.mark.django_db
def test_the_dashboard_reads_the_latest_year(as_user, schools):
    school = schools["test-academy"]
    current = SchoolYear.objects.get(school=school)
    SchoolYear.objects.create(
        school=school,
        label="2024-25",
        start=current.start.replace(year=current.start.year - 1),
        end=current.end.replace(year=current.end.year - 1),
        calendar=current.calendar,
    )

    page = as_user("head").get(reverse("school-dashboard", args=["test-academy"])).content.decode()

    assert "2025-26" in page
    assert "2024-25" not in page


@pytest.mark.django_db
def test_only_a_site_administrators_home_page_offers_to_import_a_new_school(as_user):
    admin = as_user("admin").get(reverse("home")).content.decode()
    council = as_user("council").get(reverse("home"), follow=True).content.decode()

    assert reverse("import-new-school") in admin
    assert reverse("import-new-school") not in council


@pytest.mark.django_db
def test_the_dashboard_names_signature_roles_in_words_not_ids(as_user):
    page = as_user("head").get(reverse("school-dashboard", args=["test-academy"])).content.decode()

    assert "Duncan Teacher (union representative)" in page
    assert "Morag Head (head teacher)" in page
    assert "(union-rep)" not in page


@pytest.mark.django_db
def test_a_finding_under_an_instruction_read_outside_its_mandate_is_marked(as_user):
    # NUT ASOS 2015's mandate ran 2015-03-01 to 2016-08-31; the school year is 2025-26.
    path = PACKS / "england" / "neu-asos-2015" / "tests" / "school.yaml"
    document = load_file(path)
    document["school"]["id"] = "neu-school"
    document["policy"]["emails-expected-outside-directed-time"] = True
    school_year_import(document=document, source=str(path))

    page = as_user("admin").get(reverse("school-dashboard", args=["neu-school"])).content.decode()

    assert 'data-finding="emails-in-directed-time"' in page
    assert "data-outside-mandate>outside the instruction&#x27;s mandate</strong>" in page
    assert "Checked outside the instruction&#x27;s mandate" in page
    assert "not counted as a breach" in page
