"""The coverage table: every numbered clause of the sources, and what implements it.

Each pack lists its document's clauses in ``coverage.yaml``. Rules, parameters, budget
lines and workload questions that cite a clause are found from the pack itself, and the
test cases from its tests, so the table cannot go stale. A clause that nothing cites
must say why it was left out.

The fidelity table lists, for each clause whose rules compare against a figure, the
cases that test its boundary, read from the pack test cases: *at the limit* is a case
that changes the fixture and expects the rule to stay quiet, *just over* one that
expects it to fire, with the figures it expects (``actual`` against ``limit``). A case
may say which it is (``boundary: at-limit`` or ``just-over``); a case that says so is
listed alone where there is one, so the table shows the closest cases first.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fairload.core import pack_schema
from fairload.core.dispute_ladder import ladder_of
from fairload.core.errors import PackError
from fairload.core.pack_tests import load_cases
from fairload.core.packs import Pack, discover, load_pack
from fairload.core.reference import Reference
from fairload.core.templates import TEMPLATES
from fairload.core.units import format_number
from fairload.core.validation import validate
from fairload.core.workload_audit import audit_of
from fairload.core.yamlfile import load_file


@dataclass(frozen=True)
class ClauseCoverage:
    document: str
    clause: str
    summary: str
    rules: tuple[str, ...]
    parameters: tuple[str, ...]
    other: tuple[str, ...]
    tests: tuple[str, ...]
    omitted: str | None
    #: rules of the clause that compare against a figure (a boundary to test)
    measured: tuple[str, ...] = ()
    at_limit: tuple[str, ...] = ()
    just_over: tuple[str, ...] = ()

    @property
    def covered(self) -> bool:
        return bool(self.rules or self.parameters or self.other)


@dataclass
class _RuleCases:
    """The pack test cases that concern one rule."""

    fire: list[str]
    at_limit: list[tuple[str, bool]]
    just_over: list[tuple[str, bool]]


def _cases_by_rule(pack: Pack, pack_ids: list[str]) -> dict[str, _RuleCases]:
    """For each rule of the pack: the cases of it and of the packs extending it that expect
    the rule to fire, and its boundary cases (name, whether the case declares it)."""
    found: dict[str, _RuleCases] = {}

    def of(rule: str) -> _RuleCases:
        return found.setdefault(rule, _RuleCases([], [], []))

    family = [load_pack(i) for i in pack_ids]
    # Its own, its parents' (whose rules it inherits) and those of packs extending it.
    for member in (p for p in family if pack.id in p.lineage or p.id in pack.lineage):
        for path in member.test_files():
            if path.name.startswith("school"):
                continue
            for case, _ in load_cases(path):
                declared = case.boundary is not None
                for expected in case.expect_findings or []:
                    of(expected["rule"]).fire.append(case.name)
                    if case.boundary in (None, "just-over"):
                        figures = ""
                        if "actual" in expected and "limit" in expected:
                            figures = (
                                f" ({_figure(expected['actual'])} against "
                                f"{_figure(expected['limit'])})"
                            )
                        of(expected["rule"]).just_over.append((case.name + figures, declared))
                if case.changes and case.boundary in (None, "at-limit"):
                    for rule in case.expect_no_findings or []:
                        of(rule).at_limit.append((case.name, declared))
    return found


def _figure(value: object) -> str:
    """A case's expected figure: a number as a person writes it, else as given (a date)."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return format_number(value)
    return str(value)


def _closest(cases: list[tuple[str, bool]]) -> tuple[str, ...]:
    """The declared boundary cases if there are any, else every candidate."""
    declared = [name for name, marked in cases if marked]
    return tuple(dict.fromkeys(declared or [name for name, _ in cases]))


def _tests_by_parameter(pack: Pack) -> dict[str, list[str]]:
    names: dict[str, list[str]] = {}
    for path in pack.test_files():
        if path.name.startswith("school"):
            continue
        for case, _ in load_cases(path):
            if case.parameter:
                names.setdefault(case.parameter, []).append(case.name)
    return names


