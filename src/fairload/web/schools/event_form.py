"""The form for adding and changing one of a school year's events."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from crispy_forms_gds.layout import HTML, Field, Size
from django import forms
from django.core.exceptions import ValidationError
from django.forms.utils import ErrorDict

from fairload.core.school_year import Post
from fairload.web.schools.event_edits import EventValues, event_version
from fairload.web.schools.form_parts import (
    DateInput,
    GdsFormMixin,
    gds_helper,
    long_day,
    time_field,
)
from fairload.web.schools.labels import category_choices
from fairload.web.schools.models import Event, SchoolYear, StaffPost

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

    #: The version of the row the form was read at (year_drafts.row_version): a save from a
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
    date = DateInput(label="Date", help_text="For example, 12 11 2025")
    start = time_field("Start time", "15:45")
    end = time_field("End time", "16:45")
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
        self.helper = gds_helper(
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
                f"The date must be in the school year, {long_day(self.year.start)} to "
                f"{long_day(self.year.end)}"
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
