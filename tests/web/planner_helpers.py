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


def runs_at_both_schools(cast, schools, pks: tuple[int, int], **fields):  # type: ignore[no-untyped-def]
    """The draft started at the Scottish school (by its head) and the English one (by
    theirs), and a planner run at each with the given ids and fields: what the planner's
    access matrices read."""
    from django.utils import timezone

    from fairload.web.planner.models import PlanRun

    from .agreement_helpers import agreement_drafted, year_of

    for (slug, who), pk in zip(
        (("test-academy", "head"), ("test-school", "other-head")), pks, strict=True
    ):
        school = schools[slug]
        agreement_drafted(school, cast[who])
        year = year_of(school)
        PlanRun.objects.create(
            pk=pk,
            school=school,
            label=year.label,
            mode=PlanRun.Mode.PROPOSE,
            revision=year.revision,
            requested_at=timezone.now(),
            **fields,
        )
