"""The one table of plain-English names for event categories and posts.

Every page (the event form, the lists, the calendar, the conflict page, the import
preview) names a category or a post from here, so they never disagree.
"""

from __future__ import annotations

from fairload.core.school_year import Post
from fairload.io.ical import categories

#: Category names where the id read as words is not plain English.
CATEGORY_LABELS = {
    "parents-evening": "Parents’ evening",
    "in-service": "In-service day",
    "cpd": "Professional learning (CPD)",
    "extra-curricular": "Extra-curricular",
    "admin-task": "Administrative task",
    "union-meeting": "Union meeting",
}

POST_LABELS = {
    Post.HEAD_TEACHER.value: "Head teacher",
    Post.DEPUTE_HEAD.value: "Depute head (Scotland)",
    Post.DEPUTY_HEAD.value: "Deputy head (England)",
    Post.ASSISTANT_HEAD.value: "Assistant head",
    Post.PRINCIPAL_TEACHER.value: "Principal teacher",
    Post.PRINCIPAL_TEACHER_GUIDANCE.value: "Principal teacher (guidance)",
    Post.TEACHER.value: "Teacher",
}


def _words(value: str) -> str:
    return value.replace("-", " ").capitalize()


def category_label(value: str) -> str:
    return CATEGORY_LABELS.get(value) or _words(value)


def category_choices() -> list[tuple[str, str]]:
    return [(c, category_label(c)) for c in categories()]


def post_label(value: str) -> str:
    return POST_LABELS.get(value) or _words(value)
