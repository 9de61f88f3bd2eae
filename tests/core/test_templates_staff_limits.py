"""Limits on each teacher's week (3.1, 3.2, 4.1) and promoted posts' time (8.8–8.10)."""

from __future__ import annotations

import pytest

from .conftest import School, evaluate_rule, make_parameters, make_rule

# --- 3.1: class contact at most 22.5 hours a week ------------------------------------------


def test_27_periods_of_50_minutes_is_exactly_the_22_5_hour_maximum(compliant_findings):
    # Kirsty and Duncan teach 27 periods in the fixture.
    assert compliant_findings.of("class-contact-max") == []


def test_28_periods_of_contact_is_a_breach_citing_3_1(school):
    school.set_staff("t1", contact_periods_per_week=28)

    finding = school.check().only("class-contact-max")

    assert finding.severity == "breach"
    assert finding.subject.id == "t1"
    assert (finding.actual, finding.limit) == (23.3333, 22.5)
    assert finding.message == (
        "Kirsty Teacher is timetabled for 23.33 hours a week; the limit is 22.5 hours "
        "(South Ayrshire JNCT2.7, 3.1)"
    )


@pytest.mark.parametrize(
    ("hours", "breach"),
    [
        pytest.param(22.5, False, id="22.5 hours is the limit"),
        pytest.param(22.75, True, id="22.75 hours is over"),
    ],
)
def test_class_contact_in_hours_is_capped_at_22_5(school, hours, breach):
    school.set_staff("t2", contact_periods_per_week=None, contact_hours_per_week=hours)

    assert bool(school.check().of("class-contact-max")) is breach


@pytest.mark.parametrize(
    ("hours", "breach"),
    [
        pytest.param(13.5, False, id="13.5 hours is 0.6 of 22.5"),
        pytest.param(14, True, id="14 hours is over 0.6 of 22.5"),
    ],
)
def test_a_part_time_teachers_contact_cap_is_pro_rata(school, hours, breach):
    school.set_staff("pt06", contact_hours_per_week=hours)

    found = school.check().of("class-contact-max")

    assert bool(found) is breach
    if breach:
        assert found[0].limit == 13.5


def test_the_contact_cap_working_shows_22_5_hours_since_2006(school):
    school.set_staff("t1", contact_periods_per_week=28)

    (parameter,) = school.check().only("class-contact-max").working.parameters

    assert (parameter.name, parameter.value, parameter.effective.isoformat()) == (
        "class_contact_max_hours_per_week",
        22.5,
        "2006-08-01",
    )


def test_a_probationer_is_not_held_to_the_22_5_hour_rule_but_to_18_5(school):
    school.set_staff("pb", contact_hours_per_week=20)

    findings = school.check()

    assert findings.of("class-contact-max") == []
    assert findings.subjects("probationer-contact-max") == ["pb"]


# --- 3.2: probationers at most 18.5 hours, recommended 18 -------------------------------


def test_a_probationer_teaching_18_hours_is_within_both_limits(compliant_findings):
    assert compliant_findings.rules.isdisjoint(
        {"probationer-contact-max", "probationer-contact-recommended"}
    )


def test_a_probationer_teaching_18_5_hours_is_at_the_maximum_but_above_the_recommendation(school):
    school.set_staff("pb", contact_hours_per_week=18.5)

    findings = school.check()

    assert findings.rules == {"probationer-contact-recommended"}
    warning = findings.only("probationer-contact-recommended")
    assert warning.severity == "warning"
    assert (warning.actual, warning.limit) == (18.5, 18)
    assert warning.message == (
        "Eilidh Probationer is timetabled for 18.5 hours a week; the limit is 18 hours "
        "(South Ayrshire JNCT2.7, 3.2)"
    )


def test_a_probationer_teaching_19_hours_breaks_the_18_5_hour_maximum(school):
    school.set_staff("pb", contact_hours_per_week=19)

    findings = school.check()

    assert findings.rules == {"probationer-contact-max", "probationer-contact-recommended"}
    breach = findings.only("probationer-contact-max")
    assert breach.severity == "breach"
    assert (breach.actual, breach.limit) == (19, 18.5)
    assert breach.working.parameters[0].name == "probationer_contact_max_hours_per_week"


# --- 8.8: depute heads and principal teachers get 6 periods plus their management time ----

DHT_PERIODS = {1: 10, 2: 11, 3: 12, 4: 13, 5: 14, 6: 16, 7: 17, 8: 18, 9: 19, 10: 20}
PT_PERIODS = {1: 2, 2: 2, 3: 3, 4: 4, 5: 5, 6: 6, 7: 7, 8: 8}
MANAGEMENT_TABLE = [("depute-head", size, periods) for size, periods in DHT_PERIODS.items()] + [
    ("principal-teacher", size, periods) for size, periods in PT_PERIODS.items()
]
TABLE_IDS = [
    f"{'DHT' if post == 'depute-head' else 'PT'} job size {size}"
    for post, size, _ in MANAGEMENT_TABLE
]


