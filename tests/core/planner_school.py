"""Small planning inputs for the planner's tests: a demo school cut to a few weeks.

The demo schools (examples/*.yaml) are read as they are and shortened here, in memory:
the examples themselves are not changed. Events of the wishes' categories are replaced
by the plan; every other event stays.
"""

from __future__ import annotations

import copy
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from fairload.core.packs import Pack, load_pack
from fairload.core.planner import PlanSpec, parse_plan
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear
from fairload.core.yamlfile import load_file

EXAMPLES = Path(__file__).parents[2] / "examples"
ENGLISH = "english-secondary.yaml"
SCOTTISH = "south-ayrshire-secondary.yaml"
PRIMARY = "south-ayrshire-primary.yaml"


@cache
def _example(name: str) -> Any:
    return load_file(EXAMPLES / name)


def document(name: str, end: date | None = None) -> dict[str, Any]:
    """A demo school's document without its plan section, its year cut to end on
    ``end`` (terms, closures, in-service days and events after it dropped)."""
    doc: dict[str, Any] = copy.deepcopy(_example(name))
    doc.pop("plan", None)  # each test gives its own wishes (own_plan: the file's)
    if end is None:
        return doc
    year = doc["year"]
    year["end"] = end.isoformat()
    year["terms"] = [
        {**t, "end": min(str(t["end"]), end.isoformat())}
        for t in year["terms"]
        if str(t["start"]) <= end.isoformat()
    ]
    year["closures"] = [c for c in year.get("closures", []) if str(c["end"]) <= end.isoformat()]
    year["inservice_days"] = [d for d in year["inservice_days"] if str(d) <= end.isoformat()]
    year["open_on_bank_holidays"] = [
        d for d in year.get("open_on_bank_holidays", []) if str(d) <= end.isoformat()
    ]
    doc["events"] = [e for e in doc.get("events", []) if str(e["date"]) <= end.isoformat()]
    return doc


def own_plan(name: str) -> dict[str, Any]:
    """A demo school's own ``plan`` section, as plain data."""
    import json

    plan: dict[str, Any] = json.loads(json.dumps(_example(name)["plan"], default=str))
    return plan


def own_wishes(name: str) -> list[dict[str, Any]]:
    wishes: list[dict[str, Any]] = own_plan(name)["wishes"]
    return wishes


#: the meetings NUT Instruction 2's rules count (the English pack's ``where``)
MEETINGS = ("staff-meeting", "department-meeting", "working-group", "briefing")


def planning(
    name: str,
    wishes: list[dict[str, Any]],
    end: date | None = None,
    drop: tuple[str, ...] = (),
    **plan: Any,
) -> tuple[SchoolYear, Pack, PlanSpec]:
    """A year, its pack and its wishes; ``drop``: categories of events taken out."""
    doc = document(name, end)
    doc["events"] = [e for e in doc.get("events", []) if e["category"] not in drop]
    doc["plan"] = {"wishes": wishes, **plan}
    year = parse_school_year(doc, name)
    return year, load_pack(year.school.pack), parse_plan(doc, year, name)


def as_yaml(doc: Any) -> str:
    """A document as YAML text (its located mappings made plain)."""
    import json

    import yaml

    return str(yaml.safe_dump(json.loads(json.dumps(doc, default=str)), sort_keys=False))
