"""The audit's answer form (GOV.UK markup by crispy-forms-gds)."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.web.schools.form_parts import action_helper
from fairload.web.workload_audit.models import AuditAnswer
from fairload.web.workload_audit.services import AnswerIn
from fairload.web.workload_audit.uploads import TAKES, size_refusal


class AnswerForm(forms.Form):
    answer = forms.TypedChoiceField(
        label="Your answer",
        choices=[("yes", "Yes"), ("no", "No")],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    note = forms.CharField(
        label="Note (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What happens at your school: who asks for what, how often, since when.",
    )
    upload = forms.FileField(
        label="Add a file (optional)",
        required=False,
        help_text=f"{TAKES}: a photo of a notice, a screenshot of an email, a policy.",
    )
    freeze_check = forms.BooleanField(
        label="Keep a copy of the school's check as it is today with this answer",
        required=False,
        help_text="The findings of the school's calendar and staff records, frozen now, so "
        "the evidence stays as it was whatever changes later.",
    )
    remove_uploads = forms.MultipleChoiceField(
        label="Remove files", required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(
        self, *args: Any, action: str, answer: AuditAnswer | None, question: str, **kw: Any
    ) -> None:
        super().__init__(*args, **kw)
        self.question = question
        uploads = list(answer.uploads.all()) if answer is not None else []
        self.fields["remove_uploads"].choices = [(str(u.pk), u.filename) for u in uploads]
        fields = [
            Field.radios("answer", inline=True),
            Field.textarea("note"),
            Field("upload"),
        ]
        if uploads:
            fields.append(Field.checkboxes("remove_uploads", small=True))
        fields.append(Field.checkbox("freeze_check"))
        self.helper = action_helper(action, *fields, submit="Save the answer")
        self.helper.form_enctype = "multipart/form-data"  # type: ignore[attr-defined]
        if answer is not None and not self.is_bound:
            self.initial = {"answer": "yes" if answer.value else "no", "note": answer.note}

    def clean_upload(self) -> Any:
        upload = self.cleaned_data.get("upload")
        refusal = size_refusal(upload.size) if upload is not None else None
        if refusal:  # refused before it is read
            raise forms.ValidationError(refusal)
        return upload

    def values(self) -> AnswerIn:
        data = self.cleaned_data
        upload = data.get("upload")
        files = [(upload.name, upload.read())] if upload is not None else []
        return AnswerIn(
            question=self.question,
            value=bool(data["answer"]),
            note=data["note"],
            uploads=files,
            freeze_check=bool(data["freeze_check"]),
            remove_uploads=[int(pk) for pk in data["remove_uploads"]],
        )


class OpenCaseForm(forms.Form):
    """A dispute case from what members may refuse: its title and the instructions it
    names (web/disputes opens it)."""

    title = forms.CharField(
        label="Case title",
        max_length=200,
        help_text="In words members will recognise, for example Weekly lesson plans",
        error_messages={"required": "Give the case a title"},
    )
    instructions = forms.TypedMultipleChoiceField(
        label="The instructions the case is about",
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one instruction"},
    )

    def __init__(self, *args: Any, action: str, choices: list[tuple[int, str]], **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.fields["instructions"].choices = choices
        self.helper = action_helper(
            action,
            Field.text("title"),
            Field.checkboxes("instructions", small=True),
            submit="Open the case",
        )
