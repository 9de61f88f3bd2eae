"""The wishes form: the school-year format's ``plan`` section as YAML, read by the core."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator

from fairload.core.calendar import DAYS_PER_WORKING_WEEK
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


# What-if: one change at a time, each a small form of its own (the core's what-if words,
# core/planner/whatif.py, are made from the choices; nobody types them).


class _WishWhatIfForm(forms.Form):
    """A what-if about one of the plan's wishes, chosen from ``wishes`` (id, title)."""

    kind = ""

    def __init__(self, *args: Any, wishes: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, prefix=self.kind, **kwargs)
        self.fields["wish"].choices = wishes


class WhatIfCountForm(_WishWhatIfForm):
    """ "WISH.count=N": hold more or fewer of one of the plan's wishes."""

    kind = "count"
    legend = "Hold more or fewer of a wish"
    button = "Re-plan with this many"
    wish = forms.ChoiceField(label="Which of the school's wishes", choices=())
    count = forms.IntegerField(
        label="How many in the year",
        min_value=1,
        max_value=400,
        error_messages={"required": "Enter how many", "min_value": "Enter 1 or more"},
    )

    def changes(self, taken: set[str]) -> list[str]:
        return [f"{self.cleaned_data['wish']}.count={self.cleaned_data['count']}"]

    def words(self, titles: dict[str, str]) -> str:
        return f"{self.cleaned_data['count']} of '{titles[self.cleaned_data['wish']]}'"


class WhatIfAddForm(_WishWhatIfForm):
    """ "add WISH as NEW" (and "NEW.count=N"): more events like one of the wishes, for the
    same staff, e.g. another parents' evening."""

    kind = "add"
    legend = "Add more events like a wish"
    button = "Re-plan with these added"
    wish = forms.ChoiceField(label="Like which of the school's wishes", choices=())
    count = forms.IntegerField(
        label="How many more",
        min_value=1,
        max_value=100,
        initial=1,
        error_messages={"required": "Enter how many", "min_value": "Enter 1 or more"},
    )

    def changes(self, taken: set[str]) -> list[str]:
        wish, count = self.cleaned_data["wish"], self.cleaned_data["count"]
        new, n = f"{wish}-more", 1
        while new in taken:
            n += 1
            new = f"{wish}-more-{n}"
        return [f"add {wish} as {new}"] + ([f"{new}.count={count}"] if count > 1 else [])

    def words(self, titles: dict[str, str]) -> str:
        return f"{self.cleaned_data['count']} more like '{titles[self.cleaned_data['wish']]}'"


class WhatIfFteForm(forms.Form):
    """ "fte STAFF=0.6": a teacher's full-time equivalent changes."""

    kind = "fte"
    legend = "Change a teacher's hours (FTE)"
    button = "Re-plan with this FTE"
    staff = forms.ChoiceField(label="Which teacher", choices=())
    fte = forms.DecimalField(
        label="Their new FTE",
        help_text="A fraction of full time, e.g. 0.6 for three days a week.",
        min_value=Decimal("0.01"),
        max_value=Decimal("1"),
        decimal_places=2,
        error_messages={
            "required": "Enter the new FTE",
            "min_value": "Enter an FTE above 0",
            "max_value": "Enter an FTE of 1 or less",
        },
    )

    def __init__(self, *args: Any, staff: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, prefix=self.kind, **kwargs)
        self.fields["staff"].choices = staff

    def changes(self, taken: set[str]) -> list[str]:
        return [f"fte {self.cleaned_data['staff']}={self.cleaned_data['fte'].normalize()}"]

    def words(self, titles: dict[str, str]) -> str:
        name = titles[self.cleaned_data["staff"]]
        return f"{name} at FTE {self.cleaned_data['fte'].normalize()}"


class WhatIfWeeksForm(forms.Form):
    """ "weeks=N": the year moves to fewer working weeks (core/planner/whatif.py ends it
    sooner, dropping its last working days, and the events on them)."""

    kind = "weeks"
    legend = "Move to fewer working weeks"
    button = "Re-plan with these weeks"
    weeks = forms.IntegerField(
        label="Working weeks in the year",
        min_value=1,
        error_messages={"required": "Enter how many working weeks", "min_value": "Enter 1 or more"},
    )

    def __init__(self, *args: Any, working_days: int, **kwargs: Any) -> None:
        super().__init__(*args, prefix=self.kind, **kwargs)
        have = working_days / DAYS_PER_WORKING_WEEK
        most = (working_days - 1) // DAYS_PER_WORKING_WEEK  # fewer days than the year has
        field = self.fields["weeks"]
        field.max_value = most
        field.validators.append(MaxValueValidator(most))
        field.error_messages["max_value"] = (
            f"Enter at most {most}: the year has {have:g} working weeks, and this only "
            "shortens it (to lengthen it, edit its terms and closures)"
        )
        field.help_text = (
            f"The year has {have:g} working weeks of {DAYS_PER_WORKING_WEEK} days. It ends "
            "sooner: its last working days are dropped, with their events, until this many "
            "weeks are left."
        )

    def changes(self, taken: set[str]) -> list[str]:
        return [f"weeks={self.cleaned_data['weeks']}"]

    def words(self, titles: dict[str, str]) -> str:
        return f"{self.cleaned_data['weeks']} working weeks"


WHAT_IF_FORMS = {
    f.kind: f for f in (WhatIfCountForm, WhatIfAddForm, WhatIfFteForm, WhatIfWeeksForm)
}
