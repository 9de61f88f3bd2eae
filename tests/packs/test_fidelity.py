"""The fidelity table: per clause, the boundary cases its pack tests (at the limit, just over)."""

from __future__ import annotations

from fairload.core.coverage import ClauseCoverage, coverage_table


def _row(document_start: str, clause: str) -> ClauseCoverage:
    return next(
        r for r in coverage_table() if r.document.startswith(document_start) and r.clause == clause
    )


def test_a_clause_lists_its_case_at_the_limit_and_its_case_just_over_with_the_figures() -> None:
    row = _row("South Ayrshire", "6.2")

    assert row.measured == ("parents-evening-appointments",)
    assert "a parents' evening of 2.5 hours of appointments is the most allowed" in row.at_limit
    assert "a parents' evening of 3 hours of appointments breaches 6.2 (3 against 2.5)" in (
        row.just_over
    )


def test_a_rule_of_the_same_id_in_another_pack_does_not_lend_its_cases() -> None:
    # Both STPCD and South Ayrshire have a rule called working-days.
    south_ayrshire = _row("South Ayrshire", "Appendix 1")

    assert not any("2022-23" in name for name in south_ayrshire.just_over)


def test_a_clause_whose_rules_compare_no_figure_has_no_boundary_row() -> None:
    assert _row("NUT", "Instruction 1").measured == ()