def promoted(school: School, post: str, job_size: int, contact_periods: int) -> None:
    school.add_staff(
        id="p1",
        name="Promoted Teacher",
        post=post,
        job_size=job_size,
        contact_periods_per_week=contact_periods,
    )


@pytest.mark.parametrize(("post", "job_size", "periods"), MANAGEMENT_TABLE, ids=TABLE_IDS)
def test_the_management_table_gives_each_job_size_its_periods(sa_pack, post, job_size, periods):
    table = sa_pack.parameters.value("management_time_secondary", sa_pack.effective_from)

    assert {"post": post, "job_size": job_size, "periods": periods} in table


@pytest.mark.parametrize(("post", "job_size", "periods"), MANAGEMENT_TABLE, ids=TABLE_IDS)
def test_a_promoted_teacher_with_6_plus_their_management_periods_free_is_fine(
    school, post, job_size, periods
):
    promoted(school, post, job_size, contact_periods=33 - 6 - periods)

    assert school.check().of("management-time-secondary") == []


@pytest.mark.parametrize(("post", "job_size", "periods"), MANAGEMENT_TABLE, ids=TABLE_IDS)
def test_a_promoted_teacher_one_period_short_is_a_breach(school, post, job_size, periods):
    promoted(school, post, job_size, contact_periods=33 - 6 - periods + 1)

    finding = school.check().only("management-time-secondary")

    assert finding.subject.id == "p1"
    assert (finding.actual, finding.limit) == (5 + periods, 6 + periods)
    assert finding.working.data == {"post": post, "job_size": job_size, "periods": periods}


def test_a_dht_of_job_size_6_gets_16_periods(school):
    school.set_staff("dht6", contact_periods_per_week=12)

    finding = school.check().only("management-time-secondary")

    assert finding.message == (
        "Iain Depute (depute head, job size 6) has 21 non-contact periods a week; 6 plus 16 "
        "management periods makes at least 22 (South Ayrshire JNCT2.7, 8.8)"
    )
    assert finding.fix == "Reduce the teacher's class contact by the missing periods."
    assert [p.name for p in finding.working.parameters] == [
        "management_time_secondary",
        "non_contact_periods_min_per_week",
    ]


def test_the_management_table_applies_in_special_schools_too(school):
    school.school["sector"] = "special"
    school.set_staff("dht6", contact_periods_per_week=12)

    assert school.check().subjects("management-time-secondary") == ["dht6"]


def test_a_head_teacher_is_not_in_the_management_table(school):
    school.set_staff("ht", contact_periods_per_week=20)

    assert school.check().of("management-time-secondary") == []


def test_a_depute_timetabled_in_hours_is_not_said_to_have_0_non_contact_periods(school):
    school.set_staff("dht6", contact_periods_per_week=None, contact_hours_per_week=9)

    assert school.check().of("management-time-secondary") == []


# --- 8.9: principal teachers (guidance) get at least 10 periods ---------------------------


# The pack reads 8.9 as 10 periods in total (8.8 leaves PT Guidance out of "6 periods
# plus"); the reading is recorded on the parameter, and the extending pack in
# tests/core/reading_packs/guidance-six-plus-ten takes the other reading in one line.


def test_a_guidance_pt_with_10_periods_free_is_at_the_minimum(school):
    school.set_staff("ptg", contact_periods_per_week=23)

    assert school.check().of("management-time-guidance") == []


def test_a_guidance_pt_with_9_periods_free_is_a_breach_citing_8_9(school):
    school.set_staff("ptg", contact_periods_per_week=24)

    finding = school.check().only("management-time-guidance")

    assert finding.severity == "breach"
    assert (finding.actual, finding.limit) == (9, 10)
    assert finding.message == (
        "Ross Guidance (principal teacher, guidance) has 9 non-contact periods a week; "
        "the minimum is 10 (South Ayrshire JNCT2.7, 8.9)"
    )
    reading = {p.name: p.reading for p in finding.working.parameters}
    assert "10 periods in total" in (reading["guidance_periods_before_management_time"] or "")


# --- 8.10: primary promoted posts and management time by roll band -----------------------

ROLL_BANDS = [
    (0, 50, 0, 0.5, 0),
    (51, 100, 0, 1, 0.1),
    (101, 200, 1, 1, 0.2),
    (201, 300, 1, 2, 0.3),
    (301, 400, 1, 3, 0.3),
    (401, 500, 1, 4, 0.4),
    (501, 600, 2, 4, 0.5),
    (601, 700, 2, 5, 0.6),
]
EDGES = [
    pytest.param(roll, dht, pt, fte, id=f"roll {roll} of {low}-{high}")
    for low, high, dht, pt, fte in ROLL_BANDS
    for roll in (low, high)
]


