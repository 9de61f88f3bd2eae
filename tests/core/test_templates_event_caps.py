"""Limits on calendar events: their length, and how many or how long per week, term or year."""

from __future__ import annotations

import pytest

from .conftest import evaluate_rule, make_parameters, make_rule

MEETINGS = ["staff-meeting", "department-meeting", "working-group", "briefing"]


# --- 7.3: no single meeting longer than 2 hours ------------------------------------------


@pytest.mark.parametrize("category", MEETINGS)
def test_a_meeting_of_exactly_2_hours_is_acceptable(school, category):
    school.add_event("Long meeting", category, "2025-10-01", "15:45", "17:45")

    assert school.check() == ()


@pytest.mark.parametrize("category", MEETINGS)
def test_a_meeting_of_2_hours_15_is_a_warning(school, category):
    school.add_event("Long meeting", category, "2025-10-01", "15:45", "18:00", id="long")

    finding = school.check().only("meeting-max-duration")

    assert finding.severity == "warning"
    assert finding.subject.id == "long"
    assert finding.subject.label == "Long meeting (2025-10-01)"
    assert (finding.actual, finding.limit) == (2.25, 2)


def test_the_long_meeting_warning_names_the_meeting_the_figures_and_clause_7_3(school):
    school.add_event("Curriculum working group", "working-group", "2025-10-01", "15:45", "18:00")

    finding = school.check().only("meeting-max-duration")

    assert finding.message == (
        "'Curriculum working group' on 2025-10-01 lasts 2.25 hours; the limit is 2 hours "
        "(South Ayrshire JNCT2.7, 7.3)"
    )
    assert finding.reference.clause == "7.3"
    assert finding.fix == "Split the meeting, or shorten it to 2 hours or less."


def test_the_long_meeting_working_shows_the_2_hour_parameter_and_its_date(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")

    working = school.check().only("meeting-max-duration").working

    (parameter,) = working.parameters
    assert (parameter.name, parameter.value, parameter.effective.isoformat()) == (
        "meeting_max_hours",
        2,
        "2014-08-01",
    )
    assert parameter.reference.quote.startswith("It would normally be unacceptable")
    assert working.data == {
        "event_id": "e0008",
        "title": "Long meeting",
        "category": "staff-meeting",
        "date": "2025-10-01",
        "hours": 2.25,
    }


def test_a_long_event_that_is_not_a_meeting_is_not_capped(school):
    school.add_event("Prelim marking", "assessment", "2025-10-01", "13:00", "17:00")

    assert school.check().of("meeting-max-duration") == []


def test_each_long_meeting_is_its_own_finding(school):
    school.add_event("First", "staff-meeting", "2025-10-01", "15:45", "18:00")
    school.add_event("Second", "briefing", "2025-10-08", "15:45", "18:30")

    assert [f.actual for f in school.check().of("meeting-max-duration")] == [2.25, 2.75]


# --- 6.2: no more than 2.5 hours of appointments per parents' evening ---------------------


def test_a_parents_evening_of_2_5_hours_is_acceptable(compliant_findings):
    # The fixture's S4 parents' evening already runs 16:30 to 19:00.
    assert compliant_findings.of("parents-evening-appointments") == []


def test_a_parents_evening_of_2_75_hours_is_a_breach_citing_6_2(school):
    school.add_event("S2 parents' evening", "parents-evening", "2026-02-05", "16:30", "19:15")

    finding = school.check().only("parents-evening-appointments")

    assert finding.severity == "breach"
    assert finding.message == (
        "'S2 parents' evening' on 2026-02-05 lasts 2.75 hours; the limit is 2.5 hours "
        "(South Ayrshire JNCT2.7, 6.2)"
    )
    assert finding.working.parameters[0].name == "parents_evening_appointments_max_hours"


def test_a_long_open_evening_is_not_a_parents_evening(school):
    school.add_event("Open evening", "open-evening", "2026-02-05", "16:30", "19:30")

    assert school.check().of("parents-evening-appointments") == []


# --- 5.2 / 5.3: one full written report per pupil per session -----------------------------


def test_one_report_in_the_session_needs_no_agreement(compliant_findings):
    assert compliant_findings.of("one-report-per-session") == []


def test_a_second_report_needs_agreement_for_every_teacher_writing_it(school):
    school.add_event("Interim reports", "report", "2025-11-28", "15:45", "16:45")

    findings = school.check().of("one-report-per-session")

    assert len(findings) == 8
    assert {f.severity for f in findings} == {"needs-agreement"}
    assert {(f.actual, f.limit) for f in findings} == {(2, 1)}


def test_the_second_report_message_names_the_teacher_the_count_and_clause_5_3(school):
    school.add_event("Interim reports", "report", "2025-11-28", "15:45", "16:45", attendees=["t1"])

    finding = school.check().only("one-report-per-session")

    assert finding.subject.id == "t1"
    assert finding.message == (
        "Kirsty Teacher has 2 rounds of written reports this session; the guidelines assume "
        "1 full report per pupil (South Ayrshire JNCT2.7, 5.3)"
    )
    assert finding.working.data["events"] == [
        "Interim reports (2025-11-28)",
        "Full reports to parents (2026-03-06)",
    ]


# --- the period_cap template -------------------------------------------------------------


def test_a_weekly_count_cap_names_the_week(school):
    school.add_event("Briefing one", "briefing", "2025-10-01", "08:30", "08:45", attendees=["t1"])
    school.add_event("Briefing two", "briefing", "2025-10-02", "08:30", "08:45", attendees=["t1"])
    rule = make_rule(
        "period_cap", where={"category": "briefing"}, measure="count", per="week", max="max"
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=1))

    assert finding.subject.id == "t1/week-8"
    assert finding.subject.label == "Kirsty Teacher, week 8"
    assert finding.message.startswith("Kirsty Teacher has 2 events in week 8; the limit is 1")


