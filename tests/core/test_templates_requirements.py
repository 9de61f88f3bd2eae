"""Requirements on who does what: policy answers (2.4, 15.2), attributes, activities."""

from __future__ import annotations

import pytest

from .conftest import evaluate_rule, make_parameters, make_rule

# --- 2.4: no mechanism tracking time daily or weekly ---------------------------------------


def test_a_school_that_does_not_track_time_is_fine(compliant_findings):
    assert compliant_findings.of("no-time-tracking") == []


def test_daily_time_sheets_go_against_the_guidance_of_2_4_but_are_no_breach(school):
    # 2.4: "It is not intended that there should be any mechanism …": guidance, no limit.
    school.document["policy"]["daily-or-weekly-time-tracking"] = True

    finding = school.check().only("no-time-tracking")

    assert finding.severity == "warning"
    assert finding.subject.label == "Test Academy"
    assert finding.message == (
        "the school's answer to 'daily-or-weekly-time-tracking' is 'true' "
        "(South Ayrshire JNCT2.7, 2.4)"
    )
    assert finding.fix is not None and "guidance, not a limit" in finding.fix


def test_an_unanswered_policy_question_is_noted_for_audit(school):
    del school.document["policy"]["daily-or-weekly-time-tracking"]

    finding = school.check().only("no-time-tracking")

    assert finding.severity == "info"
    assert finding.message.startswith(
        "the workload question 'daily-or-weekly-time-tracking' has not been answered"
    )


def test_an_unanswered_question_carries_no_right_to_refuse(school):
    del school.document["policy"]["daily-or-weekly-time-tracking"]
    school.document["policy"]["work-outwith-premises-protocol-agreed"] = True

    assert school.check().only("no-time-tracking").refuse is None


# --- 15.2: a protocol for work outwith school premises --------------------------------------


def test_no_agreed_protocol_for_work_outwith_premises_needs_agreement(school):
    school.document["policy"]["work-outwith-premises-protocol-agreed"] = False

    finding = school.check().only("work-outwith-premises-protocol")

    assert finding.severity == "needs-agreement"
    assert finding.reference.clause == "15.2"
    assert finding.working.data == {
        "question": "work-outwith-premises-protocol-agreed",
        "answer": "false",
    }


def test_a_policy_answer_in_text_is_compared_without_case(school):
    school.document["policy"]["work-outwith-premises-protocol-agreed"] = "FALSE"

    assert school.check().subjects("work-outwith-premises-protocol") == ["test-academy"]


# --- the prohibited_practice template on events --------------------------------------------


def test_a_prohibited_kind_of_event_is_reported_for_each_event(school):
    school.add_event(
        "Mock inspection", "mock-inspection", "2025-10-01", "09:00", "15:00", id="mock"
    )
    rule = make_rule("prohibited_practice", events={"category": "mock-inspection"})

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters())

    assert finding.subject.id == "mock"
    assert finding.message.startswith("the calendar directs 'Mock inspection' on 2025-10-01")


def test_a_calendar_without_the_prohibited_event_is_fine(school):
    rule = make_rule("prohibited_practice", events={"category": "mock-inspection"})

    assert evaluate_rule(rule, school.tables(), make_parameters()) == []


# --- the attribute_requirement template -----------------------------------------------------


def test_every_selected_teacher_must_meet_the_requirement(school):
    school.set_staff("dht6", job_size=None)
    rule = make_rule(
        "attribute_requirement",
        subjects="staff",
        where={"post": ["depute-head", "principal-teacher"]},
        require={"job_size": {"present": True}},
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters())

    assert finding.subject.id == "dht6"
    assert finding.message.startswith("Iain Depute (depute-head) does not meet this requirement")


def test_an_observer_without_qts_is_reported_by_name(school):
    school.add_staff(id="cover1", name="Casual Cover", post="teacher", qts=False)
    school.add_event(
        "Observation",
        "observation",
        "2025-10-01",
        "10:00",
        "10:50",
        attendees=[],
        observer="cover1",
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
        "attribute_requirement",
        subjects="events",
        where={"category": "observation"},
        via="observer",
        require={"qts": True},
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters())

    assert finding.message.startswith("'Observation' on 2025-10-01 by Casual Cover does not meet")
    assert finding.working.data["observer"] == "cover1"
    assert finding.working.data["qts"] is False


# --- the allowed_activities template ----------------------------------------------------------


@pytest.mark.parametrize(
    ("activity", "allowed"),
    [
        pytest.param("curriculum-development", True, id="on the list"),
        pytest.param("cover", False, id="not on the list"),
        pytest.param(None, False, id="not stated"),
    ],
)
def test_gained_time_may_only_be_an_allowed_activity(school, activity, allowed):
    extra = {"activity": activity} if activity else {}
    school.add_event("Gained time", "gained-time", "2026-05-20", "09:00", "10:00", **extra)
    rule = make_rule("allowed_activities", where={"category": "gained-time"}, allowed="activities")
    activities = [{"id": "curriculum-development"}, "forward-planning"]

    findings = evaluate_rule(rule, school.tables(), make_parameters(activities=activities))

    assert (findings == []) is allowed
    if not allowed:
        assert f"the activity '{activity or 'not stated'}'" in findings[0].message
        assert findings[0].working.parameters[0].name == "activities"
