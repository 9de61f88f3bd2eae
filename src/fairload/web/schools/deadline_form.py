"""The council's form for the day its schools' agreements are due."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.web.schools.form_parts import DateInput, action_helper


class DeadlineForm(forms.Form):
    label = forms.ChoiceField(
        label="Session",
        error_messages={"required": "Select the session", "invalid_choice": "Select a session"},
    )
    due = DateInput(
        label="Agreements are due before",
        help_text="The day each school's signed agreement must be with the council before. "
        "For example, 1 8 2025",
    )

    def __init__(self, *args: Any, sessions: list[str], action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["label"].choices = [(s, s) for s in sessions]
        self.helper = action_helper(
            action, Field.select("label"), Field("due"), submit="Set the due day"
        )
