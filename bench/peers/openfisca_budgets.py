"""fairload's per-teacher budget lines as a small OpenFisca tax-benefit system.

Run by ``make bench`` in the bench's own venv (.venv-bench: openfisca-core is AGPL and
never a dependency of fairload), never imported by fairload:

    .venv-bench/bin/python bench/peers/openfisca_budgets.py STAFF ALLOCATIONS SPEC OUT REPEATS

STAFF and ALLOCATIONS are Parquet files of the frames fairload's ``teacher_budgets``
starts from (bench/compare.py exports them from the synthetic country): a row a teacher
with its school's id, fte and the weekly staff columns the budget reads; a row a school
and allocation heading with its agreed hours. SPEC is the budget as JSON: the lines in
order, each with its kind (weekly, allocation, remainder), column, weeks and default,
and the annual total, every figure already read from the pack at the check's date.

The system has a person entity (the teacher) and a group entity (the school, whose
members are its teachers), one variable per input and per line, each line's formula
written as OpenFisca formulas are: vectors over every teacher at once, a school's
agreed hours projected onto its teachers. Each repetition builds a simulation from the
frames (joining each teacher to their school, as OpenFisca joins persons to a group,
and setting each school's agreed hours from the allocations) and calculates every line:
the same work as fairload's, timed after one untimed run. It is also timed as first
compared, handed each teacher's school's agreed hours already joined (no school
entity): less work than fairload's.

The script writes the lines' hours (OUT, Parquet) and prints, as JSON on stdout, the
wall and CPU seconds of each repetition of both, and how far the two runs' hours differ.
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
School = build_entity(
    key="school",
    plural="schools",
    label="A school",
    doc="The school a teacher works in: its allocations are its teachers' agreed hours.",
    roles=[{"key": "member", "plural": "members", "label": "A teacher of the school"}],
)
PERIOD = "2025"


def _name(line_id: str) -> str:
    return line_id.replace("-", "_")


def _input(name: str, entity: Any = Teacher) -> type[Variable]:
    attributes = {
        "value_type": float,
        "entity": entity,
        "definition_period": DateUnit.YEAR,
        "label": name,
    }
    return type(name, (Variable,), attributes)


def _line(line: dict[str, Any], spec: dict[str, Any], by_school: bool) -> type[Variable]:
    """A line's variable: its hours in the year, for every teacher at once. With
    ``by_school`` the agreed hours are the school's, projected onto its teachers; else
    each teacher's own input."""
    kind = line["teacher"]
    if kind == "weekly":
        column, weeks = line["column"], line["weeks"]

        def formula(teacher: Any, period: Any, parameters: Any) -> Any:
            return np.nan_to_num(teacher(column, period)) * weeks

    elif kind == "allocation":
        agreed, default = f"agreed_{_name(line['id'])}", line["default"]
        column, weeks = line["column"], line["weeks"]

        def formula(teacher: Any, period: Any, parameters: Any) -> Any:
            # The school's allocation (NaN where it made none: the default), x FTE; a
            # teacher whose own column is set gets that many hours a week x the weeks.
            school = teacher.school(agreed, period) if by_school else teacher(agreed, period)
            share = np.where(np.isnan(school), default, school) * teacher("fte", period)
            if column is None:
                return share
            own = teacher(column, period)
            return np.where(np.isnan(own), share, own * weeks)

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


def system(spec: dict[str, Any], inputs: list[str], by_school: bool) -> TaxBenefitSystem:
    tbs = TaxBenefitSystem([Teacher, School])
    for name in inputs:
        tbs.add_variable(_input(name))
    for line in spec["lines"]:
        if line["teacher"] == "allocation":
            name = f"agreed_{_name(line['id'])}"
            tbs.add_variable(_input(name, School if by_school else Teacher))
    for line in spec["lines"]:
        tbs.add_variable(_line(line, spec, by_school))
    return tbs


def _lines(simulation: Any, spec: dict[str, Any]) -> dict[str, np.ndarray]:
    return {line["id"]: simulation.calculate(_name(line["id"]), PERIOD) for line in spec["lines"]}


