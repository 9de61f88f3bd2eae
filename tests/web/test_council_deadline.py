"""The council sets the day its schools' agreements of a session are due (JNCT2.7 16.5),
in place of the pack's default (the session's first day, 13 August 2025 for the test
school): the overview, its filter and CSV, the school's next steps and the head's
calendar feed all read it; the change is in the audit log."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from fairload.web.agreements.steps import agreement_due
from fairload.web.audit.models import AuditEntry
from fairload.web.schools.models import AgreementDeadline, SchoolYear

COUNCIL = reverse("council-overview", args=["south-ayrshire-council"])
DEADLINE = reverse("council-deadline", args=["south-ayrshire-council"])


def _not_submitted(school) -> SchoolYear:  # type: ignore[no-untyped-def]
    year = SchoolYear.objects.get(school=school)
    del year.agreement["process"]["submitted"]
    year.save()
    return year


def _set(client, label: str, due: date):  # type: ignore[no-untyped-def]
    return client.post(
        DEADLINE,
        {"label": label, "due_0": due.day, "due_1": due.month, "due_2": due.year},
    )


@pytest.mark.django_db
def test_the_councils_day_replaces_the_packs_and_a_school_is_overdue_only_after_it(
    as_user, schools
):
    year = _not_submitted(schools["test-academy"])
    council = as_user("council")
    assert "Due 13 August 2025" in council.get(COUNCIL, {"overdue": "yes"}).content.decode()

    response = _set(council, year.label, date(2027, 1, 15))

    assert response.status_code == 302 and response["Location"] == COUNCIL
    page = council.get(COUNCIL).content.decode()
    assert "Due 15 January 2027" in page and "Overdue</strong>" not in page
    assert "No school matches." in council.get(COUNCIL, {"overdue": "yes"}).content.decode()
    csv_text = council.get(COUNCIL, {"format": "csv"}).content.decode()
    assert ",2027-01-15,no," in csv_text
    assert agreement_due(year) == date(2027, 1, 15)


@pytest.mark.django_db
def test_moving_the_day_keeps_one_per_session_and_the_log_says_from_what_to_what(as_user, schools):
    year = _not_submitted(schools["test-academy"])
    council = as_user("council")

    _set(council, year.label, date(2026, 6, 1))
    _set(council, year.label, date(2026, 6, 30))

    assert list(AgreementDeadline.objects.values_list("due", flat=True)) == [date(2026, 6, 30)]
    entry = AuditEntry.objects.filter(action="agreement.deadline").latest("pk")
    assert "Tuesday 30 June 2026" in entry.summary and "it was 1 June 2026" in entry.summary
    assert "Due 30 June 2026" in council.get(COUNCIL).content.decode()


@pytest.mark.django_db
def test_a_day_that_is_not_a_date_is_refused_and_nothing_is_set(as_user, schools):
    year = _not_submitted(schools["test-academy"])

    response = as_user("council").post(
        DEADLINE, {"label": year.label, "due_0": "31", "due_1": "2", "due_2": "2026"}
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a real date: 31 2 2026 is no day of the calendar" in page
    assert not AgreementDeadline.objects.exists()


@pytest.mark.django_db
def test_the_overview_links_to_it_for_the_councils_officers_only(as_user):
    assert DEADLINE in as_user("council").get(COUNCIL).content.decode()
    assert DEADLINE not in as_user("union-officer").get(COUNCIL).content.decode()


@pytest.mark.django_db
def test_another_councils_officer_cannot_set_it(as_user, schools):
    year = _not_submitted(schools["test-academy"])

    response = _set(as_user("other-council"), year.label, date(2027, 1, 15))

    assert response.status_code == 404
    assert not AgreementDeadline.objects.exists()
