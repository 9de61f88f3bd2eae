"""The appeal after a failure to agree (JNCT2.7 section 17) as pack data (appeal.yaml),
read by the process functions: order from the source's words (no hearing before the
informal meeting has failed, no conclusion before a hearing unless the informal meeting
resolved it), who acts, stage, timeline, and the record in the school-year file."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairload.core.appeal import (
    NOT_RESOLVED,
    RESOLVED,
    AppealRecord,
    Attendee,
    Conclusion,
    Meeting,
    appeal_checked,
    appeal_from_school_year,
    appeal_to_school_year,
    arrangement_determined,
    load_appeal,
)
from fairload.core.coverage import pack_coverage
from fairload.core.errors import InputError, InputErrors
from fairload.core.packs import load_bundled, load_pack
from fairload.core.process import (
    FailureReport,
    FiledDocument,
    Process,
    gate,
    may_do,
    next_actions,
    overdue,
    stage,
    timeline,
    waived_steps,
)
from fairload.core.validation import bundled_schema, validate

SA = "scotland/south-ayrshire-jnct-2.7"
DAY = date(2025, 9, 1)
JS = ("joint-secretary-management", "joint-secretary-teachers")


def appeal() -> Process:
    process = load_appeal(load_bundled(SA))
    assert process is not None
    return process


REPORT = FailureReport(date(2025, 6, 20), "union-rep", ("no majority for the draft",))
INFORMAL_PARTIES = (
    Attendee("Ann Manager", "management-side"),
    Attendee("Tom Teacher", "teachers-side"),
    Attendee("Morag Head", "head-teacher", staff="H1"),
    Attendee("Rab Rep", "union-rep", staff="R1"),
)
HEARING_PARTIES = (
    Attendee("Morag Head", "head-teacher"),
    Attendee("Rab Rep", "union-rep"),
    Attendee("Jo Secretary", "joint-secretary-management"),
    Attendee("Pat Nominee", "joint-secretary-teachers", nominee=True),
    Attendee("Wil Witness", "witness", called_by="union-rep"),
)


def informal(outcome: str | None, attendees: tuple[Attendee, ...] = INFORMAL_PARTIES) -> Meeting:
    return Meeting(date(2025, 6, 27), attendees, outcome=outcome)


HEARING = Meeting(date(2025, 7, 4), HEARING_PARTIES, outcome="both sides presented their cases")
CONCLUSION = Conclusion(date(2025, 7, 10), "The school adopts the Appendix 1 defaults.", True)


def test_either_side_reports_first_and_nothing_comes_before_the_report() -> None:
    # 17.2: "that failure shall be reported, by either side"
    process = appeal()
    assert set(process.step("reported").roles) == {"head-teacher", "union-rep"}
    empty = AppealRecord()
    assert may_do(process, empty, "reported", DAY) is None
    assert may_do(process, empty, "informal-meeting", DAY) == (
        "The informal meeting waits for the report of the failure to agree"
    )
    assert stage(process, empty).name == "not started"
    # a report is not pressed on anyone as a next action: only a side that fails to agree
    assert next_actions(process, empty, ("head-teacher", "union-rep"), DAY) == []


def test_the_joint_secretaries_arrange_the_informal_meeting_after_the_report() -> None:
    # 17.3 (first): "The Joint Secretaries shall arrange for ..."
    process = appeal()
    record = AppealRecord(reported=REPORT)
    assert may_do(process, record, "informal-meeting", DAY) is None
    for role in JS:
        assert [a.step_id for a in next_actions(process, record, role, DAY)] == ["informal-meeting"]
    # the side that reported waits for them
    waits = next_actions(process, record, "union-rep", DAY)
    assert [(a.step_id, a.waiting) for a in waits] == [("informal-meeting", True)]
    assert stage(process, record).name == "reported"


def test_the_informal_meeting_needs_a_member_of_each_side_the_head_and_the_rep() -> None:
    # 17.3 (first): "an appropriate member of the Management Side and appropriate member of
    # the Teachers' Side ... with the Head Teacher and appropriate Trade Union representative"
    process = appeal()
    without_teachers_side = tuple(a for a in INFORMAL_PARTIES if a.role != "teachers-side")
    record = AppealRecord(REPORT, informal(NOT_RESOLVED, without_teachers_side))
    result = gate(process, record, "informal-meeting")
    assert not result.met
    assert result.figures["missing"] == ["teachers-side"]
    assert "teachers side" in result.reason
    # so the hearing may not follow a meeting that was not properly constituted
    assert may_do(process, record, "hearing", DAY) is not None
    assert gate(
        process, replace(record, informal_meeting=informal(NOT_RESOLVED)), "informal-meeting"
    ).met


def test_no_hearing_before_the_informal_meeting_has_failed() -> None:
    # 17.3 (second): "Where an informal meeting fails to resolve the dispute ..."
    process = appeal()
    reported = AppealRecord(reported=REPORT)
    assert may_do(process, reported, "hearing", DAY) == (
        "The formal appeals hearing waits for the informal meeting's outcome"
    )
    set_not_held = AppealRecord(REPORT, informal(None))
    assert may_do(process, set_not_held, "hearing", DAY) is not None
    resolved = AppealRecord(REPORT, informal(RESOLVED))
    assert may_do(process, resolved, "hearing", DAY) == (
        "The formal appeals hearing is not needed: the informal meeting's resolution of the "
        "dispute is recorded"
    )
    failed = AppealRecord(REPORT, informal(NOT_RESOLVED))
    assert may_do(process, failed, "hearing", DAY) is None
    assert [a.step_id for a in next_actions(process, failed, JS, DAY)] == ["hearing"]


def test_no_conclusion_before_a_hearing_unless_the_informal_meeting_resolved_it() -> None:
    # 17.5 follows the hearing; an informal resolution (17.3, first) needs none
    process = appeal()
    failed = AppealRecord(REPORT, informal(NOT_RESOLVED))
    assert may_do(process, failed, "conclusion", DAY) == (
        "The conclusion waits for the informal meeting's resolution of the dispute or the "
        "formal appeals hearing"
    )
    heard = replace(failed, hearing=HEARING)
    assert may_do(process, heard, "conclusion", DAY) is None
    resolved = AppealRecord(REPORT, informal(RESOLVED))
    assert may_do(process, resolved, "conclusion", DAY) is None


def test_the_hearing_hears_both_parties_before_the_joint_secretaries() -> None:
    # 17.4: the head teacher and the union representatives present; the Joint
    # Secretaries (or their nominees) question them
    process = appeal()
    record = AppealRecord(REPORT, informal(NOT_RESOLVED), HEARING)
    assert gate(process, record, "hearing").met
    no_head = replace(
        HEARING, attendees=tuple(a for a in HEARING_PARTIES if a.role != "head-teacher")
    )
    result = gate(process, replace(record, hearing=no_head), "hearing")
    assert not result.met and result.figures["missing"] == ["head-teacher"]


def test_the_conclusion_is_final_and_binding() -> None:
    # 17.5: "their decision will be final and binding": nothing is done after it
    process = appeal()
    record = AppealRecord(REPORT, informal(NOT_RESOLVED), HEARING, CONCLUSION)
    assert stage(process, record).name == "concluded"
    assert stage(process, record).complete
    for step in process.steps:
        assert next_actions(process, record, step.roles, DAY) == []
    assert may_do(process, record, "conclusion", DAY) == (
        "The Joint Secretaries' conclusion is already recorded"
    )
    # 17.1: it may determine the school's arrangement
    assert arrangement_determined(record) == CONCLUSION.decision
    assert (
        arrangement_determined(
            replace(record, conclusion=replace(CONCLUSION, determines_arrangement=False))
        )
        is None
    )


def test_stage_passes_the_hearing_once_the_informal_meeting_resolved_the_dispute() -> None:
    process = appeal()
    resolved = AppealRecord(REPORT, informal(RESOLVED))
    found = stage(process, resolved)
    assert (found.name, found.waiting) == ("heard", "conclusion")
    assert waived_steps(process, resolved) == ("hearing",)
    concluded = replace(resolved, conclusion=CONCLUSION)
    assert stage(process, concluded).name == "concluded"
    failed = AppealRecord(REPORT, informal(NOT_RESOLVED))
    assert (stage(process, failed).name, stage(process, failed).waiting) == ("informal", "hearing")
    assert waived_steps(process, failed) == ()
    assert overdue(process, resolved, DAY, DAY) == [
        o for o in overdue(process, resolved, DAY, DAY) if o.step_id != "hearing"
    ]


def test_timeline_dates_each_stage_and_drops_a_waived_hearing() -> None:
    process = appeal()
    record = AppealRecord(REPORT, informal(NOT_RESOLVED), HEARING, CONCLUSION)
    assert [(e.step_id, e.done, e.on) for e in timeline(process, record)] == [
        ("reported", True, date(2025, 6, 20)),
        ("informal-meeting", True, date(2025, 6, 27)),
        ("hearing", True, date(2025, 7, 4)),
        ("conclusion", True, date(2025, 7, 10)),
    ]
    resolved = AppealRecord(REPORT, informal(RESOLVED), conclusion=CONCLUSION)
    assert [(e.step_id, e.done) for e in timeline(process, resolved)] == [
        ("reported", True),
        ("informal-meeting", True),
        ("resolved-informally", True),
        ("conclusion", True),
    ]


AGREEMENT: dict[str, Any] = {
    "process": {
        "failure_reported": {
            "on": "2025-06-20",
            "by": "head-teacher",
            "documents": [{"title": "Check record", "kind": "check-record", "ref": "ab" * 32}],
        }
    },
    "appeal": {
        "informal_meeting": {
            "on": "2025-06-27",
            "attendees": [a.as_dict() for a in INFORMAL_PARTIES],
            "documents": [{"title": "Draft agreement", "kind": "upload", "ref": "draft.pdf"}],
            "outcome": "not resolved",
        },
        "hearing": {
            "on": "2025-07-04",
            "attendees": [a.as_dict() for a in HEARING_PARTIES],
            "outcome": "both sides presented their cases",
        },
        "conclusion": {
            "on": "2025-07-10",
            "decision": "The school adopts the Appendix 1 defaults.",
            "determines_arrangement": True,
        },
    },
}


def test_the_record_round_trips_through_the_school_year_file() -> None:
    schema = bundled_schema("fairload.core", "school-year")
    sub = {"$defs": schema["$defs"], **schema["properties"]["agreement"]}
    validate(AGREEMENT, sub, "agreement")
    record = appeal_from_school_year(AGREEMENT)
    assert record.reported is not None and record.reported.by == "head-teacher"
    assert record.reported.documents == (FiledDocument("Check record", "check-record", "ab" * 32),)
    assert record.hearing is not None and record.hearing.attendees[-1].called_by == "union-rep"
    assert appeal_to_school_year(record) == AGREEMENT["appeal"]
    assert stage(appeal(), record).name == "concluded"


def test_untrusted_appeal_input_is_refused_located() -> None:
    bad = {"informal_meeting": {"on": "2025-06-27", "outcome": "maybe"}}
    with pytest.raises((InputError, InputErrors)) as caught:
        appeal_checked(bad)
    assert "informal_meeting" in str(caught.value) and "outcome" in str(caught.value)
    assert appeal_checked(AGREEMENT["appeal"]) == AGREEMENT["appeal"]


def test_coverage_encodes_both_clauses_numbered_17_3() -> None:
    pack = load_bundled(SA)
    rows = {row.clause: row for row in pack_coverage(pack, [SA])}
    for clause in ("17.1", "17.2", "17.3 (first)", "17.3 (second)", "17.5"):
        assert rows[clause].covered, clause
    assert "17.3" not in rows


def test_a_bad_appeal_yaml_is_refused_with_file_line_and_field(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(SA).path, folder)
    source = folder / "appeal.yaml"
    text = source.read_text(encoding="utf-8")
    text = text.replace("    unless: [resolved-informally]", "    unless: [resolved-informaly]", 1)
    source.write_text(text, encoding="utf-8")
    with pytest.raises(InputErrors) as caught:
        load_pack(folder)
    errors = {e.location.field: e for e in caught.value.errors if e.location}
    assert errors["steps[3].unless[0]"].message == (
        "step 'hearing' names (unless) 'resolved-informaly', which is not a step above it"
    )
    line = text.splitlines()[(errors["steps[3].unless[0]"].location.line or 0) - 1]
    assert "resolved-informaly" in line
    assert str(errors["steps[3].unless[0]"].location.file) == str(source)


def test_an_agreement_record_field_is_not_an_appeal_field(tmp_path: Path) -> None:
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(SA).path, folder)
    source = folder / "appeal.yaml"
    text = source.read_text(encoding="utf-8").replace("reads: [reported]", "reads: [submitted]")
    source.write_text(text, encoding="utf-8")
    with pytest.raises((InputError, InputErrors)) as caught:
        load_pack(folder)
    assert "appeal.yaml" in str(caught.value) and "submitted" in str(caught.value)
