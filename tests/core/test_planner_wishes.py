"""The plan section: located errors (file, line, field), and what-if changes."""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from fairload.core.errors import InputError, InputErrors
from fairload.core.planner import parse_plan
from fairload.core.planner.whatif import apply_what_if, what_if_section
from fairload.core.school_format import parse_school_year
from fairload.core.yamlfile import load_text

sys.path.insert(0, str(Path(__file__).parent))
from planner_school import ENGLISH, SCOTTISH, as_yaml, document, own_plan, planning
from test_planner import HALF_TERM

PLAN = """
plan:
  wishes:
    - id: staff-meetings
      category: staff-meeting
      minutes: 60
      count: 4
      {extra}
"""


def _errors(extra: str) -> list[InputError]:
    """The errors of the English demo (cut to a half term) with this plan section."""
    text = as_yaml(document(ENGLISH, HALF_TERM))
    located = load_text(text + PLAN.format(extra=extra), "school.yaml")
    year = parse_school_year(located, "school.yaml")
    with pytest.raises((InputErrors, InputError)) as caught:
        parse_plan(located, year, "school.yaml")
    error = caught.value
    return error.errors if isinstance(error, InputErrors) else [error]


def _line_of(extra: str) -> int:
    text = as_yaml(document(ENGLISH, HALF_TERM)) + PLAN.format(extra=extra)
    return text.splitlines().index("      " + extra.splitlines()[0]) + 1


@pytest.mark.parametrize(
    ("extra", "field", "words"),
    [
        ("weekday: [monday]", "plan.wishes[0].weekday", "unknown key 'weekday'"),
        ("hours: 4", "plan.wishes[0].hours", "count or hours, not both"),
        ("terms: [Michaelmas]", "plan.wishes[0].terms[0]", "no term 'Michaelmas'"),
        ("attendees: [nobody]", "plan.wishes[0].attendees", "unknown staff id 'nobody'"),
        ("earliest_start: '25:00'", "plan.wishes[0].earliest_start", "not in the expected form"),
    ],
)
def test_a_bad_wish_is_located_by_line_and_field(extra: str, field: str, words: str) -> None:
    errors = _errors(extra)
    assert any(words in e.message for e in errors), [e.message for e in errors]
    error = next(e for e in errors if words in e.message)
    assert error.location is not None
    assert error.location.file == "school.yaml"
    assert error.location.field == field
    assert error.location.line == _line_of(extra)


def test_a_year_without_a_plan_section_says_how_to_add_one() -> None:
    doc = document(ENGLISH, HALF_TERM)
    year = parse_school_year(doc, "school.yaml")
    with pytest.raises(InputError, match="no plan section") as caught:
        parse_plan(doc, year, "school.yaml")
    assert "wishes" in caught.value.hint


def test_the_school_year_format_accepts_a_plan_section() -> None:
    year, _pack, spec = planning(
        ENGLISH, [{"id": "a", "category": "staff-meeting", "minutes": 60, "hours": 3}], HALF_TERM
    )
    assert spec.wishes[0].count == 3  # 3 hours of one-hour meetings
    assert spec.wishes[0].attendees == tuple(s.id for s in year.staff)


WISH: dict[str, Any] = {"id": "sm", "category": "staff-meeting", "minutes": 60, "count": 4}


def test_what_if_changes_a_wish_adds_one_and_changes_an_fte() -> None:
    year, _pack, spec = planning(ENGLISH, [WISH], HALF_TERM)
    teacher = year.staff[-1].id
    changed_year, changed = apply_what_if(
        ["sm.count=6", "add sm as wg", "wg.minutes=90", f"fte {teacher}=0.6"], year, spec
    )
    assert [(w.id, w.count, w.minutes) for w in changed.wishes] == [
        ("sm", 6, 60),
        ("wg", 1, 90),
    ]
    assert next(s for s in changed_year.staff if s.id == teacher).fte == 0.6


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ("nope.count=3", "no wish 'nope'"),
        ("sm.count=zero", "whole number"),
        ("sm.title=x", "cannot be changed"),
        ("fte nobody=0.5", "no staff member"),
        ("fte {teacher}=1.5", "FTE must be"),
        ("move everything", "not a change fairload knows"),
        ("weeks=0", "at least 1"),
        ("weeks=thirty", "at least 1"),
        ("weeks=8", "has 8 working weeks; weeks=N shortens it"),
    ],
)
def test_a_bad_what_if_is_refused(change: str, words: str) -> None:
    year, _pack, spec = planning(ENGLISH, [WISH], HALF_TERM)
    with pytest.raises(InputError, match=words):
        apply_what_if([change.format(teacher=year.staff[0].id)], year, spec)


