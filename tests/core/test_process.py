"""The agreement's process as pack data (process.yaml) and the pure functions over its
record: order, gates and thresholds (from the source's own figures, at the limit and
just over), stage, voiding, overdue and each role's next actions."""

from __future__ import annotations

import shutil
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from fairload.core.errors import InputErrors
from fairload.core.packs import load_bundled, load_pack
from fairload.core.process import (
    Ballot,
    Comments,
    Process,
    Record,
    content_hash,
    done_steps,
    due_date,
    gate,
    load_process,
    may_do,
    next_actions,
    overdue,
    record_from_school_year,
    record_to_school_year,
    signatures_void,
    stage,
    window_dates,
)
from fairload.core.school_year import Signature, Vote

SA = "scotland/south-ayrshire-jnct-2.7"
ENGLAND = "england/neu-asos-2015"
SESSION = date(2025, 8, 13)


def sa() -> Process:
    process = load_process(load_bundled(SA))
    assert process is not None
    return process


def england() -> Process:
    process = load_process(load_bundled(ENGLAND))
    assert process is not None
    return process


HEAD = Signature("head-teacher", "Morag Head", date(2025, 6, 5))
REP = Signature("union-rep", "Rab Rep", date(2025, 6, 5))


def complete(**changes: Any) -> Record:
    """A record with every needed step of South Ayrshire's process done, by hand."""
    record = Record(
        committee_formed=date(2025, 4, 22),
        draft_prepared=date(2025, 5, 9),
        consultation_opened=date(2025, 5, 12),
        consultation_closed=date(2025, 5, 23),
        comments_considered=True,
        vote=Vote(date(2025, 5, 29), 81, 57, 14, 6),
        signatures=(HEAD, REP),
        submitted=date(2025, 6, 6),
    )
    return replace(record, **changes)


def approved_by(eligible: int, in_favour: int, against: int) -> bool:
    record = complete(vote=Vote(date(2025, 5, 29), eligible, in_favour, against))
    return gate(sa(), record, "approval").met


# --- the packs' processes -------------------------------------------------------------------


def test_south_ayrshires_process_follows_section_16():
    process = sa()
    assert [s.id for s in process.required] == [
        "committee",
        "draft",
        "consultation-open",
        "consultation-close",
        "comments-answered",
        "ballot-open",
        "approval",
        "sign",
        "submit",
    ]
    assert process.stage_ids == (
        "not started",
        "drafted",
        "consulted",
        "approved",
        "signed",
        "submitted",
    )
    assert process.step("sign").reference.clause == "16.5"
    assert process.step("approval").rule == "majority-approval"
    assert any("3.3" in note for note in process.notes)
    assert any("17.2" in note for note in process.notes)


def test_englands_process_is_instruction_2s_calendar():
    process = england()
    assert [s.id for s in process.steps] == ["calendar-published", "calendar-agreed"]
    assert process.step("calendar-agreed").roles == ("head-teacher", "union-rep")
    record = record_from_school_year({"calendar_published": "2025-07-10"})
    assert stage(process, record).name == "published"
    assert may_do(process, record, "calendar-agreed", date(2025, 7, 11)) is None
    agreed = replace(record, calendar_agreed_with_union=True)
    assert stage(process, agreed).complete


def test_a_pack_without_process_yaml_has_no_process():
    assert load_process(load_bundled("england/stpcd")) is None


# --- order ----------------------------------------------------------------------------------


def test_signing_waits_for_the_staffs_approval():
    record = complete(vote=None, signatures=(), submitted=None)
    assert (
        may_do(sa(), record, "sign", date(2025, 6, 1)) == "Signing waits for the staff's approval"
    )


def test_a_step_with_its_steps_before_done_may_be_done():
    record = Record(committee_formed=date(2025, 4, 22))
    assert may_do(sa(), record, "draft", date(2025, 5, 1)) is None
    assert may_do(sa(), record, "consultation-open", date(2025, 5, 1)) == (
        "Opening the consultation waits for the draft"
    )


def test_a_done_step_is_not_done_again():
    assert may_do(sa(), complete(), "committee", date(2025, 6, 1)) == (
        "The School Negotiating Committee is already recorded"
    )


