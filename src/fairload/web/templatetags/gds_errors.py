from __future__ import annotations

from django import forms, template

from fairload.web import form_errors

register = template.Library()


@register.filter
def error_links(form: forms.BaseForm) -> list[dict[str, str]]:
    return form_errors.error_links(form)
