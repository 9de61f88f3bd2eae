"""The disputes app's entries in a school's menu: its cases for the union's people, and
the letters shared with the head for the head."""

from __future__ import annotations

from typing import Any

from django.urls import reverse

from fairload.web.accounts.policies import User
from fairload.web.disputes.selectors import schools_managed, unions_at
from fairload.web.schools.models import School

_CASE_PAGES = ("dispute-list", "dispute-new")
_LETTER_PAGES = ("dispute-letters-shared", "dispute-letter-shared")


def dispute_sections(user: User, school: School, current: str) -> list[dict[str, Any]]:
    items = []
    if unions_at(user, school):
        url = reverse("dispute-list", args=[school.slug])
        items.append({"label": "Dispute cases", "url": url, "current": current in _CASE_PAGES})
    elif school.pk in schools_managed(user):
        url = reverse("dispute-letters-shared", args=[school.slug])
        items.append(
            {"label": "Letters from the union", "url": url, "current": current in _LETTER_PAGES}
        )
    return items
