"""The upload forms: what is being imported, the file, and how to merge it."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fieldset, Layout, Size, Submit
from django import forms

from fairload.web.imports.models import ImportKind
from fairload.web.imports.plans import REMOVE_MISSING_STAFF, REPLACE_ALL_EVENTS

#: The largest file accepted: a big secondary's year is well under 1 MB.
MAX_UPLOAD_BYTES = 5 * 1024 * 1024

#: File name endings accepted for each kind, and the words for them in an error.
SUFFIXES = {
    ImportKind.SCHOOL_YEAR: ((".yaml", ".yml", ".json"), "a .yaml, .yml or .json file"),
    ImportKind.STAFF_CSV: ((".csv", ".txt"), "a CSV file"),
    ImportKind.EVENTS_ICS: ((".ics", ".ical", ".ifb", ".icalendar"), "an .ics file"),
    ImportKind.EVENTS_CSV: ((".csv", ".txt"), "a CSV file"),
}

KIND_CHOICES = [
    Choice(
        ImportKind.SCHOOL_YEAR.value,
        "A whole school year",
        hint="A .yaml or .json file in the fairload school-year format. It replaces the "
        "year with the same label, keeping teachers' sign-ins.",
    ),
    Choice(
        ImportKind.STAFF_CSV.value,
        "Staff",
        hint="A CSV file, one row per teacher. New ids are added; staff already here are updated.",
    ),
    Choice(
        ImportKind.EVENTS_ICS.value,
        "Calendar events from a calendar app",
        hint="An .ics file exported from Outlook, Google Calendar or the school's "
        "management system.",
    ),
    Choice(
        ImportKind.EVENTS_CSV.value,
        "Calendar events from a spreadsheet",
        hint="A CSV file, one row per event. Events with an id already here are replaced.",
    ),
]


class ImportForm(forms.Form):
    kind = forms.ChoiceField(
        label="What are you importing?",
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": "Select what you are importing"},
    )
    file = forms.FileField(
        label="Upload a file",
        help_text="The file must be UTF-8 text and smaller than 5 MB.",
        error_messages={
            "required": "Select a file",
            "empty": "The selected file is empty",
            "invalid": "The selected file could not be read",
        },
    )
    remove_missing_staff = forms.BooleanField(
        label="Remove staff who are not in this file",
        help_text="For a staff file only. You will see who would be removed before anything "
        "is saved.",
        required=False,
    )
    replace_all_events = forms.BooleanField(
        label="Replace all events",
        help_text="For events only. Every event stored now is removed, and the file's "
        "events take their place.",
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.text = ""
        self.helper = FormHelper()
        self.helper.layout = self.layout()

    def layout(self) -> Layout:
        return Layout(
            Field.radios("kind", legend_size=Size.MEDIUM, legend_tag="h2"),
            Field("file", css_class="govuk-file-upload"),
            Fieldset(
                Field.checkbox(REMOVE_MISSING_STAFF),
                Field.checkbox(REPLACE_ALL_EVENTS),
                legend="Options",
                legend_size=Size.SMALL,
            ),
            Submit("upload", "Upload and preview"),
        )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 5 MB")
        data = upload.read()
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(
                "The selected file must be UTF-8 text: save it again as 'CSV UTF-8' "
                "(or UTF-8 plain text)"
            ) from None
        if "\x00" in text:
            raise forms.ValidationError("The selected file must be a text file")
        self.text = text
        return upload

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        kind, upload = cleaned.get("kind"), cleaned.get("file")
        if kind and upload is not None:
            suffixes, words = SUFFIXES[ImportKind(kind)]
            if PurePath(upload.name).suffix.lower() not in suffixes:
                self.add_error("file", f"The selected file must be {words}")
        return cleaned

    @property
    def filename(self) -> str:
        # Only the name, never a path the browser sent; kept short for the database.
        return PurePath(self.cleaned_data["file"].name.replace("\\", "/")).name[-200:]

    def options(self) -> dict[str, bool]:
        kind = self.cleaned_data["kind"]
        return {
            REMOVE_MISSING_STAFF: kind == ImportKind.STAFF_CSV
            and self.cleaned_data[REMOVE_MISSING_STAFF],
            REPLACE_ALL_EVENTS: kind in (ImportKind.EVENTS_CSV, ImportKind.EVENTS_ICS)
            and self.cleaned_data[REPLACE_ALL_EVENTS],
        }


class NewSchoolImportForm(ImportForm):
    """A school not yet stored comes from a whole school-year file, nothing else."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("kind", REMOVE_MISSING_STAFF, REPLACE_ALL_EVENTS):
            del self.fields[name]
        self.fields["file"].label = "Upload the school-year file"
        self.fields["file"].help_text = (
            "A .yaml or .json file in the fairload school-year format, UTF-8 text and "
            "smaller than 5 MB."
        )

    def layout(self) -> Layout:
        return Layout(
            Field("file", css_class="govuk-file-upload"),
            Submit("upload", "Upload and preview"),
        )

    def clean(self) -> dict[str, Any]:
        self.cleaned_data["kind"] = ImportKind.SCHOOL_YEAR.value
        return super().clean()

    def options(self) -> dict[str, bool]:
        return {}
