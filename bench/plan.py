"""The planner's times: ``python -m bench.plan``.

- **largest demo school**: the South Ayrshire secondary (about 80 staff, the full
  2025-26 year) planned from a year's wishes: the time to a proven optimum, or the gap
  reached after the time limit (default 2 s);
- **council**: 50 synthetic schools, each a demo school with a seeded variation of its
  wishes (counts, lengths, weekdays, start times), planned one after another: the total;
- **explanation**: an infeasible year (the English demo asked for more after-school
  meetings than NUT Instruction 2's average allows in its working weeks): the time to a
  minimal, verified explanation.

Each figure is wall time on this machine, with the solver's threads given by
``--workers`` (default 2, the two cores the target assumes).
"""

from __future__ import annotations

import argparse
import copy
import math
import random
import sys
import time
from pathlib import Path
from typing import Any

from fairload.core.calendar import school_period
from fairload.core.packs import load_pack
from fairload.core.planner import Planner, parse_plan
from fairload.core.school_format import parse_school_year
from fairload.core.yamlfile import load_file

EXAMPLES = Path(__file__).parents[1] / "examples"
LARGEST = "south-ayrshire-secondary.yaml"

WISHES: dict[str, list[dict[str, Any]]] = {
    "south-ayrshire-secondary.yaml": [
        {"id": "staff-meetings", "title": "Staff meeting", "category": "staff-meeting",
         "minutes": 60, "hours": 5, "weekdays": ["monday", "tuesday"],
         "earliest_start": "15:45", "latest_start": "16:15"},
        {"id": "prd", "title": "PRD review", "category": "review", "minutes": 60,
         "count": 1, "terms": ["Spring"], "earliest_start": "15:45"},
        {"id": "s4-parents", "title": "S4 parents' evening", "category": "parents-evening",
         "minutes": 150, "count": 1, "months": [11], "earliest_start": "16:30",
         "attendees": {"posts": ["teacher", "principal-teacher"]}},
    ],
    "english-secondary.yaml": [
        {"id": "staff-meetings", "title": "Whole-staff meeting", "category": "staff-meeting",
         "minutes": 60, "count": 10, "weekdays": ["monday", "tuesday"],
         "earliest_start": "15:20", "latest_start": "15:50",
         "not_between": [{"name": "exams", "start": "2026-05-11", "end": "2026-05-22"}]},
        {"id": "y11-parents", "title": "Year 11 parents' evening",
         "category": "parents-evening", "minutes": 150, "count": 1, "months": [11],
         "earliest_start": "16:30"},
    ],
    "south-ayrshire-primary.yaml": [
        {"id": "staff-meetings", "title": "Staff meeting", "category": "staff-meeting",
         "minutes": 60, "count": 12, "earliest_start": "15:30"},
    ],
}  # fmt: skip


def _plan(name: str, wishes: list[dict[str, Any]], seconds: float, workers: int) -> Any:
    """The planner and its result; ``_plan.phases``: seconds reading, modelling, solving."""
    started = time.perf_counter()
    document = copy.deepcopy(load_file(EXAMPLES / name))
    document["plan"] = {"wishes": wishes}
    year = parse_school_year(document, name)
    spec = parse_plan(document, year, name)
    pack = load_pack(year.school.pack)
    read = time.perf_counter()
    planner = Planner(year, pack, spec)
    modelled = time.perf_counter()
    result = planner.solve(seconds=seconds, workers=workers, seed=2026)
    PHASES[:] = [read - started, modelled - read, time.perf_counter() - modelled]
    return planner, result


PHASES: list[float] = []


def _varied(rng: random.Random, wishes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    varied = []
    for wish in wishes:
        wish = dict(wish)
        if "count" in wish and wish["count"] > 1:
            wish["count"] = rng.randint(max(1, wish["count"] - 4), wish["count"] + 2)
        if "hours" in wish:
            wish["hours"] = rng.randint(2, int(wish["hours"]))
        if wish["minutes"] <= 60 and "hours" not in wish:
            wish["minutes"] = rng.choice([45, 60])
        if "weekdays" in wish:
            days = ["monday", "tuesday", "wednesday", "thursday", "friday"]
            wish["weekdays"] = sorted(rng.sample(days, rng.randint(1, 3)), key=days.index)
        varied.append(wish)
    return varied


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=2.0, help="time limit a solve")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--schools", type=int, default=50)
    args = parser.parse_args(argv)

    started = time.perf_counter()
    _plan(LARGEST, WISHES[LARGEST], args.seconds, args.workers)
    first = time.perf_counter() - started
    print(f"first plan in this process (imports, Polars' first plans): {first:.2f} s")
    started = time.perf_counter()
    planner, result = _plan(LARGEST, WISHES[LARGEST], args.seconds, args.workers)
    took = time.perf_counter() - started
    gap = "proven optimal" if result.status == "optimal" else f"gap {result.gap:.2%}"
    print(
        f"largest demo school ({LARGEST}, {len(planner.year.staff)} staff, "
        f"{len(planner.candidates)} candidates): {result.status}, {gap}, "
        f"{took:.2f} s in all: {PHASES[0]:.2f} s reading the file and pack, "
        f"{PHASES[1]:.2f} s the candidates and rules' bounds, {PHASES[2]:.2f} s the model, "
        "solve and check"
    )

    rng = random.Random(2026)
    names = sorted(WISHES)
    started = time.perf_counter()
    statuses: dict[str, int] = {}
    for n in range(args.schools):
        name = names[n % len(names)]
        _planner, planned = _plan(name, _varied(rng, WISHES[name]), args.seconds, args.workers)
        statuses[planned.status] = statuses.get(planned.status, 0) + 1
    total = time.perf_counter() - started
    print(
        f"council of {args.schools} synthetic schools: {total:.1f} s in all "
        f"({total / args.schools:.2f} s a school); "
        + ", ".join(f"{k} {v}" for k, v in sorted(statuses.items()))
    )

    english = "english-secondary.yaml"
    document = load_file(EXAMPLES / english)
    year = parse_school_year(copy.deepcopy(document), english)
    pack = load_pack(year.school.pack)
    rule = pack.rule("after-school-meetings-average")
    limit = float(
        pack.parameters.resolve(rule.settings["max_per_week"], year.calendar.dates.start).value
    )
    weeks = school_period(year.calendar, year.school.nation).working_weeks
    over = math.floor(limit * weeks + 1e-9) + 6
    wish = {**WISHES[english][0], "count": over}
    del wish["weekdays"]
    planner, result = _plan(english, [wish], args.seconds, args.workers)
    explanation = result.explanation
    print(
        f"explanation ({over} after-school meetings in {weeks:g} working weeks): "
        f"{explanation.seconds:.2f} s, {explanation.solves} solves, "
        f"{len(explanation.conflicts)} members, verified {explanation.verified}"
    )
    print("  " + explanation.sentences[0])
    return 0


if __name__ == "__main__":
    sys.exit(main())