def test_a_weekly_cap_counts_each_week_separately(school):
    school.add_event("Briefing one", "briefing", "2025-10-01", "08:30", "08:45", attendees=["t1"])
    school.add_event("Briefing two", "briefing", "2025-10-08", "08:30", "08:45", attendees=["t1"])
    rule = make_rule(
        "period_cap", where={"category": "briefing"}, measure="count", per="week", max="max"
    )

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []


def test_an_hours_cap_per_term_is_pro_rata_to_fte(school):
    school.add_hours("planning", 4, attendees=["t1", "pt06"])
    rule = make_rule(
        "period_cap",
        where={"category": "planning"},
        measure="hours",
        per="term",
        max="max",
        pro_rata=True,
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=5))

    assert finding.subject.id == "pt06"
    assert (finding.actual, finding.limit) == (4, 3)
    assert "in term Autumn" in finding.message
    assert "(pro rata to FTE 0.6)" in finding.message


def test_a_days_cap_counts_distinct_days(school):
    school.add_event("Morning", "cpd", "2025-10-01", "08:00", "08:30", attendees=["t2"])
    school.add_event("Evening", "cpd", "2025-10-01", "17:00", "18:00", attendees=["t2"])
    rule = make_rule("period_cap", where={"category": "cpd"}, measure="days", per="year", max="max")

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []


def test_a_school_cap_counts_the_school_calendar(school):
    school.add_event("Mock inspection", "mock-inspection", "2025-10-01", "09:00", "15:00")
    school.add_event("Mock inspection", "mock-inspection", "2026-03-04", "09:00", "15:00")
    rule = make_rule(
        "period_cap",
        where={"category": "mock-inspection"},
        measure="count",
        per="year",
        subject="school",
        max="max",
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=1))

    assert finding.subject.kind == "school"
    assert finding.message.startswith("the school calendar has 2 events; the limit is 1")
    assert finding.working.data["events"] == [
        "Mock inspection (2025-10-01)",
        "Mock inspection (2026-03-04)",
    ]


def test_an_observer_is_not_counted_unless_the_rule_says(school):
    school.add_event(
        "Observation",
        "observation",
        "2025-10-01",
        "10:00",
        "10:50",
        attendees=[],
        observer="ht",
        observed="t1",
    )
    school.add_event(
        "Observation",
        "observation",
        "2025-10-08",
        "10:00",
        "10:50",
        attendees=[],
        observer="ht",
        observed="t2",
    )
    rule = make_rule(
        "period_cap", where={"category": "observation"}, measure="count", per="year", max="max"
    )

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []


