"""Forms for adding and changing a school year's events and staff posts.

Rendered with crispy-forms-gds (GOV.UK Design System markup): labels, hints, error
messages beside each field, fieldsets with legends for radios and checkboxes, and the
GOV.UK date input. The page puts the error summary above its heading
(``includes/error_summary.html``), one link per error to the input it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from crispy_forms_gds.choices import Choice
from crispy_forms_gds.fields import DateInputField
from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import (
    HTML,
    Field,
    Fieldset,
    Layout,
    Size,
)
from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.forms.utils import ErrorDict

from fairload.core.school_year import Post
from fairload.web.schools.editing import EventValues, PostValues, event_version, post_version
from fairload.web.schools.labels import POST_LABELS, category_choices
from fairload.web.schools.models import Event, SchoolYear, StaffPost


def _label(value: str) -> str:
    return value.replace("-", " ").capitalize()


def _day(value: date) -> str:
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


def _helper(form: forms.Form, *layout: Any) -> FormHelper:
    helper = FormHelper(form)
    helper.form_tag = False  # the page writes the <form>, with its htmx attributes
    helper.disable_csrf = True  # ... and its CSRF token
    helper.layout = Layout(*layout)
    return helper


def _time_field(label: str, example: str) -> forms.TimeField:
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


EVERYONE = "everyone"
#: The name of the button that re-shows the form for the chosen category, saving nothing.
SHOW_FIELDS = "show_fields"
FORESEEABLE = {"yes": True, "no": False, "": None}

#: The fields only some categories use; a category not named here uses none of them.
#: A form for a known category shows (and saves) only its own; with no category chosen
#: yet it shows them all, each labelled with the category it is for.
CATEGORY_FIELDS: dict[str, tuple[str, ...]] = {
    "observation": ("observer", "observed"),
    "gained-time": ("activity",),
    "cover": ("foreseeable",),
}
SOME_CATEGORIES = tuple(name for names in CATEGORY_FIELDS.values() for name in names)
SHORT_LABELS = {
    "observer": "Observer",
    "observed": "Person observed",
    "activity": "Activity",
    "foreseeable": "Could the absence have been foreseen?",
}

#: Groups by post kind, besides departments: (value, label, which posts belong).
LEADERSHIP = {Post.HEAD_TEACHER, Post.DEPUTE_HEAD, Post.DEPUTY_HEAD, Post.ASSISTANT_HEAD}
PRINCIPALS = {Post.PRINCIPAL_TEACHER, Post.PRINCIPAL_TEACHER_GUIDANCE}
POST_GROUPS: tuple[tuple[str, str, Callable[[StaffPost], bool]], ...] = (
    (
        "kind:teaching",
        "All teaching staff (not the leadership team)",
        lambda p: p.post not in LEADERSHIP,
    ),
    ("kind:leadership", "The leadership team", lambda p: p.post in LEADERSHIP),
    ("kind:principal", "Principal teachers", lambda p: p.post in PRINCIPALS),
    ("kind:teacher", "Class teachers", lambda p: p.post == Post.TEACHER),
    ("kind:probationer", "Probationers", lambda p: p.probationer),
)


def _department_label(department: str) -> str:
    return f"{department[:1].upper()}{department[1:]} department" if department else "No department"


class EventForm(GdsFormMixin, forms.Form):
    """One calendar commitment: what, when, and who.

    Who attends is chosen by group (everyone, a department, a kind of post) and by
    person, the people listed by department inside a details element each; the event's
    attendees are the chosen groups' staff together with the people ticked. "Everyone"
    means the whole staff, including people who join later.
    """

    #: The version of the row the form was read at (editing.row_version): a save from a
    #: form read before someone else's change is refused, not silently overwritten.
    version = forms.CharField(widget=forms.HiddenInput, required=False)

    title = forms.CharField(
        label="Title",
        max_length=300,
        help_text="What staff will see in their calendar, for example Staff meeting",
        error_messages={"required": "Enter a title"},
    )
    category = forms.ChoiceField(
        label="Category",
        help_text="The agreement counts hours by category, for example meetings or "
        "parents' evenings. The form then asks only what that category needs.",
        error_messages={"required": "Choose a category", "invalid_choice": "Choose a category"},
    )
    date = DateInputField(label="Date", help_text="For example, 12 11 2025")
    start = _time_field("Start time", "15:45")
    end = _time_field("End time", "16:45")
    who = forms.MultipleChoiceField(
        label="Who attends?",
        help_text="Choose everyone, or any groups, and add or remove people below.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    attendees = forms.MultipleChoiceField(
        label="People, by department",
        help_text="Tick people to add them to the groups chosen above. To leave someone "
        "out of a group, untick the group and tick the people who attend.",
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    observer = forms.ChoiceField(
        label="Observer (for an observation)",
        required=False,
        help_text="Leave as nobody if this is not an observation",
    )
    observed = forms.ChoiceField(label="Person observed (for an observation)", required=False)
    activity = forms.CharField(
        label="Activity (for gained time)",
        max_length=100,
        required=False,
        help_text="What the time is used for, as your agreement names it, for example "
        "developing-materials",
    )
    foreseeable = forms.ChoiceField(
        label="For cover: could the absence have been foreseen?",
        widget=forms.RadioSelect,
        required=False,
        choices=[("yes", "Yes"), ("no", "No"), ("", "Not stated")],
    )
    during_ppa = forms.BooleanField(
        label="It takes place during planning, preparation and assessment (PPA) time",
        required=False,
    )

    def __init__(self, *args: Any, year: SchoolYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.year = year
        self.posts = list(year.staff.order_by("name"))
        people = [(p.staff_id, f"{p.name} ({p.get_post_display().lower()})") for p in self.posts]
        self.fields["category"].choices = [("", "Choose a category"), *category_choices()]
        self.groups = self._groups()
        self.fields["who"].choices = [
            (EVERYONE, "Everyone (the whole staff)"),
            *((value, f"{label} ({len(members)})") for value, label, members in self.groups),
        ]
        self.fields["attendees"].choices = people
        nobody = [("", "Nobody")]
        self.fields["observer"].choices = nobody + people
        self.fields["observed"].choices = nobody + people
        self.category = self._category()
        used = CATEGORY_FIELDS.get(self.category, ()) if self.category else SOME_CATEGORIES
        for name in SOME_CATEGORIES:
            if name not in used:
                del self.fields[name]
        if self.category:  # one category: its fields need not say what they are for
            for name, label in SHORT_LABELS.items():
                if name in used:
                    self.fields[name].label = label
            if "observer" in used:
                self.fields["observer"].help_text = ""
        self.helper = _helper(
            self,
            Field.text("title"),
            Field.select("category"),
            Field("date"),
            Field.text("start", field_width=5),
            Field.text("end", field_width=5),
            Field.checkboxes("who", legend_size=Size.SMALL, small=True),
            HTML('{% include "schools/_attendee_picker.html" %}'),
            *(
                Field.select(name) if name != "activity" else Field.text(name, field_width=20)
                for name in ("observer", "observed", "activity")
                if name in used
            ),
            *(
                [Field.radios("foreseeable", small=True, inline=True)]
                if "foreseeable" in used
                else []
            ),
            Field.checkbox("during_ppa", small=True),
        )

    def without_errors(self) -> EventForm:
        """The form as posted, to show again for its category: its values kept, no
        errors shown yet (it is not checked, nor saved)."""
        self._errors = ErrorDict()
        self.cleaned_data = {}
        return self

    def _category(self) -> str:
        """The category the form is for: as posted, else as read, else none yet."""
        source = self.data if self.is_bound else self.initial
        chosen = source.get("category") or ""
        return chosen if chosen in dict(self.fields["category"].choices) else ""

    def _groups(self) -> list[tuple[str, str, list[str]]]:
        """(value, label, staff ids) of every department and post kind with anyone in it."""
        departments = sorted({p.department for p in self.posts if p.department})
        groups = [
            (
                f"department:{d}",
                _department_label(d),
                [p.staff_id for p in self.posts if p.department == d],
            )
            for d in departments
        ]
        for value, label, belongs in POST_GROUPS:
            members = [p.staff_id for p in self.posts if belongs(p)]
            if members:
                groups.append((value, label, members))
        return groups

    def departments(self) -> list[dict[str, Any]]:
        """The people to tick, by department, for the picker's details elements; a
        department opens when some but not all of its people are ticked."""
        bound = self["attendees"]
        ticked = {str(v) for v in (bound.value() or [])}
        labels = dict(self.fields["attendees"].choices)
        order = sorted({p.department for p in self.posts}, key=lambda d: (not d, d))
        panels, number = [], 0
        for department in order:
            people = []
            for post in (p for p in self.posts if p.department == department):
                number += 1
                people.append(
                    {
                        "id": post.staff_id,
                        "label": labels[post.staff_id],
                        "number": number,
                        "checked": post.staff_id in ticked,
                    }
                )
            some = sum(person["checked"] for person in people)
            panels.append(
                {
                    "label": _department_label(department),
                    "people": people,
                    "ticked": some,
                    "open": 0 < some < len(people),
                }
            )
        return panels

    @classmethod
    def initial_for(cls, event: Event) -> dict[str, Any]:
        staff = set(event.school_year.staff.values_list("staff_id", flat=True))
        attending = list(event.attendees.order_by("name").values_list("staff_id", flat=True))
        everyone = bool(staff) and set(attending) == staff
        return {
            "version": event_version(event.school_year, event.event_id),
            "title": event.title,
            "category": event.category,
            "date": event.date,
            "start": f"{event.start:%H:%M}",
            "end": f"{event.end:%H:%M}",
            "who": [EVERYONE] if everyone else [],
            "attendees": attending,
            "observer": event.observer.staff_id if event.observer else "",
            "observed": event.observed.staff_id if event.observed else "",
            "activity": event.activity,
            "foreseeable": {True: "yes", False: "no", None: ""}[event.foreseeable],
            "during_ppa": event.during_ppa,
        }

    def clean_date(self) -> date:
        day: date = self.cleaned_data["date"]
        if not self.year.start <= day <= self.year.end:
            raise ValidationError(
                f"The date must be in the school year, {_day(self.year.start)} to "
                f"{_day(self.year.end)}"
            )
        return day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", "The end time must be after the start time")
        if (
            "who" in data
            and not data.get("who")
            and not data.get("attendees")
            and not (data.get("observer") or data.get("observed"))
        ):
            self.add_error("who", "Choose who attends: everyone, a group or the people")
        if data.get("observer") and data.get("observer") == data.get("observed"):
            self.add_error("observed", "The person observed must not also be the observer")
        return data

    def chosen_attendees(self) -> tuple[str, ...] | None:
        """The staff ids who attend, in staff-list order; None for the whole staff."""
        data = self.cleaned_data
        if EVERYONE in data["who"]:
            return None
        chosen = set(data["attendees"])
        for value, _, members in self.groups:
            if value in data["who"]:
                chosen.update(members)
        return tuple(p.staff_id for p in self.posts if p.staff_id in chosen)

    def values(self) -> EventValues:
        data = self.cleaned_data
        return EventValues(
            title=data["title"].strip(),
            category=data["category"],
            date=data["date"],
            start=data["start"],
            end=data["end"],
            attendees=self.chosen_attendees(),
            observer=data.get("observer") or None,
            observed=data.get("observed") or None,
            activity=data.get("activity", "").strip(),
            foreseeable=FORESEEABLE[data.get("foreseeable", "")],
            during_ppa=data["during_ppa"],
        )


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

    #: The version of the row the form was read at (editing.row_version): a save from a
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
        self.helper = _helper(
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


class EventFilterForm(forms.Form):
    """The events list's filters: a category and a month. Bad values are ignored."""

    category = forms.ChoiceField(label="Category", required=False)
    month = forms.ChoiceField(label="Month", required=False)

    def __init__(self, *args: Any, year: SchoolYear, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", "All categories"), *category_choices()]
        months = []
        day = year.start.replace(day=1)
        while day <= year.end:
            months.append((f"{day:%Y-%m}", f"{day:%B %Y}"))
            day = day.replace(year=day.year + day.month // 12, month=day.month % 12 + 1)
        self.fields["month"].choices = [("", "All months"), *months]
        self.helper = _helper(self, Field.select("category"), Field.select("month"))

    def chosen(self) -> dict[str, Any]:
        """The filters that are set and valid: {"category": ..., "month": (year, month)}."""
        if not self.is_valid():
            return {}
        chosen: dict[str, Any] = {}
        if self.cleaned_data["category"]:
            chosen["category"] = self.cleaned_data["category"]
        if self.cleaned_data["month"]:
            moment = datetime.strptime(self.cleaned_data["month"], "%Y-%m")
            chosen["month"] = (moment.year, moment.month)
        return chosen
