"""Properties of the process functions over any record (Hypothesis)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from fairload.core.packs import load_bundled
from fairload.core.process import (
    Ballot,
    Comments,
    Process,
    Record,
    content_hash,
    done_steps,
    load_process,
    may_do,
    next_actions,
    record_from_school_year,
    record_to_school_year,
    signatures_void,
    stage,
)
from fairload.core.school_year import Signature, Vote

PROCESSES: list[Process] = [
    p
    for p in (
        load_process(load_bundled("scotland/south-ayrshire-jnct-2.7")),
        load_process(load_bundled("england/neu-asos-2015")),
    )
    if p is not None
]
START = date(2025, 4, 1)
days = st.integers(min_value=0, max_value=120).map(lambda n: START + timedelta(days=n))
maybe_day = st.none() | days


@st.composite
def votes(draw: st.DrawFn) -> Vote:
    eligible = draw(st.integers(0, 40))
    in_favour = draw(st.integers(0, eligible))
    against = draw(st.integers(0, eligible - in_favour))
    abstained = draw(st.integers(0, eligible - in_favour - against))
    return Vote(draw(days), eligible, in_favour, against, abstained)


@st.composite
def ballots(draw: st.DrawFn) -> Ballot:
    opened = draw(days)
    closes = opened + timedelta(days=draw(st.integers(1, 14)))
    if not draw(st.booleans()):
        return Ballot(opened, closes)
    vote = draw(votes())
    return Ballot(
        opened, closes, closes, vote.eligible, vote.in_favour, vote.against, vote.abstained
    )


@st.composite
def comments(draw: st.DrawFn) -> Comments:
    total = draw(st.integers(0, 9))
    return Comments(total, draw(st.integers(0, total)))


signatures = st.lists(
    st.builds(
        Signature,
        st.sampled_from(["head-teacher", "union-rep", "council"]),
        st.sampled_from(["A", "B"]),
        days,
        st.none() | st.sampled_from(["a" * 64, "b" * 64]),
    ),
    max_size=3,
).map(tuple)


@st.composite
def records(draw: st.DrawFn) -> Record:
    vote = draw(st.none() | votes())
    return Record(
        committee_formed=draw(maybe_day),
        draft_prepared=draw(maybe_day),
        consultation_opened=draw(maybe_day),
        consultation_closed=draw(maybe_day),
        comments=draw(st.none() | comments()),
        comments_considered=draw(st.none() | st.booleans()),
        vote=vote,
        ballot=None if vote else draw(st.none() | ballots()),
        signatures=draw(signatures),
        submitted=draw(maybe_day),
        accepted=draw(maybe_day),
        version_hash=draw(st.none() | st.sampled_from(["a" * 64, "b" * 64])),
        calendar_published=draw(maybe_day),
        calendar_agreed_with_union=draw(st.none() | st.booleans()),
    )


processes = st.sampled_from(PROCESSES)


@given(processes, records())
def test_the_stage_never_passes_a_step_not_done(process: Process, record: Record) -> None:
    found = stage(process, record)
    done = set(done_steps(process, record))
    reached = process.stage_ids.index(found.name)
    for spec in process.stages[:reached]:
        assert set(spec.steps) <= done
    if not found.complete:
        assert found.waiting is not None and found.waiting not in done
        assert found.reason


@given(processes, records(), days)
def test_a_step_may_be_done_only_when_its_steps_before_are(
    process: Process, record: Record, at: date
) -> None:
    done = set(done_steps(process, record))
    for step in process.steps:
        if may_do(process, record, step.id, at) is None:
            assert set(step.after) <= done
            assert step.id not in done


@given(
    processes,
    records(),
    days,
    st.sampled_from(["head-teacher", "committee", "teaching-staff", "union-rep", "council"]),
)
def test_a_next_action_is_a_step_that_may_be_done(
    process: Process, record: Record, today: date, role: str
) -> None:
    for action in next_actions(process, record, role, today):
        assert may_do(process, record, action.step_id, today) is None
        step = process.step(action.step_id)
        assert (role in step.roles) != action.waiting


@given(records())
def test_the_record_goes_to_the_file_and_back_unchanged(record: Record) -> None:
    assert record_from_school_year(record_to_school_year(record)) == record


json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-1000, 1000)
    | st.floats(allow_nan=False, allow_infinity=False, width=32)
    | st.text(max_size=5)
    | days,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=12,
)
documents = st.dictionaries(st.text(max_size=4), json_values, min_size=1, max_size=4)


def _changed(document: dict[str, Any], key: str, value: Any) -> dict[str, Any]:
    return {**document, key: value}


@given(documents, st.text(max_size=4), json_values, st.integers(1, 3))
def test_any_change_to_the_document_changes_the_hash_and_voids_every_signature(
    document: dict[str, Any], key: str, value: Any, signers: int
) -> None:
    other = _changed(document, key, value)
    if content_hash(other) == content_hash(document):
        # Only a change the canonical form does not see (2.0 for 2, a date for its ISO
        # text, the same value again) keeps the hash.
        from fairload.core.process import canonical_json

        assert canonical_json(other) == canonical_json(document)
        return
    signed = content_hash(document)
    record = Record(
        signatures=tuple(Signature("union-rep", f"Rep {n}", START, signed) for n in range(signers)),
        version_hash=signed,
    )
    assert signatures_void(record, signed) == []
    assert len(signatures_void(record, content_hash(other))) == signers
    moved = replace(record, version_hash=content_hash(other))
    assert moved.valid_signatures == ()
