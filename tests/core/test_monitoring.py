"""Monitoring during the session (JNCT2.7 16.6): a change to practice or policy recorded as
not consulted answers the NUT's instruction 18 question yes, so the rule reads the record;
a pack that names no such question (South Ayrshire's) is not changed by it."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from fairload.core.check import run_check
from fairload.core.errors import PackError
from fairload.core.monitoring import (
    PRACTICE_CHANGE_QUESTION,
    PracticeChange,
    not_consulted,
    policy_with_practice_changes,
    practice_change_question,
)
from fairload.core.packs import load_bundled
from fairload.core.parameters import ParameterSet
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

NEU = "england/neu-asos-2015"
SA = "scotland/south-ayrshire-jnct-2.7"
DAY = date(2025, 11, 1)
QUESTION = "policies-not-impact-assessed"
MARKING = PracticeChange("New marking policy", date(2025, 10, 6), consulted=False)
HOMEWORK = PracticeChange("Homework timetable", date(2025, 9, 8), consulted=True)


def test_the_nut_pack_names_the_instruction_18_question_as_data() -> None:
    pack = load_bundled(NEU)
    assert practice_change_question(pack, DAY) == QUESTION
    parameter = pack.parameters.parameters[PRACTICE_CHANGE_QUESTION]
    assert parameter.values[0].reference.clause == "Instruction 18"


def test_south_ayrshire_names_no_question_so_its_answers_are_untouched() -> None:
    pack = load_bundled(SA)
    question = practice_change_question(pack, DAY)
    assert question is None
    assert policy_with_practice_changes({"x": False}, [MARKING], question) == {"x": False}


def test_a_change_not_consulted_on_answers_the_question_yes() -> None:
    answers = policy_with_practice_changes({QUESTION: False}, [HOMEWORK, MARKING], QUESTION)
    assert answers[QUESTION] is True


def test_every_change_consulted_leaves_the_schools_own_answer() -> None:
    assert policy_with_practice_changes({QUESTION: False}, [HOMEWORK], QUESTION) == {
        QUESTION: False
    }
    # the school's yes covers its existing policies, which the record of changes does not
    assert policy_with_practice_changes({QUESTION: True}, [HOMEWORK], QUESTION) == {QUESTION: True}


def test_the_changes_not_consulted_on_are_listed_oldest_first() -> None:
    later = PracticeChange("Data drops", date(2025, 11, 3), consulted=False)
    assert not_consulted([later, HOMEWORK, MARKING]) == (MARKING, later)


def test_a_question_the_pack_does_not_declare_is_a_pack_error() -> None:
    pack = load_bundled(NEU)
    parameters = dict(pack.parameters.parameters)
    original = parameters[PRACTICE_CHANGE_QUESTION]
    wrong = replace(original.values[0], value="no-such-question")
    parameters[PRACTICE_CHANGE_QUESTION] = replace(original, values=(wrong,))
    with pytest.raises(PackError, match="no-such-question"):
        practice_change_question(replace(pack, parameters=ParameterSet(parameters)), DAY)


def test_a_change_without_a_title_is_refused() -> None:
    with pytest.raises(ValueError, match="title"):
        PracticeChange("  ", DAY, consulted=True)


def test_the_nut_rule_breaches_on_the_records_answer_and_not_without_it() -> None:
    pack = load_bundled(NEU)
    document = load_file(pack.path / "tests" / "school.yaml")
    assert document["policy"][QUESTION] is False

    def findings(policy: dict[str, object]) -> set[str]:
        year = parse_school_year({**document, "policy": policy}, "school.yaml")
        return {f.rule for f in run_check(pack, tables_from_years([year])).findings}

    question = practice_change_question(pack, DAY)
    assert "policies-impact-assessed" not in findings(
        policy_with_practice_changes(document["policy"], [HOMEWORK], question)
    )
    assert "policies-impact-assessed" in findings(
        policy_with_practice_changes(document["policy"], [HOMEWORK, MARKING], question)
    )