def pack_coverage(pack: Pack, all_pack_ids: list[str]) -> list[ClauseCoverage]:
    """Coverage of the clauses listed in the pack's coverage.yaml."""
    source = pack.path / "coverage.yaml"
    if not source.exists():
        return []
    inventory = load_file(source)
    validate(inventory, pack_schema.COVERAGE, str(source), error_type=PackError)
    document_id = inventory["document"]
    if document_id not in pack.documents:
        raise PackError(f"{source}: unknown document '{document_id}'")
    title = pack.documents[document_id].title
    rule_cases = _cases_by_rule(pack, all_pack_ids)
    empty = _RuleCases([], [], [])
    parameter_tests = _tests_by_parameter(pack)
    ladder_and_audit = _ladder_and_audit(pack)
    rows = []
    for item in inventory["clauses"]:
        clause = str(item["clause"])

        def cites(ref_document: str, ref_clause: str, clause: str = clause) -> bool:
            return ref_document == document_id and ref_clause == clause

        rules = tuple(
            r.id for r in pack.rules if cites(r.reference.document.id, r.reference.clause)
        )
        parameters = tuple(
            name
            for name, p in pack.parameters.parameters.items()
            if any(cites(v.reference.document.id, v.reference.clause) for v in p.values)
        )
        other = [
            f"budget line {line.id}"
            for line in (pack.budget.lines if pack.budget else ())
            if line.reference and cites(line.reference.document.id, line.reference.clause)
        ]
        asked = {q.id for q in pack.questions if cites(q.reference.document.id, q.reference.clause)}
        other += [f"question {q}" for q in sorted(asked)]
        # A workload question is implemented by the rules that read its answer.
        rules += tuple(
            r.id for r in pack.rules if r.settings.get("question") in asked and r.id not in rules
        )
        # The appeal (appeal.yaml) implements its clauses by its steps.
        if pack.appeal and cites(pack.appeal.reference.document.id, pack.appeal.reference.clause):
            other.append("appeal.yaml")
        other += [
            f"appeal step {step.id}"
            for step in (pack.appeal.steps if pack.appeal else ())
            if cites(step.reference.document.id, step.reference.clause)
        ]
        # The dispute ladder (dispute.yaml) and the workload audit (audit.yaml) implement
        # theirs by their steps and topics.
        other += [
            f"{kind} {item_id}".strip()
            for kind, item_id, ref in ladder_and_audit
            if cites(ref.document.id, ref.clause)
        ]
        mandated = [m for m in pack.mandates if cites(m.reference.document.id, m.reference.clause)]
        other += [f"mandate of {m.pack_id}" for m in mandated]
        tests = sorted(
            {t for r in rules for t in rule_cases.get(r, empty).fire}
            | {t for _ in mandated for t in rule_cases.get("mandate", empty).fire}
            | {t for p in parameters for t in parameter_tests.get(p, [])}
        )
        measured = tuple(r.id for r in pack.rules if r.id in rules and _has_figure(r.id, pack))
        rows.append(
            ClauseCoverage(
                title,
                clause,
                str(item["summary"]),
                rules,
                parameters,
                tuple(other),
                tuple(tests),
                item.get("omitted"),
                measured,
                _closest([c for r in measured for c in rule_cases.get(r, empty).at_limit]),
                _closest([c for r in measured for c in rule_cases.get(r, empty).just_over]),
            )
        )
    return rows


def _ladder_and_audit(pack: Pack) -> list[tuple[str, str, Reference]]:
    """(what, id, reference) for the pack's dispute ladder and its steps, and its audit
    and its topics."""
    found: list[tuple[str, str, Reference]] = []
    ladder = ladder_of(pack)
    if ladder is not None:
        found.append(("dispute.yaml", "", ladder.reference))
        found += [("dispute step", step.id, step.reference) for step in ladder.steps]
    audit = audit_of(pack)
    if audit is not None:
        found.append(("audit.yaml", "", audit.reference))
        found += [("audit topic", topic.id, topic.reference) for topic in audit.topics]
    return found


