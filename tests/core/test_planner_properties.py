"""Property: any calendar the planner accepts passes the check of every planned rule."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fairload.core.planner import Planner

sys.path.insert(0, str(Path(__file__).parent))
from planner_school import ENGLISH, MEETINGS, SCOTTISH, planning
from test_planner import HALF_TERM

CATEGORIES = [*MEETINGS, "parents-evening", "report", "observation"]
SCOTTISH_AUTUMN = date(2025, 10, 10)  # the Scottish demo's first eight weeks
WEEKDAYS = ["monday", "tuesday", "wednesday", "thursday", "friday"]


@st.composite
def wishes(draw: Any) -> list[dict[str, Any]]:
    found = []
    for n in range(draw(st.integers(1, 3))):
        found.append(
            {
                "id": f"wish-{n}",
                "category": draw(st.sampled_from(CATEGORIES)),
                "minutes": draw(st.sampled_from([30, 45, 60, 75, 90, 120, 150, 180])),
                "count": draw(st.integers(1, 10)),
                "weekdays": draw(
                    st.lists(st.sampled_from(WEEKDAYS), min_size=1, max_size=5, unique=True)
                ),
                "earliest_start": draw(st.sampled_from(["14:30", "15:10", "15:20", "16:00"])),
                "attendees": draw(
                    st.sampled_from(["all", {"posts": ["teacher"]}, {"departments": ["maths"]}])
                ),
                "hard": draw(st.booleans()),
            }
        )
    return found


@settings(
    max_examples=8,
    deadline=None,
    derandomize=True,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(wishes(), st.sampled_from([ENGLISH, SCOTTISH]))
def test_any_calendar_the_solver_accepts_passes_the_planned_rules(
    wanted: list[dict[str, Any]], school: str
) -> None:
    end = HALF_TERM if school == ENGLISH else SCOTTISH_AUTUMN
    drop = tuple({w["category"] for w in wanted})
    year, pack, spec = planning(school, wanted, end, drop=drop)
    planner = Planner(year, pack, spec)
    result = planner.solve(seconds=3.0, workers=1, seed=7)
    if not result.found:
        assert result.status == "infeasible"
        assert result.explanation.verified
        return
    assert result.added_breaches == ()
    planned = {e.id for e in result.events}
    assert not [
        f
        for f in result.check.findings
        if f.counts_as_breach and (f.rule in result.planned_rules and f.subject.id in planned)
    ]
