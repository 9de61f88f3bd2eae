"""The pro-forma's forms: Appendix 2's rows (hours and brief details per activity), the
password to sign, and the line manager's comment when returning it."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.core.proforma import ProformaRow
from fairload.web.schools.form_parts import action_helper

#: Hours to a quarter of an hour at most; a year has fewer than ten thousand of them.
_HOURS = {"min_value": Decimal(0), "max_digits": 6, "decimal_places": 2}


def hours_name(activity: str) -> str:
    return f"hours-{activity}"


def details_name(activity: str) -> str:
    return f"details-{activity}"


class ProformaForm(forms.Form):
    """One hours box and one details box for each of the pack's activities, in order."""

    def __init__(self, *args: Any, rows: tuple[ProformaRow, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[hours_name(row.id)] = forms.DecimalField(
                label=f"Hours for {row.text}",
                required=False,
                error_messages={
                    "invalid": f"Enter the hours for '{row.text}' as a number, like 4 or 2.5",
                    "min_value": f"The hours for '{row.text}' must be 0 or more",
                    "max_digits": f"The hours for '{row.text}' are too many",
                    "max_decimal_places": f"Give the hours for '{row.text}' to two decimal "
                    "places at most",
                },
                **_HOURS,
            )
            self.fields[details_name(row.id)] = forms.CharField(
                label=f"Brief details of {row.text}",
                required=False,
                max_length=300,
                error_messages={
                    "max_length": f"Keep the details of '{row.text}' to 300 characters"
                },
            )

    def hours(self) -> dict[str, float]:
        return {
            row.id: float(self.cleaned_data.get(hours_name(row.id)) or 0)
            for row in self.rows
            if self.cleaned_data.get(hours_name(row.id))
        }

    def details(self) -> dict[str, str]:
        return {
            row.id: text
            for row in self.rows
            if (text := (self.cleaned_data.get(details_name(row.id)) or "").strip())
        }

    def lines(self) -> list[dict[str, Any]]:
        """Each row with its two bound fields, for the page's table."""
        return [
            {"row": row, "hours": self[hours_name(row.id)], "details": self[details_name(row.id)]}
            for row in self.rows
        ]


def initial_for(hours: dict[str, float], details: dict[str, str]) -> dict[str, Any]:
    initial: dict[str, Any] = {hours_name(k): _figure(v) for k, v in hours.items() if v}
    initial |= {details_name(k): v for k, v in details.items()}
    return initial


def _figure(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


class PasswordForm(forms.Form):
    password = forms.CharField(
        label="Your password",
        help_text="Re-enter it to sign.",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password to sign"},
    )

    def __init__(self, *args: Any, action: str, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(action, Field.text("password"), submit=submit)


class ReturnForm(forms.Form):
    comment = forms.CharField(
        label="What should the teacher change?",
        help_text="They see this with the pro-forma, and by email.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what the teacher should change"},
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action, Field.textarea("comment"), submit="Return it to the teacher"
        )