def test_a_return_by_the_council_reopens_the_submission():
    returned = complete(
        returned=(),
    )
    assert "submit" in done_steps(sa(), returned)
    from fairload.core.process import Return

    back = complete(returned=(Return(date(2025, 6, 9), ("Calendar missing",)),))
    assert "submit" not in done_steps(sa(), back)
    assert stage(sa(), back).name == "signed"
    assert may_do(sa(), back, "submit", date(2025, 6, 10)) is None
    again = replace(back, submitted=date(2025, 6, 12))
    assert stage(sa(), again).name == "submitted"


# --- the approval threshold: a majority of staff (16.4), not of votes cast --------------------


def test_four_for_one_against_three_not_voting_of_eight_fails():
    """16.4 "approved by the majority of staff": 4 of 8 staff is not a majority, though
    it is 4 of the 5 votes cast."""
    assert not approved_by(8, 4, 1)


def test_a_majority_of_staff_at_the_limit_and_just_over():
    # staff_majority_share is 1/2: more than half the electorate is needed.
    assert not approved_by(10, 5, 0)  # at the limit: half is not a majority
    assert approved_by(10, 6, 0)  # just over
    assert not approved_by(9, 4, 5)
    assert approved_by(9, 5, 0)


def test_the_gate_gives_its_figures_and_clause():
    result = gate(sa(), complete(vote=Vote(date(2025, 5, 29), 8, 4, 1, 0)), "approval")
    assert not result.met
    assert result.figures["tally"] == {"electorate": 8, "yes": 4, "no": 1, "votes_cast": 5}
    assert "4 yes of 8 electors is 50%, not more than 50%" in result.reason
    assert "16.4" in result.reason


def test_the_ballot_is_read_from_the_recorded_ballot_once_it_closes():
    opened = Ballot(date(2025, 6, 1), date(2025, 6, 11))
    record = complete(vote=None, ballot=opened, signatures=(), submitted=None)
    result = gate(sa(), record, "approval")
    assert not result.met and "secret" in result.reason
    assert stage(sa(), record).name == "consulted"
    closed = replace(
        record,
        ballot=Ballot(date(2025, 6, 1), date(2025, 6, 11), date(2025, 6, 11), 8, 5, 2, 1),
    )
    assert gate(sa(), closed, "approval").met
    assert stage(sa(), closed).name == "approved"


def test_an_open_ballot_cannot_carry_counts():
    with pytest.raises(ValueError, match="secret"):
        Ballot(date(2025, 6, 1), in_favour=3)


def test_the_threshold_is_read_at_the_ballots_opening():
    record = complete(
        vote=None,
        ballot=Ballot(date(2025, 6, 1), date(2025, 6, 11), date(2025, 6, 11), 8, 5, 2, 1),
    )
    result = gate(sa(), record, "approval")
    assert result.figures["threshold"]["parameters"][1]["effective"] == "2014-08-01"


# --- comments and signatures ------------------------------------------------------------------


def test_comments_considered_holds_only_when_every_comment_has_an_answer():
    record = complete(comments=Comments(3, 2), comments_considered=None)
    result = gate(sa(), record, "comments-answered")
    assert not result.met and result.reason == "1 comment of 3 has no answer yet"
    assert stage(sa(), record).name == "drafted"
    assert gate(sa(), replace(record, comments=Comments(3, 3)), "comments-answered").met


def test_every_union_rep_on_the_committee_must_sign():
    record = complete(
        signatures=(HEAD, replace(REP, staff="rep1")),
        committee={"union-rep": ("rep1", "rep2")},
    )
    result = gate(sa(), record, "sign")
    assert not result.met
    assert result.figures["missing"] == ["union-rep rep2"]
    both = replace(
        record,
        signatures=(
            *record.signatures,
            Signature("union-rep", "Ann Other", date(2025, 6, 5), None, "rep2"),
        ),
    )
    assert gate(sa(), both, "sign").met


