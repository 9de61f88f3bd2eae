"""The error summary links each error to an element the page really has."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

FORMS = {
    "union radios": (reverse("teacher-union", args=["test-academy", "t1"]), "teacher", {}),
    "import radios": (reverse("import-start", args=["test-academy"]), "head", {}),
    "event date": (
        reverse("event-add", args=["test-academy"]),
        "head",
        {"title": "Meeting", "date_0": "31", "date_1": "2", "date_2": "2026"},
    ),
    "api token text": (reverse("api-tokens"), "head", {"name": ""}),
}


@pytest.mark.django_db
@pytest.mark.parametrize("form", FORMS, ids=list(FORMS))
def test_every_error_summary_link_names_an_element_on_the_page(as_user, form):
    url, who, data = FORMS[form]

    page = as_user(who).post(url, data, follow=True).content.decode()

    summary = page.split('govuk-error-summary__list">')[1].split("</ul>")[0]
    targets = re.findall(r'href="#([^"]+)"', summary)
    assert targets, f"no linked error in {summary}"
    for target in targets:
        assert f'id="{target}"' in page, f"#{target} is not on the page"
