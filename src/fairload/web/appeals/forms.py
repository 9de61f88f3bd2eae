"""The appeal's and the flexible approach's forms, in the GOV.UK style (crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from fairload.web.appeals.models import AppealDocument, Attendee, Meeting
from fairload.web.schools.form_parts import DateInput, action_helper

_NAME = {"max_length": 200}


def _name(label: str, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        help_text=help_text,
        error_messages={"required": f"Enter the name of the {label[0].lower()}{label[1:]}"},
        **_NAME,  # type: ignore[arg-type]
    )


class ConveneForm(forms.Form):
    """Convene a meeting: its day and place, and who is to attend."""

    on = DateInput(label="Day of the meeting", help_text="For example, 14 9 2025")
    place = forms.CharField(label="Where", max_length=200, required=False)

    def __init__(self, *args: Any, kind: str, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        names: list[Any] = []
        if kind == Meeting.Kind.INFORMAL:
            self.fields["management"] = _name(
                "Member of the Management Side",
                help_text="Appointed by the Joint Secretaries (17.3)",
            )
            self.fields["teachers"] = _name(
                "Member of the Teachers' Side",
                help_text="Appointed by the Joint Secretaries (17.3)",
            )
            names = ["management", "teachers"]
        else:
            self.fields["js_management"] = _name("Joint Secretary (management side)")
            self.fields["js_management_nominee"] = forms.BooleanField(
                label="A nominee of the Joint Secretary (17.3: 'or their nominees')",
                required=False,
            )
            self.fields["js_teachers"] = _name("Joint Secretary (teachers' side)")
            self.fields["js_teachers_nominee"] = forms.BooleanField(
                label="A nominee of the Joint Secretary", required=False
            )
            names = ["js_management", "js_management_nominee", "js_teachers", "js_teachers_nominee"]
        self.fields["head"] = _name("Head teacher")
        self.fields["rep"] = _name(
            "Union representative",
            help_text="More representatives can be added once it is convened",
        )
        layout = [Field("on"), Field.text("place")]
        for name in [*names, "head", "rep"]:
            if name.endswith("_nominee"):
                layout.append(Field.checkbox(name, small=True))
            else:
                layout.append(Field.text(name, field_width=Fluid.TWO_THIRDS))
        self.helper = action_helper(action, *layout, submit="Convene it")

    def attendees(self) -> list[tuple[str, str, bool]]:
        data = self.cleaned_data
        if self.kind == Meeting.Kind.INFORMAL:
            rows = [
                (data["management"], Attendee.As.MANAGEMENT.value, False),
                (data["teachers"], Attendee.As.TEACHERS.value, False),
            ]
        else:
            rows = [
                (
                    data["js_management"],
                    Attendee.As.JS_MANAGEMENT.value,
                    bool(data.get("js_management_nominee")),
                ),
                (
                    data["js_teachers"],
                    Attendee.As.JS_TEACHERS.value,
                    bool(data.get("js_teachers_nominee")),
                ),
            ]
        return [
            *rows,
            (data["head"], Attendee.As.HEAD.value, False),
            (data["rep"], Attendee.As.REP.value, False),
        ]


class AttendeeForm(forms.Form):
    name = _name("Name")
    role = forms.ChoiceField(
        label="Attending as",
        choices=Attendee.As.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what they attend as"},
    )
    nominee = forms.BooleanField(label="A Joint Secretary's nominee", required=False)
    called_by = forms.ChoiceField(
        label="A witness called by (17.4)",
        choices=[("", "Not a witness"), *Attendee.CalledBy.choices],
        required=False,
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.text("name", field_width=Fluid.TWO_THIRDS),
            Field.radios("role", small=True),
            Field.checkbox("nominee", small=True),
            Field.select("called_by"),
            submit="Add them",
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("role") == Attendee.As.WITNESS and not data.get("called_by"):
            self.add_error("called_by", "Choose the side that called the witness")
        return data


class OutcomeForm(forms.Form):
    notes = forms.CharField(label="Notes", widget=forms.Textarea, required=False)

    def __init__(self, *args: Any, kind: str, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if kind == Meeting.Kind.INFORMAL:
            self.fields["outcome"] = forms.ChoiceField(
                label="Did the informal meeting resolve the dispute?",
                choices=[
                    ("resolved", "Yes, it resolved the dispute"),
                    ("not resolved", "No: the Joint Secretaries convene a formal hearing"),
                ],
                widget=forms.RadioSelect,
                error_messages={"required": "Say whether it resolved the dispute"},
            )
            outcome = Field.radios("outcome")
        else:
            self.fields["outcome"] = forms.CharField(
                label="What the hearing heard",
                help_text=(
                    "17.4: each side's arguments, the witnesses they called, and the "
                    "questions put by each side and by the Joint Secretaries"
                ),
                widget=forms.Textarea,
                error_messages={"required": "Say what the hearing heard"},
            )
            outcome = Field.textarea("outcome")
        self.helper = action_helper(action, outcome, Field.textarea("notes"), submit="Record it")


class ConclusionForm(forms.Form):
    on = DateInput(label="Day of the conclusion", help_text="For example, 30 10 2025")
    decision = forms.CharField(
        label="The conclusion",
        help_text="Final and binding (17.5)",
        widget=forms.Textarea,
        error_messages={"required": "Write the conclusion"},
    )
    determines_arrangement = forms.BooleanField(
        label="It determines the school's working time arrangement (17.1)", required=False
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field("on"),
            Field.textarea("decision"),
            Field.checkbox("determines_arrangement", small=True),
            submit="Record the conclusion",
        )


class DocumentForm(forms.Form):
    stage = forms.ChoiceField(
        label="Filed with", choices=AppealDocument.Stage.choices, widget=forms.RadioSelect
    )
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Give the document a title"}
    )
    source = forms.ChoiceField(
        label="The document",
        choices=[
            ("upload", "A file to upload"),
            ("check-record", "The school's check record, frozen now"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a file or the check record"},
    )
    file = forms.FileField(label="File", required=False, help_text="Up to 5 MB")

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.radios("stage", small=True),
            Field.text("title", field_width=Fluid.TWO_THIRDS),
            Field.radios("source", small=True),
            Field("file"),
            submit="File it",
        )
        self.helper.form_enctype = "multipart/form-data"  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("source") == "upload" and not data.get("file"):
            self.add_error("file", "Choose the file to upload")
        return data


class FlexibleForm(forms.Form):
    max_contact_hours_in_any_week = forms.DecimalField(
        label="Most class contact in any single week (hours, full-time)",
        min_value=0.5,
        max_digits=5,
        decimal_places=2,
        error_messages={"required": "Give the cap on any single week"},
    )
    description = forms.CharField(
        label="The planned approach",
        help_text="How working hours are arranged, and how it meets the national criteria",
        widget=forms.Textarea,
        error_messages={"required": "Describe the planned approach"},
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.text("max_contact_hours_in_any_week", field_width=5),
            Field.textarea("description"),
            submit="Submit it to the Joint Secretaries",
        )


class FlexibleDecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Does the approach meet the national criteria?",
        choices=[("confirm", "Yes: confirm it"), ("decline", "No: do not confirm it")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose confirm or do not confirm"},
    )
    reasons = forms.CharField(
        label="Reasons (needed when not confirming)", widget=forms.Textarea, required=False
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action, Field.radios("decision"), Field.textarea("reasons"), submit="Record it"
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "decline" and not str(data.get("reasons", "")).strip():
            self.add_error("reasons", "Say why the approach is not confirmed")
        return data