def test_a_rep_who_left_the_committee_before_the_approval_need_not_sign():
    """16.5: the union representatives who sign are those on the committee when the
    staff approved; one whose seat ended before the vote is not waited for, one who
    left after it still signs. The sentence names the person, not their staff id."""
    committee = {
        "members": [
            {"staff": "rep1", "role": "union-rep", "from": "2024-08-20", "to": "2025-03-31"},
            {"staff": "rep2", "role": "union-rep", "from": "2025-04-22"},
            {"staff": "rep3", "role": "union-rep", "from": "2025-04-22", "to": "2025-05-29"},
        ]
    }
    process = {
        "vote": {"held_on": "2025-05-29", "eligible": 81, "in_favour": 57, "against": 14},
        "signatures": [{"role": "head-teacher", "name": "Morag Head", "signed_on": "2025-06-05"}],
    }
    names = {"rep2": "Gordon McGregor", "rep3": "Lorna Hamilton"}
    record = record_from_school_year(process, committee, names)

    assert record.committee["union-rep"] == ("rep2", "rep3")
    result = gate(sa(), record, "sign")
    assert result.figures["missing"] == ["union-rep rep2", "union-rep rep3"]
    assert result.reason == (
        "the agreement lacks the signature of: "
        "union representative Gordon McGregor, union representative Lorna Hamilton"
    )


def test_a_signature_of_another_version_does_not_count():
    document = {"allocations": {"collegiate": 95}, "calendar": []}
    signed = content_hash(document)
    record = complete(
        signatures=(replace(HEAD, content_hash=signed), replace(REP, content_hash=signed)),
        version_hash=signed,
    )
    assert stage(sa(), record).name == "submitted"
    changed = content_hash({**document, "allocations": {"collegiate": 96}})
    assert len(signatures_void(record, changed)) == 2
    after = replace(record, version_hash=changed)
    assert stage(sa(), after).name == "approved"
    assert "void" in gate(sa(), after, "sign").reason


def test_the_content_hash_is_canonical():
    a = {"b": 2.0, "a": [date(2025, 6, 1), "x"], "c": {"z": 1, "y": None}}
    b = {"c": {"y": None, "z": 1}, "a": ["2025-06-01", "x"], "b": 2}
    assert content_hash(a) == content_hash(b)
    assert len(content_hash(a)) == 64
    assert content_hash({"b": 2.5}) != content_hash({"b": 2})


def test_signatures_void_says_why():
    record = complete(signatures=(replace(HEAD, content_hash="0" * 64), REP))
    reasons = signatures_void(record, "1" * 64)
    assert reasons[0] == (
        "Morag Head's signature (head teacher, Thursday 5 June 2025) is void: the agreement "
        "changed after it was signed"
    )
    assert "names no version" in reasons[1]
    assert signatures_void(record, "0" * 64) == [reasons[1]]


# --- windows, overdue and next actions --------------------------------------------------------


def consulting(**changes: Any) -> Record:
    return replace(
        Record(
            committee_formed=date(2025, 4, 22),
            draft_prepared=date(2025, 5, 9),
            consultation_opened=date(2025, 5, 12),
        ),
        **changes,
    )


def test_the_consultation_window_is_the_packs_days():
    opens, closes = window_dates(sa(), consulting(), "consultation")
    # consultation_window_days is 10
    assert (opens, closes) == (date(2025, 5, 12), date(2025, 5, 22))


def test_the_consultation_closes_only_once_its_window_has_ended():
    assert may_do(sa(), consulting(), "consultation-close", date(2025, 5, 22)) == (
        "The consultation runs until Thursday 22 May 2025"
    )
    assert may_do(sa(), consulting(), "consultation-close", date(2025, 5, 23)) is None


def test_next_actions_per_role_during_the_consultation():
    record = consulting(comments=Comments(3, 0))
    today = date(2025, 5, 14)
    assert [a.label for a in next_actions(sa(), record, "teaching-staff", today)] == [
        "Comment on the draft by Thursday 22 May"
    ]
    assert [a.label for a in next_actions(sa(), record, "committee", today)] == [
        "3 comments to answer"
    ]
    assert next_actions(sa(), record, "council", today) == []


