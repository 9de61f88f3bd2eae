"""fairload's per-teacher budget lines as a small OpenFisca tax-benefit system.

Run by ``make bench`` in the bench's own venv (.venv-bench: openfisca-core is AGPL and
never a dependency of fairload), never imported by fairload:

    .venv-bench/bin/python bench/peers/openfisca_budgets.py POPULATION SPEC OUT REPEATS

POPULATION is a Parquet file with one row per teacher (bench/run.py exports it from the
synthetic country): fte, the weekly staff columns the budget reads, and each school's
agreed hours per allocation heading (its own allocation, else the pack's default).
SPEC is the budget as JSON: the lines in order, each with its kind (weekly, allocation,
remainder), column, weeks and default, and the annual total, every figure already read
from the pack at the check's date. The system has one person entity (the teacher) and
one variable per input and per line, each line's formula written as OpenFisca formulas
are: vectors over every teacher at once.

Each repetition builds a simulation from the population and calculates every line;
the script writes the lines' hours (OUT, Parquet) and prints the repetitions' seconds
as JSON on stdout.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from openfisca_core.entities import build_entity
from openfisca_core.periods import DateUnit
from openfisca_core.simulations import SimulationBuilder
from openfisca_core.taxbenefitsystems import TaxBenefitSystem
from openfisca_core.variables import Variable

Teacher = build_entity(
    key="teacher", plural="teachers", label="A teacher", is_person=True, doc="One teacher."
)
PERIOD = "2025"


def _name(line_id: str) -> str:
    return line_id.replace("-", "_")


def _input(name: str) -> type[Variable]:
    attributes = {
        "value_type": float,
        "entity": Teacher,
        "definition_period": DateUnit.YEAR,
        "label": name,
    }
    return type(name, (Variable,), attributes)


def _line(line: dict[str, Any], spec: dict[str, Any]) -> type[Variable]:
    """A line's variable: its hours in the year, for every teacher at once."""
    kind = line["teacher"]
    if kind == "weekly":
        column, weeks = line["column"], line["weeks"]

        def formula(teacher: Any, period: Any, parameters: Any) -> Any:
            return teacher(column, period) * weeks

    elif kind == "allocation":
        agreed = f"agreed_{_name(line['id'])}"

        def formula(teacher: Any, period: Any, parameters: Any) -> Any:
            return teacher(agreed, period) * teacher("fte", period)

    elif kind == "remainder":
        base = line["default"] if line["of"] else spec["total"]
        others = [_name(o) for o in line["others"]]

        def formula(teacher: Any, period: Any, parameters: Any) -> Any:
            hours = base * teacher("fte", period)
            for other in others:
                hours = hours - teacher(other, period)
            return hours

    else:
        raise ValueError(f"line {line['id']}: no OpenFisca formula for {kind!r} lines")
    attributes = {
        "value_type": float,
        "entity": Teacher,
        "definition_period": DateUnit.YEAR,
        "label": line["label"],
        "formula": formula,
    }
    return type(_name(line["id"]), (Variable,), attributes)


def system(spec: dict[str, Any], inputs: list[str]) -> TaxBenefitSystem:
    tbs = TaxBenefitSystem([Teacher])
    for name in inputs:
        tbs.add_variable(_input(name))
    for line in spec["lines"]:
        tbs.add_variable(_line(line, spec))
    return tbs


def calculate(tbs: TaxBenefitSystem, population: dict[str, np.ndarray], spec: dict[str, Any]):
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    count = len(next(iter(population.values())))
    builder.declare_person_entity("teacher", [str(n) for n in range(count)])
    simulation = builder.build(tbs)
    for name, values in population.items():
        simulation.set_input(name, PERIOD, values)
    return {line["id"]: simulation.calculate(_name(line["id"]), PERIOD) for line in spec["lines"]}


def main(argv: list[str]) -> None:
    population_file, spec_file, out_file, repeats = argv
    spec = json.loads(Path(spec_file).read_text())
    frame = pl.read_parquet(population_file)
    inputs = [c for c in frame.columns if c not in ("school_id", "staff_id")]
    population = {c: frame[c].fill_null(0.0).cast(pl.Float64).to_numpy() for c in inputs}
    tbs = system(spec, inputs)
    seconds, hours = [], {}
    for _ in range(int(repeats)):
        start = time.perf_counter()
        hours = calculate(tbs, population, spec)
        seconds.append(time.perf_counter() - start)
    out = frame.select("school_id", "staff_id").with_columns(
        **{line_id: pl.Series(values) for line_id, values in hours.items()}
    )
    out.write_parquet(out_file)
    print(json.dumps({"seconds": seconds, "teachers": frame.height}))


if __name__ == "__main__":
    main(sys.argv[1:])
