"""`{% union_panel post %}`: union membership on a teacher's page.

- The person themself: "Your union membership", with the form to state or remove it.
- A rep or officer of that same union (policies.can_view_union_membership): the union,
  read-only.
- Anyone else: nothing at all, not even the heading.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from fairload.web.accounts.forms import UnionMembershipForm
from fairload.web.accounts.policies import union_membership_visible, unions_acted_for
from fairload.web.schools.models import StaffPost

register = template.Library()


@register.inclusion_tag("accounts/union_panel.html", takes_context=True)
def union_panel(context: template.Context, post: StaffPost) -> dict[str, Any]:
    user = context["request"].user
    person_id = post.person_id
    union = union_membership_visible(user, person_id)
    school = post.school_year.school
    if person_id != user.pk:
        return {
            "show": union is not None,
            "own": False,
            "union": union,
            "post": post,
            "school": school,
            # the members page is for those who act for a union at this very school
            "members": bool(unions_acted_for(user, school)),
        }
    action = reverse("teacher-union", args=[school.slug, post.staff_id])
    return {
        "show": True,
        "own": True,
        "union": union,
        "post": post,
        "school": school,
        "form": UnionMembershipForm(initial=UnionMembershipForm.initial_for(union), action=action),
        "csrf_token": context.get("csrf_token"),
    }
