"""The case's forms, in the GOV.UK style. A step's form is built from what the ladder's
step ``records`` (the names of fairload.core.dispute_ladder.RECORD_FIELDS): each record
field has one form field here and one way back into the core's entry, which the core
then checks (services.py). A field the ladder adds without a form here is refused
loudly, so a new record field cannot be silently dropped."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from crispy_forms_gds.layout import Field, Fluid
from django import forms

from fairload.core.dispute_ladder import RECORD_FIELDS, LadderStep
from fairload.web.schools.form_parts import DateInput, action_helper
from fairload.web.workload_audit.uploads import MAX_PER_ANSWER, TAKES, size_refusal

_YES_NO = [("yes", "Yes"), ("no", "No")]


def _text(label: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": f"Enter {label[0].lower()}{label[1:]}"},
    )


def _count(label: str, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label, min_value=0, error_messages={"required": f"Enter {label.lower()}"}, **kwargs
    )


def _yes_no(label: str, required: bool = True) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        choices=_YES_NO,
        widget=forms.RadioSelect,
        required=required,
        error_messages={"required": f"Say {label[0].lower()}{label[1:].rstrip('?')}"},
    )


def _people(text: str) -> list[dict[str, str]]:
    """'Name, role' a line."""
    out = []
    for line in text.splitlines():
        if line.strip():
            name, _, role = line.partition(",")
            out.append({"name": name.strip(), "role": role.strip() or "attended"})
    return out


def _days(text: str) -> list[str]:
    """Days of action, one a line, as 2026-03-04 or 4 3 2026."""
    days = []
    for line in text.splitlines():
        bits = line.replace("/", " ").replace("-", " ").split()
        if not bits:
            continue
        try:
            if len(bits) == 3 and len(bits[0]) == 4:
                day = date(int(bits[0]), int(bits[1]), int(bits[2]))
            elif len(bits) == 3:
                day = date(int(bits[2]), int(bits[1]), int(bits[0]))
            else:
                raise ValueError
        except ValueError:
            raise forms.ValidationError(
                f"Enter each day of action as day month year, for example 4 3 2026: "
                f"'{line.strip()}' is not a day"
            ) from None
        days.append(day.isoformat())
    if not days:
        raise forms.ValidationError("Enter at least one day of action")
    return days


@dataclass(frozen=True)
class _Record:
    """A record field's form fields, and how their cleaned values become the entry's."""

    fields: Callable[[StepContext], dict[str, forms.Field]]
    value: Callable[[Mapping[str, Any]], dict[str, Any]]


@dataclass(frozen=True)
class StepContext:
    """What a step's form offers: the case's issues, the members' count and names."""

    issues: Sequence[Mapping[str, Any]]
    members: int
    member_choices: Sequence[tuple[str, str]]


def issue_label(issue: Mapping[str, Any]) -> str:
    parts = []
    if "instruction" in issue:
        parts.append(f"Instruction {issue['instruction']}")
    for key in ("clause", "note"):
        if issue.get(key):
            parts.append(str(issue[key]))
    return " · ".join(dict.fromkeys(parts))


def _issues_fields(ctx: StepContext) -> dict[str, forms.Field]:
    return {
        "issues": forms.TypedMultipleChoiceField(
            label="The issues discussed",
            required=False,
            choices=[(str(i), issue_label(x)) for i, x in enumerate(ctx.issues)],
            coerce=int,
            widget=forms.CheckboxSelectMultiple,
            initial=[str(i) for i in range(len(ctx.issues))],
            error_messages={"required": "Choose the issues discussed"},
        )
    }


def _attendance_fields(ctx: StepContext) -> dict[str, forms.Field]:
    return {
        "present": _count("Members present"),
        "members": _count(
            "Members in the school", initial=ctx.members, help_text="Members only: no one else"
        ),
    }


def _entry_issues(ctx: StepContext) -> Callable[[Mapping[str, Any]], dict[str, Any]]:
    def value(data: Mapping[str, Any]) -> dict[str, Any]:
        chosen = [dict(ctx.issues[i]) for i in data.get("issues") or []]
        return {"issues": chosen} if chosen else {}

    return value