def test_next_actions_for_the_ballot_signing_and_submission():
    ballot = Ballot(date(2026, 6, 2), date(2026, 6, 12))
    record = complete(vote=None, ballot=ballot, signatures=(), submitted=None)
    (vote,) = next_actions(sa(), record, "teaching-staff", date(2026, 6, 3))
    assert vote.label == "Vote by Friday 12 June" and vote.due == date(2026, 6, 12)
    assert next_actions(sa(), record, "teaching-staff", date(2026, 6, 13)) == []

    approved = complete(signatures=(), submitted=None)
    assert [a.label for a in next_actions(sa(), approved, "union-rep", date(2025, 6, 1))] == [
        "Sign the agreement"
    ]
    submitted = complete()
    (waiting,) = next_actions(sa(), submitted, "head-teacher", date(2025, 6, 7))
    assert waiting.label == "Submitted, awaiting the council" and waiting.waiting
    (decide,) = next_actions(sa(), submitted, "council", date(2025, 6, 7))
    assert decide.label == "Accept or return the agreement"
    accepted = complete(accepted=date(2025, 6, 10))
    assert next_actions(sa(), accepted, "head-teacher", date(2025, 6, 11)) == []


def test_the_agreement_is_overdue_on_the_deadline_not_before():
    due = due_date(sa(), SESSION)
    assert due == SESSION  # agreement_due_days_before_session: 0
    record = complete(submitted=None)
    assert overdue(sa(), record, due - timedelta(days=1), due) == []
    (late,) = overdue(sa(), record, due, due)
    assert late.step_id == "submit" and late.due == due
    assert overdue(sa(), complete(), due + timedelta(days=30), due) == []


def test_a_ballot_not_counted_after_its_window_is_overdue():
    ballot = Ballot(date(2026, 6, 2), date(2026, 6, 12))
    record = complete(vote=None, ballot=ballot, signatures=(), submitted=None)
    assert overdue(sa(), record, date(2026, 6, 12), None) == []
    (late,) = overdue(sa(), record, date(2026, 6, 13), None)
    assert late.step_id == "approval" and "Friday 12 June 2026" in late.reason


def test_a_council_sets_its_own_deadline_by_a_dated_parameter(tmp_path):
    pack = tmp_path / "council"
    pack.mkdir()
    (pack / "manifest.yaml").write_text(
        f"id: test/council\ntitle: A council\njurisdiction: test\nversion: '1'\n"
        f"extends: {SA}\ndocuments: {{}}\n"
    )
    (pack / "parameters.yaml").write_text(
        "agreement_due_days_before_session:\n  values: {2025-01-01: 30}\n"
    )
    process = load_process(load_pack(pack))
    assert process is not None
    assert due_date(process, SESSION) == SESSION - timedelta(days=30)
    assert due_date(sa(), SESSION) == SESSION


# --- the record, to and from the school-year file ----------------------------------------------


def test_the_record_reads_and_writes_the_school_year_keys():
    raw = {
        "committee_formed": "2025-04-22",
        "consultation_opened": "2025-05-12",
        "consultation_closes": "2025-05-22",
        "comments": {"total": 3, "answered": 3},
        "ballot": {
            "opened": "2025-06-01",
            "closes": "2025-06-11",
            "closed_on": "2025-06-11",
            "eligible": 8,
            "in_favour": 5,
            "against": 2,
            "abstained": 1,
        },
        "signatures": [
            {
                "role": "head-teacher",
                "name": "Morag Head",
                "signed_on": "2025-06-12",
                "content_hash": "a" * 64,
            }
        ],
        "submitted": "2025-06-13",
        "returned": [{"on": "2025-06-14", "reasons": ["No calendar"]}],
        "accepted": "2025-06-20",
        "version_hash": "a" * 64,
        "flexible_approach": {"submitted_on": "2025-05-01"},
        "failure_reported": {"on": "2025-06-30", "by": "union-rep"},
    }
    record = record_from_school_year(raw)
    assert record.ballot is not None and record.staff_vote == Vote(date(2025, 6, 11), 8, 5, 2, 1)
    assert record_to_school_year(record) == raw


# --- a bad process.yaml is refused, located -----------------------------------------------------


