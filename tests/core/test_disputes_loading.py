"""Reading dispute.yaml: strict, located errors; another union's ladder is YAML too."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from fairload.core.dispute_case import Case, Entry
from fairload.core.dispute_ladder import Ladder, ladder_of, read_ladder
from fairload.core.disputes import StepRefused, next_steps, overdue, take
from fairload.core.errors import InputErrors, PackError
from fairload.core.packs import load_bundled

PACK = load_bundled("england/neu-asos-2015")

#: A small ladder of another union: a members' meeting, then a letter to the head, which
#: is due a parameter's days after the meeting (the NUT's guidance gives no such period).
SMALL = """\
title: A two-step ladder
reference: {document: neu, clause: How can ASOS be used?}
steps:
  - id: meeting
    label: Members meet
    reference: {document: neu, clause: Step 2}
    roles: [union-rep]
    records: [attendance]
  - id: letter
    label: Write to the head within {members_vote_window_days}
    reference: {document: neu, clause: Step 3}
    after: [meeting]
    roles: [union-rep]
    records: [asked]
    due: {from: meeting, days: members_vote_window_days}
stages:
  - {id: one, label: Met, steps: [meeting]}
  - {id: two, label: Written, steps: [letter]}
"""


def _read(tmp_path: Path, text: str) -> Ladder:
    source = tmp_path / "dispute.yaml"
    source.write_text(text, encoding="utf-8")
    return read_ladder(source, "test/ladder", PACK.documents, PACK.parameters)


def _errors(tmp_path: Path, text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises((InputErrors, PackError)) as raised:
        _read(tmp_path, text)
    errors = raised.value.errors if isinstance(raised.value, InputErrors) else [raised.value]
    return [
        (
            e.location.line if e.location else None,
            e.location.field if e.location else None,
            e.message,
        )
        for e in errors
    ]


def test_another_unions_ladder_is_yaml_with_a_due_day_from_a_parameter(tmp_path: Path) -> None:
    ladder = _read(tmp_path, SMALL)
    case = take(ladder, Case(date(2026, 3, 1)), "meeting", Entry(date(2026, 3, 2)))
    (step,) = next_steps(ladder, case)
    assert (step.label, step.due) == ("Write to the head within 7 days", date(2026, 3, 9))
    assert overdue(ladder, case, date(2026, 3, 9)) == []
    assert [o.step_id for o in overdue(ladder, case, date(2026, 3, 10))] == ["letter"]


def test_a_step_after_one_below_it_is_located(tmp_path: Path) -> None:
    text = SMALL.replace("    after: [meeting]\n", "").replace(
        "    records: [attendance]\n", "    records: [attendance]\n    after: [letter]\n", 1
    )
    assert _errors(tmp_path, text) == [
        (
            9,
            "steps[0].after[0]",
            "step 'meeting' comes after 'letter', which is not a step above it",
        ),
    ]


def test_an_unknown_outcome_of_the_step_followed_is_located(tmp_path: Path) -> None:
    text = SMALL.replace("after: [meeting]", "after: [{step: meeting, outcome: accepted}]")
    assert _errors(tmp_path, text) == [
        (12, "steps[1].after[0]", "step 'meeting' has no outcome 'accepted'")
    ]


def test_an_unknown_parameter_and_document_are_located(tmp_path: Path) -> None:
    text = SMALL.replace("days: members_vote_window_days", "days: reply_days").replace(
        "{document: neu, clause: Step 2}", "{document: eis, clause: Step 2}"
    )
    assert _errors(tmp_path, text) == [
        (6, "steps[0].reference.document", "unknown document 'eis'"),
        (15, "steps[1].due.days", "unknown parameter 'reply_days'"),
    ]


def test_a_law_gate_without_a_law_pack_is_located(tmp_path: Path) -> None:
    text = SMALL.replace(
        "records: [asked]", "records: [statutory_ballot]\n    gate: {law: statutory-ballot}"
    )
    assert _errors(tmp_path, text) == [
        (
            15,
            "steps[1].gate",
            "a 'statutory-ballot' gate reads the law, but the ladder names no law pack",
        )
    ]


def test_a_step_in_no_stage_and_a_misspelt_key_are_refused(tmp_path: Path) -> None:
    assert _errors(tmp_path, SMALL.replace("steps: [letter]", "steps: [meeting]")) == [
        (18, "stages[1].steps[0]", "step 'meeting' is in two stages"),
        (9, "steps[1].id", "step 'letter' is in no stage"),
    ]
    assert _errors(tmp_path, SMALL.replace("records: [asked]", "record: [asked]")) == [
        (9, "steps[1]", "'records' is missing"),
        (14, "steps[1].record", "unknown key 'record'"),
    ]


def test_an_unknown_law_pack_is_located(tmp_path: Path) -> None:
    text = SMALL.replace("steps:\n", "law: uk/no-such-law\nsteps:\n", 1)
    ((line, where, message),) = _errors(tmp_path, text)
    assert (line, where, message) == (3, "law", "no pack 'uk/no-such-law'")


def test_a_step_refused_names_what_may_follow(tmp_path: Path) -> None:
    ladder = _read(tmp_path, SMALL)
    with pytest.raises(StepRefused, match=r"may follow now: meeting"):
        take(ladder, Case(date(2026, 3, 1)), "letter", Entry(date(2026, 3, 2)))


def test_a_pack_extending_the_union_pack_inherits_its_ladder_and_audit(tmp_path: Path) -> None:
    from fairload.core.packs import load_pack
    from fairload.core.workload_audit import audit_of

    folder = tmp_path / "school-union"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(
        "id: test/school-union\ntitle: A local union pack\njurisdiction: England\n"
        'version: "1"\nextends: england/neu-asos-2015\ndocuments: {}\n',
        encoding="utf-8",
    )
    pack = load_pack(folder)
    ladder = ladder_of(pack)
    audit = audit_of(pack)
    assert ladder is not None and ladder.pack_id == "test/school-union"
    assert audit is not None and audit.pack_id == "test/school-union"
    assert ladder.step("members-vote").gate.kind == "ballot"


def test_a_law_pack_lacking_a_figure_the_gates_read_is_located(tmp_path: Path) -> None:
    # The union pack itself is no law pack: it has none of the law's figures.
    text = SMALL.replace("steps:\n", "law: england/neu-asos-2015\nsteps:\n", 1)
    ((line, where, message),) = _errors(tmp_path, text)
    assert (line, where) == (3, "law")
    assert message.startswith("law pack 'england/neu-asos-2015' lacks statutory_ballot_turnout")
