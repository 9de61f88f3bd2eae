"""Working-time budgets: the school's year (Appendix 1) and every teacher's own 1365 hours."""

from __future__ import annotations

from datetime import date

import polars as pl
import pytest

from fairload.core.budgets import returned_hours, school_budget, teacher_budgets

from .conftest import School, south_ayrshire

SESSION_2025 = date(2025, 8, 13)

APPENDIX_1 = {
    "class-contact": 855,
    "personal-allowance": 285,
    "in-service": 30,
    "assessment-reporting-recording": 60,
    "planning": 25,
    "staff-meetings": 40,
    "review": 3,
    "union-meetings": 3,
    "parents-meetings": 30,
    "balance-of-time": 34,
}


def budgets_of(school: School) -> pl.DataFrame:
    pack = south_ayrshire()
    return teacher_budgets(pack.budget, school.tables(), pack.parameters, SESSION_2025)


def lines_of(school: School, staff_id: str) -> dict[str, float]:
    rows = budgets_of(school).filter(pl.col("staff_id") == staff_id)
    return {row["line"]: row["hours"] for row in rows.iter_rows(named=True)}


def school_lines(school: School) -> dict[str, float]:
    pack = south_ayrshire()
    budget = school_budget(
        pack.budget, school.tables(), pack.parameters, SESSION_2025, "test-academy"
    )
    return {line.id: line.hours for line in budget.lines}


def test_appendix_1_adds_up_to_1365_hours():
    assert sum(APPENDIX_1.values()) == 1365


def test_the_school_budget_is_appendix_1(school):
    assert school_lines(school) == APPENDIX_1


def test_the_school_budget_totals_1365_and_cites_appendix_1(school):
    pack = south_ayrshire()
    budget = school_budget(
        pack.budget, school.tables(), pack.parameters, SESSION_2025, "test-academy"
    )

    assert budget.total == 1365
    assert budget.lines_total == 1365
    assert budget.reference.clause == "Appendix 1"
    assert [p.name for p in budget.parameters] == ["annual_hours"]


def test_the_school_budget_shows_the_hours_planned_by_the_busiest_teacher(school):
    pack = south_ayrshire()
    budget = school_budget(
        pack.budget, school.tables(), pack.parameters, SESSION_2025, "test-academy"
    )
    planned = {line.id: line.planned_hours for line in budget.lines}

    # Two in-service days of six hours; a whole-school and a maths meeting for Kirsty.
    assert planned["in-service"] == 12
    assert planned["staff-meetings"] == 2
    assert planned["parents-meetings"] == 2.5
    assert planned["class-contact"] is None


@pytest.mark.parametrize("staff_id", ["ht", "dht6", "pt3", "ptg", "t1", "t2", "pb", "pt06"])
def test_every_teacher_budget_sums_to_1365_hours_pro_rata(school, staff_id):
    rows = budgets_of(school).filter(pl.col("staff_id") == staff_id)

    assert rows["hours"].sum() == pytest.approx(1365 * rows["fte"][0])
    assert rows["total"][0] == pytest.approx(1365 * rows["fte"][0])


def test_a_full_time_class_teacher_has_appendix_1_exactly(school):
    lines = lines_of(school, "t1")

    assert lines == {**APPENDIX_1, "management-time": 0, "other-non-class-contact": 0}


def test_a_dht_of_job_size_6_teaching_11_periods_has_contact_and_management_making_855(school):
    lines = lines_of(school, "dht6")

    assert lines["class-contact"] == pytest.approx(11 * 50 / 60 * 38)
    assert lines["management-time"] == pytest.approx(16 * 50 / 60 * 38)
    assert lines["class-contact"] + lines["management-time"] == pytest.approx(855)
    assert lines["other-non-class-contact"] == pytest.approx(0)


def test_a_probationer_teaching_18_hours_has_the_rest_of_the_22_5_as_other_time(school):
    lines = lines_of(school, "pb")

    assert lines["class-contact"] == 18 * 38
    assert lines["other-non-class-contact"] == pytest.approx(4.5 * 38)


def test_a_teacher_at_0_6_fte_has_819_hours(school):
    rows = budgets_of(school).filter(pl.col("staff_id") == "pt06")

    assert rows["hours"].sum() == pytest.approx(819)
    assert rows["total"][0] == pytest.approx(819)


@pytest.mark.parametrize(
    ("line", "hours"),
    [
        pytest.param("class-contact", 13.5 * 38, id="13.5 hours contact over 38 weeks"),
        pytest.param("personal-allowance", 0.6 * 285, id="personal allowance pro rata"),
        pytest.param("staff-meetings", 0.6 * 40, id="staff meetings pro rata"),
        pytest.param("parents-meetings", 0.6 * 30, id="parents' meetings pro rata"),
        pytest.param("balance-of-time", 0.6 * 34, id="balance of time pro rata"),
    ],
)
def test_a_part_time_teachers_headings_are_pro_rata(school, line, hours):
    assert lines_of(school, "pt06")[line] == pytest.approx(hours)


def test_the_planned_hours_of_a_line_are_the_teachers_events_in_its_categories(school):
    rows = budgets_of(school).filter(pl.col("staff_id") == "t1")
    planned = {row["line"]: row["planned"] for row in rows.iter_rows(named=True)}

    assert planned["staff-meetings"] == 2
    assert planned["union-meetings"] == 1
    assert planned["assessment-reporting-recording"] == 1
    assert planned["balance-of-time"] is None


def test_an_observer_does_not_plan_hours_against_a_line(school):
    school.add_event(
        "PRD", "review", "2025-10-01", "15:45", "17:15", attendees=[], observer="ht", observed="t1"
    )

    rows = budgets_of(school).filter(pl.col("line") == "review")
    planned = {row["staff_id"]: row["planned"] for row in rows.iter_rows(named=True)}

    assert planned["t1"] == 1.5
    assert planned["ht"] == 0