def _has_figure(rule_id: str, pack: Pack) -> bool:
    rule = next(r for r in pack.rules if r.id == rule_id)
    template = TEMPLATES.get(rule.template)
    return template is not None and any(key in rule.settings for key in template.figures)


def coverage_table() -> list[ClauseCoverage]:
    """Coverage for every bundled pack that lists its clauses."""
    pack_ids = sorted(discover())
    return [row for pack_id in pack_ids for row in pack_coverage(load_pack(pack_id), pack_ids)]


def _cell(items: tuple[str, ...] | list[str], limit: int = 4) -> str:
    shown = [f"`{i}`" for i in items[:limit]]
    if len(items) > limit:
        shown.append(f"+{len(items) - limit} more")
    return ", ".join(shown) or "—"


def coverage_markdown(rows: list[ClauseCoverage]) -> str:
    """The coverage table as Markdown, grouped by document."""
    covered = sum(r.covered for r in rows)
    lines = [
        "# Coverage of the sources",
        "",
        "Generated by `make docs` (`scripts/make_coverage.py`) from the packs' `coverage.yaml`,",
        "rules, parameters and tests. Do not edit by hand: a test fails when it is stale.",
        "",
        f"{covered} of {len(rows)} numbered clauses and instructions are implemented; "
        f"the other {len(rows) - covered} say why not.",
    ]
    document = None
    for row in rows:
        if row.document != document:
            document = row.document
            lines += _heading(
                f"## {document}",
                "Clause",
                "What it says",
                "Rules",
                "Parameters and other",
                "Tests",
                "Left out because",
            )
        others = _cell(row.parameters + row.other)
        reason = "" if row.covered else (row.omitted or "**NOT COVERED AND NO REASON GIVEN**")
        lines.append(
            f"| {row.clause} | {row.summary} | {_cell(row.rules)} | {others} | "
            f"{len(row.tests) or '—'} | {reason} |"
        )
    return "\n".join(lines + _fidelity_markdown(rows)) + "\n"


def _heading(title: str, *columns: str) -> list[str]:
    return ["", title, "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]


def _names(items: tuple[str, ...], limit: int = 3) -> str:
    shown = [name.replace("|", "\\|") for name in items[:limit]]
    if len(items) > limit:
        shown.append(f"+{len(items) - limit} more")
    return "; ".join(shown) or "**none**"


def _fidelity_markdown(rows: list[ClauseCoverage]) -> list[str]:
    """Per clause with a figure to compare: the cases at its limit and just over it."""
    measured = [r for r in rows if r.measured]
    both = sum(bool(r.at_limit and r.just_over) for r in measured)
    lines = [
        "",
        "## Boundary cases tested",
        "",
        "For each clause whose rules compare against a figure, the pack test cases that",
        "test its boundary: *at the limit* changes the fixture and expects the rule to stay",
        "quiet; *just over* expects it to fire (with the figures the case expects, actual",
        "against limit). Cases marked `boundary:` in the pack's tests are listed alone.",
        "",
        f"{both} of {len(measured)} such clauses have a case on each side of the boundary.",
    ]
    document = None
    for row in measured:
        if row.document != document:
            document = row.document
            lines += _heading(f"### {document}", "Clause", "Rules", "At the limit", "Just over")
        lines.append(
            f"| {row.clause} | {_cell(row.measured)} | {_names(row.at_limit)} | "
            f"{_names(row.just_over)} |"
        )
    return lines


def write_coverage(path: Path) -> None:
    path.write_text(coverage_markdown(coverage_table()), encoding="utf-8")
