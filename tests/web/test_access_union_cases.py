"""The union local officer's pages across the council (the cases by stage, instruction,
age, what is overdue, the pattern view and its CSVs) and a case's file as one PDF,
against every part of the cast: the council's NEU local officer opens the council's
pages and the case file; the school's NEU rep the case file; nobody else anything (404):
not the head (a member too), an NEU member, a member of another union, a council
officer, a site administrator, another school's or council's people."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from fairload.web.disputes import services
from fairload.web.disputes.models import Case

from .access import assert_sent_to_sign_in, ids, matrix
from .workload_audit_helpers import answered, neu_school

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids, far from any a sequence would hand out.
CASE = 1_900_012_201
COUNCIL = "test-local-authority"
OPENED = datetime(2026, 1, 12, 9, tzinfo=UTC)

PAGES = {
    "council cases": reverse("union-cases", args=[COUNCIL]),
    "cases csv": reverse("union-cases-csv", args=[COUNCIL]),
    "patterns csv": reverse("union-patterns-csv", args=[COUNCIL]),
    "case file": reverse("dispute-case-file", args=[CASE]),
    "scottish council cases": reverse("union-cases", args=["south-ayrshire-council"]),
}

COUNCIL_PAGES = {"council cases", "cases csv", "patterns csv"}
ALLOWED = {
    "head": set(),
    "rep": {"case file"},
    "teacher": set(),  # an NEU member: sees the case on its page, not the officer's file
    "colleague": set(),
    "council": set(),
    "union-officer": COUNCIL_PAGES | {"case file"},
    "admin": set(),
    "other-head": set(),
    "other-council": set(),
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def case(shared_cast):  # type: ignore[no-untyped-def]
    cast = shared_cast
    english, _ = neu_school(cast)
    answered(english, cast["rep"])
    opened = services.dispute_case_open(
        actor=cast["rep"],
        school=english,
        title="Weekly lesson plans",
        issues=[{"instruction": 1, "clause": "Instruction 1"}],
        union="NEU",
        now=OPENED,
    )
    Case.objects.filter(pk=opened.pk).update(id=CASE)


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_officers_pages_their_union_and_council_allow(
    as_user, who, page
):
    response = as_user(who).get(PAGES[page])

    assert response.status_code == (200 if page in ALLOWED[who] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))
