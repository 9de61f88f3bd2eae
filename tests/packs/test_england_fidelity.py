"""The England packs say what the NUT ASOS 2015 document says, in its own words."""

from __future__ import annotations

import copy
from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from fairload.core.check import CheckResult, run_check
from fairload.core.errors import PackError
from fairload.core.packs import load_pack
from fairload.core.prose import fill_rule
from fairload.core.rules import Rule
from fairload.core.school_format import parse_school_year
from fairload.core.tables import tables_from_years
from fairload.core.yamlfile import load_file

# The list of ASOS instructions, quoted from "How to win with Action Short of Strike
# Action and Escalation to Strike Action" (NUT, 2015), as a refusal reads once its
# figures are filled from their parameters: the only departures from the source's words
# are figures written as numerals ("one hour" reads "1 hour", "three observations" "3
# observations", "50 per cent" "1/2"), so changing a parameter changes the sentence.
INSTRUCTIONS = {
    1: "Members should not submit weekly lesson plans to members of the senior management "
    "team or anyone acting on behalf of the senior management team.",
    2: "Members should not attend any meetings outside school session times which are not "
    "within directed time, which do not conform to the limit of an average of 1 "
    "after-school meeting per week, lasting no more than 1 hour and where there is no "
    "published directed time calendar for the academic year which has been agreed with "
    "the NUT.",
    3: "Members should not participate in mock inspections commissioned by the school, "
    "sponsor, provider or local authority.\n\nMembers should not undertake or co-operate "
    "with any preparation for a Section 5 or Section 8 Ofsted inspection commissioned by "
    "the school, sponsor, provider or local authority.",
    4: "Members should send and respond to work-related emails only during directed time.",
    5: "Members should not participate in any appraisal/performance management process "
    "which does not conform to all elements of the NUT Appraisal/Performance Management "
    "Checklist and the Classroom Observation Protocol.",
    6: "Members should not participate in any form of management-led classroom observation "
    "in any school which refuses to operate a policy of a limit of a total of 3 "
    "observations for all purposes within a total time of up to 3 hours per year.",
    7: "Members should not carry out classroom observation in any school which refuses to "
    "accept that there will be a limit of a total of 3 observations for all purposes "
    "within a total time of up to 3 hours per year.",
    8: "Members should refuse to be observed teaching by anyone who does not have qualified "
    "teacher status (QTS)",
    9: "Members should produce only 1 written report annually to parents.",
    10: "Members should only undertake in PPA time, planning, preparation and assessment "
    "activities which they determine are appropriate to support their timetabled lessons.",
    11: "Members should refuse to accept the direction of the head teacher to undertake any "
    "other activity, including cover, in PPA time.",
    12: "Members should refuse to undertake leadership and management activities without "
    "being paid a TLR – or on the leadership spine – and having adequate timetabled time "
    "to support the discharge of those responsibilities.",
    13: "Head teacher members with 1/2 or more timetabled teaching commitment should refuse "
    "to undertake their teaching commitment unless they have an allocation of dedicated "
    "headship time on their timetable.",
    14: "Members should refuse to cover for absence.",
    15: "Members should refuse to undertake administrative and clerical tasks.",
    16: "Members should refuse to invigilate any public examination, including GCSEs and "
    "SATs or any ‘mock’ examinations where the school reorganises the timetable to "
    "replicate the external examinations process.",
    17: "Where teachers are released from timetabled teaching commitments as a result of "
    "pupils being on study or examination leave, members should refuse to undertake any "
    "activities other than the list set out on page 9 of this document.",
    18: "Members should refuse to implement any existing or new management-led policies and "
    "working practices which have not been workload impact-assessed and agreed by the NUT.",
}

ASOS = load_pack("england/neu-asos-2015")
IN_FORCE = date(2015, 9, 1)
SCHOOL = load_file(ASOS.path / "tests" / "school.yaml")


