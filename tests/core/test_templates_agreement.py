"""The agreement itself: its headings (Appendix 1), each teacher's 35-hour week, its
calendar days, and the steps of reaching it (section 16)."""

from __future__ import annotations

import pytest

from fairload.core.templates.agreement import heading_words

from .conftest import south_ayrshire

# --- each heading's hours fit its allocation, pro rata ------------------------------------

# Rule, budget heading, an event category of it, hours a full-time teacher may have, hours
# Kirsty (t1) already has in the fixture calendar, the clause, and the figure's parameter.
HEADINGS = [
    (
        "assessment-reporting-hours",
        "assessment-reporting-recording",
        "assessment",
        60,
        1,
        "5.1",
        "assessment_reporting_recording_hours_per_year",
    ),
    (
        "parents-meetings-hours",
        "parents-meetings",
        "parents-evening",
        30,
        2.5,
        "6.1",
        "parents_meetings_hours_per_year",
    ),
    (
        "staff-meetings-hours",
        "staff-meetings",
        "staff-meeting",
        40,
        2,
        "7.1",
        "staff_meetings_hours_per_year",
    ),
    ("planning-hours", "planning", "planning", 25, 0, "10.1", "planning_hours_per_year"),
    ("review-hours", "review", "review", 3, 0, "12.1", "review_hours_per_year"),
    (
        "union-meetings-hours",
        "union-meetings",
        "union-meeting",
        3,
        1,
        "13",
        "union_meetings_hours_per_year",
    ),
    (
        "inservice-hours",
        "in-service",
        "in-service",
        30,
        12,
        "Appendix 1",
        "inservice_hours_per_year",
    ),
]
HEADING_FIELDS = ("rule", "heading", "category", "allowed", "already", "clause", "parameter")
HEADING_IDS = [h[0] for h in HEADINGS]


@pytest.mark.parametrize(HEADING_FIELDS, HEADINGS, ids=HEADING_IDS)
def test_a_teacher_may_use_all_of_a_headings_hours(
    school, rule, heading, category, allowed, already, clause, parameter
):
    school.add_hours(category, allowed - already, attendees=["t1"])

    assert school.check().of(rule) == []


@pytest.mark.parametrize(HEADING_FIELDS, HEADINGS, ids=HEADING_IDS)
def test_a_quarter_hour_beyond_a_heading_is_a_breach(
    school, rule, heading, category, allowed, already, clause, parameter
):
    school.add_hours(category, allowed - already + 0.25, attendees=["t1"])

    finding = school.check().only(rule)

    assert finding.severity == "breach"
    assert finding.subject.id == "t1"
    assert (finding.actual, finding.limit) == (allowed + 0.25, allowed)
    budget = south_ayrshire().budget
    assert budget is not None
    words = heading_words(budget.line(heading).label)  # 'staff meetings', not 'staff-meetings'
    assert " " in words or heading == "planning"
    assert finding.message == (
        f"Kirsty Teacher's calendar has {allowed + 0.25:g} hours of {words}; the agreement "
        f"gives {allowed} hours (FTE 1) (South Ayrshire JNCT2.7, {clause})"
    )


@pytest.mark.parametrize(HEADING_FIELDS, HEADINGS, ids=HEADING_IDS)
def test_a_headings_breach_shows_its_figure_and_date_in_the_working(
    school, rule, heading, category, allowed, already, clause, parameter
):
    school.add_hours(category, allowed - already + 0.25, attendees=["t1"])

    working = school.check().only(rule).working

    assert [(p.name, p.value, p.effective.isoformat()) for p in working.parameters] == [
        (parameter, allowed, "2014-08-01")
    ]


def test_five_in_service_days_of_six_hours_are_a_full_timers_30_hours_not_a_part_timers(school):
    for day in ("2025-11-17", "2026-02-16", "2026-05-05"):
        school.add_event("In-service day", "in-service", day, "09:00", "15:00")

    findings = school.check()

    assert findings.rules == {"inservice-hours"}
    finding = findings.only("inservice-hours")
    assert finding.subject.id == "pt06"
    assert (finding.actual, finding.limit) == (30, 18)


