"""The committee's monitoring during the session (16.6) in the web app: meetings with
minutes, issues raised by staff with the committee's response, and changes to practice
or policy recorded as consulted or not, which answer the NUT's instruction 18 question
in an English school's check from the live record.

An issue raised with the name withheld is tested as ballot secrecy is: every monitoring
page and the pages around it, fetched as each member of management, answer byte for byte
the same whichever teacher raised it."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from fairload.core.yamlfile import load_file
from fairload.web.audit.models import AuditEntry
from fairload.web.monitoring.models import StaffIssue
from fairload.web.monitoring.services import (
    ChangeValues,
    MeetingValues,
    MonitoringRefused,
    issue_raise,
    issue_respond,
    meeting_save,
    practice_change_save,
)
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import school_year_import
from fairload.web.schools.to_core import school_year_document

from .anonymity import blank
from .conftest import PACKS

pytestmark = pytest.mark.django_db

SLUG = "test-academy"
NEU = PACKS / "england" / "neu-asos-2015" / "tests" / "school.yaml"
QUESTION = "policies-not-impact-assessed"
RULE = "policies-impact-assessed"
TEACHER_NAME, COLLEAGUE_NAME = "Kirsty Teacher", "Duncan Teacher"
MANAGEMENT = ("head", "council", "admin")


def _year(slug: str = SLUG) -> SchoolYear:
    return SchoolYear.objects.get(school__slug=slug)


def _raise(person, *, withheld: bool) -> StaffIssue:  # type: ignore[no-untyped-def]
    return issue_raise(
        actor=person,
        year=_year(),
        title="Reports take longer than planned",
        details="Twice the hours allocated.",
        name_withheld=withheld,
        today=date(2025, 11, 3),
    )


def _pages(issue: StaffIssue) -> dict[str, str]:
    return {
        "monitoring": reverse("monitoring-home", args=[SLUG]),
        "issue": reverse("monitoring-issue", args=[SLUG, issue.pk]),
        "respond": reverse("monitoring-issue-respond", args=[SLUG, issue.pk]),
        "changes": reverse("school-audit", args=[SLUG]),
        "dashboard": reverse("school-dashboard", args=[SLUG]),
    }


#: the issue's own id differs between the worlds
ISSUE_IDS = (re.compile(r"(/issues/)\d+"), re.compile(r'(data-issue=")\d+'))


def _walk(cast, issue, who) -> dict[tuple[str, str], tuple[int, str]]:  # type: ignore[no-untyped-def]
    seen = {}
    for person in who:
        client = Client()
        client.force_login(cast[person])
        for label, url in _pages(issue).items():
            response = client.get(url)
            seen[(person, label)] = (response.status_code, blank(response.content, *ISSUE_IDS))
    return seen


def test_management_sees_a_withheld_issue_the_same_whoever_raised_it(cast):
    readers = (*MANAGEMENT, "union-officer")
    by_teacher = _walk(cast, _raise(cast["teacher"], withheld=True), readers)
    StaffIssue.objects.all().delete()
    by_colleague = _walk(cast, _raise(cast["colleague"], withheld=True), readers)

    differing = [key for key in by_teacher if by_teacher[key] != by_colleague[key]]
    # the list of changes only grows, so the second world's holds the first's entry too
    assert all(page == "changes" for _, page in differing), differing
    status, page = by_teacher[("head", "issue")]
    assert status == 200 and "Name withheld at the teacher’s request" in page
    for (who, label), (_, body) in by_teacher.items():
        assert TEACHER_NAME not in body, (who, label)
    assert not AuditEntry.objects.filter(actor__in=[cast["teacher"], cast["colleague"]]).exists()


def test_the_teacher_and_the_schools_rep_still_see_who_raised_it(cast, as_user):
    issue = _raise(cast["teacher"], withheld=True)
    url = reverse("monitoring-issue", args=[SLUG, issue.pk])

    own = as_user("teacher").get(url).content.decode()
    rep = as_user("rep").get(url).content.decode()

    assert f"{TEACHER_NAME} (you)" in own
    assert TEACHER_NAME in rep and "Management sees this issue without the name" in rep


def test_an_issue_raised_with_a_name_names_them_to_management(cast, as_user):
    issue = _raise(cast["teacher"], withheld=False)

    page = as_user("head").get(reverse("monitoring-issue", args=[SLUG, issue.pk]))

    assert TEACHER_NAME in page.content.decode()
    assert AuditEntry.objects.filter(action="monitoring.issue", actor=cast["teacher"]).exists()


def test_a_teacher_reads_only_their_own_issues(cast, as_user):
    _raise(cast["colleague"], withheld=False)
    mine = _raise(cast["teacher"], withheld=True)

    page = as_user("teacher").get(reverse("monitoring-home", args=[SLUG])).content.decode()

    assert f'data-issue="{mine.pk}"' in page
    assert page.count("data-issue=") == 1


def test_the_committees_response_reaches_the_teacher(cast, as_user):
    issue = _raise(cast["teacher"], withheld=True)
    issue_respond(
        actor=cast["rep"], issue=issue, response="We will review reports.", today=date(2025, 11, 20)
    )

    page = as_user("teacher").get(reverse("monitoring-issue", args=[SLUG, issue.pk]))

    assert "We will review reports." in page.content.decode()


def test_a_teacher_raises_an_issue_by_the_form_with_the_name_withheld(cast, as_user):
    response = as_user("teacher").post(
        reverse("monitoring-issue-raise", args=[SLUG]),
        {"title": "Cover", "details": "Too much cover.", "name_withheld": "on"},
    )

    assert response.status_code == 302
    issue = StaffIssue.objects.get()
    assert issue.name_withheld and issue.raised_by == cast["teacher"]


def test_a_meeting_records_its_date_attendees_and_minutes(cast, as_user):
    meeting = meeting_save(
        actor=cast["head"],
        year=_year(),
        values=MeetingValues(date(2025, 11, 12), ("ht", "t1"), "Reviewed the calendar."),
    )

    page = as_user("colleague").get(reverse("monitoring-meeting", args=[SLUG, meeting.pk]))

    body = page.content.decode()
    assert "Morag Head, Kirsty Teacher" in body and "Reviewed the calendar." in body


def test_a_meeting_outside_the_session_is_refused(cast):
    with pytest.raises(MonitoringRefused, match="must be within 2025-26"):
        meeting_save(
            actor=cast["head"],
            year=_year(),
            values=MeetingValues(date(2026, 7, 1), ("ht",), "After the session."),
        )


# --- changes to practice: NUT instruction 18 reads the live record ------------------------------


def _change(cast, year: SchoolYear, *, consulted: bool):  # type: ignore[no-untyped-def]
    return practice_change_save(
        actor=cast["admin"],
        year=year,
        values=ChangeValues("New marking policy", "", date(2025, 10, 6), consulted, ""),
    )


@pytest.fixture
def neu_year(schools) -> SchoolYear:  # type: ignore[no-untyped-def]
    school_year_import(document=load_file(NEU), source=str(NEU))
    return _year("test-school")


def test_a_change_not_consulted_on_breaches_nut_instruction_18(cast, neu_year):
    assert RULE not in {f.rule for f in school_year_check(year=neu_year).findings}

    change = _change(cast, neu_year, consulted=False)
    neu_year.refresh_from_db()

    assert school_year_document(neu_year)["policy"][QUESTION] is True
    assert RULE in {f.rule for f in school_year_check(year=neu_year).findings}

    practice_change_save(
        actor=cast["admin"],
        year=neu_year,
        values=ChangeValues(change.title, "", change.introduced_on, True, "Assessed with the NEU"),
        change=change,
    )
    neu_year.refresh_from_db()
    assert RULE not in {f.rule for f in school_year_check(year=neu_year).findings}


def test_the_monitoring_page_says_the_record_answers_the_question(cast, neu_year, as_user):
    _change(cast, neu_year, consulted=False)

    page = as_user("admin").get(reverse("monitoring-home", args=["test-school"])).content.decode()

    assert "data-practice-question" in page and "The record answers it yes" in page


def test_a_change_at_a_scottish_school_leaves_its_policy_answers_alone(cast):
    before = school_year_document(_year()).get("policy")
    _change(cast, _year(), consulted=False)
    assert school_year_document(_year()).get("policy") == before


def test_recording_a_change_makes_the_years_cached_check_old(cast):
    year = _year()
    revision = year.revision
    _change(cast, year, consulted=True)
    assert _year().revision == revision + 1


def test_a_record_survives_a_re_import_of_the_year(cast, neu_year):
    _change(cast, neu_year, consulted=False)
    school_year_import(document=load_file(NEU), source=str(NEU))
    assert school_year_document(_year("test-school"))["policy"][QUESTION] is True


def test_the_record_steps_aside_for_a_pack_no_longer_installed(schools):
    from fairload.web.monitoring.record import record_policy

    year = _year()
    year.school.pack = "nowhere/no-such-pack"
    document = {"policy": {"x": True}}

    record_policy(year, document)

    assert document == {"policy": {"x": True}}


def test_a_school_whose_pack_is_no_longer_installed_still_exports(schools):
    year = _year()
    year.school.pack = "nowhere/no-such-pack"
    year.school.save(update_fields=["pack"])

    assert school_year_document(_year())["school"]["pack"] == "nowhere/no-such-pack"
