"""``{% proforma_panel post %}``: on a teacher's page, the way to their balance-of-time
pro-forma and where it has got to, for those who may open it (policies.py)."""

from __future__ import annotations

from typing import Any

from django import template

from fairload.core.packs import load_bundled
from fairload.web.proformas.policies import can_view_proforma
from fairload.web.proformas.record import has_proforma
from fairload.web.proformas.selectors import manager_post, proforma_of
from fairload.web.schools.models import StaffPost

register = template.Library()


@register.inclusion_tag("proformas/_panel.html", takes_context=True)
def proforma_panel(context: template.Context, post: StaffPost) -> dict[str, Any]:
    year = post.school_year
    if not has_proforma(load_bundled(year.school.pack)):
        return {"shown": False}
    manager = manager_post(year=year, post=post)
    user = context["request"].user
    if not can_view_proforma(user, post, manager):
        return {"shown": False}
    view = proforma_of(year=year, post=post)
    return {"shown": True, "post": post, "view": view, "own": post.person_id == user.pk}
