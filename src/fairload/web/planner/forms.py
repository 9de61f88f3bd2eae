"""The wishes form: the school-year format's ``plan`` section as YAML, read by the core."""

from __future__ import annotations

from typing import Any

from django import forms

from fairload.web.planner.services import plan_problems
from fairload.web.schools.models import SchoolYear

#: what the box holds for a school with no wishes yet (docs/school-year-format.md#plan)
EXAMPLE = """\
wishes:
  - id: staff-meetings
    title: Whole-school meeting
    category: staff-meeting
    minutes: 60
    count: 6
    weekdays: [wednesday]
    earliest_start: "15:45"
"""


def _where(error: Any) -> str:
    location = error.location
    parts = []
    if location is not None and location.line is not None:
        parts.append(f"line {location.line}")
    if location is not None and location.field:
        parts.append(location.field)
    return (", ".join(parts) + ": " if parts else "") + error.message


class WishesForm(forms.Form):
    plan = forms.CharField(
        label="What the school wants to hold",
        widget=forms.Textarea(attrs={"rows": 16, "spellcheck": "false", "class": "govuk-textarea"}),
        help_text=(
            "The school-year format's plan section, in YAML: each wish a kind of event, how "
            "many, how long, for whom and when it may go."
        ),
        error_messages={"required": "Enter the school's wishes"},
        max_length=50_000,
    )

    def __init__(self, *args: Any, year: SchoolYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year

    def clean_plan(self) -> str:
        text = str(self.cleaned_data["plan"])
        problems = plan_problems(self.year, text)
        if problems:
            raise forms.ValidationError([_where(p) for p in problems])
        return text
