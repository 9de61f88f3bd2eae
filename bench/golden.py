"""Golden outputs: what the core gives for the demo schools and a synthetic country.

A speed-up must not change a figure. ``python -m bench.golden`` writes, for each demo
school in examples/ and for a small synthetic country (bench/synthetic.py), every
finding (as the JSON the CLI prints), every teacher's budget lines, each school's
budget and the week-by-week hours, to tests/core/golden/; tests/core/test_golden.py
compares the core's output now with them. Large frames are kept as a SHA-256 of their
CSV (row order included) with their row count, small ones in full.

``--country`` also records the digest of the full-size country (about 15 s), which
``make bench`` compares with its own run.

Regenerate only when a rule's meaning changes on purpose (a pack or template mend),
never to make a speed-up pass: then the diff of the golden files is the review.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from datetime import date
from pathlib import Path
from typing import Any

import polars as pl

from bench.synthetic import PACK_ID, build_country
from fairload.core.budgets import teacher_budgets
from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import Tables, tables_from_years
from fairload.core.weeks import weekly_hours
from fairload.core.yamlfile import load_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
GOLDEN = ROOT / "tests" / "core" / "golden"
#: The synthetic country of the golden files: small enough for a test, every sector.
SMALL_COUNTRY = 120
COUNTRY_FILE = GOLDEN / "country.json"
FULL_COUNTRY_FILE = GOLDEN / "country-full.json"
CHECK_DATE = date(2025, 8, 13)


def digest(frame: pl.DataFrame) -> dict[str, Any]:
    """A frame's rows and a hash of its CSV: equal digests mean equal frames, in order."""
    nested = [c for c, t in frame.schema.items() if isinstance(t, pl.List)]
    text = frame.with_columns(pl.col(c).list.join("|") for c in nested).write_csv()
    return {"rows": frame.height, "sha256": hashlib.sha256(text.encode()).hexdigest()}


def outputs(result: CheckResult, *, full: bool, school_budgets: bool = False) -> dict[str, Any]:
    """Everything a rewrite of the core could change, for one check."""
    pack, tables = result.pack, result.tables
    assert pack.budget is not None
    budgets = teacher_budgets(pack.budget, tables, pack.parameters, result.at)
    weekly = weekly_hours(pack.budget, tables, pack.parameters, result.at)
    findings = [f.as_dict() for f in result.findings]
    canonical = json.dumps(findings, sort_keys=True).encode()
    data: dict[str, Any] = {
        "counts": result.counts(),
        "findings_by_rule": _by_rule(result),
        "findings_sha256": hashlib.sha256(canonical).hexdigest(),
        "teacher_budgets": digest(budgets),
        "weekly_teachers": digest(weekly.teachers),
        "weekly_schools": digest(weekly.schools),
    }
    if full:
        data["findings"] = findings
    if school_budgets:
        school_ids = sorted(tables.schools["school_id"])
        data["school_budgets"] = {
            s: b.as_dict() for s in school_ids if (b := result.school_budget(s)) is not None
        }
    return data


def _by_rule(result: CheckResult) -> dict[str, int]:
    counts: dict[str, int] = {}
    for finding in result.findings:
        counts[finding.rule] = counts.get(finding.rule, 0) + 1
    return dict(sorted(counts.items()))


def example_tables(path: Path) -> Tables:
    return tables_from_years([parse_school_year(load_file(path), str(path))])


def example_outputs(path: Path) -> dict[str, Any]:
    tables = example_tables(path)
    (year,) = tables.years.values()
    return outputs(
        run_check(load_bundled(year.school.pack), tables), full=True, school_budgets=True
    )


def country_outputs(schools: int, *, full: bool) -> dict[str, Any]:
    pack = load_bundled(PACK_ID)
    result = run_check(pack, build_country(pack, schools), at=CHECK_DATE)
    return {"schools": schools, **outputs(result, full=full)}


def golden_file(example: Path) -> Path:
    return GOLDEN / f"{example.stem}.json"


def write(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"wrote {path.relative_to(ROOT)}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--country", action="store_true", help="also the full-size country")
    args = parser.parse_args(argv)
    for example in sorted(EXAMPLES.glob("*.yaml")):
        write(golden_file(example), example_outputs(example))
    write(COUNTRY_FILE, country_outputs(SMALL_COUNTRY, full=True))
    if args.country:
        from bench.synthetic import SCHOOLS

        write(FULL_COUNTRY_FILE, country_outputs(SCHOOLS, full=False))


if __name__ == "__main__":
    main()
