"""`{% teacher_feed_panel post %}`: the "My calendar feed" section of a teacher's page.

Only those who may manage the teacher's feed (the teacher, or a site administrator) see
it; for anyone else it renders nothing, not even its heading.
"""

from __future__ import annotations

from typing import Any

from django import template

from fairload.web.accounts.policies import can_manage_teacher_feed
from fairload.web.feeds.models import NAME_MAX_LENGTH
from fairload.web.feeds.selectors import feeds_live
from fairload.web.feeds.services import feed_form_key
from fairload.web.schools.models import StaffPost

register = template.Library()


@register.inclusion_tag("feeds/teacher_feed_panel.html", takes_context=True)
def teacher_feed_panel(context: template.Context, post: StaffPost) -> dict[str, Any]:
    request = context["request"]
    if not can_manage_teacher_feed(request.user, post):
        return {"show": False}
    school = post.school_year.school
    return {
        "show": True,
        "own": post.person_id is not None and post.person_id == request.user.pk,
        "post": post,
        "school": school,
        "feeds": feeds_live(school=school, staff_id=post.staff_id),
        "csrf_token": context.get("csrf_token"),
        "form_key": feed_form_key(),
        "name_max_length": NAME_MAX_LENGTH,
    }
