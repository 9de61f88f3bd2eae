"""The coverage table: every numbered clause of the sources, and what implements it.

Each pack lists its document's clauses in ``coverage.yaml``. Rules, parameters, budget
lines and workload questions that cite a clause are found from the pack itself, and the
test cases from its tests, so the table cannot go stale. A clause that nothing cites
must say why it was left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fairload.core import pack_schema
from fairload.core.errors import PackError
from fairload.core.pack_tests import load_cases
from fairload.core.packs import Pack, discover, load_pack
from fairload.core.validation import validate
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

    @property
    def covered(self) -> bool:
        return bool(self.rules or self.parameters or self.other)


def _tests_by_rule(pack_ids: list[str]) -> dict[str, list[str]]:
    """Names of the pack test cases that expect each rule to fire."""
    names: dict[str, list[str]] = {}
    for pack_id in pack_ids:
        for path in load_pack(pack_id).test_files():
            if path.name.startswith("school"):
                continue
            for case, _ in load_cases(path):
                for expected in case.expect_findings or []:
                    names.setdefault(expected["rule"], []).append(case.name)
    return names


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
    rule_tests = _tests_by_rule(all_pack_ids)
    parameter_tests = _tests_by_parameter(pack)
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
        mandated = [m for m in pack.mandates if cites(m.reference.document.id, m.reference.clause)]
        other += [f"mandate of {m.pack_id}" for m in mandated]
        tests = sorted(
            {t for r in rules for t in rule_tests.get(r, [])}
            | {t for _ in mandated for t in rule_tests.get("mandate", [])}
            | {t for p in parameters for t in parameter_tests.get(p, [])}
        )
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
            )
        )
    return rows


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
            lines += [
                "",
                f"## {document}",
                "",
                "| Clause | What it says | Rules | Parameters and other | Tests "
                "| Left out because |",
                "|---|---|---|---|---|---|",
            ]
        others = _cell(row.parameters + row.other)
        reason = "" if row.covered else (row.omitted or "**NOT COVERED AND NO REASON GIVEN**")
        lines.append(
            f"| {row.clause} | {row.summary} | {_cell(row.rules)} | {others} | "
            f"{len(row.tests) or '—'} | {reason} |"
        )
    return "\n".join(lines) + "\n"


def write_coverage(path: Path) -> None:
    path.write_text(coverage_markdown(coverage_table()), encoding="utf-8")
