"""The form for adding and changing a teacher's post in a school year."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.layout import HTML, Field, Fieldset, Size
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator

from fairload.web.schools.form_parts import GdsFormMixin, gds_helper
from fairload.web.schools.labels import POST_LABELS
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.post_edits import PostValues, post_version


def _number(label: str, hint: str, *, whole: bool = False, **kwargs: Any) -> forms.Field:
    kind = "a whole number" if whole else "a number"
    messages = {
        "invalid": f"{label} must be {kind}",
        "min_value": f"{label} must be %(limit_value)s or more",
        "max_value": f"{label} must be %(limit_value)s or less",
    }
    widget = forms.TextInput(
        attrs={"inputmode": "numeric" if whole else "decimal", "spellcheck": "false"}
    )
    field_class = forms.IntegerField if whole else forms.FloatField
    return field_class(
        label=label,
        help_text=hint,
        required=False,
        min_value=kwargs.pop("min_value", 0),
        widget=widget,
        error_messages=messages,
        **kwargs,
    )


#: The yes/no facts about a post, as one group of checkboxes.
FLAGS = (
    Choice("qts", "Has qualified teacher status (QTS)"),
    Choice("probationer", "Is a probationer", hint="In their probation or induction year"),
    Choice(
        "tlr",
        "Holds a teaching and learning responsibility (TLR) payment",
        hint="England and Wales",
    ),
    Choice("leadership_pay", "Is paid on the leadership spine", hint="England and Wales"),
    Choice(
        "management_responsibilities",
        "Has leadership or management responsibilities",
    ),
)
FLAG_NAMES = tuple(str(choice.value) for choice in FLAGS)

NUMBERS = (
    "contact_hours_per_week",
    "contact_periods_per_week",
    "ppa_hours_per_week",
    "timetabled_hours_per_week",
    "management_periods_per_week",
    "management_hours_per_week",
    "leadership_hours_per_week",
    "job_size",
)


class PostForm(GdsFormMixin, forms.Form):
    """A teacher's post in the year: what the agreement needs to know, no more."""

    #: The version of the row the form was read at (year_drafts.row_version): a save from a
    #: form read before someone else's change is refused, not silently overwritten.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    staff_id = forms.CharField(
        label="Staff id",
        max_length=100,
        help_text="A short name used in links and calendar feeds, for example kteacher. "
        "Letters, numbers, hyphens and underscores only. It cannot be changed later.",
        validators=[
            RegexValidator(
                r"^[A-Za-z0-9][A-Za-z0-9_-]*$",
                "The staff id must start with a letter or number and have only letters, "
                "numbers, hyphens and underscores",
            )
        ],
        error_messages={"required": "Enter a staff id"},
    )
    name = forms.CharField(
        label="Name",
        max_length=200,
        help_text="As colleagues know them, for example Kirsty Teacher",
        error_messages={"required": "Enter the teacher's name"},
    )
    post = forms.ChoiceField(
        label="Post",
        widget=forms.RadioSelect,
        choices=list(POST_LABELS.items()),
        error_messages={"required": "Choose the post"},
    )
    department = forms.CharField(
        label="Department (optional)",
        max_length=100,
        required=False,
        help_text="For example maths. Events can be for a whole department.",
    )
    fte = forms.FloatField(
        label="Full-time equivalent (FTE)",
        help_text="1 for full time; 0.6 for three days a week",
        initial="1",
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the full-time equivalent, for example 1 or 0.6",
            "invalid": "The full-time equivalent must be a number, for example 0.6",
        },
    )
    contact_hours_per_week = _number(
        "Class contact, hours a week", "Time teaching classes. Give hours or periods."
    )
    contact_periods_per_week = _number(
        "Class contact, periods a week",
        "If your school counts in periods: the periods taught in a week",
        whole=True,
    )
    ppa_hours_per_week = _number(
        "Planning, preparation and assessment (PPA), hours a week", "England and Wales"
    )
    timetabled_hours_per_week = _number(
        "Timetabled hours a week", "The whole timetabled week, England and Wales"
    )
    management_periods_per_week = _number(
        "Management time, periods a week", "Non-class-contact time for management", whole=True
    )
    management_hours_per_week = _number(
        "Management time, hours a week", "If your school counts management time in hours"
    )
    leadership_hours_per_week = _number(
        "Leadership time, hours a week", "Time given for leadership duties, England and Wales"
    )
    job_size = _number(
        "Job size",
        "The post's job-sizing points, where management time depends on them (Scotland)",
        whole=True,
        min_value=1,
    )
    applies = forms.MultipleChoiceField(
        label="Which of these apply?",
        help_text="Select all that apply.",
        widget=forms.CheckboxSelectMultiple,
        choices=FLAGS,
        required=False,
        initial=["qts"],
    )
    join_events = forms.BooleanField(label="", required=False, initial=True)

    def __init__(
        self,
        *args: Any,
        year: SchoolYear,
        post: StaffPost | None = None,
        joinable: int = 0,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.editing = post
        first: list[Any] = [Field.text("staff_id", field_width=20)]
        if post is not None:
            del self.fields["staff_id"]
            first = []
        if post is not None or not joinable:
            del self.fields["join_events"]
            last: list[Any] = []
        else:
            self.fields["join_events"].label = (
                f"Add them to the {joinable} event{'s' if joinable != 1 else ''} the whole "
                "staff attends (in-service days, whole-school meetings)"
            )
            last = [Field.checkbox("join_events", small=True)]
        self.helper = gds_helper(
            self,
            *first,
            Field.text("name", field_width=20),
            Field.radios("post", legend_size=Size.SMALL),
            Field.text("department", field_width=20),
            Field.text("fte", field_width=4),
            Fieldset(
                HTML.p("Give the figures your agreement uses; leave the others blank."),
                Field.text("contact_hours_per_week", field_width=4),
                Field.text("contact_periods_per_week", field_width=4),
                Field.text("ppa_hours_per_week", field_width=4),
                Field.text("timetabled_hours_per_week", field_width=4),
                legend="Timetable",
                legend_size=Size.MEDIUM,
            ),
            Fieldset(
                Field.text("management_periods_per_week", field_width=4),
                Field.text("management_hours_per_week", field_width=4),
                Field.text("leadership_hours_per_week", field_width=4),
                Field.text("job_size", field_width=4),
                legend="Management and leadership",
                legend_size=Size.MEDIUM,
            ),
            Field.checkboxes("applies", legend_size=Size.SMALL, small=True),
            *last,
        )

    @classmethod
    def initial_for(cls, post: StaffPost) -> dict[str, Any]:
        def text(value: Any) -> Any:  # 18.0 shows as 18, as a person would write it
            return f"{value:g}" if isinstance(value, float) else value

        initial: dict[str, Any] = {
            "version": post_version(post.school_year, post.staff_id),
            "name": post.name,
            "post": post.post,
            "department": post.department,
            "fte": text(post.fte),
            "applies": [name for name in FLAG_NAMES if getattr(post, name)],
        }
        initial.update({name: text(getattr(post, name)) for name in NUMBERS})
        return initial

    def clean_staff_id(self) -> str:
        staff_id: str = self.cleaned_data["staff_id"]
        if self.year.staff.filter(staff_id=staff_id).exists():
            raise ValidationError(f"There is already a post with the staff id '{staff_id}'")
        return staff_id

    def clean_fte(self) -> float:
        fte: float = self.cleaned_data["fte"]
        if not 0 < fte <= 1:
            raise ValidationError(
                "The full-time equivalent must be more than 0 and at most 1, for example 0.6"
            )
        return fte

    def values(self, staff_id: str | None = None) -> PostValues:
        data = self.cleaned_data
        figures: dict[str, Any] = {name: data.get(name) for name in NUMBERS}
        figures["fte"] = data["fte"]
        figures.update({name: name in data["applies"] for name in FLAG_NAMES})
        return PostValues(
            staff_id=staff_id or data["staff_id"],
            name=data["name"].strip(),
            post=data["post"],
            department=data["department"].strip(),
            figures=figures,
        )
