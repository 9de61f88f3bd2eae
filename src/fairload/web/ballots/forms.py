"""The ballot's forms: opening one, voting, and reissuing a paper."""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.core.ballots import Choice
from fairload.web.schools.form_parts import action_helper


class BallotOpenForm(forms.Form):
    question = forms.CharField(
        label="The question",
        max_length=300,
        initial="Do you approve the school's working time agreement?",
        error_messages={"required": "Enter the question the staff vote on"},
    )
    paper_text = forms.CharField(
        label="What the staff vote on",
        help_text="The final version of the agreement, frozen for the ballot.",
        widget=forms.Textarea,
        error_messages={"required": "Enter the text of the agreement the staff vote on"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action, Field.text("question"), Field.textarea("paper_text"), submit="Open the ballot"
        )


class VoteForm(forms.Form):
    choice = forms.ChoiceField(
        label="Your vote",
        choices=[(Choice.YES.value, "Yes"), (Choice.NO.value, "No")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(action, Field.radios("choice"), submit="Cast my vote")


class ReissueForm(forms.Form):
    paper_text = forms.CharField(
        label="The corrected text",
        widget=forms.Textarea,
        error_messages={"required": "Enter the corrected text the staff vote on"},
    )
    reason = forms.CharField(
        label="What was wrong with the paper",
        help_text="Every elector is told, and asked to vote again.",
        max_length=500,
        error_messages={"required": "Say what was wrong with the paper"},
    )

    def __init__(self, *args: Any, action: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = action_helper(
            action,
            Field.textarea("paper_text"),
            Field.text("reason"),
            submit="Withdraw the paper and reissue it",
        )
