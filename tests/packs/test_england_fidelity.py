"""The England packs say what the NUT ASOS 2015 document says, in its own words."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_pack
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

# The list of ASOS instructions, quoted from "How to win with Action Short of Strike
# Action and Escalation to Strike Action" (NUT, 2015).
INSTRUCTIONS = {
    2: "Members should not attend any meetings outside school session times which are not "
    "within directed time, which do not conform to the limit of an average of one "
    "after-school meeting per week, lasting no more than one hour and where there is no "
    "published directed time calendar for the academic year which has been agreed with "
    "the NUT.",
}

ASOS = load_pack("england/neu-asos-2015")
SCHOOL = load_file(ASOS.path / "tests" / "school.yaml")


def check(change: Callable[[dict[str, Any]], None], at: date | None = None) -> CheckResult:
    """The pack's test school, with one change, checked against the ASOS pack."""
    document = copy.deepcopy(SCHOOL)
    change(document)
    year = parse_school_year(document, "school.yaml")
    return run_check(ASOS, tables_from_years([year]), at)


@pytest.mark.parametrize(
    "rule_id",
    [
        "after-school-meetings-average",
        "after-school-meeting-length",
        "directed-time-calendar-published",
        "directed-time-calendar-agreed",
        "meetings-outside-directed-time",
    ],
)
def test_instruction_2_refusals_are_the_instructions_own_words(rule_id: str) -> None:
    rule = ASOS.rule(rule_id)

    assert (rule.instruction, rule.refuse) == (2, INSTRUCTIONS[2])


def test_two_evenings_a_week_is_nut_policy_not_an_instruction() -> None:
    """'NUT policy is that ... with a maximum of two evenings in any week, including
    parents' evenings' is in the meetings question; no instruction holds it."""
    rule = ASOS.rule("evenings-per-week")

    assert (rule.instruction, rule.refuse, rule.reference.clause) == (
        None,
        None,
        "Meetings question",
    )


def test_a_tlr_holder_with_no_time_for_the_role_is_told_that() -> None:
    """Instruction 12: "without being paid a TLR ... and having adequate timetabled time"."""
    result = check(
        lambda school: school["staff"].append(
            {
                "id": "notime",
                "name": "No Time",
                "post": "teacher",
                "tlr": True,
                "management_responsibilities": True,
                "contact_hours_per_week": 21,
                "ppa_hours_per_week": 2.1,
                "timetabled_hours_per_week": 26,
            }
        )
    )

    instruction_12 = {r.id for r in ASOS.rules if r.instruction == 12}
    (finding,) = [f for f in result.findings if f.rule in instruction_12]
    assert finding.rule == "leadership-without-time"
    assert "no timetabled time" in finding.message
    assert "TLR" not in finding.message


def test_outside_the_mandate_each_instructions_finding_carries_the_caveat() -> None:
    """The instructions have "the legal backing of a national industrial action ballot"
    of 2015: a 2025-26 check says plainly they are not in force, on every instruction's
    finding, and not on the national conditions (STPCD) the pack inherits."""

    def no_ppa_and_a_mock_inspection(school: dict[str, Any]) -> None:
        school["staff"][3]["ppa_hours_per_week"] = 1
        school["policy"]["mock-inspections"] = True

    result = check(no_ppa_and_a_mock_inspection, at=date(2025, 9, 1))

    caveats = {f.rule: f.caveat for f in result.findings}
    assert "not in force" not in (caveats["ppa-minimum"] or "")
    assert "2025-09-01, outside that" in caveats["mock-inspections"]
    assert "from 2015-03-01 to 2016-08-31" in caveats["mandate"]
    assert result.finding("mock-inspections").as_dict()["caveat"] == caveats["mandate"]


def test_within_the_mandate_no_finding_carries_a_caveat() -> None:
    result = check(
        lambda school: school["policy"].update({"mock-inspections": True}), date(2015, 9, 1)
    )

    assert [f.caveat for f in result.findings] == [None]
