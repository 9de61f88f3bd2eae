"""The draft is checked as it is typed: htmx posts the form with ``check`` and gets back
the year's findings under the figures as typed (the same check as the dashboard's, and
as the version page's once saved), nothing saved; without JavaScript the "Check" button
shows the same on the whole page. The 35-hour week's headings must add up (Appendix 1):
100 more hours of planning than the pack's default breaks it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from fairload.web.agreements import services
from fairload.web.agreements.forms import heading_field
from fairload.web.agreements.models import AgreementVersion
from fairload.web.agreements.selectors import draft_check, headings, version_check
from fairload.web.audit.models import AuditEntry

from .agreement_helpers import DRAFTED, year_of

pytestmark = pytest.mark.django_db

DRAFT = reverse("agreement-draft", args=["test-academy"])
HTMX = {"HX-Request": "true"}


@pytest.fixture
def year(schools):  # type: ignore[no-untyped-def]
    return year_of(schools["test-academy"])


@pytest.fixture
def started(cast, year):  # type: ignore[no-untyped-def]
    return services.agreement_start(actor=cast["head"], year=year, now=DRAFTED)


def _planning(year) -> float:  # type: ignore[no-untyped-def]
    default = next(h for h in headings(year=year) if h.id == "planning").default
    assert default is not None
    return default


def _form(year, **hours: float) -> dict[str, object]:  # type: ignore[no-untyped-def]
    """The draft form as the page fills it (every heading at its default), with changes."""
    data: dict[str, object] = {
        heading_field(h.id): h.default if h.default is not None else "" for h in headings(year=year)
    }
    data |= {heading_field(k): v for k, v in hours.items()}
    return data | {"note": "", "check": "1"}


def _rules(html: str, list_name: str) -> set[str]:
    found = re.search(rf'data-recheck-list="{list_name}">(.*?)</ul>', html, re.S)
    return set(re.findall(r'data-finding="([^"]+)"', found.group(1))) if found else set()


def _unchanged(before: int) -> None:
    assert AgreementVersion.objects.count() == before
    assert not AuditEntry.objects.filter(action="agreement.version").exists()


def test_the_draft_page_shows_the_saved_figures_checked_and_a_check_button(as_user, year, started):
    page = as_user("head").get(DRAFT).content.decode()

    saved = version_check(year=year, version=started.versions.get(number=1)).counts()
    assert "Checked with these figures" in page
    assert f"{saved.get('breach', 0)} breach" in re.search(r"data-draft-counts>([^<]*)", page)[1]
    assert "the figures as saved" in page
    assert 'hx-post="/schools/test-academy/agreement/draft/"' in page
    assert "data-draft-check-button" in page


def test_typing_over_the_limit_shows_the_finding_that_would_appear_and_saves_nothing(
    as_user, year, started
):
    before = AgreementVersion.objects.count()
    typed = _form(year, planning=_planning(year) + 100)

    response = as_user("head").post(DRAFT, typed, headers=HTMX)

    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # the panel alone
    saved = version_check(year=year, version=started.versions.get(number=1))
    checked = draft_check(year=year, allocations={"planning": _planning(year) + 100})
    appeared = {f.rule for f in checked.findings} - {f.rule for f in saved.findings}
    assert appeared
    assert _rules(html, "appeared") == appeared
    assert "Against version 1" in html
    _unchanged(before)


def test_the_figures_typed_back_to_the_saved_ones_change_nothing(as_user, year, started):
    response = as_user("head").post(DRAFT, _form(year), headers=HTMX)

    assert "no finding would appear, clear or change" in response.content.decode()


def test_without_javascript_the_check_button_shows_the_same_on_the_whole_page(
    as_user, year, started
):
    before = AgreementVersion.objects.count()
    over = _planning(year) + 100

    response = as_user("head").post(DRAFT, _form(year, planning=over))

    page = response.content.decode()
    assert response.status_code == 200 and "<html" in page
    saved = version_check(year=year, version=started.versions.get(number=1))
    checked = draft_check(year=year, allocations={"planning": over})
    assert _rules(page, "appeared") == {f.rule for f in checked.findings} - {
        f.rule for f in saved.findings
    }
    # the form keeps the figures as typed
    assert re.search(rf'name="{heading_field("planning")}"[^>]*value="{over:g}', page)
    _unchanged(before)


def test_a_figure_that_is_not_a_number_is_named_and_nothing_is_checked_or_saved(
    as_user, year, started
):
    before = AgreementVersion.objects.count()

    response = as_user("head").post(DRAFT, _form(year, planning=-5), headers=HTMX)

    html = response.content.decode()
    assert "Not checked" in html
    assert "The hours for" in html and "cannot be negative" in html
    _unchanged(before)


def test_what_the_check_shows_is_what_the_saved_version_has(as_user, year, started):
    over = _planning(year) + 100
    checked = draft_check(year=year, allocations={"planning": over})

    data = _form(year, planning=over)
    del data["check"]
    response = as_user("head").post(DRAFT, data)

    assert response.status_code == 302
    saved = started.versions.get(number=2)
    assert saved.allocations == {"planning": over}
    assert [f.key for f in version_check(year=year, version=saved).findings] == [
        f.key for f in checked.findings
    ]


def test_a_teacher_cannot_check_a_draft(as_user, year, started):
    response = as_user("teacher").post(DRAFT, _form(year), headers=HTMX)

    assert response.status_code == 403
