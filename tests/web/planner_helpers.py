"""Wishes for the planner's web tests: small, so a solve takes a moment (2 s at most)."""

from __future__ import annotations

import yaml


def wishes(count: int = 3, category: str = "staff-meeting", **more: object) -> str:
    """A ``plan`` section of one wish: ``count`` one-hour meetings on Wednesdays."""
    wish = {
        "id": "meetings",
        "title": "Planned meeting",
        "category": category,
        "minutes": 60,
        "count": count,
        "weekdays": ["wednesday"],
        "earliest_start": "15:45",
        **more,
    }
    return str(yaml.safe_dump({"wishes": [wish]}, sort_keys=False))
