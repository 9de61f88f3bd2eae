"""``{% evaluation_beside_headings year %}``: the last closed evaluation's summary, heading
by heading, on the page where next year's draft is prepared (16.7: the annual review comes
"prior to negotiating a new agreement"). A tag, so the draft page needs no new context."""

from __future__ import annotations

from typing import Any

from django import template

from fairload.web.evaluations.selectors import evaluation_beside_headings
from fairload.web.schools.models import SchoolYear

register = template.Library()


@register.inclusion_tag("evaluations/_beside_headings.html", name="evaluation_beside_headings")
def evaluation_beside_headings_tag(year: SchoolYear) -> dict[str, Any]:
    beside = evaluation_beside_headings(year=year)
    same_session = beside is not None and beside.evaluation.label == year.label
    return {"beside": beside, "same_session": same_session}
