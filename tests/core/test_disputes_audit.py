"""The workload audit (NUT 2015's questions) and "what you may refuse, and why": each
answer and each finding mapped to the instruction members may follow, in its own words."""

from __future__ import annotations

import copy
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fairload.core.check import run_check
from fairload.core.errors import InputErrors
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.workload_audit import (
    Answer,
    Evidence,
    answers_checked,
    audit_of,
    read_audit,
    refusals,
    topic_summary,
)
from fairload.core.yamlfile import load_file

PACK = load_bundled("england/neu-asos-2015")
AUDIT = audit_of(PACK)
assert AUDIT is not None
IN_MANDATE = date(2015, 9, 1)  # the 2015 instructions' mandate: 2015-03-01 to 2016-08-31
FIXTURE = PACK.path / "tests" / "school.yaml"


def yes(*evidence: Evidence) -> Answer:
    return Answer(True, evidence)


def test_the_audit_asks_the_guidances_questions_in_its_order() -> None:
    assert [t.id for t in AUDIT.topics] == [
        "lesson-planning",
        "emails",
        "meetings",
        "mock-inspections",
        "appraisal",
        "observation",
        "reports",
        "initiatives",
        "ppa",
        "leadership-time",
        "cover",
        "admin",
        "invigilation",
        "gained-time",
    ]
    assert AUDIT.topics[10].title == (
        "Is cover for absent colleagues required on a regular, rather than a rare, basis?"
    )
    assert set(AUDIT.question_ids) == {q.id for q in PACK.questions}  # reused, each once


def test_a_rep_answering_two_questions_sees_two_instructions_in_their_own_words() -> None:
    note = Evidence("note", "Plans are collected every Friday by the deputy head")
    answers = {
        "weekly-lesson-plans-to-slt": yes(note),
        "emails-expected-outside-directed-time": yes(),
    }
    found = refusals(AUDIT, PACK, answers, [], IN_MANDATE)
    assert [(r.instruction, r.words) for r in found] == [
        (
            1,
            "Members should not submit weekly lesson plans to members of the senior "
            "management team or anyone acting on behalf of the senior management team.",
        ),
        (4, "Members should send and respond to work-related emails only during directed time."),
    ]
    (basis,) = found[0].bases
    assert (basis.kind, basis.reference.clause, basis.evidence) == (
        "answer",
        "Lesson planning question",
        (note,),
    )
    assert found[0].reference.clause == "Instruction 1" and found[0].caveat is None


@pytest.mark.parametrize(
    ("accepted", "instructions"),
    [(False, [6, 7]), (True, [])],
    ids=["a-school-refusing-the-limit-brings-in-6-and-7", "accepting-it-refuses-nothing"],
)
def test_the_observation_limit_answer(accepted: bool, instructions: list[int]) -> None:
    answers = {"observation-limit-accepted": Answer(accepted)}
    found = refusals(AUDIT, PACK, answers, [], IN_MANDATE)
    assert [r.instruction for r in found] == instructions
    if found:  # the figures come from the parameters, filled at the audit's date
        assert (
            "a total of 3 observations for all purposes within a total time of up to 3 hours"
            in (found[0].words)
        )


def test_a_question_no_neu_rule_reads_maps_through_the_inherited_rule_that_reads_it() -> None:
    # cover-routinely-required is read by the STPCD's cover-routine (52.7); its instruction
    # (14) is worded by the union's own rule.
    (found,) = refusals(AUDIT, PACK, {"cover-routinely-required": yes()}, [], IN_MANDATE)
    assert (found.instruction, found.words) == (14, "Members should refuse to cover for absence.")


def test_a_context_question_refuses_nothing_by_itself() -> None:
    answers = {"cpd-release-policy-for-all-staff": Answer(False)}
    assert refusals(AUDIT, PACK, answers, [], IN_MANDATE) == []


def _checked(change: dict[str, Any]) -> list[Any]:
    document = copy.deepcopy(load_file(FIXTURE))
    document.setdefault("events", []).extend(change.get("add_events", []))
    year = parse_school_year(document, "school.yaml")
    return list(run_check(PACK, tables_from_years([year])).findings)


COVER = {
    "id": "c1",
    "title": "Cover 8B",
    "category": "cover",
    "date": "2025-10-09",
    "start": "11:00",
    "end": "12:00",
    "attendees": ["t1"],
    "during_ppa": True,
    "foreseeable": False,
}


