"""A Scottish school's EIS dispute case (the EIS ladder pack) against every part of the
cast and the EIS school's people (issue 12, section 4).

The case is the EIS's business at its school: seen by the school's EIS members, its EIS
rep and the council's EIS local association secretary; by nobody else. The school's head
(a declared EIS member too), the council officer, a site administrator, an SSTA member
of the school, an NEU rep at the school and one at another school, and the EIS rep of
another school of the council get 404 for every URL of the case, and their POSTs change
nothing.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fairload.web.disputes.models import Case
from fairload.web.disputes.selectors import cases_for_council, cases_visible_to
from fairload.web.schools.models import School

from .access import CAST, assert_sent_to_sign_in, ids
from .dispute_helpers import case_rows as _rows
from .dispute_helpers import client_as as _as
from .dispute_scotland_helpers import EIS_PACK, eis_people, open_eis_case

CASE = 1_912_100_001

PAGES = {
    "cases": reverse("dispute-list", args=["eis-school"]),
    "open a case": reverse("dispute-new", args=["eis-school"]),
    "case": reverse("dispute-detail", args=[CASE]),
    "step": reverse("dispute-step", args=[CASE, "talk"]),
    "close": reverse("dispute-close", args=[CASE]),
    "letter": reverse("dispute-letter", args=[CASE]),
    "letter pdf": reverse("dispute-letter-pdf", args=[CASE]),
    "share letter": reverse("dispute-letter-share", args=[CASE]),
}
#: The URLs of the case itself (the school's list and its form are the school's).
CASE_PAGES = {"case", "step", "close", "letter", "letter pdf", "share letter"}

MORE = (
    "eis-rep",
    "eis-member",
    "eis-member-2",
    "ssta-member",
    "eis-head",
    "neu-rep-here",
    "eis-secretary",
    "neu-rep-elsewhere",
    "eis-rep-elsewhere",
)
EVERYONE = (*CAST, *MORE)

EIS = set(PAGES)
ALLOWED: dict[str, set[str]] = {
    **{who: set() for who in EVERYONE},
    "eis-rep": EIS,
    "eis-member": EIS,
    "eis-member-2": EIS,
    "eis-secretary": EIS,
    # the school's union people see its (empty) list; only the EIS's have a ladder here
    "ssta-member": {"cases"},
    "neu-rep-here": {"cases"},
}
assert set(ALLOWED) == set(EVERYONE)

MATRIX = [(who, page) for who in EVERYONE for page in PAGES]
#: Those the case is never for, who must see no trace of it: the Scottish head, the
#: council officer, an NEU rep elsewhere, an EIS rep of another school among them.
OUTSIDERS = [who for who in EVERYONE if not ALLOWED[who] & CASE_PAGES]
assert {"eis-head", "council", "neu-rep-elsewhere", "eis-rep-elsewhere"} <= set(OUTSIDERS)


#: The cast and the case are built once for the module (tests/web/conftest.py); each
#: test's writes are undone after it.
SHARED_SETUP = True


@pytest.fixture(scope="module")
def people(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    cast, schools = shared_cast, shared_schools
    found = eis_people(cast, schools)
    made = open_eis_case(found["eis-rep"])
    Case.objects.filter(pk=made.pk).update(id=CASE)
    return found


@pytest.mark.django_db
def test_the_scottish_case_follows_the_eis_ladder_pack(people):
    assert Case.objects.get(pk=CASE).pack == EIS_PACK


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_scottish_case_pages_their_union_role_and_school_allow(
    people, who, page
):
    response = _as(people, who).get(PAGES[page], follow=True)

    assert response.status_code == (200 if page in ALLOWED[who] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(people, page):
    assert_sent_to_sign_in(_as(people, None).get(PAGES[page]))


POSTS = {
    "open a case": {"title": "Sneaky", "clause": "JNCT2.7 7.3"},
    "step": {"on_0": "13", "on_1": "1", "on_2": "2026"},
    "close": {"reason": "Closed by someone else"},
    "share letter": {},
}
POST_CELLS = [(who, page) for who in OUTSIDERS for page in POSTS]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), POST_CELLS, ids=ids(POST_CELLS))
def test_nobody_the_scottish_case_is_not_for_acts_on_it(people, who, page):
    before = _rows()

    response = _as(people, who).post(PAGES[page], POSTS[page])

    assert response.status_code == 404
    assert _rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["neu-rep-here", "ssta-member"])
def test_a_union_no_scottish_ladder_serves_cannot_open_a_case_and_is_told_why(people, who):
    before = _rows()
    client = _as(people, who)

    page = client.get(PAGES["cases"]).content.decode()
    posted = client.post(PAGES["open a case"], POSTS["open a case"])

    assert "No dispute ladder serves" in page and "Open a case" not in page
    assert "Parents' meetings" not in page  # the EIS case is not theirs
    assert posted.status_code == 404
    assert _rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", [w for w in OUTSIDERS if w not in ("neu-rep-here", "ssta-member")])
def test_an_outsider_sees_no_scottish_case_in_any_selector_list_or_answer(people, who):
    user = people[who]
    school = School.objects.get(slug="eis-school")

    assert not cases_visible_to(user).filter(pk=CASE).exists()
    assert not cases_for_council(user, school.council).exists()


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_the_api_answers_the_scottish_case_to_exactly_those_the_pages_do(people, who):
    from fairload.web.api.services import api_token_create

    key = api_token_create(user=people[who], name="test")[1]
    client = Client(headers={"Authorization": f"Bearer {key}"})

    listed = {c["id"] for c in client.get("/api/disputes").json()}
    one = client.get(f"/api/disputes/{CASE}")

    allowed = "case" in ALLOWED[who]
    assert (CASE in listed) is allowed
    assert one.status_code == (200 if allowed else 404)
