"""The demo's monitoring record and annual evaluation (`make run`): loaded twice, written
once; the summary shows and hides a small group; the NEU school's change made without
consultation shows instruction 18's finding."""

from __future__ import annotations

import json

import pytest
from django.core.management import call_command
from django.test import override_settings

from fairload.web.evaluations.models import Evaluation
from fairload.web.evaluations.selectors import evaluation_printable
from fairload.web.monitoring.models import Meeting, PracticeChange, StaffIssue
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.selectors import school_year_check


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demo_has_a_monitoring_record_and_a_closed_evaluation_with_six_answers() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert (Meeting.objects.count(), StaffIssue.objects.count()) == (2, 2)
    assert PracticeChange.objects.count() == 3
    assert StaffIssue.objects.filter(name_withheld=True).count() == 1
    evaluation = Evaluation.objects.get()
    data = evaluation_printable(evaluation=evaluation)
    json.dumps(data)  # plain data, as the PDF and the export need
    headings = {h["id"]: h for h in data["summary"]["headings"]}
    assert data["summary"]["respondents"] == 6
    assert headings["assessment-reporting-recording"]["net_hours"] == "45"
    assert headings["parents-meetings"]["answers"] is None  # four answers: below five
    english = SchoolYear.objects.get(school__slug="hollinsvale-academy")
    assert "policies-impact-assessed" in {f.rule for f in school_year_check(year=english).findings}
