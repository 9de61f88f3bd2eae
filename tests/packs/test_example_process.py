"""Another council's process is YAML only: the example Glenmore pack's process.yaml has
fewer steps than South Ayrshire's and approves on a majority of the votes cast with a
turnout (its clause 5.2), and the same core functions read it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from fairload.core.packs import load_pack
from fairload.core.process import (
    Ballot,
    Process,
    Record,
    due_date,
    gate,
    load_process,
    may_do,
    next_actions,
    stage,
)
from fairload.core.school_year import Signature

EXAMPLE = Path(__file__).parent / "fixtures" / "scotland" / "glenmore-example"
OPENED = date(2026, 6, 1)


def glenmore() -> Process:
    process = load_process(load_pack(EXAMPLE))
    assert process is not None
    return process


def counted(eligible: int, in_favour: int, against: int) -> Record:
    closes = OPENED + timedelta(days=5)
    return Record(
        draft_prepared=date(2026, 5, 20),
        ballot=Ballot(OPENED, closes, closes, eligible, in_favour, against, 0),
    )


def test_its_steps_and_stages_are_its_own():
    process = glenmore()
    assert [s.id for s in process.required] == [
        "draft",
        "ballot-open",
        "approval",
        "sign",
        "submit",
    ]
    assert process.stage_ids == ("not started", "drafted", "approved", "signed", "submitted")


def test_a_majority_of_votes_cast_with_half_the_staff_voting():
    # 5.2: more than half the votes cast, at least half the staff voting.
    assert gate(glenmore(), counted(10, 3, 2), "approval").met  # 5 of 10 voted: at the limit
    assert not gate(glenmore(), counted(10, 3, 1), "approval").met  # 4 of 10 voted: just under
    assert not gate(glenmore(), counted(10, 3, 3), "approval").met  # 3 of 6 cast: not a majority
    assert gate(glenmore(), counted(10, 4, 3), "approval").met  # 4 of 7 cast: just over


def test_its_five_day_ballot_and_fourteen_day_deadline_come_from_its_parameters():
    record = Record(draft_prepared=date(2026, 5, 20), ballot=Ballot(OPENED))
    (vote,) = next_actions(glenmore(), record, "teaching-staff", OPENED)
    assert vote.label == "Vote by Saturday 6 June" and vote.due == OPENED + timedelta(days=5)
    session = date(2026, 8, 18)
    assert due_date(glenmore(), session) == session - timedelta(days=14)


def test_it_needs_no_consultation_step_and_signing_waits_for_the_count():
    record = counted(10, 4, 3)
    assert stage(glenmore(), record).name == "approved"
    signed = replace(
        record,
        signatures=(
            Signature("head-teacher", "H", date(2026, 6, 8)),
            Signature("union-rep", "R", date(2026, 6, 8)),
        ),
    )
    assert stage(glenmore(), signed).name == "signed"
    unapproved = counted(10, 3, 3)
    assert may_do(glenmore(), unapproved, "sign", date(2026, 6, 8)) == (
        "Signing waits for the staff's approval"
    )
