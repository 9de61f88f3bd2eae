"""A teacher's balance-of-time pro-forma state (JNCT2.7 Appendix 2, 9.2): the 34 hours of
the agreement, the hours gained from groups the teacher is not in (as the check reckons
them), Appendix 2's rows, what is left, and the line manager (PT, DHT or HT)."""

from __future__ import annotations

from datetime import date

import pytest

from fairload.core.proforma import UNALLOCATED, line_manager, proforma_state

from .conftest import School, south_ayrshire

SESSION = date(2025, 8, 13)
GROUPS = [
    {"id": "numeracy", "title": "Numeracy working group", "hours": 10, "members": ["pt3"]},
    {"id": "eco", "title": "Eco committee", "hours": 6, "members": ["t1", "pt3"]},
]


def test_basic_and_additional_balance_and_what_is_left(school: School) -> None:
    school.document.setdefault("agreement", {})["groups"] = GROUPS
    state = proforma_state(south_ayrshire(), school.tables(), "test-academy", "t1", SESSION)
    # Appendix 2: "Basic Balance of Time from School Agreement 34 Hours"; Kirsty is not in
    # the numeracy group, so she gains its 10 hours
    assert (state.basic, state.additional, state.total) == (34, 10, 44)
    assert state.gained_from == "Numeracy working group (10 h)"
    assert state.accounted == 0 and state.left == 44 and not state.adds_up
    # Appendix 2's rows, "Other (please specify)" included, in its order
    texts = [row.text for row in state.rows]
    assert texts[0] == "Additional time for preparation and marking"
    assert "Other (please specify)" in texts


def test_typed_hours_at_the_total_add_up_and_one_over_does_not(school: School) -> None:
    school.document.setdefault("agreement", {})["groups"] = GROUPS
    pack, tables = south_ayrshire(), school.tables()
    exact = {"cpd": 20, "other": 20, UNALLOCATED: 4}
    state = proforma_state(pack, tables, "test-academy", "t1", SESSION, exact)
    assert state.left == 0 and state.adds_up and state.unallocated == 4
    over = proforma_state(pack, tables, "test-academy", "t1", SESSION, {**exact, "cpd": 21})
    assert over.left == -1 and not over.adds_up


def test_an_unlisted_activity_counts_but_is_shown_apart(school: School) -> None:
    state = proforma_state(
        south_ayrshire(), school.tables(), "test-academy", "t2", SESSION, {"golf": 3}
    )
    assert state.unknown == {"golf": 3.0} and state.left == state.total - 3


def test_the_recorded_pro_forma_is_read_from_the_school_year(school: School) -> None:
    school.document["proformas"] = [{"staff": "t2", "activities": {"cpd": 30, "other": 4}}]
    state = proforma_state(south_ayrshire(), school.tables(), "test-academy", "t2", SESSION)
    assert {r.id: r.hours for r in state.rows if r.hours} == {"cpd": 30, "other": 4}
    assert state.adds_up


@pytest.mark.parametrize(
    ("staff_id", "manager"),
    [
        ("t1", "pt3"),  # a maths teacher: the maths PT
        ("t2", "dht6"),  # an English teacher: no English PT, so a depute head
        ("pt3", "dht6"),
        ("dht6", "ht"),
        ("ht", None),
    ],
)
def test_the_line_manager_comes_from_the_post_structure(
    school: School, staff_id: str, manager: str | None
) -> None:
    found = line_manager(south_ayrshire(), school.tables(), "test-academy", staff_id, SESSION)
    assert (found.staff_id if found else None) == manager


def test_a_teacher_not_in_the_school_is_a_key_error(school: School) -> None:
    with pytest.raises(KeyError):
        proforma_state(south_ayrshire(), school.tables(), "test-academy", "nobody", SESSION)


def test_what_both_sign_changes_hash_when_an_hour_changes(school: School) -> None:
    pack, tables = south_ayrshire(), school.tables()
    typed = {"cpd": 30, "other": 4}
    first = proforma_state(pack, tables, "test-academy", "t2", SESSION, typed)
    again = proforma_state(pack, tables, "test-academy", "t2", SESSION, dict(typed))
    changed = proforma_state(pack, tables, "test-academy", "t2", SESSION, {**typed, "cpd": 29})
    assert first.content_hash == again.content_hash
    assert first.content_hash != changed.content_hash
    assert first.as_document()["activities"] == {"cpd": 30.0, "other": 4.0}
    assert first.as_document()["line_manager"] == "dht6"


def test_the_file_keeps_each_activitys_brief_details(school: School) -> None:
    from fairload.core.school_format import parse_school_year
    from fairload.io.school_file import dump_school_year

    school.document["proformas"] = [
        {
            "staff": "t2",
            "activities": {"cpd": 30, "other": 4},
            "details": {"other": "School show rehearsals"},
        }
    ]
    year = parse_school_year(school.document, "school.yaml")

    assert year.proformas[0].details == {"other": "School show rehearsals"}
    assert dump_school_year(year)["proformas"][0]["details"] == {"other": "School show rehearsals"}


def test_budgets_worked_out_once_give_the_same_pro_forma(school: School) -> None:
    from fairload.core.budgets import teacher_budgets

    pack, tables = south_ayrshire(), school.tables()
    assert pack.budget is not None
    budgets = teacher_budgets(pack.budget, tables, pack.parameters, SESSION)
    typed = {"cpd": 30, "other": 4}

    alone = proforma_state(pack, tables, "test-academy", "t2", SESSION, typed)
    shared = proforma_state(pack, tables, "test-academy", "t2", SESSION, typed, None, budgets)

    assert alone == shared
