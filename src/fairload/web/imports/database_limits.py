"""Values the school-year format allows but the database or the web addresses cannot hold."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from django.utils.text import slugify

from fairload.core.errors import InputError, Location
from fairload.core.yamlfile import field_path, line_of
from fairload.web.schools.models import Council, School, SchoolYear, StaffPost
from fairload.web.schools.models import Event as EventRow

if TYPE_CHECKING:
    from fairload.web.imports.plans import Plan


#: What a URL of the web app can name (``<slug:...>``): no dots.
URL_SLUG = re.compile(r"^[-a-zA-Z0-9_]+$")


def _limit(model: Any, name: str) -> int:
    return int(model._meta.get_field(name).max_length)


def database_limits(plan: Plan) -> list[InputError]:
    """Values the format allows but the database or the web addresses cannot hold.

    For staff or events merged into a stored year, only the file's own records are looked
    at: what is stored already was stored."""
    after = plan.after
    assert after is not None and plan.document is not None
    problems: list[InputError] = []
    document = plan.document
    merge = plan.merge

    def locate(path: list[Any]) -> Location:
        if merge is None:  # a whole-year file: its own lines
            return Location(plan.filename, line_of(document, path), field_path(path))
        error = merge.relocated(
            InputError("", Location(merge.stored_label, None, field_path(path)))
        )
        assert error.location is not None
        return error.location

    def mine(section: str, index: int) -> bool:
        return merge is None or (section, index) in merge.lines

    def too_long(value: str | None, limit: int, path: list[Any], what: str) -> None:
        if value is not None and len(value) > limit:
            problems.append(
                InputError(
                    f"the {what} is {len(value)} characters long; the most is {limit}",
                    locate(path),
                    "Shorten it.",
                )
            )

    if merge is None:
        school = after.school
        too_long(school.name, _limit(School, "name"), ["school", "name"], "school name")
        too_long(school.authority, _limit(Council, "name"), ["school", "authority"], "authority")
        too_long(school.id, _limit(School, "slug"), ["school", "id"], "school id")
        too_long(
            slugify(school.authority),
            _limit(Council, "slug"),
            ["school", "authority"],
            "authority's short name (its name in lower case, with hyphens)",
        )
        if not slugify(school.authority):
            problems.append(
                InputError(
                    "the authority's name has no letters or digits",
                    locate(["school", "authority"]),
                    "Write the council's (or trust's) name.",
                )
            )
        label = after.calendar.label
        too_long(label, _limit(SchoolYear, "label"), ["year", "label"], "year label")
    for i, member in enumerate(after.staff):
        if not mine("staff", i):
            continue
        too_long(member.id, _limit(StaffPost, "staff_id"), ["staff", i, "id"], "staff id")
        too_long(member.name, _limit(StaffPost, "name"), ["staff", i, "name"], "name")
        too_long(
            member.department,
            _limit(StaffPost, "department"),
            ["staff", i, "department"],
            "department",
        )
        if not URL_SLUG.match(member.id):
            problems.append(
                InputError(
                    f"the staff id '{member.id}' cannot be used in a web address",
                    locate(["staff", i, "id"]),
                    "Use only letters, digits, hyphens and underscores (no dots).",
                )
            )
    for i, event in enumerate(after.events):
        if not mine("events", i):
            continue
        too_long(event.id, _limit(EventRow, "event_id"), ["events", i, "id"], "event id")
        too_long(event.title, _limit(EventRow, "title"), ["events", i, "title"], "title")
        too_long(
            event.activity, _limit(EventRow, "activity"), ["events", i, "activity"], "activity"
        )
    return problems
