"""Forms for managing logins: a new login with its first role, another role, a post."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Fluid, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from fairload.web.accounts.models import COUNCIL_ROLES, SCHOOL_ROLES, Role
from fairload.web.schools.models import Council, School, StaffPost


class RoleForm(forms.Form):
    """A role and where it is held. `schools` are those the person filling it in manages;
    `councils` is None for a head, who may give only the roles of a school."""

    role = forms.ChoiceField(
        label="Role", widget=forms.RadioSelect, error_messages={"required": "Select a role"}
    )
    school = forms.ModelChoiceField(
        queryset=School.objects.none(),
        required=False,
        label="School",
        help_text="For a teacher, union rep or head teacher",
    )
    council = forms.ModelChoiceField(
        queryset=Council.objects.none(),
        required=False,
        label="Council",
        help_text="For a council officer or union local officer",
    )
    union = forms.CharField(
        label="Union they act for",
        help_text="For a union rep or union local officer, e.g. EIS",
        required=False,
        max_length=60,
    )

    submit_label = "Give the role"

    def __init__(
        self,
        *args: Any,
        schools: QuerySet[School],
        councils: QuerySet[Council] | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        roles = [r for r in Role if councils is not None or r in SCHOOL_ROLES]
        self.fields["role"].choices = [(r.value, r.label) for r in roles]
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]
        if councils is None:
            del self.fields["council"]
        else:
            self.fields["council"].queryset = councils  # type: ignore[attr-defined]
        self.helper = FormHelper()
        self.helper.legend_size = Size.SMALL
        self.helper.layout = Layout(*self._layout(), Submit("save", self.submit_label))

    def _layout(self) -> list[Any]:
        fields: list[Any] = [Field.radios("role"), Field.select("school")]
        if "council" in self.fields:
            fields.append(Field.select("council"))
        fields.append(Field.text("union", field_width=Fluid.ONE_THIRD))
        return fields

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "role" not in data:
            return data
        role = Role(data["role"])
        if role in SCHOOL_ROLES and not data.get("school"):
            self.add_error("school", f"Select the school for the role {role.label}")
        if role in COUNCIL_ROLES and not data.get("council"):
            self.add_error("council", f"Select the council for the role {role.label}")
        data["union"] = " ".join(str(data.get("union") or "").split())
        if role in (Role.UNION_REP, Role.UNION_OFFICER) and not data["union"]:
            self.add_error("union", "Enter the union they act for")
        return data

    def role_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "role": Role(data["role"]),
            "school": data.get("school"),
            "council": data.get("council"),
            "union": data.get("union", ""),
        }


class PersonForm(RoleForm):
    """A new login and its first role."""

    username = forms.RegexField(
        label="Username",
        regex=r"^[\w.@+-]+\Z",
        max_length=150,
        error_messages={
            "required": "Enter a username",
            "invalid": "A username may hold only letters, numbers and @ . + - _",
        },
    )
    first_name = forms.CharField(label="First name", max_length=150, required=False)
    last_name = forms.CharField(label="Last name", max_length=150, required=False)
    email = forms.EmailField(
        label="Email address",
        help_text="They are sent a link here to set their password",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address like name@example.org",
        },
    )

    submit_label = "Make the login"

    def _layout(self) -> list[Any]:
        return [
            Field.text("username", field_width=Fluid.ONE_HALF),
            Field.text("first_name", field_width=Fluid.ONE_HALF),
            Field.text("last_name", field_width=Fluid.ONE_HALF),
            Field.text("email", field_width=Fluid.TWO_THIRDS),
            *super()._layout(),
        ]

    def clean_username(self) -> str:
        username = str(self.cleaned_data["username"])
        if get_user_model().objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("A login with this username already exists")
        return username


class PostLinkForm(forms.Form):
    """Which post is this person's (in the current year of a school the viewer manages)."""

    post = forms.ModelChoiceField(
        queryset=StaffPost.objects.none(),
        label="Their post",
        error_messages={"required": "Select their post"},
    )

    def __init__(self, *args: Any, posts: QuerySet[StaffPost], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["post"].queryset = posts  # type: ignore[attr-defined]
        self.fields["post"].label_from_instance = (  # type: ignore[attr-defined]
            lambda p: f"{p.name} ({p.staff_id}), {p.school_year.school.name}"
        )
        self.helper = FormHelper()
        self.helper.layout = Layout(Field.select("post"), Submit("link", "Link the post"))