def primary(school: School, *, roll: int, dht: float, pt: float, management_fte: float) -> None:
    """The fixture school as a primary of this roll, with these promoted posts; the
    management time (FTE of 22.5 hours) shared equally among them."""
    school.school.update(sector="primary", roll=roll)
    staff = [{"id": "ht", "name": "Head Teacher", "post": "head-teacher"}]
    staff += [
        {"id": f"dht{n}", "name": f"Depute {n}", "post": "depute-head"} for n in range(int(dht))
    ]
    whole, part = divmod(pt, 1)
    staff += [
        {"id": f"pt{n}", "name": f"PT {n}", "post": "principal-teacher"} for n in range(int(whole))
    ]
    if part:
        staff.append(
            {"id": "ptx", "name": "Part-time PT", "post": "principal-teacher", "fte": part}
        )
    posts = staff[1:]
    for member in posts:
        member["management_hours_per_week"] = management_fte * 22.5 / len(posts)
    staff += [
        {"id": f"t{n}", "name": f"Teacher {n}", "post": "teacher", "contact_hours_per_week": 22.5}
        for n in range(3)
    ]
    school.document["staff"] = staff
    for event in school.document["events"]:
        event.pop("attendees", None)


PRIMARY_RULES = {
    "primary-depute-posts",
    "primary-principal-teacher-posts",
    "primary-management-time",
}


@pytest.mark.parametrize(("roll", "dht", "pt", "management_fte"), EDGES)
def test_a_primary_with_the_posts_of_its_roll_band_is_fine(school, roll, dht, pt, management_fte):
    primary(school, roll=roll, dht=dht, pt=pt, management_fte=management_fte)

    assert school.check().rules.isdisjoint(PRIMARY_RULES)


@pytest.mark.parametrize(
    ("roll", "dht", "pt", "management_fte"),
    [p for p in EDGES if p.values[1] > 0],
)
def test_a_primary_one_depute_short_of_its_band_is_warned(school, roll, dht, pt, management_fte):
    primary(school, roll=roll, dht=dht - 1, pt=pt, management_fte=management_fte)

    finding = school.check().only("primary-depute-posts")

    assert finding.severity == "warning"
    assert (finding.actual, finding.limit) == (dht - 1, dht)
    assert finding.message == (
        f"the school has {dht - 1} FTE of depute head posts; its roll of {roll} gives {dht} "
        "(no earlier roll is recorded) (South Ayrshire JNCT2.7, 8.10)"
    )


@pytest.mark.parametrize(("roll", "dht", "pt", "management_fte"), EDGES)
def test_a_primary_half_a_pt_short_of_its_band_is_warned(school, roll, dht, pt, management_fte):
    primary(school, roll=roll, dht=dht, pt=pt - 0.5, management_fte=management_fte)

    finding = school.check().only("primary-principal-teacher-posts")

    assert (finding.actual, finding.limit) == (pt - 0.5, pt)


@pytest.mark.parametrize(
    ("roll", "dht", "pt", "management_fte"),
    [p for p in EDGES if p.values[3] > 0],
)
def test_a_primary_with_a_tenth_less_management_time_is_a_breach(
    school, roll, dht, pt, management_fte
):
    primary(school, roll=roll, dht=dht, pt=pt, management_fte=management_fte - 0.1)

    finding = school.check().only("primary-management-time")

    assert finding.severity == "breach"
    assert finding.actual == pytest.approx(management_fte - 0.1)
    assert finding.limit == management_fte
    assert f"its roll of {roll} gives {management_fte:g} FTE" in finding.message


def test_the_roll_band_rules_do_not_apply_to_a_secondary(compliant_findings):
    # The fixture is a secondary with a roll of 600 and one depute.
    assert compliant_findings.rules.isdisjoint(PRIMARY_RULES)


# --- 4.1: personal allowance at least a third of class contact ---------------------------


def test_7_5_hours_is_a_third_of_22_5(compliant_findings):
    assert compliant_findings.of("personal-allowance-third") == []


def test_a_pack_giving_7_hours_personal_allowance_breaks_4_1(school):
    rule = make_rule(
        "ratio_floor",
        numerator={"value": "personal"},
        denominator={"value": "contact"},
        min_ratio="share",
    )

    (finding,) = evaluate_rule(
        rule, school.tables(), make_parameters(personal=7, contact=22.5, share="1/3")
    )

    assert finding.subject.kind == "school"
    assert (finding.actual, finding.limit) == (7, 7.5)
    assert finding.message.startswith(
        "the agreement gives 7 hours; at least 7.5 hours are required"
    )


