"""The GOV.UK error summary's links: each error points at the input it is about.

crispy-forms-gds's own summary links every field to ``#id_<field>``, which no element has
for radios, checkboxes or a date input: it numbers options from 1 (``id_kind_1``) and a
date's boxes from 0 (``id_date_0`` day, ``_1`` month, ``_2`` year). One implementation for
every form of the site: `includes/error_summary.html` renders it.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS


def error_links(form: forms.BaseForm) -> list[dict[str, str]]:
    """One entry per error: {"href": "#id", "text": message}; errors about the whole form
    (non-field errors) have no link."""
    links = [{"href": "", "text": str(m)} for m in form.errors.get(NON_FIELD_ERRORS, [])]
    for name, field in form.fields.items():
        bound = form[name]
        if not bound.errors:
            continue
        for message in bound.errors:
            links.append({"href": f"#{_target(bound, field)}", "text": str(message)})
    return links


def _target(bound: forms.BoundField, field: Any) -> str:
    if isinstance(field.widget, forms.CheckboxSelectMultiple | forms.RadioSelect):
        return f"{bound.auto_id}_1"
    subfields = getattr(field, "fields", None)
    if subfields:  # a date input: the first box with an error, else the day
        part = next((n for n, sub in enumerate(subfields) if getattr(sub.widget, "errors", [])), 0)
        return f"{bound.auto_id}_{part}"
    return str(bound.auto_id)
