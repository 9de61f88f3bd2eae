"""The agreement's stage, read from the pack's process (process.yaml) over the school's
record, with the check's finding against the step holding it back (JNCT2.7 section 16),
and the core's ownership of a finding's key, severities and causes."""

from __future__ import annotations

from datetime import date

import pytest

from fairload.core.findings import (
    SEVERITY_ORDER,
    Severity,
    by_cause,
    finding_keys,
    severity_counts,
)
from fairload.core.packs import load_bundled
from fairload.core.stage import agreement_stage, agreement_status, has_process, stage_choices

from .conftest import south_ayrshire

SCHOOL = "test-academy"
SESSION = date(2025, 8, 13)


def stage_of(school):  # type: ignore[no-untyped-def]
    found = agreement_stage(
        south_ayrshire(), school.document["agreement"], school.check(), SCHOOL, SESSION
    )
    assert found is not None
    return found


def test_the_compliant_school_has_submitted(school):
    assert stage_of(school).name == "submitted"
    assert stage_of(school).complete


@pytest.mark.parametrize(
    ("remove", "stage"),
    [
        ("submitted", "signed"),
        ("signatures", "approved"),
        ("vote", "consulted"),
        ("consultation_closed", "drafted"),
        ("committee_formed", "not started"),
    ],
)
def test_each_missing_step_stops_the_stage_before_it(school, remove, stage):
    del school.process[remove]

    assert stage_of(school).name == stage


def test_four_of_eight_is_not_a_majority_and_five_is(school):
    school.process["vote"] = {
        "held_on": "2025-06-03",
        "eligible": 8,
        "in_favour": 4,
        "against": 4,
        "abstained": 0,
    }
    assert stage_of(school).name == "consulted"  # the pack's staff_majority_share: more than half

    school.process["vote"].update(in_favour=5, against=3)
    assert stage_of(school).name == "submitted"


def test_a_signature_missing_from_the_packs_roles_stops_at_approved(school):
    school.process["signatures"] = [
        {"role": "head-teacher", "name": "Morag Head", "signed_on": "2025-06-05"}
    ]

    stage = stage_of(school)

    assert stage.name == "approved"
    assert stage.waiting == "sign"
    # the check's own words, from the step's rule
    assert stage.blocking is not None and stage.blocking.rule == "signed-by-head-and-union"
    assert "union representative" in stage.why


def test_the_submission_is_overdue_from_the_session_start_by_the_packs_default(school):
    del school.process["submitted"]
    pack = south_ayrshire()

    def status(today: date):  # type: ignore[no-untyped-def]
        return agreement_status(
            pack, school.document["agreement"], [], SCHOOL, year_start=SESSION, today=today
        )

    assert status(date(2025, 8, 12)).due == SESSION  # agreement_due_days_before_session: 0
    assert not status(date(2025, 8, 12)).overdue
    assert [o.step_id for o in status(SESSION).late] == ["submit"]


def test_a_pack_without_a_process_has_none():
    assert has_process(south_ayrshire())
    assert not has_process(load_bundled("england/stpcd"))
    choices = stage_choices([south_ayrshire().process, None])
    assert choices[0] == ("not started", "Not started")
    assert choices[-1] == ("submitted", "Submitted")


def test_a_findings_key_is_its_rule_and_cause_not_its_position(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00", id="m1")
    school.add_event("Longer meeting", "staff-meeting", "2025-10-08", "15:45", "18:30", id="m2")
    first = school.check().of("meeting-max-duration")

    school.document["events"] = [
        e for e in school.document["events"] if e["title"] != "Long meeting"
    ]
    second = school.check().of("meeting-max-duration")

    # The row index in the id moved (…:1 became …:0); the key stayed.
    assert first[1].id != second[0].id
    assert first[1].key == second[0].key
    assert first[1].key.startswith("meeting-max-duration:test-academy:event:")
    assert len(set(finding_keys(first))) == len(first)


def test_severity_order_labels_and_counts_come_from_one_place(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    findings = school.check()

    assert SEVERITY_ORDER == (
        Severity.BREACH,
        Severity.WARNING,
        Severity.NEEDS_AGREEMENT,
        Severity.INFO,
    )
    assert [s.heading for s in SEVERITY_ORDER] == [
        "Breaches",
        "Warnings",
        "Needing agreement",
        "Notes",
    ]
    assert severity_counts(findings) == {
        "breach": 0,
        "warning": 1,
        "needs-agreement": 0,
        "info": 0,
    }


def test_an_event_finding_names_the_event_that_caused_it(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    finding = school.check().only("meeting-max-duration")

    assert [(c.kind, c.id) for c in finding.causes] == [("event", finding.subject.id)]


def test_one_cover_event_breaking_the_statute_and_the_union_instruction_is_one_cause():
    """examples/english-secondary.yaml: cov01 breaks both STPCD 52.7 and NEU Instruction
    14, and was shown as two breaches; by_cause folds them into one item naming both."""
    from pathlib import Path

    from fairload.core.check import run_check
    from fairload.core.school_format import parse_school_year
    from fairload.core.tables import tables_from_years
    from fairload.core.yamlfile import load_file

    path = Path(__file__).resolve().parents[2] / "examples" / "english-secondary.yaml"
    year = parse_school_year(load_file(path), str(path))
    findings = run_check(load_bundled(year.school.pack), tables_from_years([year])).findings

    causes = by_cause(findings)
    cover = [c for c in causes if c.first.subject.id == "cov01"]
    assert len(cover) == 1
    assert {f.rule for f in cover[0].findings} == {"cover", "cover-rarely"}
    assert len(causes) < len(findings)
