"""A union's cases across the council: one row a case, by stage and age, and which
instructions are disputed in how many schools."""

from __future__ import annotations

from datetime import date

from fairload.core.dispute_case import Case, Entry
from fairload.core.dispute_ladder import ladder_of
from fairload.core.dispute_patterns import by_stage, case_rows, patterns
from fairload.core.disputes import close, take
from fairload.core.packs import load_bundled

LADDER = ladder_of(load_bundled("england/neu-asos-2015"))
assert LADDER is not None
TODAY = date(2026, 3, 1)
COVER = {"instruction": 14, "clause": "Instruction 14"}
PLANS = {"instruction": 1, "clause": "Instruction 1"}


def _case(opened: date, *issues: dict[str, object]) -> Case:
    return Case(opened, tuple(issues))


def _council() -> list[tuple[str, str, Case]]:
    talked = take(LADDER, _case(date(2026, 1, 5), COVER, PLANS), "talk", Entry(date(2026, 1, 6)))
    return [
        ("ash-primary", "1", talked),
        ("birch-high", "2", _case(date(2026, 2, 1), COVER)),
        ("cedar-academy", "3", close(_case(date(2025, 11, 3), PLANS), date(2026, 1, 9), "Won")),
    ]


def test_each_case_is_a_row_furthest_stage_first_with_its_age() -> None:
    rows = case_rows(LADDER, _council(), TODAY)
    assert [(r.school, r.stage, r.status, r.age_days) for r in rows] == [
        ("ash-primary", "Step 1: members talk", "open", 55),
        ("cedar-academy", "Opened", "closed", 118),
        ("birch-high", "Opened", "open", 28),
    ]
    assert rows[0].as_dict()["issues"] == "Instruction 14; Instruction 1"


def test_the_pattern_view_says_which_schools_share_an_issue() -> None:
    found = patterns(case_rows(LADDER, _council(), TODAY))
    assert [(p.issue, p.schools, p.cases, p.open_cases) for p in found] == [
        ("Instruction 1", ("ash-primary", "cedar-academy"), 2, 1),
        ("Instruction 14", ("ash-primary", "birch-high"), 2, 2),
    ]


def test_cases_are_counted_by_stage_in_ladder_order() -> None:
    counts = dict(by_stage(LADDER, case_rows(LADDER, _council(), TODAY)))
    assert counts["Opened"] == 1 and counts["Step 1: members talk"] == 1
    assert counts["Closed"] == 1 and counts["Resolved"] == 0
    assert list(counts)[1] == "Step 1: members talk" and len(counts) == 11