def adding_teacher(**fields: Any) -> Callable[[dict[str, Any]], None]:
    """A change to the test school: one more teacher (post 'teacher' unless given)."""
    return lambda school: school["staff"].append({"post": "teacher", **fields})


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
    rule = fill_rule(ASOS.rule(rule_id), ASOS.parameters, IN_FORCE)

    assert (rule.instruction, rule.refuse) == (2, INSTRUCTIONS[2])


INSTRUCTED = [r for r in ASOS.rules if r.instruction is not None]


@pytest.mark.parametrize("rule", INSTRUCTED, ids=[r.id for r in INSTRUCTED])
def test_every_refusal_is_its_instructions_own_words(rule: Rule) -> None:
    refuse = fill_rule(rule, ASOS.parameters, IN_FORCE).refuse

    assert refuse is not None
    assert refuse in INSTRUCTIONS[rule.instruction].split("\n\n")


def test_every_instruction_has_a_rule() -> None:
    assert {r.instruction for r in INSTRUCTED} == set(INSTRUCTIONS)


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
        adding_teacher(
            id="notime",
            name="No Time",
            tlr=True,
            management_responsibilities=True,
            contact_hours_per_week=21,
            ppa_hours_per_week=2.1,
            timetabled_hours_per_week=26,
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


def test_a_figure_changed_in_the_yaml_changes_every_sentence_that_shows_it(tmp_path) -> None:
    """A union publishing a 90-minute limit changes one value; the title, the refusal and
    the finding all say 1.5 hours."""
    (tmp_path / "manifest.yaml").write_text(
        "id: test/longer-meetings\ntitle: Longer meetings\njurisdiction: test\n"
        'version: "1"\nextends: england/neu-asos-2015\ndocuments: {}\n'
    )
    (tmp_path / "parameters.yaml").write_text(
        "after_school_meeting_max_hours:\n  description: Longest after-school meeting\n"
        "  unit: hours\n  reference: {document: neu, clause: Instruction 2}\n"
        "  values: {2015-03-01: 1.5}\n"
    )
    pack = load_pack(tmp_path)
    rule = fill_rule(pack.rule("after-school-meeting-length"), pack.parameters, IN_FORCE)

    assert rule.title == "An after-school meeting lasts at most 1.5 hours"
    assert "lasting no more than 1.5 hours and" in (rule.refuse or "")


def test_a_policy_condition_naming_no_workload_question_does_not_load(tmp_path) -> None:
    """A misspelt question id would otherwise select no school, silently."""
    (tmp_path / "manifest.yaml").write_text(
        "id: test/typo\ntitle: Typo\njurisdiction: test\n"
        'version: "1"\nextends: england/neu-asos-2015\ndocuments: {}\n'
    )
    (tmp_path / "rules.yaml").write_text(
        "- id: typo\n  template: prohibited_practice\n  title: Typo\n  severity: breach\n"
        "  reference: {document: neu, clause: Instruction 16}\n"
        "  events: {category: mock-exam, policy: {mock-exams-replicate: true}}\n"
    )

    with pytest.raises(PackError) as refused:
        load_pack(tmp_path)

    assert "no workload question 'mock-exams-replicate'" in refused.value.message
    assert refused.value.location is not None
    assert refused.value.location.line == 6


def test_an_over_directed_teacher_is_shown_by_heading_labels_and_hours() -> None:
    """The working lists the budget's headings as the table shows them, not their ids."""
    result = check(
        adding_teacher(
            id="t32",
            name="Long Week",
            contact_hours_per_week=22,
            ppa_hours_per_week=2.2,
            timetabled_hours_per_week=32.5,
        )
    )

    finding = result.finding("directed-time-annual")
    assert finding.message.startswith(
        "Long Week is directed for 1275 hours in the year, more than the 1265 hours"
    )
    assert "INSET days: 35 hours" in finding.working.data["lines"]
