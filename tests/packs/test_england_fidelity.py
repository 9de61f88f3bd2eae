"""The England packs say what the NUT ASOS 2015 document says, in its own words."""

from __future__ import annotations

import pytest

from fairload.core.packs import load_pack

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