def test_no_groups_in_the_agreement_gain_nothing_though_the_calendar_has_38_hours_free(school):
    """The defect: 40 h of meetings less 2 h in the calendar counted 38 h as gained, so
    meetings not yet scheduled were gained time. Appendix 2 gains only the time of
    committees or working groups allocated in the agreement that the teacher is not in."""
    pack = south_ayrshire()
    returned = returned_hours(pack.budget, budgets_of(school), school.tables().groups)
    kirsty = returned.filter(pl.col("staff_id") == "t1").row(0, named=True)

    assert (kirsty["line"], kirsty["returned"], kirsty["working"]) == ("balance-of-time", 0, "")


def test_a_teacher_gains_the_hours_of_the_groups_they_are_not_a_member_of(school):
    school.document.setdefault("agreement", {})["groups"] = [
        {"id": "numeracy", "title": "Numeracy working group", "hours": 10, "members": ["pt3"]},
        {"id": "eco", "title": "Eco committee", "hours": 6, "members": ["t1", "pt3"]},
        {"id": "digital", "title": "Digital group", "hours": 4.5},
    ]
    pack = south_ayrshire()
    returned = returned_hours(pack.budget, budgets_of(school), school.tables().groups)
    gained = {row["staff_id"]: row for row in returned.iter_rows(named=True)}

    assert gained["t1"]["returned"] == 14.5
    assert gained["t1"]["working"] == "Digital group (4.5 h), Numeracy working group (10 h)"
    assert gained["pt3"]["returned"] == 4.5
    assert gained["t2"]["returned"] == 20.5


@pytest.mark.parametrize(
    "allocations",
    [
        pytest.param(
            {"staff-meetings": 50, "balance-of-time": 24}, id="meetings up 10, balance down 10"
        ),
        pytest.param(
            {"planning": 35, "review": 2, "balance-of-time": 25}, id="planning up 10, review down 1"
        ),
        pytest.param({"balance-of-time": 0, "parents-meetings": 64}, id="all balance to parents"),
    ],
)
def test_allocations_changed_by_agreement_still_reconcile(school, allocations):
    school.allocate(allocations)

    assert sum(school_lines(school).values()) == 1365
    for staff_id, total in (
        budgets_of(school).group_by("staff_id").agg(pl.col("hours").sum()).iter_rows()
    ):
        assert total == pytest.approx(1365 * (0.6 if staff_id == "pt06" else 1)), staff_id


def test_an_agreed_heading_replaces_the_default_in_the_school_budget(school):
    school.allocate({"staff-meetings": 50, "balance-of-time": 24})

    lines = school_lines(school)

    assert lines["staff-meetings"] == 50
    assert lines["balance-of-time"] == 24


def test_an_agreed_heading_is_pro_rata_for_a_part_time_teacher(school):
    school.allocate({"staff-meetings": 50, "balance-of-time": 24})

    assert lines_of(school, "pt06")["staff-meetings"] == pytest.approx(30)
    assert lines_of(school, "pt06")["balance-of-time"] == pytest.approx(0.6 * 24)


def test_the_balance_of_time_takes_up_an_agreed_increase_for_each_teacher(school):
    school.allocate({"staff-meetings": 50})

    assert lines_of(school, "t1")["balance-of-time"] == 24


def test_raising_one_heading_without_reducing_another_breaks_the_school_budget(school):
    school.allocate({"staff-meetings": 50})

    assert sum(school_lines(school).values()) == 1375


def test_raising_one_heading_without_reducing_another_is_a_breach_needing_agreement(school):
    school.allocate({"staff-meetings": 50})

    findings = school.check()

    assert findings.rules == {"budget-adds-up", "allocations-by-agreement"}
    breach = findings.only("budget-adds-up")
    assert breach.severity == "breach"
    assert (breach.actual, breach.limit) == (1375, 1365)
    assert breach.message == (
        "the agreement's headings add up to 1375 hours, not the 1365 hours of the working "
        "year (South Ayrshire JNCT2.7, Appendix 1)"
    )
    assert findings.only("allocations-by-agreement").severity == "needs-agreement"


def test_raising_one_heading_and_reducing_another_needs_agreement_only(school):
    school.allocate({"staff-meetings": 50, "balance-of-time": 24})

    findings = school.check()

    assert findings.rules == {"allocations-by-agreement"}
    assert sorted(f.working.data["heading"] for f in findings) == [
        "balance-of-time",
        "staff-meetings",
    ]


def test_a_teacher_budget_row_per_line_per_teacher(school):
    pack = south_ayrshire()

    assert budgets_of(school).height == 8 * len(pack.budget.lines)


def test_a_heading_no_school_changed_is_its_default_and_no_other():
    """The budget reads a heading no school agreed other than its default as that one
    figure (no column a teacher): only where every school's is the default exactly,
    never a 0 (whose sign might differ from school to school) or a NaN."""
    from fairload.core.budgets import _all_of

    def all_of(agreed: list[float | None], default: float) -> bool:
        figures = pl.Series([1.0, default], dtype=pl.Float64)
        return _all_of(pl.Series(agreed, dtype=pl.Float64), figures, 1)

    assert all_of([30.0, 30.0, 30.0], 30.0)
    assert not all_of([30.0, 25.0, 30.0], 30.0)
    assert not all_of([30.0, float("nan"), 30.0], 30.0)
    assert not all_of([30.0, None, 30.0], 30.0)
    assert not all_of([0.0, 0.0], 0.0)
    assert not all_of([float("nan")], float("nan"))
