"""A figure in prose comes from its parameter: rule titles, fixes, refusals and messages
name parameters, filled at the reading date with the value written by its unit."""

from __future__ import annotations

import re
from datetime import date

import pytest

from fairload.core.errors import InputErrors, PackError
from fairload.core.packs import load_pack
from fairload.core.prose import fill, prose_problem
from fairload.core.units import hours, quantity, sentence

from .conftest import SOUTH_AYRSHIRE, School, make_parameters, south_ayrshire


@pytest.mark.parametrize(
    ("value", "unit", "written"),
    [
        (1, "hours", "1 hour"),
        (2, "hours/week", "2 hours"),
        (4.5, "hours", "4.5 hours"),
        (22.5, "hours/week", "22.5 hours"),
        (3, "periods/week", "3 periods"),
        (1, "periods/week", "1 period"),
        ("1/3", "ratio", "1/3"),
        (195, "days/year", "195 days"),
        (0.3, "ratio", "0.3"),
    ],
)
def test_a_figure_is_written_with_its_unit(value, unit, written):
    assert quantity(value, unit) == written


def test_one_hour_is_singular_in_the_core_sentences():
    assert hours(1) == "1 hour"
    fields = {"a": 1.0, "b": 2.5, "c": 2.0, "d": None, "e": 3}
    assert sentence("{a:hours} and {b:hours}", fields) == "1 hour and 2.5 hours"
    assert sentence("{c}, {d:hours}, {e:periods}", fields) == "2, none, 3 periods"


def test_a_placeholder_is_filled_at_the_reading_date():
    parameters = make_parameters(meeting_max_hours=2)
    text, used = fill("No meeting longer than {meeting_max_hours}", parameters, date(2025, 8, 13))
    assert text == "No meeting longer than 2"  # a unitless test parameter: the bare figure
    assert [p.name for p in used] == ["meeting_max_hours"]


def test_a_message_keeps_its_row_fields_for_the_template():
    parameters = make_parameters(meeting_max_hours=2)
    text, _ = fill(
        "{name} met for {actual:hours}; {meeting_max_hours:hours} at most {{sic}}",
        parameters,
        date(2025, 8, 13),
        keep_others=True,
    )
    assert text == "{name} met for {actual:hours}; 2 hours at most {{sic}}"


def test_a_title_naming_no_parameter_is_refused_with_a_suggestion():
    parameters = make_parameters(meeting_max_hours=2)
    message, hint = prose_problem("At most {meeting_max_hour}", "title", parameters) or ("", "")
    assert "names no parameter" in message
    assert "Did you mean 'meeting_max_hours'?" in hint


def test_a_message_may_name_row_fields_but_not_a_misspelt_parameter():
    parameters = make_parameters(meeting_max_hours=2)
    assert prose_problem("{name} has {actual}", "message", parameters) is None
    assert prose_problem("{name} over {meeting_max_hour}", "message", parameters) is not None


def test_a_table_parameter_cannot_be_a_figure_in_prose():
    parameters = make_parameters(bands=[{"roll_from": 0}])
    problem = prose_problem("See {bands}", "fix", parameters)
    assert problem is not None and "is a table" in problem[0]


MANIFEST = f"""\
id: test/shorter-meetings
title: A school's own agreement
jurisdiction: Scotland
version: "1.0.0"
extends: {SOUTH_AYRSHIRE}
documents:
  local: {{title: Test Academy local agreement}}
"""


def _child(tmp_path, value: float):
    folder = tmp_path / f"meetings-{value}"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(MANIFEST)
    (folder / "parameters.yaml").write_text(
        "meeting_max_hours:\n"
        "  description: Longest single meeting\n"
        "  unit: hours\n"
        "  reference: {document: local, clause: '4'}\n"
        f"  values: {{2014-08-01: {value}}}\n"
    )
    return load_pack(folder)


@pytest.mark.parametrize(("value", "written"), [(1, "1 hour"), (1.5, "1.5 hours")])
def test_changing_the_yaml_value_changes_every_sentence_that_shows_it(tmp_path, value, written):
    school = School()
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:15")

    finding = school.check(_child(tmp_path, value)).only("meeting-max-duration")

    assert finding.title == f"No single meeting longer than {written}"
    assert finding.fix == f"Split the meeting, or shorten it to {written} or less."
    assert f"the limit is {written}" in finding.message
    assert "1 hours" not in " ".join([finding.title, finding.fix or "", finding.message])


def test_the_bundled_pack_says_its_own_figures():
    school = School()
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:15")

    finding = school.check().only("meeting-max-duration")

    assert finding.title == "No single meeting longer than 2 hours"
    assert "lasts 2.5 hours; the limit is 2 hours" in finding.message


def test_no_bundled_rule_repeats_a_figure_its_parameters_hold():
    """A rule's own prose may carry no digit (but a clause's name): figures come from
    parameters."""
    for rule in south_ayrshire().rules:
        for prose in (rule.title, rule.fix or "", rule.refuse or "", rule.message or ""):
            text = re.sub(r"(Appendix|clause|paragraph) \d+(\.\d+)?", "", prose)
            outside = "".join(
                part for i, part in enumerate(text.replace("}", "{").split("{")) if i % 2 == 0
            )
            assert not any(c.isdigit() for c in outside), (rule.id, text)


def test_a_pack_with_a_misspelt_placeholder_does_not_load(tmp_path):
    folder = tmp_path / "typo"
    folder.mkdir()
    (folder / "manifest.yaml").write_text(MANIFEST.replace("shorter-meetings", "typo"))
    (folder / "rules.yaml").write_text(
        "- id: meeting-max-duration\n"
        "  template: event_duration_cap\n"
        "  title: No meeting longer than {meeting_max_hour}\n"
        "  severity: warning\n"
        "  reference: {document: local, clause: '4'}\n"
        "  where: {category: staff-meeting}\n"
        "  max_hours: meeting_max_hours\n"
    )
    with pytest.raises((PackError, InputErrors)) as caught:
        load_pack(folder)
    errors = caught.value.errors if isinstance(caught.value, InputErrors) else [caught.value]
    (error,) = errors
    assert error.location is not None
    assert (error.location.line, error.location.field) == (3, "[0].title")