def test_a_part_timers_heading_is_pro_rata(school):
    # Twelve parents' evenings of 2.5 hours are exactly the 30 hours of 6.1 — for a
    # full-time teacher. At 0.6 FTE the allowance is 18 hours.
    for month, day in [
        (9, 4),
        (9, 11),
        (10, 2),
        (10, 23),
        (11, 13),
        (11, 20),
        (12, 4),
        (1, 15),
        (1, 22),
        (2, 5),
        (3, 5),
    ]:
        year = 2025 if month >= 8 else 2026
        school.add_event(
            "Parents' evening", "parents-evening", f"{year}-{month:02d}-{day:02d}", "16:30", "19:00"
        )

    findings = school.check()

    assert findings.subjects("parents-meetings-hours") == ["pt06"]
    assert (
        findings.only("parents-meetings-hours").actual,
        findings.only("parents-meetings-hours").limit,
    ) == (30, 18)


def test_an_agreed_larger_allocation_raises_the_heading_for_each_teacher(school):
    school.allocate({"staff-meetings": 50, "balance-of-time": 24})
    school.add_hours("staff-meeting", 48, attendees=["t1"])

    findings = school.check()

    assert findings.of("staff-meetings-hours") == []
    assert findings.rules == {"allocations-by-agreement"}


# --- 2.1: each teacher's commitments fit within the 35-hour week --------------------------


def test_management_time_that_takes_the_whole_balance_of_time_is_at_the_limit(school):
    # 855 + 285 + 476 of other headings leaves the 34 hours of balance: 34/38 an hour a week.
    school.set_staff("t1", management_hours_per_week=34 / 38)

    assert school.check() == ()


def test_management_time_on_top_of_a_full_timetable_breaks_the_35_hour_week(school):
    school.set_staff("t1", management_hours_per_week=1)

    finding = school.check().only("within-35-hour-week")

    assert finding.severity == "breach"
    assert (finding.actual, finding.limit) == (1369, 1365)
    assert finding.message == (
        "Kirsty Teacher is committed to 1369 hours in the year, more than their 1365 (FTE 1) "
        "(South Ayrshire JNCT2.7, 2.1)"
    )
    assert finding.reference.clause == "2.1"


def test_a_part_timer_is_held_to_their_share_of_the_1365_hours(school):
    school.set_staff("pt06", management_hours_per_week=1)

    finding = school.check().only("within-35-hour-week")

    assert finding.subject.id == "pt06"
    assert finding.limit == 819
    assert finding.actual == pytest.approx(13.5 * 38 + 38 + 0.6 * 476)


# --- Appendix 1 / 2.2: headings add up, and change only by agreement -----------------------


def test_restating_a_default_allocation_needs_no_agreement(school):
    school.allocate({"staff-meetings": 40, "planning": 25})

    assert school.check() == ()


@pytest.mark.parametrize(
    ("allocations", "changed"),
    [
        pytest.param(
            {"planning": 35, "balance-of-time": 24},
            ["balance-of-time", "planning"],
            id="planning for balance",
        ),
        pytest.param(
            {"review": 4, "union-meetings": 2}, ["review", "union-meetings"], id="review for union"
        ),
        pytest.param(
            {"assessment-reporting-recording": 70, "parents-meetings": 20},
            ["assessment-reporting-recording", "parents-meetings"],
            id="reporting for parents",
        ),
    ],
)
def test_every_changed_heading_needs_agreement(school, allocations, changed):
    school.allocate(allocations)

    findings = school.check()

    assert findings.rules == {"allocations-by-agreement"}
    assert sorted(f.working.data["heading"] for f in findings) == changed


def test_a_changed_heading_names_the_heading_and_both_figures(school):
    school.allocate({"planning": 35, "balance-of-time": 24})

    finding = next(f for f in school.check() if f.working.data["heading"] == "planning")

    assert finding.severity == "needs-agreement"
    assert (finding.actual, finding.limit) == (35, 25)
    assert finding.message == (
        "the agreement gives planning 35 hours instead of the default 25 hours: a change that "
        "needs the staff's agreement (South Ayrshire JNCT2.7, 2.2)"
    )
    names = [p.name for p in finding.working.parameters]
    assert {"inservice_hours_per_year", "planning_hours_per_year"} <= set(names)


