"""The events list's filters."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from crispy_forms_gds.layout import Field
from django import forms

from fairload.web.schools.form_parts import gds_helper
from fairload.web.schools.labels import category_choices
from fairload.web.schools.models import SchoolYear


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
        self.helper = gds_helper(self, Field.select("category"), Field.select("month"))

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
