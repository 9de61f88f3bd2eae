"""What every form of the school pages shares: the GOV.UK helper and error mapping.

The forms are rendered with crispy-forms-gds (GOV.UK Design System markup): labels,
hints, error messages beside each field, fieldsets with legends for radios and
checkboxes, and the GOV.UK date input. The page puts the error summary above its
heading (``includes/error_summary.html``), one link per error to the input it is about.
"""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Layout, Size, Submit
from django import forms
from django.core.exceptions import ValidationError


def long_day(value: date) -> str:
    return f"{value.day} {value:%B %Y}"


class GdsFormMixin:
    """What the edit pages need of a form beyond crispy's rendering."""

    errors: Any
    fields: dict[str, forms.Field]

    def add_year_errors(self, error: ValidationError) -> None:
        """Errors the core found in the would-be year: on their field where the form has
        it, otherwise above the form."""
        for name, messages in error.message_dict.items():
            target = name if name in self.fields else None
            for message in messages:
                self.add_error(target, message)  # type: ignore[attr-defined]


def gds_helper(form: forms.Form, *layout: Any) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False  # the page writes the <form>, with its htmx attributes
    helper.disable_csrf = True  # ... and its CSRF token
    helper.layout = Layout(*layout)
    return helper


def action_helper(action: str, *fields: Any, submit: str) -> FormHelper:
    """The helper of a form that writes its own <form> to ``action`` with one button."""
    helper = FormHelper()
    helper.form_action = action
    helper.legend_size = Size.MEDIUM
    helper.layout = Layout(*fields, Submit("submit", submit))
    return helper


def time_field(label: str, example: str) -> forms.TimeField:
    return forms.TimeField(
        label=label,
        help_text=f"Use the 24-hour clock, for example {example}",
        input_formats=["%H:%M", "%H.%M", "%H%M"],
        # A text input (GOV.UK has no time component); initial values are given as text.
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": f"Enter the {label.lower()}",
            "invalid": f"Enter the {label.lower()} as hours and minutes, like {example}",
        },
    )


class DateInput(DateInputField):
    """GOV.UK's day, month and year boxes. Where the three make no day of the calendar
    (31 2 2026), the message says so in words and what to enter; the library would pass
    on Python's own "day is out of range for month"."""

    def compress(self, data_list: list[Any]) -> date | None:
        try:
            return cast("date | None", super().compress(data_list))
        except ValidationError:
            day, month, year = data_list
            raise ValidationError(
                f"Enter a real date: {day} {month} {year} is no day of the calendar "
                "(check the day for that month)",
                code="invalid",
            ) from None
