"""Running a check, and the reproducible record of it for an agreement file or a dispute."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
import time_machine

from fairload import __version__
from fairload.core.check import RECORD_FORMAT, CheckResult, check_record, default_date, run_check
from fairload.core.errors import InputError, PackError
from fairload.core.findings import Severity
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

from .conftest import SOUTH_AYRSHIRE, School


@pytest.fixture
def breached() -> School:
    """The test school with a long meeting (a warning) and a second report (needs agreement)."""
    school = School()
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    school.add_event("Interim reports", "report", "2025-11-28", "15:45", "16:45", attendees=["t1"])
    school.set_staff("t2", contact_periods_per_week=28)
    return school


def record_of(school: School) -> dict:
    return check_record(school.run(), {"school.yaml": school.document})


def test_the_record_names_its_format_and_the_fairload_version(breached):
    record = record_of(breached)

    assert record["format"] == RECORD_FORMAT == "fairload/check-record@1"
    assert record["fairload_version"] == __version__


def test_the_record_names_the_pack_its_version_and_lineage(breached):
    assert record_of(breached)["pack"] == {
        "id": SOUTH_AYRSHIRE,
        "version": "2.7.0",
        "lineage": [SOUTH_AYRSHIRE],
    }


def test_the_record_is_read_at_the_first_day_of_the_year(breached):
    assert record_of(breached)["at"] == "2025-08-13"


def test_the_record_lists_every_parameter_in_force_with_its_date_and_clause(breached, sa_pack):
    parameters = {p["name"]: p for p in record_of(breached)["parameters"]}

    assert set(parameters) == set(sa_pack.parameters.parameters)
    assert parameters["meeting_max_hours"] == {
        "name": "meeting_max_hours",
        "value": 2,
        "unit": "hours",
        "effective": "2014-08-01",
        "reference": {
            "document": "South Ayrshire JNCT2.7",
            "clause": "7.3",
            "quote": "It would normally be unacceptable for any individual meeting to last "
            "longer than 2 hours.",
        },
    }
    assert parameters["class_contact_max_hours_per_week"]["effective"] == "2006-08-01"


def test_the_record_lists_parameters_by_name(breached):
    names = [p["name"] for p in record_of(breached)["parameters"]]

    assert names == sorted(names)


def test_the_record_keeps_the_inputs_and_their_sha256(breached):
    inputs = record_of(breached)["inputs"]

    assert inputs["documents"]["school.yaml"] is breached.document
    assert len(inputs["sha256"]) == 64


def test_the_inputs_hash_is_the_same_on_every_run(breached):
    assert record_of(breached)["inputs"]["sha256"] == record_of(breached)["inputs"]["sha256"]


def test_the_inputs_hash_does_not_depend_on_key_order():
    forward = School()
    backward = School()
    backward.document["school"] = dict(reversed(list(backward.document["school"].items())))

    assert record_of(forward)["inputs"]["sha256"] == record_of(backward)["inputs"]["sha256"]


def test_the_inputs_hash_changes_when_an_input_changes(breached):
    before = record_of(breached)["inputs"]["sha256"]
    breached.add_event("Briefing", "briefing", "2025-10-02", "08:30", "08:45")

    assert record_of(breached)["inputs"]["sha256"] != before


def test_the_record_counts_findings_by_severity(breached):
    assert record_of(breached)["summary"] == {
        "breach": 1,
        "warning": 1,
        "needs-agreement": 1,
        "info": 0,
    }


def test_the_record_lists_every_finding_most_severe_first(breached):
    findings = record_of(breached)["findings"]

    assert [(f["rule"], f["severity"]) for f in findings] == [
        ("class-contact-max", "breach"),
        ("meeting-max-duration", "warning"),
        ("one-report-per-session", "needs-agreement"),
    ]


def test_a_recorded_finding_has_its_clause_message_and_working(breached):
    finding = record_of(breached)["findings"][1]

    assert finding["clause"] == "7.3"
    assert finding["document"] == "South Ayrshire JNCT2.7"
    assert finding["subject"] == {
        "kind": "event",
        "id": "e0008",
        "label": "Long meeting (2025-10-01)",
    }
    assert finding["message"].endswith("(South Ayrshire JNCT2.7, 7.3)")
    assert finding["working"]["parameters"][0]["effective"] == "2014-08-01"
    assert finding["fix"] == "Split the meeting, or shorten it to 2 hours or less."


def test_the_record_holds_the_school_budget(breached):
    budget = record_of(breached)["budgets"]["test-academy"]

    assert budget["total"] == 1365
    assert budget["lines_total"] == 1365
    assert budget["clause"] == "Appendix 1"


def test_the_record_is_plain_json(breached):
    record = record_of(breached)

    assert json.loads(json.dumps(record)) == json.loads(json.dumps(record, default=str))


def test_a_compliant_school_has_a_record_with_no_findings(school):
    record = record_of(school)

    assert record["findings"] == []
    assert set(record["summary"].values()) == {0}


@pytest.mark.parametrize("today", ["2020-01-01", "2031-06-30"])
def test_a_check_does_not_depend_on_todays_date(breached, today):
    expected = record_of(breached)

    with time_machine.travel(date.fromisoformat(today), tick=False):
        assert record_of(breached) == expected


def test_a_check_at_a_later_date_uses_the_values_then_in_force(breached):
    record = check_record(breached.run(at=date(2026, 1, 6)), {})

    assert record["at"] == "2026-01-06"
    assert record["inputs"]["documents"] == {}


def test_the_default_date_is_the_first_day_of_the_school_year(school):
    assert default_date(school.tables()) == date(2025, 8, 13)


def test_two_schools_starting_on_different_days_need_an_explicit_date():
    from fairload.core.tables import tables_from_years

    first = School()
    second = School()
    second.school["id"] = "second-academy"
    second.year_section["start"] = "2025-08-12"

    with pytest.raises(PackError, match="give --at"):
        default_date(tables_from_years([first.year(), second.year()]))


def test_a_result_finds_a_finding_by_rule_id_when_it_is_the_only_one(breached):
    result = breached.run()

    assert result.finding("meeting-max-duration").subject.id == "e0008"


def test_a_result_refuses_an_ambiguous_finding_id(breached):
    breached.add_event("Another long meeting", "briefing", "2025-10-08", "15:45", "18:00")
    result = breached.run()

    with pytest.raises(InputError, match="matches 2 findings"):
        result.finding("meeting-max-duration")


def test_a_result_refuses_an_unknown_finding_id(breached):
    with pytest.raises(InputError, match="no finding 'no-such-rule'"):
        breached.run().finding("no-such-rule")


def test_a_result_with_a_breach_says_so(breached, school):
    assert breached.run().has_breach
    assert not school.run().has_breach


# Instructions read outside their mandate (NUT ASOS 2015: 2015-03-01 to 2016-08-31) show
# what the instruction says, marked, and are not breaches that count.

NEU_FIXTURE = Path(__file__).parents[2] / "src/fairload/packs/england/neu-asos-2015/tests"


def _neu_check(at: date, **policy: bool) -> CheckResult:
    document = load_file(NEU_FIXTURE / "school.yaml")
    document["policy"].update(policy)
    year = parse_school_year(document, "school.yaml")
    return run_check(load_bundled("england/neu-asos-2015"), tables_from_years([year]), at)


def test_an_instructions_breach_outside_its_mandate_is_marked_and_does_not_count():
    result = _neu_check(date(2025, 9, 1), **{"emails-expected-outside-directed-time": True})

    finding = result.finding("emails-in-directed-time")
    assert finding.severity is Severity.BREACH
    assert finding.outside_mandate and not finding.counts_as_breach
    assert finding.mandate_note is not None
    assert "outside the instruction's mandate" in finding.mandate_note
    assert finding.as_dict()["outside_mandate"] is True
    assert not result.has_breach


def test_the_same_breach_within_the_mandate_counts():
    result = _neu_check(date(2016, 8, 31), **{"emails-expected-outside-directed-time": True})

    finding = result.finding("emails-in-directed-time")
    assert not finding.outside_mandate and finding.mandate_note is None
    assert "outside_mandate" not in finding.as_dict()
    assert result.has_breach


def test_a_breach_of_the_national_conditions_counts_outside_the_unions_mandate():
    result = _neu_check(date(2025, 9, 1), **{"admin-tasks-routinely-required": True})

    assert result.finding("admin-tasks").counts_as_breach  # STPCD 52.8: no mandate
    assert result.has_breach