#: One entry a RECORD_FIELDS name (the ballot's is the ballot service's, not a form).
RECORDS: dict[str, _Record] = {
    "attendance": _Record(
        _attendance_fields,
        lambda d: {"attendance": {"present": d["present"], "members": d["members"]}},
    ),
    "attendees": _Record(
        lambda ctx: {
            "attendees": forms.CharField(
                label="Who went",
                help_text="One a line: name, then a comma and what they went as",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Enter who went"},
            )
        },
        lambda d: {"attendees": _people(d["attendees"])},
    ),
    "asked": _Record(
        lambda ctx: {"asked": _text("What was asked")}, lambda d: {"asked": d["asked"]}
    ),
    "answer": _Record(
        lambda ctx: {"answer": _text("The answer given")}, lambda d: {"answer": d["answer"]}
    ),
    "changes": _Record(
        lambda ctx: {"changes": _text("What changed")}, lambda d: {"changes": d["changes"]}
    ),
    "feeling": _Record(
        lambda ctx: {"feeling": _text("How strongly the members feel")},
        lambda d: {"feeling": d["feeling"]},
    ),
    "prepared_to_escalate": _Record(
        lambda ctx: {
            "prepared_to_escalate": _yes_no(
                "Are the members prepared to escalate to strike action?"
            )
        },
        lambda d: {"prepared_to_escalate": d["prepared_to_escalate"] == "yes"},
    ),
    "statutory_ballot": _Record(
        lambda ctx: {
            "sb_opened": DateInput(
                label="The day the first voting paper was sent",
                help_text="The law in force on this day applies (Trade Union Act 2016 s.3)",
            ),
            "sb_closed": DateInput(label="The last day of voting"),
            "sb_entitled": _count("Members entitled to vote"),
            "sb_yes": _count("Yes votes"),
            "sb_no": _count("No votes"),
            "sb_public_service": _yes_no("Is this an important public service (education)?"),
            "sb_by_agreement": _yes_no("Did the employer agree a longer mandate?", required=False),
        },
        lambda d: {
            "statutory_ballot": {
                "opened": d["sb_opened"].isoformat(),
                "closed": d["sb_closed"].isoformat(),
                "entitled": d["sb_entitled"],
                "yes": d["sb_yes"],
                "no": d["sb_no"],
                "important_public_service": d["sb_public_service"] == "yes",
                "mandate_by_agreement": d.get("sb_by_agreement") == "yes",
            }
        },
    ),
    "notice_received": _Record(
        lambda ctx: {
            "notice_received": DateInput(label="The day the employer received the notice")
        },
        lambda d: {"notice_received": d["notice_received"].isoformat()},
    ),
    "notice_by_agreement": _Record(
        lambda ctx: {
            "notice_by_agreement": _yes_no(
                "Did the employer agree a shorter notice?", required=False
            )
        },
        lambda d: {"notice_by_agreement": d.get("notice_by_agreement") == "yes"},
    ),
    "action_days": _Record(
        lambda ctx: {
            "action_days": forms.CharField(
                label="The days of action",
                help_text="One a line, for example 4 3 2026",
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": "Enter the days of action"},
            )
        },
        lambda d: {"action_days": _days(d["action_days"])},
    ),
    "reimbursed": _Record(
        lambda ctx: {
            "reimbursed": forms.MultipleChoiceField(
                label="The members whose loss of pay the union reimburses",
                choices=list(ctx.member_choices),
                widget=forms.CheckboxSelectMultiple,
                error_messages={"required": "Choose the members whose pay is reimbursed"},
            )
        },
        lambda d: {"reimbursed": list(d["reimbursed"])},
    ),
}
assert set(RECORDS) | {"issues", "ballot"} == set(RECORD_FIELDS), "a record field has no form"


class ClearableFileInput(forms.ClearableFileInput):
    """Django's file input taking several files. Its class keeps Django's name, by which
    crispy-forms-gds gives it the GOV.UK file upload's style (govuk-file-upload)."""

    allow_multiple_selected = True