def test_a_bad_process_yaml_is_refused_with_file_line_and_field(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(SA).path, folder)
    source = folder / "process.yaml"
    text = source.read_text()
    text = text.replace(
        "    after: [consultation-open]\n    during: consultation",
        "    after: [consultaton-open]\n    during: consultation",
        1,
    )
    text = text.replace("days: approval_ballot_window_days", "days: ballot_days")
    source.write_text(text)
    with pytest.raises(InputErrors) as caught:
        load_pack(folder)
    errors = {e.location.field: e for e in caught.value.errors if e.location}
    assert errors["steps[3].after[0]"].message == (
        "step 'comment' comes after 'consultaton-open', which is not a step above it"
    )
    line = text.splitlines()[errors["steps[3].after[0]"].location.line - 1]
    assert "consultaton-open" in line
    assert "unknown parameter 'ballot_days'" in errors["windows.ballot.days"].message
    assert all(str(e.location.file) == str(source) for e in caught.value.errors)


def test_an_unknown_key_in_process_yaml_is_located(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(ENGLAND).path, folder)
    (folder / "manifest.yaml").write_text(
        (folder / "manifest.yaml")
        .read_text()
        .replace("extends: england/stpcd", "extends: england/stpcd")
    )
    source = folder / "process.yaml"
    source.write_text(
        source.read_text().replace("    roles: [head-teacher]\n", "    role: [head-teacher]\n", 1)
    )
    with pytest.raises(InputErrors) as caught:
        load_pack(folder)
    messages = [str(e) for e in caught.value.errors]
    assert any("process.yaml:" in m and "steps[0]" in m for m in messages), messages


def test_a_figure_in_a_label_must_name_a_parameter(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(ENGLAND).path, folder)
    source = folder / "process.yaml"
    source.write_text(
        source.read_text().replace(
            "label: Publish the directed-time calendar for the year",
            "label: Publish the calendar {weeks_ahead} weeks ahead",
        )
    )
    with pytest.raises(InputErrors) as caught:
        load_pack(folder)
    (error,) = caught.value.errors
    assert error.location is not None and error.location.field == "steps[0].label"
    assert "names no parameter" in error.message


def test_the_packs_folder_is_where_errors_point():
    assert Path(str(sa().source)).name == "process.yaml"


# --- the check reads the recorded ballot ---------------------------------------------------------


def ballot_of(eligible: int, in_favour: int, against: int, abstained: int) -> dict[str, Any]:
    return {
        "opened": "2025-05-26",
        "closes": "2025-06-05",
        "closed_on": "2025-06-05",
        "eligible": eligible,
        "in_favour": in_favour,
        "against": against,
        "abstained": abstained,
    }


def test_majority_approval_reads_the_recorded_ballot(school):
    del school.process["vote"]
    school.process["signatures"] = [
        {"role": "head-teacher", "name": "Morag Head", "signed_on": "2025-06-06"},
        {"role": "union-rep", "name": "Rab Rep", "signed_on": "2025-06-06"},
    ]
    school.process["submitted"] = "2025-06-09"
    school.process["ballot"] = ballot_of(8, 4, 1, 0)  # 3 of 8 did not vote
    (finding,) = school.check().of("majority-approval")
    assert "4 of 8 in favour, and at least 5 were needed" in finding.message

    school.process["ballot"] = ballot_of(8, 5, 1, 0)
    assert school.check().of("majority-approval") == []


def test_an_open_ballot_is_no_vote_for_the_check(school):
    del school.process["vote"]
    school.process["ballot"] = {"opened": "2025-05-26", "closes": "2025-06-05"}
    (finding,) = school.check().of("majority-approval")
    assert finding.message.startswith("no staff vote")


def test_a_vote_and_a_ballot_together_are_refused_located(school):
    from fairload.core.errors import InputErrors as Many

    school.process["ballot"] = ballot_of(8, 5, 1, 0)
    with pytest.raises(Many) as caught:
        school.check()
    (error,) = caught.value.errors
    assert error.location is not None and error.location.field == "agreement.process.ballot"


def test_a_returned_submission_is_not_submitted_for_the_check(school):
    assert school.check().of("submitted-to-council") == []
    school.process["returned"] = [{"on": school.process["submitted"], "reasons": ["No calendar"]}]
    assert len(school.check().of("submitted-to-council")) == 1


