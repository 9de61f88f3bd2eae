"""Findings: what broke which rule, by how much, under which clause, and the working."""

from __future__ import annotations

import pytest

from fairload.core.errors import PackError
from fairload.core.findings import Severity

from .conftest import evaluate_rule, make_parameters, make_rule


def test_severities_rank_breach_first():
    assert [s.value for s in sorted(Severity, key=lambda s: s.rank)] == [
        "breach",
        "warning",
        "needs-agreement",
        "info",
    ]


def test_a_finding_as_a_dict_has_its_clause_figures_and_working(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")

    data = school.check().only("meeting-max-duration").as_dict()

    assert data["id"] == "meeting-max-duration:test-academy:e0008:0"
    assert data["severity"] == "warning"
    assert data["school"] == "test-academy"
    assert (data["document"], data["clause"]) == ("South Ayrshire JNCT2.7", "7.3")
    assert (data["actual"], data["limit"]) == (2.25, 2)
    assert data["fix"].startswith("Split the meeting")
    assert "members_may_refuse" not in data
    assert data["working"]["parameters"][0]["name"] == "meeting_max_hours"


def test_a_pack_message_may_use_the_rows_fields(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    rule = make_rule(
        "event_duration_cap",
        message="{title} ran {actual}h against {limit}h (clause {clause})",
        where={"category": "staff-meeting"},
        max_hours="max",
    )

    (finding,) = evaluate_rule(rule, school.tables(), make_parameters(max=2))

    assert finding.message == "Long meeting ran 2.25h against 2h (clause 9.9) (Test agreement, 9.9)"


def test_a_message_naming_an_unknown_field_is_a_pack_error_naming_the_rule(school):
    school.add_event("Long meeting", "staff-meeting", "2025-10-01", "15:45", "18:00")
    rule = make_rule(
        "event_duration_cap",
        rule_id="meeting-max-duration",
        message="{tilte} is too long",
        where={"category": "staff-meeting"},
        max_hours="max",
    )

    with pytest.raises(PackError, match="meeting-max-duration") as caught:
        evaluate_rule(rule, school.tables(), make_parameters(max=2))

    assert "tilte" in caught.value.message
