"""The coverage table is complete, honest and current."""

from pathlib import Path

from fairload.core.coverage import coverage_markdown, coverage_table

DOCS = Path(__file__).resolve().parents[2] / "docs" / "coverage.md"


def test_every_clause_is_implemented_or_says_why_not() -> None:
    silent = [
        f"{r.document} {r.clause}" for r in coverage_table() if not r.covered and not r.omitted
    ]
    assert silent == []


def test_a_clause_left_out_is_not_also_claimed_as_implemented() -> None:
    both = [f"{r.document} {r.clause}" for r in coverage_table() if r.covered and r.omitted]
    assert both == []


def test_every_implemented_rule_clause_has_a_test_that_makes_it_fire() -> None:
    untested = [f"{r.document} {r.clause}" for r in coverage_table() if r.rules and not r.tests]
    assert untested == []


def test_every_nut_instruction_is_implemented() -> None:
    instructions = {
        r.clause for r in coverage_table() if r.clause.startswith("Instruction ") and r.rules
    }
    assert instructions == {f"Instruction {n}" for n in range(1, 19)}


def test_docs_coverage_md_is_current() -> None:
    assert DOCS.read_text(encoding="utf-8") == coverage_markdown(coverage_table()), (
        "docs/coverage.md is stale: run `make docs`"
    )
