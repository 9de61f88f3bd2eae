"""A person's own statement of their union (special-category data: collect the minimum)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms

#: The unions teachers and school leaders most often belong to in Scotland and England.
UNIONS = ("EIS", "NASUWT", "SSTA", "NEU", "NAHT", "ASCL", "Voice Community")
OTHER = "other"
NOT_SAYING = "not-saying"
OTHER_LABEL = "Other"
NOT_SAYING_LABEL = "I'd rather not say"


class UnionMembershipForm(forms.Form):
    union = forms.ChoiceField(
        label="Which union are you a member of?",
        choices=[*((u, u) for u in UNIONS), (OTHER, OTHER_LABEL), (NOT_SAYING, NOT_SAYING_LABEL)],
        widget=forms.RadioSelect,
        error_messages={"required": "Select your union, or that you would rather not say"},
    )
    other = forms.CharField(
        label="If other, the name of your union",
        max_length=60,
        required=False,
        error_messages={"max_length": "The union's name must be 60 characters or fewer"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_action = action
        self.helper.legend_size = Size.SMALL
        # Plain radios and an always-visible text box rather than a conditional reveal:
        # the reveal puts aria-controls on every radio and aria-expanded on one, which
        # axe reports as critical (alphagov/govuk-frontend#979).
        self.helper.layout = Layout(
            Field.radios("union"),
            Field.text("other"),
            Submit("save", "Save"),
        )

    @staticmethod
    def initial_for(union: str | None) -> dict[str, str]:
        """The form's answers for a stored union (None: nothing stored)."""
        if union is None:
            return {}
        if union in UNIONS:
            return {"union": union}
        return {"union": OTHER, "other": union}

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("union") == OTHER:
            name = " ".join(str(data.get("other") or "").split())
            if not name:
                self.add_error("other", "Enter the name of your union")
            data["other"] = name
        return data

    def union_name(self) -> str | None:
        """The union to store, or None to remove the record ("I'd rather not say")."""
        choice = self.cleaned_data["union"]
        if choice == NOT_SAYING:
            return None
        if choice != OTHER:
            return str(choice)
        typed = str(self.cleaned_data["other"])
        # "eis" typed under Other is the EIS, so reps of the EIS see it.
        known = {u.casefold(): u for u in UNIONS}
        return known.get(typed.casefold(), typed)