def test_for_each_department_makes_one_wish_per_department_of_its_attendees() -> None:
    """Department meetings for each department: one wish each, its attendees the
    department's members among the wish's, the count each its own."""
    wish = {**WISH, "id": "dm", "category": "department-meeting", "for_each": "department"}
    year, _pack, spec = planning(ENGLISH, [wish], HALF_TERM)
    departments = sorted({s.department for s in year.staff if s.department})
    assert [w.id for w in spec.wishes] == [f"dm-{d}" for d in departments]
    for w in spec.wishes:
        assert w.group is not None and w.count == WISH["count"]
        assert set(w.attendees) == {s.id for s in year.staff if s.department == w.group}
    teacher = {**WISH, "id": "prd", "attendees": [year.staff[0].id], "for_each": "teacher"}
    _year, _pack, spec = planning(ENGLISH, [teacher], HALF_TERM)
    (only,) = spec.wishes
    assert (only.id, only.attendees) == (f"prd-{year.staff[0].id}", (year.staff[0].id,))


def test_a_for_each_wish_whose_id_is_taken_is_located() -> None:
    wish = {**WISH, "id": "dm", "for_each": "department"}
    year, _pack, _spec = planning(ENGLISH, [WISH], HALF_TERM)
    department = next(s.department for s in year.staff if s.department)
    clash = {**WISH, "id": f"dm-{department}"}
    with pytest.raises(InputErrors) as caught:
        planning(ENGLISH, [clash, wish], HALF_TERM)
    assert [e.location.field for e in caught.value.errors] == ["plan.wishes[1].for_each"]
    assert f"'dm-{department}' is used twice" in caught.value.errors[0].message


def test_a_negative_spread_tolerance_is_located_and_the_default_is_a_quarter() -> None:
    text = as_yaml(document(ENGLISH, HALF_TERM))
    bad = PLAN.replace("plan:\n", "plan:\n  spread_tolerance: -0.5\n").format(extra="")
    located = load_text(text + bad, "school.yaml")
    year = parse_school_year(located, "school.yaml")
    with pytest.raises((InputErrors, InputError)) as caught:
        parse_plan(located, year, "school.yaml")
    error = caught.value
    errors = error.errors if isinstance(error, InputErrors) else [error]
    located_error = next(
        e for e in errors if e.location and e.location.field == "plan.spread_tolerance"
    )
    assert located_error.location is not None
    assert (
        located_error.location.line
        == (text + bad).splitlines().index("  spread_tolerance: -0.5") + 1
    )
    good = load_text(text + PLAN.format(extra=""), "school.yaml")
    assert (
        parse_plan(good, parse_school_year(good, "school.yaml"), "school.yaml").spread_tolerance
        == 0.25
    )


def test_a_what_ifs_changed_wishes_written_back_read_as_the_what_if_made_them() -> None:
    """``what_if_section``: the plan section a used what-if stores reads back (parse_plan)
    as the wishes the what-if planned, a wish a for_each made becoming one of its own (its
    staff out of the for_each) and an added wish titled as the one it is like."""
    plan = own_plan(SCOTTISH)
    year, _pack, spec = planning(SCOTTISH, plan["wishes"], agreed=plan["agreed"])
    maths = "department-meetings-maths"
    teacher = next(w.id for w in spec.wishes if w.id.startswith("prd-"))
    changes = [
        f"{maths}.count=10",
        "staff-meetings.minutes=90",  # given in hours: its count stays
        f"add {teacher} as prd-again",
        "prd-again.count=2",
        "s4-parents.hard=no",
    ]
    _year, planned = apply_what_if(changes, year, spec)

    section = what_if_section(changes, {**plan}, spec)
    doc = {**document(SCOTTISH), "plan": section}
    read = parse_plan(doc, parse_school_year(doc, SCOTTISH), SCOTTISH)

    assert plan == own_plan(SCOTTISH)  # the section given is not changed
    by_id = {w.id: w for w in read.wishes}
    assert {w.id for w in read.wishes} == {w.id for w in planned.wishes}
    for wish in planned.wishes:
        title = spec.wish(teacher).title if wish.id == "prd-again" else wish.title
        assert by_id[wish.id] == replace(wish, title=title, group=by_id[wish.id].group)
    assert by_id[maths].count == 10 and by_id["staff-meetings"].minutes == 90
    assert by_id["department-meetings-english"].count == 15
    assert [w["id"] for w in section["wishes"]].count("department-meetings") == 1
