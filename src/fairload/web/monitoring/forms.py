"""The monitoring pages' forms (GOV.UK markup by crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.web.monitoring.services import ChangeValues, MeetingValues
from fairload.web.schools.form_parts import DateInput, action_helper
from fairload.web.schools.models import SchoolYear


class MeetingForm(forms.Form):
    held_on = DateInput(label="Date of the meeting", help_text="For example, 12 11 2025")
    attendees = forms.MultipleChoiceField(
        label="Who attended",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select everyone who attended"},
    )
    minutes = forms.CharField(
        label="Minutes",
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What the committee considered and agreed: how the agreement is working, "
        "and any issues raised by staff (16.6).",
        error_messages={"required": "Enter the meeting's minutes"},
    )

    def __init__(self, *args: Any, year: SchoolYear, action: str, submit: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["attendees"].choices = [
            (p.staff_id, p.name) for p in year.staff.order_by("name")
        ]
        self.helper = action_helper(
            action,
            Field("held_on"),
            Field.checkboxes("attendees", small=True),
            Field.textarea("minutes"),
            submit=submit,
        )

    def values(self) -> MeetingValues:
        data = self.cleaned_data
        return MeetingValues(data["held_on"], tuple(data["attendees"]), data["minutes"])


class IssueForm(forms.Form):
    title = forms.CharField(
        label="The issue, in a few words",
        max_length=200,
        help_text="For example, Reports take longer than the time allocated",
        error_messages={"required": "Enter the issue in a few words"},
    )
    details = forms.CharField(
        label="What the committee should know",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Say what the issue is about"},
    )
    name_withheld = forms.BooleanField(
        label="Show it to management without my name",
        required=False,
        help_text="The head teacher and other managers will see the issue but never who "
        "raised it. You and the school's union representatives still see your name.",
    )

    def __init__(self, *args: Any, action: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.helper = action_helper(
            action,
            Field.text("title"),
            Field.textarea("details"),
            Field.checkbox("name_withheld"),
            submit="Raise the issue",
        )


class ResponseForm(forms.Form):
    response = forms.CharField(
        label="The committee's response",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": "Enter the committee's response"},
    )

    def __init__(self, *args: Any, action: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.helper = action_helper(action, Field.textarea("response"), submit="Save the response")


class ChangeForm(forms.Form):
    title = forms.CharField(
        label="The change to practice or policy",
        max_length=200,
        help_text="For example, New marking and feedback policy",
        error_messages={"required": "Enter the change"},
    )
    description = forms.CharField(
        label="How it may affect workload",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    introduced_on = DateInput(
        label="Date it was introduced or proposed", help_text="For example, 6 10 2025"
    )
    consulted = forms.TypedChoiceField(
        label="Was the committee consulted on it?",
        choices=[("yes", "Yes, the committee was consulted"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        help_text="16.6: the committee should be consulted on changes that might affect "
        "workload. For NUT members in England: was it workload impact-assessed and agreed?",
        error_messages={"required": "Say whether the committee was consulted"},
    )
    note = forms.CharField(
        label="When and how it was consulted, or why not",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, action: str, submit: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.helper = action_helper(
            action,
            Field.text("title"),
            Field.textarea("description"),
            Field("introduced_on"),
            Field.radios("consulted", inline=True),
            Field.textarea("note"),
            submit=submit,
        )

    def values(self) -> ChangeValues:
        data = self.cleaned_data
        return ChangeValues(
            data["title"],
            data["description"],
            data["introduced_on"],
            data["consulted"],
            data["note"],
        )
