"""The agreement's forms, in the GOV.UK style of the rest (crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import HTML, Field, Fieldset, Layout, Size
from django import forms

from fairload.web.agreements.models import Comment
from fairload.web.agreements.record import TEXT_PARTS
from fairload.web.agreements.selectors import Heading
from fairload.web.schools.form_parts import action_helper


def heading_field(heading_id: str) -> str:
    return f"hours_{heading_id}"


def _number_input(*, whole: bool) -> forms.TextInput:
    """A text box for a number, as GOV.UK advises and the other forms do (post_form.py):
    a type=number box gets none of the GOV.UK input style."""
    return forms.TextInput(
        attrs={"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"}
    )


class DraftForm(forms.Form):
    """The draft: hours per heading (blank keeps the pack's default) and the text parts."""

    note = forms.CharField(
        label="What changed in this version",
        max_length=500,
        required=False,
        help_text="Staff read this beside the version, and in comparisons.",
    )

    def __init__(
        self, *args: Any, headings: list[Heading], action: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.headings = headings
        hour_fields = []
        for heading in headings:
            name = heading_field(heading.id)
            default = "none" if heading.default is None else f"{heading.default:g}"
            self.fields[name] = forms.FloatField(
                label=f"{heading.label} (hours a year)",
                required=False,
                min_value=0,
                widget=_number_input(whole=False),
                help_text=(
                    f"The pack's default is {default} hours (clause {heading.clause}). "
                    "Leave blank to keep it; a different figure is a departure by agreement."
                ),
                error_messages={
                    "invalid": f"Enter the hours for {heading.label.lower()} as a number",
                    "min_value": f"The hours for {heading.label.lower()} cannot be negative",
                },
            )
            hour_fields.append(Field.text(name, field_width=5))
            if isinstance(self.initial.get(name), float):
                self.initial[name] = f"{self.initial[name]:g}"  # 285, not 285.0
        for name, label, clause in TEXT_PARTS:
            self.fields[name] = forms.CharField(
                label=f"{label} ({clause})", required=False, widget=forms.Textarea
            )
        # The page writes the <form> and its two buttons (save; check without saving),
        # and re-checks the figures as they are typed (agreements/draft.html).
        self.action = action
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Fieldset(*hour_fields, legend="Allocations per heading"),
            # the year checked under these figures, beside them (the findings depend on
            # the hours alone), with its button for a browser without JavaScript
            HTML('{% include "agreements/_draft_check_region.html" %}'),
            *(Field.textarea(name) for name, _, _ in TEXT_PARTS),
            Field.text("note"),
        )

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        allocations = {
            h.id: data[heading_field(h.id)]
            for h in self.headings
            if data.get(heading_field(h.id)) is not None and data[heading_field(h.id)] != h.default
        }
        return {"allocations": allocations, **{n: data.get(n, "") for n, _, _ in TEXT_PARTS}}


class ConsultationForm(forms.Form):
    days = forms.IntegerField(
        label="For how many days are the staff consulted?",
        min_value=1,
        max_value=60,
        widget=_number_input(whole=True),
        error_messages={"required": "Enter the number of days the consultation is open"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action, Field.text("days", field_width=3), submit="Open the consultation"
        )


class CommentForm(forms.Form):
    on = forms.ChoiceField(
        label="What is your comment about?",
        choices=Comment.On.choices,
        initial=Comment.On.WHOLE,
        widget=forms.RadioSelect,
    )
    heading = forms.ChoiceField(label="Which heading", required=False)
    event = forms.ChoiceField(label="Which event", required=False)
    text = forms.CharField(
        label="Your comment",
        widget=forms.Textarea,
        error_messages={"required": "Write your comment"},
    )

    def __init__(
        self,
        *args: Any,
        headings: list[tuple[str, str]],
        events: list[tuple[str, str]],
        action: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["heading"].choices = [("", "Choose a heading"), *headings]  # type: ignore[attr-defined]
        self.fields["event"].choices = [("", "Choose an event"), *events]  # type: ignore[attr-defined]
        self.labels = dict(headings) | dict(events)
        self.helper = action_helper(
            action,
            Field.radios("on"),
            Field.select("heading"),
            Field.select("event"),
            Field.textarea("text"),
            submit="Send my comment",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        on = data.get("on")
        if on == Comment.On.HEADING and not data.get("heading"):
            self.add_error("heading", "Choose the heading your comment is about")
        if on == Comment.On.EVENT and not data.get("event"):
            self.add_error("event", "Choose the event your comment is about")
        return data

    def target(self) -> tuple[str, str]:
        on = self.cleaned_data["on"]
        key = {"heading": "heading", "event": "event"}.get(on)
        value = self.cleaned_data.get(key, "") if key else ""
        return value, self.labels.get(value, "")


class AnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label="The committee's answer",
        choices=Comment.Answer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether the comment is accepted"},
    )
    version = forms.IntegerField(
        label="The version that takes it in (if accepted)",
        required=False,
        min_value=1,
        widget=_number_input(whole=True),
    )
    text = forms.CharField(
        label="The answer (the reason, if not accepted)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.radios("answer"),
            Field.text("version", field_width=3),
            Field.textarea("text"),
            submit="Send the answer",
        )


class SignForm(forms.Form):
    role = forms.ChoiceField(label="You sign as", widget=forms.RadioSelect)
    password = forms.CharField(
        label="Your password",
        help_text="Re-enter it to sign.",
        widget=forms.PasswordInput,
        strip=False,
        error_messages={"required": "Enter your password to sign"},
    )

    def __init__(
        self, *args: Any, roles: list[tuple[str, str]], action: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = roles  # type: ignore[attr-defined]
        if len(roles) == 1:
            self.fields["role"].initial = roles[0][0]
        self.helper = action_helper(
            action, Field.radios("role"), Field.text("password"), submit="Sign the agreement"
        )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The council's decision",
        choices=[("accept", "Accept the agreement"), ("return", "Return it to the school")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose accept or return"},
    )
    reasons = forms.CharField(
        label="Reasons (needed to return it)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action, Field.radios("decision"), Field.textarea("reasons"), submit="Record it"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "return" and not str(data.get("reasons", "")).strip():
            self.add_error("reasons", "Say why the agreement is returned")
        return data


class FailureForm(forms.Form):
    text = forms.CharField(
        label="Where could agreement not be reached?",
        help_text="The report goes to the joint secretaries of the JNCT (17.2).",
        widget=forms.Textarea,
        error_messages={"required": "Say where agreement could not be reached"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(action, Field.textarea("text"), submit="Start the report")
