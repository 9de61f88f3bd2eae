"""The access matrix shared by every feature's access tests.

Each `test_access*.py` module declares PAGES (a label -> URL) and ALLOWED (cast member ->
the labels they may open); `test_access.py` proves every named URL of the site is in one
of those tables, so no page escapes the matrix.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db.models import Model
from django.http.response import HttpResponseBase
from django.test import Client
from django.urls import reverse

CAST = (
    "head",
    "rep",
    "teacher",
    "colleague",
    "council",
    "union-officer",
    "admin",
    "other-head",
    "other-council",
)


def matrix(pages: dict[str, str], allowed: dict[str, set[str]]) -> list[tuple[str, str]]:
    assert set(allowed) == set(CAST), "ALLOWED must say what each member of the cast may do"
    unknown = set().union(*allowed.values()) - set(pages)
    assert not unknown, f"ALLOWED names pages that PAGES lacks: {unknown}"
    return [(who, page) for who in CAST for page in pages]


def ids(cells: list[tuple[str, str]]) -> list[str]:
    return [f"{who} -> {page}" for who, page in cells]


#: Staff of the Scottish school who hold no role that reads it. A school page they may
#: not open says "not for your role" (403) with a link home, rather than pretending the
#: school they work at does not exist; a teacher page not theirs is 404 as for anyone.
OWN_SCHOOL_STAFF = ("teacher", "colleague")


def refused(who: str | None, url: str) -> int:
    """The status of a page `who` may not open."""
    own_school = url.startswith("/schools/test-academy/") and "/teachers/" not in url
    return 403 if who in OWN_SCHOOL_STAFF and own_school else 404


def expected_status(
    who: str, page: str, pages: dict[str, str], allowed: dict[str, set[str]]
) -> int:
    """What `who` must get opening `page`: 200 if ALLOWED says so, else the refusal."""
    return 200 if page in allowed[who] else refused(who, pages[page])


def assert_sent_to_sign_in(response: HttpResponseBase) -> None:
    """Someone signed out is redirected to the sign-in page, not shown or refused."""
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def assert_gets_change_nothing(
    as_user: Callable[[str], Client], url: str, people: Iterable[str], *models: type[Model]
) -> None:
    """Each of ``people`` opening ``url`` leaves every row of ``models`` as it was."""

    def rows() -> list[list[dict[str, object]]]:
        return [list(model.objects.order_by("pk").values()) for model in models]

    before = rows()
    for who in people:
        as_user(who).get(url, follow=True)

    assert rows() == before