def test_a_calendar_finding_and_an_answer_stand_behind_one_instruction() -> None:
    findings = _checked({"add_events": [COVER]})
    at = date(2025, 9, 1)
    found = {
        r.instruction: r
        for r in refusals(AUDIT, PACK, {"cover-routinely-required": yes()}, findings, at)
    }
    assert set(found) == {11, 14}  # cover in PPA time (11) and cover itself (14)
    assert [b.kind for b in found[14].bases] == ["answer", "finding"]
    assert found[14].bases[1].text == (
        "'Cover 8B' on 2025-10-09 directs cover for absence "
        "(NUT, How to win with Action Short of Strike Action (2015), Instruction 14)"
    )
    assert found[11].bases[0].reference.clause == "Instruction 11"


def test_read_outside_the_mandate_each_refusal_says_so() -> None:
    (found,) = refusals(AUDIT, PACK, {"cover-routinely-required": yes()}, [], date(2025, 9, 1))
    assert found.caveat is not None
    assert "in force from 2015-03-01 to 2016-08-31" in found.caveat
    assert "not what members may refuse today" in found.caveat


def test_the_topic_summary_shows_each_topics_answers_and_instructions() -> None:
    summary = {
        s.topic.id: s
        for s in topic_summary(AUDIT, PACK, {"cover-routinely-required": yes()}, [], IN_MANDATE)
    }
    assert summary["cover"].answers == {"cover-routinely-required": True}
    assert summary["cover"].instructions == (14,)
    assert summary["emails"].answers == {"emails-expected-outside-directed-time": None}
    assert summary["emails"].instructions == ()


# --- untrusted answers and the audit file ------------------------------------------------------


def _problems(raw: Any) -> list[tuple[str | None, str]]:
    with pytest.raises(InputErrors) as raised:
        answers_checked(AUDIT, raw)
    return [(e.location.field if e.location else None, e.message) for e in raised.value.errors]


def test_answers_are_checked_with_located_errors() -> None:
    assert _problems({"cover-often": {"answer": True}}) == [
        ("cover-often", "unknown key 'cover-often'")
    ]
    assert _problems(
        {"cover-routinely-required": {"answer": True, "evidence": [{"kind": "photo", "ref": "x"}]}}
    ) == [("cover-routinely-required.evidence[0].kind", "'photo' is not allowed here")]
    answers = answers_checked(
        AUDIT,
        {
            "cover-routinely-required": {
                "answer": True,
                "evidence": [{"kind": "check-record", "ref": "ab12"}],
            }
        },
    )
    assert answers["cover-routinely-required"] == Answer(True, (Evidence("check-record", "ab12"),))


def _audit_errors(tmp_path: Path, old: str, new: str) -> list[tuple[str | None, str]]:
    source = tmp_path / "audit.yaml"
    text = (PACK.path / "audit.yaml").read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(InputErrors) as raised:
        read_audit(source, PACK)
    return [(e.location.field if e.location else None, e.message) for e in raised.value.errors]


def test_an_answer_the_rule_already_gives_cannot_be_given_again(tmp_path: Path) -> None:
    assert _audit_errors(
        tmp_path,
        "    questions: [cover-routinely-required]\n",
        "    questions: [cover-routinely-required]\n"
        "    refuse_when: {cover-routinely-required: true}\n",
    ) == [
        (
            "topics[10].refuse_when.cover-routinely-required",
            "rule 'cover-routine' already says which answer to 'cover-routinely-required' refuses",
        )
    ]


def test_a_question_left_out_and_an_unknown_rule_are_located(tmp_path: Path) -> None:
    assert _audit_errors(tmp_path, "rules: [one-report-a-year]", "rules: [two-reports-a-year]") == [
        ("topics[6].rules[0]", "no rule 'two-reports-a-year' in the pack")
    ]
    assert _audit_errors(tmp_path, "    questions: [appraisal-conforms-to-checklist]\n", "") == [
        ("topics", "question 'appraisal-conforms-to-checklist' is in no topic")
    ]


def test_a_case_opened_from_the_audit_names_each_instruction_and_its_clause() -> None:
    from fairload.core.dispute_case import case_open

    found = refusals(AUDIT, PACK, {"cover-routinely-required": yes()}, [], IN_MANDATE)
    case = case_open(date(2026, 1, 12), refusals=found)
    assert case.issues == ({"instruction": 14, "clause": "Instruction 14", "rules": ["cover"]},)
