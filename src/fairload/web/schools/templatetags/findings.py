"""What a finding shows a person: where its cause is, and the figures behind it.

``finding_causes`` links each event or staff post that caused a finding: to its edit
form for someone who may edit the school (the fix is one click away), otherwise to the
calendar week or the teacher page. ``working_lines`` writes each parameter the finding
used with its value and unit, the date it is in force from and its clause, and each
figure from the data.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fairload.core.findings import OUTSIDE_MANDATE, Finding, SubjectKind
from fairload.core.school_year import role_label as core_role_label
from fairload.core.units import format_number, quantity
from fairload.core.units import hours as hours_text

register = template.Library()


@register.simple_tag
def finding_causes(finding: Finding, school_slug: str, can_edit: bool) -> list[dict[str, str]]:
    links = []
    for cause in finding.causes:
        subject = finding.subject
        if cause.kind == "event":
            named = subject.kind is SubjectKind.EVENT and subject.id == cause.id
            label = f"the event ‘{subject.label}’" if named else f"the event {cause.id}"
            name = "event-edit" if can_edit else "school-events"
            args = [school_slug, cause.id] if can_edit else [school_slug]
            verb = "Change" if can_edit else "See"
        else:
            named = subject.kind in (SubjectKind.TEACHER, SubjectKind.WEEK)
            who = subject.label.split(",")[0] if named else cause.id
            label = f"the post of {who}"
            name = "post-edit" if can_edit else "teacher-page"
            args = [school_slug, cause.id]
            verb = "Change" if can_edit else "See"
        links.append(
            {
                "text": f"{verb} {label}",
                "url": reverse(name, args=args),
                "kind": cause.kind,
                "id": cause.id,
            }
        )
    return links


def _figure(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return format_number(value)
    if isinstance(value, list):
        return ", ".join(_figure(v) for v in value) or "none"
    if isinstance(value, dict):
        return "; ".join(f"{k}: {_figure(v)}" for k, v in value.items())
    return "none" if value is None else str(value)


@register.simple_tag
def working_lines(finding: Finding) -> dict[str, list[dict[str, str]]]:
    parameters = [
        {
            "name": p.name,
            "value": quantity(p.value, p.unit)
            if not isinstance(p.value, list | dict)
            else _figure(p.value),
            "effective": f"{p.effective.day} {p.effective:%B %Y}",
            "clause": f"{p.reference.document.title}, {p.reference.clause}",
        }
        for p in finding.working.parameters
    ]
    figures = [
        {"name": key.replace("_", " "), "value": _figure(value)}
        for key, value in finding.working.data.items()
    ]
    return {"parameters": parameters, "figures": figures}


@register.filter
def hours(value: float | None) -> str:
    """'1 hour', '2.5 hours' (the core's own formatting)."""
    return hours_text(value)


@register.filter
def role_label(value: str) -> str:
    """A signature or committee role in words: 'union-rep' → 'union representative'."""
    return core_role_label(str(value))


@register.simple_tag
def outside_mandate() -> str:
    """How a finding under an instruction read outside its mandate is marked (the core's
    words, the same as the CLI's)."""
    return OUTSIDE_MANDATE
