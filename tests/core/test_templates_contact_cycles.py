"""Timetable cycles (SNCT 14/43, JNCT2.7 3.3) and class contact including cover.

SNCT 14/43 lets a school's negotiating group agree a planned, flexible approach: a
weekly limit averaged over a cycle of weeks with a cap on any single week, for example
at most 25 hours in any week and 22.5 hours on average over a fortnight.
"""

from __future__ import annotations

import pytest

from fairload.core.errors import InputErrors

from .conftest import School, evaluate_rule, make_parameters, make_rule

FLEXIBLE = make_parameters(weekly_max=22.5, any_week_max=25, cycle_max=2)


def _flexible_rule(**extra: object):
    return make_rule(
        "weekly_contact_cap",
        where={"probationer": False},
        max_hours_per_week="weekly_max",
        max_hours_in_any_week="any_week_max",
        max_cycle_weeks="cycle_max",
        pro_rata=True,
        **extra,
    )


def _fortnightly(school: School, *weeks: float, teacher: str = "t2") -> None:
    school.school["timetable_cycle_weeks"] = len(weeks)
    school.set_staff(
        teacher,
        contact_periods_per_week=None,
        contact_hours_per_week=None,
        contact_hours_by_cycle_week=list(weeks),
    )


@pytest.mark.parametrize(
    ("weeks", "expected"),
    [
        pytest.param((25, 20), [], id="25 and 20 hours: 25 in a week and 22.5 on average"),
        pytest.param((25.25, 19.75), [("t2/cycle-week-1", 25.25, 25)], id="25.25 in week 1"),
        pytest.param((25, 20.25), [("t2", 22.625, 22.5)], id="22.625 on average"),
    ],
)
def test_a_fortnight_is_averaged_with_a_cap_on_any_single_week(school, weeks, expected):
    _fortnightly(school, *weeks)

    found = evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE)

    assert [(f.subject.id, f.actual, f.limit) for f in found] == expected


def test_a_finding_over_the_single_week_cap_names_the_week_of_the_cycle(school):
    _fortnightly(school, 19.5, 25.5)

    (finding,) = evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE)

    assert finding.message.startswith(
        "Duncan Teacher is timetabled for 25.5 hours in week 2 of their 2-week cycle; "
        "the limit in any one week is 25 hours"
    )


def test_an_average_over_the_limit_says_it_is_an_average(school):
    _fortnightly(school, 25, 21)

    (finding,) = evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE)

    assert "23 hours a week on average over their 2-week cycle; the limit is 22.5 hours" in (
        finding.message
    )


def test_a_cycle_longer_than_may_be_averaged_is_held_to_the_weekly_limit_every_week(school):
    _fortnightly(school, 22.5, 22.5, 23)

    found = evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE)

    assert [(f.subject.id, f.actual, f.limit) for f in found] == [("t2/cycle-week-3", 23, 22.5)]


def test_the_single_week_cap_is_pro_rata_for_a_part_timer(school):
    _fortnightly(school, 15, 12, teacher="pt06")  # 0.6 FTE: 15 in any week, 13.5 on average

    assert evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE) == []

    _fortnightly(school, 15.25, 11.75, teacher="pt06")
    (finding,) = evaluate_rule(_flexible_rule(), school.tables(), FLEXIBLE)
    assert (finding.actual, finding.limit) == (15.25, 15)


def test_without_an_agreed_flexible_approach_every_week_is_within_22_5_hours(school):
    # South Ayrshire's own 3.1 rule does not average: 23 then 22 hours breaches in week 1.
    _fortnightly(school, 23, 22)

    finding = school.check().only("class-contact-max")

    assert (finding.subject.id, finding.actual, finding.limit) == ("t2/cycle-week-1", 23, 22.5)


# --- 3.3: averaging only once the Joint Secretaries confirm the school's approach ---------


def _approach(school: School, confirmed: str | None = None, **plan: object) -> None:
    """The plan in agreement.flexible_approach; its dates in process.flexible_approach."""
    school.document.setdefault("agreement", {})["flexible_approach"] = {
        "cycle_weeks": 2,
        "max_contact_hours_in_any_week": 25,
        **plan,
    }
    steps = {"submitted_on": "2025-05-20"}
    if confirmed:
        steps["confirmed_on"] = confirmed
    school.process["flexible_approach"] = steps


def test_a_confirmed_approach_averages_the_weekly_maximum_with_its_own_single_week_cap(school):
    _fortnightly(school, 25, 20)
    _approach(school, confirmed="2025-06-20")

    assert school.check().of("class-contact-max") == []

    _fortnightly(school, 25.5, 19.5)
    finding = school.check().only("class-contact-max")
    assert (finding.subject.id, finding.actual, finding.limit) == ("t2/cycle-week-1", 25.5, 25)


def test_an_approach_not_yet_confirmed_is_not_in_force_and_says_so(school):
    _fortnightly(school, 25, 20)
    _approach(school)

    result = school.check()

    breach = result.only("class-contact-max")
    assert (breach.subject.id, breach.actual, breach.limit) == ("t2/cycle-week-1", 25, 22.5)
    note = result.only("flexible-approach-confirmed")
    assert "submitted on 2025-05-20, not confirmed" in note.message
    assert "not in force until the Joint Secretaries of the JNCT confirm" in note.message