def test_a_head_on_the_committee_sees_both_roles_actions():
    record = Record(committee_formed=date(2025, 4, 22), draft_prepared=date(2025, 5, 9))
    today = date(2025, 5, 10)
    assert [a.label for a in next_actions(sa(), record, "head-teacher", today)] == [
        "Open the consultation"
    ]
    both = next_actions(sa(), record, ["head-teacher", "committee"], today)
    assert [a.step_id for a in both] == ["consultation-open"]


def test_the_submission_is_dated_by_the_deadline_in_next_actions():
    record = complete(submitted=None)
    (submit,) = next_actions(sa(), record, "head-teacher", date(2025, 6, 7), SESSION)
    assert submit.label == "Submit the agreement to the Head of Service"
    assert submit.due == SESSION


def test_the_timeline_dates_each_step():
    from fairload.core.process import timeline

    entries = {e.step_id: e for e in timeline(sa(), complete(submitted=None), SESSION)}
    assert entries["approval"].done and entries["approval"].on == date(2025, 5, 29)
    assert entries["approval"].stage == "approved"
    assert not entries["submit"].done and entries["submit"].on is None
    assert "vote" not in entries  # optional, and nothing to show


def test_a_signature_typed_by_name_counts_for_one_committee_rep():
    committee = {"union-rep": ("rep1", "rep2")}
    one = complete(signatures=(HEAD, REP), committee=committee)
    result = gate(sa(), one, "sign")
    assert not result.met and result.figures["missing"] == ["union-rep rep2"]
    two = complete(signatures=(HEAD, REP, replace(REP, name="Ann Other")), committee=committee)
    assert gate(sa(), two, "sign").met


def test_a_figure_in_a_label_is_filled_from_its_parameter(tmp_path):
    folder = tmp_path / "pack"
    shutil.copytree(load_bundled(SA).path, folder)
    source = folder / "process.yaml"
    source.write_text(
        source.read_text().replace(
            "label: Open the consultation\n",
            "label: Open the consultation for {consultation_window_days}\n",
        )
    )
    process = load_process(load_pack(folder))
    assert process is not None
    record = Record(committee_formed=date(2025, 4, 22), draft_prepared=date(2025, 5, 9))
    (action,) = next_actions(process, record, "head-teacher", date(2025, 5, 10))
    assert action.label == "Open the consultation for 10 days"
    from fairload.core.process import step_label

    assert step_label(process, "consultation-open", SESSION) == action.label


def test_a_vote_before_the_packs_figures_took_effect_fails_its_gate_saying_why():
    record = complete(vote=Vote(date(2013, 5, 29), 8, 5, 1))
    result = gate(sa(), record, "approval")
    assert not result.met
    assert "no value in force on 2013-05-29" in result.reason


def test_untrusted_input_is_checked_and_located():
    from fairload.core.errors import InputError
    from fairload.core.process import record_checked

    assert record_checked({"committee_formed": "2025-04-22"}).committee_formed == date(2025, 4, 22)
    with pytest.raises(InputErrors) as caught:
        record_checked({"ballot": {"opened": "2025-06-01", "in_favour": 3}, "sumbitted": "x"})
    fields = sorted(str(e.location.field) for e in caught.value.errors if e.location)
    assert fields == ["agreement.process.ballot", "agreement.process.sumbitted"]
    with pytest.raises(InputError, match="answers to"):
        record_checked({"comments": {"total": 1, "answered": 2}})


def test_a_flexible_approach_is_in_force_only_once_confirmed():
    from fairload.core.process import FlexibleApproach

    submitted = complete(flexible_approach=FlexibleApproach(date(2025, 5, 1)))
    assert not submitted.flexible_approach_in_force
    (wait,) = [
        a
        for a in next_actions(sa(), submitted, "head-teacher", date(2025, 6, 7))
        if a.step_id == "flexible-approach-confirmed"
    ]
    assert wait.waiting and wait.label.startswith("Flexible approach submitted")
    confirmed = complete(flexible_approach=FlexibleApproach(date(2025, 5, 1), date(2025, 5, 20)))
    assert confirmed.flexible_approach_in_force