def test_an_observer_is_counted_when_the_rule_names_the_role(school):
    school.add_event(
        "Observation",
        "observation",
        "2025-10-01",
        "10:00",
        "10:50",
        attendees=[],
        observer="ht",
        observed="t1",
    )
    school.add_event(
        "Observation",
        "observation",
        "2025-10-08",
        "10:00",
        "10:50",
        attendees=[],
        observer="ht",
        observed="t2",
    )
    rule = make_rule(
        "period_cap",
        where={"category": "observation"},
        roles=["observer"],
        measure="count",
        per="year",
        max="max",
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=1))

    assert finding.subject.id == "ht"


# --- the weekly_average_cap template -----------------------------------------------------


def test_a_weekly_average_divides_by_the_working_weeks(school):
    for n in range(4):
        school.add_event(
            f"Briefing {n}", "briefing", "2025-10-01", "08:30", "08:45", attendees=["t2"]
        )
    rule = make_rule(
        "weekly_average_cap", where={"category": ["briefing", "staff-meeting"]}, max_per_week="max"
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=0.1))

    # Four briefings and the whole-school meeting: 5 in 39 weeks is 0.13 a week.
    assert finding.subject.id == "t2"
    assert finding.working.data["count"] == 5
    assert finding.working.data["working_weeks"] == 39
    assert finding.actual == pytest.approx(5 / 39, abs=1e-4)
    assert "an average of 0.13 a week; the limit is 0.1 a week on average" in finding.message


def test_a_weekly_average_message_writes_whole_weeks_as_whole_numbers(school):
    rule = make_rule("weekly_average_cap", where={"category": "staff-meeting"}, max_per_week="max")

    finding = evaluate_rule(rule, school.tables(), make_parameters(max=0.01))[0]

    assert "1 of these in 39 working weeks" in finding.message


def test_a_weekly_average_at_the_limit_is_acceptable(school):
    for n in range(39):
        school.add_event(
            f"Briefing {n}", "briefing", "2025-10-01", "08:30", "08:45", attendees=["t2"]
        )
    rule = make_rule("weekly_average_cap", where={"category": "briefing"}, max_per_week="max")

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []
    school.add_event("One more", "briefing", "2025-10-01", "08:30", "08:45", attendees=["t2"])
    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=1))
    assert finding.actual == pytest.approx(40 / 39, abs=1e-4)


# --- the evenings_per_week_cap template ---------------------------------------------------


def test_evenings_count_events_running_past_the_pupil_day(school):
    school.add_event(
        "Parents' evening", "parents-evening", "2025-10-01", "16:30", "19:00", attendees=["t1"]
    )
    school.add_event(
        "Open evening", "open-evening", "2025-10-02", "18:00", "20:00", attendees=["t1"]
    )
    rule = make_rule(
        "evenings_per_week_cap", where={"category": ["parents-evening", "open-evening"]}, max="max"
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=1))

    assert finding.subject.id == "t1/week-8"
    assert finding.message.startswith(
        "Kirsty Teacher is directed on 2 evenings in week 8; the limit is 1"
    )


def test_two_events_on_one_evening_are_one_evening(school):
    school.add_event(
        "Parents' evening", "parents-evening", "2025-10-01", "16:30", "18:00", attendees=["t1"]
    )
    school.add_event(
        "Open evening", "open-evening", "2025-10-01", "18:00", "20:00", attendees=["t1"]
    )
    rule = make_rule(
        "evenings_per_week_cap", where={"category": ["parents-evening", "open-evening"]}, max="max"
    )

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []


def test_an_event_ending_with_the_pupil_day_is_not_an_evening(school):
    school.add_event(
        "Lunchtime club", "extra-curricular", "2025-10-01", "12:30", "15:30", attendees=["t1"]
    )
    school.add_event(
        "Lunchtime club", "extra-curricular", "2025-10-02", "12:30", "15:30", attendees=["t1"]
    )
    rule = make_rule("evenings_per_week_cap", where={"category": "extra-curricular"}, max="max")

    assert evaluate_rule(rule, school.tables(), make_parameters(max=1)) == []