def test_a_flexible_rule_holds_the_schools_cap_within_the_packs_single_week_cap(school):
    _fortnightly(school, 24, 21)
    _approach(school, max_contact_hours_in_any_week=26, confirmed="2025-06-20")
    rule = make_rule(
        "weekly_contact_cap",
        max_hours_per_week="weekly_max",
        max_hours_in_any_week="national_week_max",
        flexible_approach=True,
    )
    parameters = make_parameters(weekly_max=22.5, national_week_max=23.5)

    (finding,) = evaluate_rule(rule, school.tables(), parameters)

    assert (finding.subject.id, finding.actual, finding.limit) == ("t2/cycle-week-1", 24, 23.5)


@pytest.mark.parametrize(
    ("fields", "message", "field"),
    [
        pytest.param(
            {"cycle_weeks": 3},
            "the flexible approach averages over 3 weeks, but the timetable cycle "
            "(school.timetable_cycle_weeks) is 2",
            "agreement.flexible_approach.cycle_weeks",
            id="a cycle that is not the timetable's",
        ),
        pytest.param(
            {"confirmed": "2025-05-19"},
            "the flexible approach is confirmed before it was submitted",
            "agreement.process.flexible_approach",
            id="confirmed before submitted",
        ),
    ],
)
def test_a_flexible_approach_that_does_not_fit_the_year_is_a_located_error(
    school, fields, message, field
):
    _fortnightly(school, 25, 20)
    _approach(school, **fields)

    with pytest.raises(InputErrors) as raised:
        school.year()

    (error,) = raised.value.errors
    assert message in str(error)
    assert error.location.field == field


def test_contact_by_cycle_week_may_be_given_in_periods(school):
    school.school["timetable_cycle_weeks"] = 2
    school.set_staff("t2", contact_periods_per_week=None, contact_periods_by_cycle_week=[27, 28])

    finding = school.check().only("class-contact-max")

    assert finding.subject.id == "t2/cycle-week-2"


def test_a_week_by_week_timetable_must_give_one_figure_per_week_of_the_cycle(school):
    school.set_staff("t2", contact_periods_per_week=None, contact_hours_by_cycle_week=[25, 20])

    with pytest.raises(InputErrors) as raised:
        school.year()

    (error,) = raised.value.errors
    assert "2 weeks of contact given, but the timetable cycle is 1 week" in str(error)
    assert error.location.field == "staff[5].contact_hours_by_cycle_week"


def test_a_teacher_gives_contact_by_the_week_or_by_the_cycle_not_both(school):
    school.school["timetable_cycle_weeks"] = 2
    school.set_staff("t2", contact_hours_by_cycle_week=[25, 20])  # still has 27 periods a week

    with pytest.raises(InputErrors) as raised:
        school.year()

    (error,) = raised.value.errors
    assert "give contact_hours_by_cycle_week or contact_periods_per_week, not both" in str(error)


# --- class contact including cover -------------------------------------------------------

INCLUDING_COVER = make_parameters(weekly_max=22.5)


def _cover_rule():
    return make_rule(
        "weekly_contact_cap",
        where={"probationer": False},
        max_hours_per_week="weekly_max",
        plus_events={"category": "cover"},
        pro_rata=True,
    )


@pytest.mark.parametrize(
    ("end", "expected"),
    [
        pytest.param("10:00", [], id="21.5 timetabled and 1 hour of cover is 22.5"),
        pytest.param("10:15", [("t2/week-4", 22.75, 22.5)], id="1.25 hours of cover is over"),
    ],
)
def test_contact_including_cover_is_capped_week_by_week(school, end, expected):
    school.set_staff("t2", contact_periods_per_week=None, contact_hours_per_week=21.5)
    school.add_event("Cover 3B", "cover", "2025-09-03", "09:00", end, attendees=["t2"])

    found = evaluate_rule(_cover_rule(), school.tables(), INCLUDING_COVER)

    assert [(f.subject.id, f.actual, f.limit) for f in found] == expected


def test_cover_adds_to_that_weeks_share_of_a_fortnightly_timetable(school):
    _fortnightly(school, 20, 22)  # school week 4 is week 2 of the cycle
    school.add_event("Cover 3B", "cover", "2025-09-03", "09:00", "10:00", attendees=["t2"])

    (finding,) = evaluate_rule(_cover_rule(), school.tables(), INCLUDING_COVER)

    assert finding.message.startswith(
        "Duncan Teacher has 23 hours of class contact in week 4: 22 hours timetabled and "
        "1 hour at Cover 3B (2025-09-03); the limit is 22.5 hours"
    )


def test_cover_in_another_week_of_the_cycle_stays_within_the_limit(school):
    _fortnightly(school, 20, 22)
    school.add_event("Cover 3B", "cover", "2025-09-10", "09:00", "10:00", attendees=["t2"])

    assert evaluate_rule(_cover_rule(), school.tables(), INCLUDING_COVER) == []