def test_headings_that_fall_short_of_1365_are_a_breach_too(school):
    school.allocate({"planning": 20})

    finding = school.check().only("budget-adds-up")

    assert (finding.actual, finding.limit) == (1360, 1365)
    assert "planning 20.0" in finding.working.data["lines"]


# --- 14: some time left unallocated -------------------------------------------------------


def test_no_balance_of_time_left_unallocated_is_warned(school):
    school.allocate({"planning": 59, "balance-of-time": 0})

    findings = school.check()

    assert findings.rules == {"time-left-unallocated", "allocations-by-agreement"}
    warning = findings.only("time-left-unallocated")
    assert warning.severity == "warning"
    assert warning.message == (
        "the agreement leaves no time unallocated: balance of time is 0 hours "
        "(South Ayrshire JNCT2.7, 14)"
    )


def test_a_quarter_hour_of_balance_of_time_is_some_time_left(school):
    school.allocate({"planning": 58.75, "balance-of-time": 0.25})

    assert school.check().of("time-left-unallocated") == []


# --- Appendix 1 / SNCT 3.5: the working year has 195 days, five of them in-service ----------


def test_a_closure_that_loses_a_day_leaves_194_working_days(school):
    school.year_section["closures"].append(
        {"name": "Storm", "start": "2026-03-10", "end": "2026-03-10"}
    )

    finding = school.check().only("working-days")

    assert finding.severity == "warning"
    assert finding.message == (
        "the school year has 194 working days; it should have exactly 195 "
        "(South Ayrshire JNCT2.7, Appendix 1)"
    )


def test_opening_on_another_bank_holiday_makes_196_working_days(school):
    school.year_section["open_on_bank_holidays"].append("2026-05-04")

    assert school.check().only("working-days").actual == 196


def test_four_in_service_days_are_one_short(school):
    school.year_section["inservice_days"].pop()

    finding = school.check().only("inservice-days")

    assert finding.message == (
        "the school year has 4 in-service days; it should have exactly 5 "
        "(SNCT Handbook Part 2 Section 3, 3.5)"
    )


# --- section 16: reaching the agreement -----------------------------------------------------


def without(key):
    return lambda process: process.pop(key)


def setting(key, value):
    return lambda process: process.__setitem__(key, value)


PROCESS_STEPS = [
    (
        without("committee_formed"),
        "negotiating-committee",
        "warning",
        "no School Negotiating Committee is recorded",
        "16.1",
    ),
    (
        without("draft_prepared"),
        "draft-in-summer-term",
        "warning",
        "the draft agreement is not recorded as prepared in the summer term before the session "
        "(2025-04-20 to 2025-06-26): no date of preparation is recorded",
        "16.3",
    ),
    (
        setting("draft_prepared", "2025-03-10"),
        "draft-in-summer-term",
        "warning",
        "the draft agreement is not recorded as prepared in the summer term before the session "
        "(2025-04-20 to 2025-06-26): it is dated 2025-03-10",
        "16.3",
    ),
    (
        without("consultation_closed"),
        "staff-consultation",
        "breach",
        "no whole-staff consultation on the draft is recorded",
        "16.4",
    ),
    (
        setting("comments_considered", False),
        "comments-considered",
        "warning",
        "staff comments are not recorded as considered by the committee",
        "16.4",
    ),
    (
        without("comments_considered"),
        "comments-considered",
        "warning",
        "staff comments are not recorded as considered by the committee",
        "16.4",
    ),
    (
        setting("vote", {"held_on": "2025-06-03", "eligible": 8, "in_favour": 4, "against": 4}),
        "majority-approval",
        "breach",
        "the draft is not shown to be approved by a majority of staff: 4 of 8 in favour, "
        "and at least 5 were needed",
        "16.4",
    ),
    (
        setting(
            "signatures",
            [{"role": "head-teacher", "name": "Morag Head", "signed_on": "2025-06-05"}],
        ),
        "signed-by-head-and-union",
        "breach",
        "the agreement lacks the signature of: union representative",
        "16.5",
    ),
    (
        setting("signatures", []),
        "signed-by-head-and-union",
        "breach",
        "the agreement lacks the signature of: head teacher, union representative",
        "16.5",
    ),
    (
        without("submitted"),
        "submitted-to-council",
        "warning",
        "the signed agreement is not recorded as submitted",
        "16.5",
    ),
]
PROCESS_IDS = [
    "no committee",
    "no draft",
    "draft in the spring term",
    "no consultation",
    "comments not considered",
    "comments not recorded",
    "half in favour",
    "no union signature",
    "no signatures",
    "not submitted",
]