class FilesField(forms.FileField):
    """Several files in one input (Django's own pattern): each is cleaned as a FileField
    cleans one, and refused before it is read if it is too large."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", ClearableFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        given = [d for d in (data if isinstance(data, (list, tuple)) else [data]) if d]
        if len(given) > MAX_PER_ANSWER:
            raise forms.ValidationError(f"Attach at most {MAX_PER_ANSWER} files at once")
        files = [super(FilesField, self).clean(d, initial) for d in given]
        for upload in files:
            refusal = size_refusal(upload.size)
            if refusal:
                raise forms.ValidationError(f"{upload.name}: {refusal}")
        return files


class StepForm(forms.Form):
    """A step's entry: its day, what the step records, its outcome, a note."""

    on = DateInput(label="Day", help_text="For example, 12 11 2025")

    def __init__(
        self, *args: Any, step: LadderStep, context: StepContext, action: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.step, self.context = step, context
        layout: list[Any] = [Field("on")]
        for name in step.records:
            if name == "ballot":
                continue
            fields = _issues_fields(context) if name == "issues" else RECORDS[name].fields(context)
            for key, field in fields.items():
                self.fields[key] = field
                layout.append(_layout(key, field))
        if step.outcomes:
            self.fields["outcome"] = forms.ChoiceField(
                label="Outcome",
                choices=list(step.outcomes.items()),
                widget=forms.RadioSelect,
                error_messages={"required": "Choose the outcome"},
            )
            layout.append(Field.radios("outcome", small=True))
        self.fields["note"] = forms.CharField(
            label="Note (optional)",
            required=False,
            max_length=2000,
            widget=forms.Textarea({"rows": 3}),
        )
        layout.append(Field.textarea("note"))
        self.fields["files"] = FilesField(
            label="Attach documents (optional)",
            required=False,
            help_text=f"Minutes, a letter, a notice: {TAKES} each, at most "
            f"{MAX_PER_ANSWER} on a step. Only those who see the case can download them.",
        )
        layout.append(Field("files"))
        self.fields["file_check"] = forms.BooleanField(
            label="File the school's check as it stands today with this step",
            required=False,
        )
        layout.append(Field.checkbox("file_check", small=True))
        self.helper = action_helper(action, *layout, submit="Record this step")
        self.helper.form_enctype = "multipart/form-data"  # type: ignore[attr-defined]

    def uploads(self) -> list[tuple[str, bytes]]:
        """(name, content) of each file attached."""
        return [(f.name, f.read()) for f in self.cleaned_data.get("files") or []]

    def entry(self) -> dict[str, Any]:
        """The entry as the core's case record writes it (dates as ISO text)."""
        data = self.cleaned_data
        out: dict[str, Any] = {"on": data["on"].isoformat()}
        for name in self.step.records:
            if name == "ballot":
                continue
            value = _entry_issues(self.context) if name == "issues" else RECORDS[name].value
            out.update(value(data))
        if self.step.outcomes:
            out["outcome"] = data["outcome"]
        if data.get("note"):
            out["note"] = data["note"]
        return out


def _layout(key: str, field: forms.Field) -> Any:
    if isinstance(field, forms.MultiValueField):
        return Field(key)
    if isinstance(field.widget, forms.CheckboxSelectMultiple):
        return Field.checkboxes(key, small=True)
    if isinstance(field.widget, forms.RadioSelect):
        return Field.radios(key, small=True, inline=True)
    if isinstance(field.widget, forms.Textarea):
        return Field.textarea(key)
    return Field.text(key, field_width=Fluid.ONE_QUARTER)


class CaseOpenForm(forms.Form):
    """Open a case: its title, and its issues from the check's findings or by hand."""

    title = forms.CharField(
        label="Title",
        max_length=200,
        help_text="What members call it, for example 'Weekly lesson plans'",
        error_messages={"required": "Enter a title for the case"},
    )
    findings = forms.MultipleChoiceField(
        label="Findings of the school's check",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Each becomes an issue naming its instruction and clause",
    )
    instructions = forms.CharField(
        label="Instructions, by number (optional)",
        required=False,
        help_text="For example, 3, 14",
        max_length=200,
    )
    clause = forms.CharField(
        label="A clause or issue in your words (optional)", required=False, max_length=200
    )

    def __init__(
        self,
        *args: Any,
        findings: Sequence[tuple[str, str]],
        unions: Sequence[str],
        action: str,
        instructions: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["findings"].choices = list(findings)
        if not instructions:  # the school's agreement has no union's numbered instructions
            del self.fields["instructions"]
        layout: list[Any] = [Field.text("title", field_width=Fluid.TWO_THIRDS)]
        if len(unions) > 1:
            self.fields["union"] = forms.ChoiceField(
                label="Union", choices=[(u, u) for u in unions], widget=forms.RadioSelect
            )
            layout.append(Field.radios("union", small=True))
        if findings:
            layout.append(Field.checkboxes("findings", small=True))
        if instructions:
            layout.append(Field.text("instructions", field_width=Fluid.ONE_THIRD))
        layout.append(Field.text("clause", field_width=Fluid.TWO_THIRDS))
        self.helper = action_helper(action, *layout, submit="Open the case")

    def clean_instructions(self) -> list[int]:
        raw = self.cleaned_data.get("instructions") or ""
        numbers = []
        for bit in raw.replace(";", ",").replace(" ", ",").split(","):
            if not bit.strip():
                continue
            if not bit.strip().isdigit() or int(bit) < 1:
                raise forms.ValidationError(
                    f"Enter instructions as numbers, for example 3, 14: '{bit.strip()}' is not one"
                )
            numbers.append(int(bit))
        return numbers

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not (data.get("findings") or data.get("instructions") or data.get("clause")):
            raise forms.ValidationError(
                "Name at least one issue: a finding, an instruction or a clause"
            )
        return data

    def hand_issues(self) -> list[dict[str, Any]]:
        data = self.cleaned_data
        issues: list[dict[str, Any]] = [
            {"instruction": n, "clause": f"Instruction {n}"} for n in data.get("instructions", [])
        ]
        if data.get("clause"):
            issues.append({"clause": data["clause"].strip()})
        return issues


class CloseForm(forms.Form):
    reason = forms.CharField(
        label="Why the case is closed",
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Say why the case is closed"},
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(action, Field.textarea("reason"), submit="Close the case")


class VoteOpenForm(forms.Form):
    question = forms.CharField(label="The question", max_length=300)
    paper_text = forms.CharField(
        label="What the members vote on", widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def __init__(self, *args: Any, action: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.text("question", field_width=Fluid.TWO_THIRDS),
            Field.textarea("paper_text"),
            submit="Open the members' ballot",
        )


class ConfirmForm(forms.Form):
    def __init__(self, *args: Any, action: str, submit: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(action, submit=submit)
