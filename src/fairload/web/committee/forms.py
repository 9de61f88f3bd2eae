"""The forms of the groups and committee pages (GOV.UK markup by crispy-forms-gds)."""

from __future__ import annotations

from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms
from django.core.validators import RegexValidator

from fairload.web.committee.models import CommitteeRole
from fairload.web.committee.services import GroupValues, SeatValues
from fairload.web.schools.form_parts import DateInput, action_helper
from fairload.web.schools.models import SchoolYear


def _staff_choices(year: SchoolYear) -> list[tuple[str, str]]:
    return [(p.staff_id, f"{p.name} ({p.staff_id})") for p in year.staff.order_by("name")]


class GroupForm(forms.Form):
    group_id = forms.CharField(
        label="Group id",
        max_length=100,
        help_text="A short name used in the school-year file, for example eco",
        validators=[
            RegexValidator(r"^[-a-zA-Z0-9_]+$", "Use only letters, digits, hyphens and underscores")
        ],
        error_messages={"required": "Enter a short id for the group"},
    )
    title = forms.CharField(
        label="Name",
        max_length=200,
        help_text="For example, Literacy working group",
        error_messages={"required": "Enter the group's name"},
    )
    hours = forms.FloatField(
        label="Hours in the year",
        min_value=0,
        help_text="The hours the agreement allocates to the group. A teacher who is not a "
        "member gains them in their balance of time (Appendix 2).",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the group's hours in the year",
            "invalid": "The hours must be a number",
            "min_value": "The hours must be 0 or more",
        },
    )
    members = forms.MultipleChoiceField(
        label="Members",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone who takes part.",
    )

    def __init__(self, *args: Any, year: SchoolYear, action: str, submit: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["members"].choices = _staff_choices(year)
        self.helper = action_helper(
            action,
            Field.text("group_id", field_width=20),
            Field.text("title"),
            Field.text("hours", field_width=5),
            Field.checkboxes("members", small=True),
            submit=submit,
        )

    def values(self) -> GroupValues:
        data = self.cleaned_data
        return GroupValues(data["group_id"], data["title"], data["hours"], tuple(data["members"]))


class SeatForm(forms.Form):
    staff_id = forms.ChoiceField(
        label="Who",
        error_messages={"required": "Select the member of staff"},
    )
    role = forms.ChoiceField(
        label="In which capacity",
        choices=CommitteeRole.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the capacity they sit in"},
    )
    union = forms.CharField(
        label="Union they represent",
        max_length=60,
        required=False,
        help_text="Only for a union representative, for example EIS",
    )
    since = DateInput(label="On the committee from", help_text="For example, 14 8 2025")
    until = DateInput(
        label="Last day on the committee",
        required=False,
        help_text="Leave blank while they still sit on it",
    )

    def __init__(self, *args: Any, year: SchoolYear, action: str, submit: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["staff_id"].choices = [("", "Choose a member of staff"), *_staff_choices(year)]
        self.helper = action_helper(
            action,
            Field.select("staff_id"),
            Field.radios("role"),
            Field.text("union", field_width=10),
            Field("since"),
            Field("until"),
            submit=submit,
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        role, union = data.get("role"), (data.get("union") or "").strip()
        if role == CommitteeRole.UNION_REP and not union:
            self.add_error("union", "Enter the union they represent")
        elif role and role != CommitteeRole.UNION_REP and union:
            self.add_error("union", "Only a union representative represents a union")
        since: date | None = data.get("since")
        until: date | None = data.get("until")
        if since and until and until < since:
            self.add_error("until", "The last day must be on or after the first")
        data["union"] = union
        return data

    def values(self) -> SeatValues:
        data = self.cleaned_data
        return SeatValues(
            data["staff_id"], data["role"], data["union"], data["since"], data.get("until")
        )


class UnionsForm(forms.Form):
    unions = forms.CharField(
        label="Unions with an accredited representative in the school",
        required=False,
        help_text="Separate them with commas, for example EIS, SSTA. Leave blank if there is "
        "none: the head teacher then organises the committee (16.2), and in the smallest "
        "schools it is all teaching staff.",
        max_length=400,
    )

    def __init__(self, *args: Any, action: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.helper = action_helper(action, Field.text("unions"), submit="Save the unions")

    def names(self) -> list[str]:
        seen: dict[str, str] = {}
        for raw in self.cleaned_data["unions"].split(","):
            name = raw.strip()
            if name and name.lower() not in seen:
                seen[name.lower()] = name
        return list(seen.values())