@pytest.mark.parametrize(
    ("change", "rule", "severity", "message", "clause"), PROCESS_STEPS, ids=PROCESS_IDS
)
def test_each_missing_step_of_section_16_is_reported(
    school, change, rule, severity, message, clause
):
    change(school.process)

    findings = school.check()

    assert findings.rules == {rule}
    finding = findings.only(rule)
    assert finding.severity == severity
    assert finding.subject.id == "test-academy"
    assert finding.message == f"{message} (South Ayrshire JNCT2.7, {clause})"


# 16.3: "The School Negotiating Committee will annually, in the summer term, prepare a
# draft agreement". The fixture's summer term runs from 20 April to 26 June 2026, so the
# summer term before the session is 20 April to 26 June 2025.


def test_a_draft_prepared_on_the_first_day_of_the_summer_term_is_in_time(school):
    school.process["draft_prepared"] = "2025-04-20"

    assert school.check() == ()


def test_a_draft_prepared_the_day_before_the_summer_term_is_not(school):
    school.process["draft_prepared"] = "2025-04-19"

    assert school.check().rules == {"draft-in-summer-term"}


def test_a_draft_prepared_in_the_summer_holidays_is_not_in_the_summer_term(school):
    school.process.update(
        draft_prepared="2025-06-27",
        consultation_opened="2025-06-28",
        consultation_closed="2025-07-10",
        vote={"held_on": "2025-07-11", "eligible": 8, "in_favour": 6, "against": 2},
        signatures=[
            {"role": "head-teacher", "name": "Morag Head", "signed_on": "2025-07-12"},
            {"role": "union-rep", "name": "Duncan Teacher", "signed_on": "2025-07-12"},
        ],
        submitted="2025-07-14",
    )

    assert school.check().rules == {"draft-in-summer-term"}


def test_five_of_eight_in_favour_is_a_majority(school):
    school.process["vote"] = {"held_on": "2025-06-03", "eligible": 8, "in_favour": 5, "against": 3}

    assert school.check() == ()


def test_the_majority_working_shows_the_half_share_of_16_4(school):
    school.process["vote"] = {"held_on": "2025-06-03", "eligible": 8, "in_favour": 4, "against": 4}

    finding = school.check().only("majority-approval")

    (parameter,) = finding.working.parameters
    assert (parameter.name, parameter.value) == ("staff_majority_share", "1/2")
    assert (
        finding.fix == "The agreement may not be implemented until a majority of staff approve it."
    )


def test_no_vote_at_all_is_a_breach(school):
    del school.process["vote"]

    assert school.check().only("majority-approval").severity == "breach"


def test_no_vote_at_all_says_no_vote_is_recorded(school):
    del school.process["vote"]

    assert "None" not in school.check().only("majority-approval").message


def test_an_allocation_under_an_unknown_heading_is_reported(school):
    school.allocate({"staff-meeting": 50})

    assert school.check() != ()


# Roles are shown by their labels (school_year.ROLE_LABELS), never as ids.


def test_a_committee_without_a_union_representative_names_the_role_in_words(school):
    school.document["agreement"]["committee"] = {
        "accredited_unions": ["EIS"],
        "members": [
            {"staff": "ht", "role": "head-teacher", "from": "2024-08-14"},
            {"staff": "dht6", "role": "senior-manager", "from": "2024-08-14"},
        ],
    }

    finding = school.check().only("committee-composition")

    assert "has no union representative of EIS" in finding.message
    assert finding.actual == "head teacher, senior manager"
    assert "union-rep" not in finding.message


def test_a_pro_forma_without_the_line_managers_signature_says_line_manager(school):
    school.document["proformas"] = [
        {
            "staff": "t1",
            "activities": {"additional-preparation-and-marking": 34},
            "signatures": [
                {"role": "teacher", "name": "Kirsty Teacher", "signed_on": "2025-09-15"}
            ],
        }
    ]

    finding = school.check().only("proforma-agreed-with-line-manager")

    assert "pro-forma is not signed by: line manager" in finding.message
    assert finding.actual == "line manager"