@pytest.mark.parametrize(
    ("ppa", "breach"),
    [
        pytest.param(2.25, False, id="10 percent of 22.5 hours"),
        pytest.param(2, True, id="less than 10 percent"),
    ],
)
def test_a_per_teacher_ratio_floor_compares_two_staff_columns(school, ppa, breach):
    school.set_staff("t1", ppa_hours_per_week=ppa, timetabled_hours_per_week=22.5)
    rule = make_rule(
        "ratio_floor",
        numerator={"column": "ppa_hours_per_week"},
        denominator={"column": "timetabled_hours_per_week"},
        min_ratio="share",
    )

    findings = evaluate_rule(rule, school.tables(), make_parameters(share="1/10"))

    assert [f.subject.id for f in findings] == (["t1"] if breach else [])


# --- the weekly_contact_cap template on another column -------------------------------------


def test_a_weekly_cap_can_read_another_staff_column(school):
    # The head's 27 management periods are 22.5 hours: at the cap, not over it.
    school.set_staff("pt3", management_hours_per_week=23)
    rule = make_rule(
        "weekly_contact_cap", column="management_hours_per_week", max_hours_per_week="cap"
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(cap=22.5))

    assert finding.subject.id == "pt3"
    assert finding.working.data["management_hours_per_week"] == 23


def test_a_principal_teacher_of_a_job_size_the_table_lacks_is_noted_as_unchecked(school):
    school.add_staff(
        id="pt9",
        name="Big Department",
        post="principal-teacher",
        job_size=9,
        contact_periods_per_week=20,
    )

    (finding,) = school.check().of("management-time-secondary")

    assert finding.severity.value == "info"
    assert finding.subject.id == "pt9"
    assert "no row in the table" in finding.message


def test_a_primary_roll_above_the_last_band_is_noted_as_unchecked(school):
    school.school.update(sector="primary", roll=750)

    findings = school.check().of("primary-management-time")

    assert [f.severity.value for f in findings] == ["info"]
    assert "no band for a roll of 750" in findings[0].message


# --- 8.10 footnote: "Promoted post structure will be changed if the roll has remained
# within the new band for 2 academic years" --------------------------------------------------


def test_a_roll_just_into_a_new_band_keeps_last_sessions_structure(school):
    primary(school, roll=401, dht=1, pt=3, management_fte=0.3)  # the 301-400 structure
    school.school["roll_history"] = [{"session": "2024-25", "roll": 395}]

    assert school.check().rules.isdisjoint(PRIMARY_RULES)


def test_a_roll_that_has_stayed_in_the_new_band_takes_its_structure(school):
    primary(school, roll=401, dht=1, pt=3, management_fte=0.3)
    school.school["roll_history"] = [
        {"session": "2023-24", "roll": 395},
        {"session": "2024-25", "roll": 405},
    ]

    findings = school.check()

    assert findings.only("primary-principal-teacher-posts").limit == 4
    finding = findings.only("primary-management-time")
    assert finding.limit == 0.4
    assert "banded by last session's roll of 405" in finding.message


def test_the_management_time_message_shows_the_figure_before_rounding(school):
    # 8 periods of 50 minutes are 6.67 hours: 0.2963 of 22.5 hours, short of 0.3.
    primary(school, roll=250, dht=1, pt=2, management_fte=0.3)
    for member in school.document["staff"][1:4]:
        member["management_hours_per_week"] = 8 * 50 / 60 / 3

    finding = school.check().only("primary-management-time")

    assert finding.message.startswith(
        "the school's depute heads and principal teachers have 6.67 hours of management time "
        "a week, 0.2963 FTE of 22.5 hours; its roll of 250 gives 0.3 FTE"
    )


def test_a_primary_head_teacher_without_management_time_needs_agreement(school):
    primary(school, roll=250, dht=1, pt=2, management_fte=0.3)

    finding = school.check().only("primary-head-teacher-management-time")

    assert finding.severity == "needs-agreement"
    assert finding.subject.id == "ht"


def test_a_primary_head_teacher_with_management_time_recorded_is_fine(school):
    primary(school, roll=250, dht=1, pt=2, management_fte=0.3)
    school.staff("ht")["management_hours_per_week"] = 15

    assert school.check().of("primary-head-teacher-management-time") == []


# --- 8.8: a figure that cannot be worked out is said, not skipped ----------------------------


def test_a_depute_in_hours_at_a_school_with_no_period_length_could_not_be_checked(school):
    del school.school["period_minutes"]
    school.set_staff("dht6", contact_periods_per_week=None, contact_hours_per_week=9)

    (finding,) = [
        f for f in school.check().of("management-time-secondary") if f.subject.id == "dht6"
    ]

    assert finding.severity == "info"
    assert finding.message.startswith(
        "Iain Depute (depute head, job size 6) has no non-contact periods recorded, "
        "so this could not be checked"
    )
