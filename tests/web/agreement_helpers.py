"""Agreements for the agreement tests, made as rows (the services are tested on their
own): the Scottish test school's 2025-26 year, drafted in May 2025."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from django.contrib.auth.models import AbstractBaseUser

from fairload.web.agreements.models import Agreement, AgreementVersion, Comment, Submission
from fairload.web.agreements.selectors import year_events
from fairload.web.schools.models import School, SchoolYear

DRAFTED = datetime(2025, 5, 12, 9, tzinfo=UTC)
CONSULTING = DRAFTED + timedelta(days=1)
#: South Ayrshire's consultation window is 10 days (consultation_window_days)
DURING = CONSULTING + timedelta(days=2)


def year_of(school: School) -> SchoolYear:
    year = school.years.order_by("-start").first()
    assert year is not None
    year.school = school
    return year


def agreement_drafted(school: School, actor: AbstractBaseUser | None = None) -> Agreement:
    year = year_of(school)
    agreement = Agreement.objects.create(
        school=school, label=year.label, year_start=year.start, created_at=DRAFTED
    )
    AgreementVersion.objects.create(
        agreement=agreement,
        number=1,
        created_at=DRAFTED,
        created_by=actor,
        note="The pack's defaults",
        calendar=year_events(year=year),
    )
    return agreement


def consultation_opened(agreement: Agreement) -> Agreement:
    agreement.consultation_opened_at = CONSULTING
    agreement.consultation_closes_at = CONSULTING + timedelta(days=10)
    agreement.consultation_version = agreement.versions.get(number=1)
    agreement.save()
    return agreement


def comment_by(agreement: Agreement, author: AbstractBaseUser, *, pk: int | None = None) -> Comment:
    return Comment.objects.create(
        pk=pk,
        agreement=agreement,
        version=agreement.versions.order_by("-number").first(),
        author=author,
        author_name=author.get_username(),
        text="Parents' evenings should be spread over the year.",
        created_at=DURING,
    )


def submitted(agreement: Agreement, *, pk: int | None = None) -> Submission:
    latest = agreement.versions.order_by("-number").first()
    assert latest is not None
    if latest.final_at is None:
        latest = AgreementVersion.objects.create(
            agreement=agreement,
            number=latest.number + 1,
            created_at=DURING,
            final_at=DURING,
            calendar=latest.calendar,
        )
    return Submission.objects.create(
        pk=pk, version=latest, submitted_at=DURING, content_hash="0" * 64
    )