def from_schools(
    tbs: TaxBenefitSystem,
    teachers: dict[str, np.ndarray],
    school_of: np.ndarray,
    allocations: dict[str, np.ndarray],
    spec: dict[str, Any],
) -> dict[str, np.ndarray]:
    """The lines from what fairload starts from: the teachers with their school's id,
    and the schools' allocations a row a school and heading. Each teacher is joined to
    their school as OpenFisca joins persons to a group entity (by the school's id), and
    the allocations become each school's agreed hours a heading."""
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    builder.declare_person_entity("teacher", [str(n) for n in range(len(school_of))])
    school_ids = np.unique(school_of)
    schools = builder.declare_entity("school", school_ids)
    builder.join_with_persons(schools, school_of, np.zeros(len(school_of), dtype=int))
    simulation = builder.build(tbs)
    for name, values in teachers.items():
        simulation.set_input(name, PERIOD, values)
    at = np.searchsorted(school_ids, allocations["school_id"])
    found = school_ids[np.minimum(at, len(school_ids) - 1)] == allocations["school_id"]
    for line in spec["lines"]:
        if line["teacher"] != "allocation":
            continue
        agreed = np.full(len(school_ids), np.nan)
        chosen = found & (allocations["heading"] == line["id"])
        agreed[at[chosen]] = allocations["hours"][chosen]
        simulation.set_input(f"agreed_{_name(line['id'])}", PERIOD, agreed)
    return _lines(simulation, spec)


def handed_the_join(
    tbs: TaxBenefitSystem,
    teachers: dict[str, np.ndarray],
    agreed: dict[str, np.ndarray],
    spec: dict[str, Any],
) -> dict[str, np.ndarray]:
    """The lines from each teacher's school's agreed hours already joined to them (no
    school entity to join them to): less work than fairload does, the comparison as
    it was first made."""
    builder = SimulationBuilder()
    builder.create_entities(tbs)
    count = len(next(iter(teachers.values())))
    builder.declare_person_entity("teacher", [str(n) for n in range(count)])
    simulation = builder.build(tbs)
    for name, values in {**teachers, **agreed}.items():
        simulation.set_input(name, PERIOD, values)
    return _lines(simulation, spec)


def _timed(run: Any, repeats: int) -> tuple[dict[str, list[float]], dict[str, np.ndarray]]:
    """Wall and CPU seconds of each repetition, and the last one's hours. One untimed
    run first: what OpenFisca does once a process (its lazy imports, its caches) is not
    its time a simulation, as fairload's is timed warm in a process that has run it."""
    seconds: dict[str, list[float]] = {"wall": [], "cpu": []}
    hours: dict[str, np.ndarray] = run()
    for _ in range(repeats):
        wall, cpu = time.perf_counter(), time.process_time()
        hours = run()
        seconds["cpu"].append(time.process_time() - cpu)
        seconds["wall"].append(time.perf_counter() - wall)
    return seconds, hours


def main(argv: list[str]) -> None:
    staff_file, allocations_file, spec_file, out_file, repeats = argv
    spec = json.loads(Path(spec_file).read_text())
    staff = pl.read_parquet(staff_file)
    inputs = [c for c in staff.columns if c not in ("school_id", "staff_id")]
    # Null stays NaN: a weekly line reads it as 0, an allocation's own column as unset.
    teachers = {c: staff[c].cast(pl.Float64).fill_null(np.nan).to_numpy() for c in inputs}
    school_of = staff["school_id"].to_numpy().astype(str)
    frame = pl.read_parquet(allocations_file)
    allocations = {
        "school_id": frame["school_id"].to_numpy().astype(str),
        "heading": frame["heading"].to_numpy().astype(str),
        "hours": frame["hours"].to_numpy(),
    }
    # For the run handed the join: each teacher's school's agreed hours, joined here.
    joined = staff.select("school_id")
    for line in spec["lines"]:
        if line["teacher"] == "allocation":
            name = f"agreed_{_name(line['id'])}"
            hours = frame.filter(pl.col("heading") == line["id"]).select(
                "school_id", pl.col("hours").alias(name)
            )
            joined = joined.join(hours, on="school_id", how="left", maintain_order="left")
    agreed = {c: joined[c].fill_null(np.nan).to_numpy() for c in joined.columns[1:]}
    by_school, by_teacher = system(spec, inputs, True), system(spec, inputs, False)
    same, hours = _timed(
        lambda: from_schools(by_school, teachers, school_of, allocations, spec), int(repeats)
    )
    handed, easier = _timed(
        lambda: handed_the_join(by_teacher, teachers, agreed, spec), int(repeats)
    )
    agree = max(float(np.nanmax(np.abs(hours[k] - easier[k]))) for k in hours)
    out = staff.select("school_id", "staff_id").with_columns(
        **{line_id: pl.Series(values) for line_id, values in hours.items()}
    )
    out.write_parquet(out_file)
    print(json.dumps({"seconds": same, "handed_the_join": handed, "modes_differ_by": agree}))


if __name__ == "__main__":
    main(sys.argv[1:])
