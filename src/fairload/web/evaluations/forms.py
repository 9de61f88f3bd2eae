"""The answer form: Appendix 3's questions (from the evaluation, so the pack's words) and,
under each heading of the agreement, more, about the same or less time than planned, by
about how many hours."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from crispy_forms.layout import HTML
from crispy_forms_gds.layout import Field, Size
from django import forms

from fairload.core.evaluation import SAME
from fairload.web.evaluations.models import Evaluation
from fairload.web.schools.form_parts import action_helper

_HEADINGS_TITLE = (
    '<h2 class="govuk-heading-m">Time under each heading of the agreement</h2>'
    '<p class="govuk-body">Compared with the time the agreement planned for it.</p>'
)


def _text(question_id: str) -> str:
    return f"q_{question_id}"


def _choice(heading_id: str) -> str:
    return f"h_{heading_id}"


def _hours(heading_id: str) -> str:
    return f"h_{heading_id}_hours"


class AnswerForm(forms.Form):
    def __init__(self, *args: Any, evaluation: Evaluation, action: str, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.evaluation = evaluation
        layout: list[Any] = []
        for question in evaluation.form["questions"]:
            name = _text(question["id"])
            self.fields[name] = forms.CharField(
                label=question["text"],
                required=False,
                max_length=4000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            layout.append(Field.textarea(name, label_size=Size.SMALL))
        choices = [
            (c["id"], c["text"][:1].upper() + c["text"][1:]) for c in evaluation.form["choices"]
        ]
        layout.append(HTML(_HEADINGS_TITLE))
        for heading in evaluation.headings:
            choice, hours = _choice(heading["id"]), _hours(heading["id"])
            self.fields[choice] = forms.ChoiceField(
                label=heading["label"],
                choices=choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[hours] = forms.DecimalField(
                label="By about how many hours in the year",
                help_text="Leave blank if it took about the same time",
                required=False,
                min_value=Decimal("0.1"),
                max_digits=6,
                decimal_places=1,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
                error_messages={
                    "invalid": "The hours must be a number, for example 6 or 2.5",
                    "min_value": "The hours must be more than 0",
                    "max_decimal_places": "Give the hours to one decimal place at most",
                },
            )
            layout += [
                Field.radios(choice, small=True, legend_size=Size.SMALL),
                Field.text(hours, field_width=4),
            ]
        self.helper = action_helper(action, *layout, submit="Send my answers")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for heading in self.evaluation.headings:
            choice, hours = _choice(heading["id"]), _hours(heading["id"])
            picked, given = data.get(choice), data.get(hours)
            if not picked and given is not None:
                self.add_error(choice, f"Say whether {heading['label']} took more or less time")
            elif picked == SAME and given is not None:
                self.add_error(hours, "Leave the hours blank for about the same time")
            elif picked and picked != SAME and given is None and hours not in self.errors:
                self.add_error(hours, f"Enter about how many hours, for {heading['label']}")
        return data

    def texts(self) -> dict[str, str]:
        return {
            q["id"]: self.cleaned_data.get(_text(q["id"]), "")
            for q in self.evaluation.form["questions"]
        }

    def headings(self) -> list[tuple[str, str, Decimal | None]]:
        rows = []
        for heading in self.evaluation.headings:
            picked = self.cleaned_data.get(_choice(heading["id"]))
            if picked:
                rows.append((heading["id"], picked, self.cleaned_data.get(_hours(heading["id"]))))
        return rows
