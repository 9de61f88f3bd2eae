"""Dispute case pages against every part of the cast (issue 12, section 4).

A case is its union's business at its school: seen by that union's members there (who
declared the union and hold a post in the school's current year), its reps there and its
local officers for the council; by nobody else. The head (here a declared NEU member
too), council officers, site administrators, another union's rep and officer, another
school's rep and another council's officer of the same union get 404 for every case URL.
A letter the rep shares is the one thing the head reads.
"""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from fairload.web.disputes import services
from fairload.web.disputes.models import Case, CaseDocument, CaseLetter
from fairload.web.schools.models import School

from .access import CAST, assert_sent_to_sign_in, ids
from .dispute_helpers import OPENED, dispute_people, members_voted, open_case
from .dispute_helpers import case_rows as _rows
from .dispute_helpers import client_as as _as

CASE, OTHER_UNION_CASE, LETTER, DOCUMENT = (
    1_912_000_001,
    1_912_000_002,
    1_912_000_003,
    1_912_000_004,
)

PAGES = {
    "cases": reverse("dispute-list", args=["neu-school"]),
    "open a case": reverse("dispute-new", args=["neu-school"]),
    "case": reverse("dispute-detail", args=[CASE]),
    "step": reverse("dispute-step", args=[CASE, "talk"]),
    "close": reverse("dispute-close", args=[CASE]),
    "document": reverse("dispute-document", args=[CASE, DOCUMENT]),
    "letter": reverse("dispute-letter", args=[CASE]),
    "letter pdf": reverse("dispute-letter-pdf", args=[CASE]),
    "share letter": reverse("dispute-letter-share", args=[CASE]),
    "nasuwt case": reverse("dispute-detail", args=[OTHER_UNION_CASE]),
    "letters shared": reverse("dispute-letters-shared", args=["neu-school"]),
    "shared letter": reverse("dispute-letter-shared", args=["neu-school", LETTER]),
    "shared letter pdf": reverse("dispute-letter-shared-pdf", args=["neu-school", LETTER]),
    "english cases": reverse("dispute-list", args=["test-school"]),
}

MORE = (
    "neu-rep",
    "neu-member",
    "neu-member-2",
    "nasuwt-member",
    "neu-head",
    "nasuwt-rep",
    "neu-officer",
    "nasuwt-officer",
    "english-council",
    "other-school-rep",
    "far-officer",
)
EVERYONE = (*CAST, *MORE)

NEU_CASE = {
    "case",
    "step",
    "close",
    "document",
    "letter",
    "letter pdf",
    "share letter",
    "open a case",
}
NEU = NEU_CASE | {"cases", "letters shared", "shared letter", "shared letter pdf"}
NASUWT = {"cases", "open a case", "nasuwt case", "letters shared"}
ALLOWED: dict[str, set[str]] = {
    **{who: set() for who in CAST},
    "neu-rep": NEU,
    "neu-member": NEU,
    "neu-member-2": NEU,
    # a local officer acts for the union in every school of the council
    "neu-officer": NEU | {"english cases"},
    "nasuwt-member": NASUWT,
    "nasuwt-rep": NASUWT,
    "nasuwt-officer": NASUWT | {"english cases"},
    "neu-head": {"letters shared", "shared letter", "shared letter pdf"},
    "english-council": set(),
    "other-school-rep": {"english cases"},
    "far-officer": set(),
}
assert set(ALLOWED) == set(EVERYONE)
assert set().union(*ALLOWED.values()) <= set(PAGES)

MATRIX = [(who, page) for who in EVERYONE for page in PAGES]
#: Those a case is never for, who must see no trace of one.
OUTSIDERS = [who for who in EVERYONE if not ALLOWED[who] & {"case", "nasuwt case"}]


def _case_with_pk(rep, pk: int, title: str) -> Case:  # type: ignore[no-untyped-def]
    made = open_case(rep, title=title)
    Case.objects.filter(pk=made.pk).update(id=pk)
    return Case.objects.get(pk=pk)


#: The cast and cases are built once for the module (tests/web/conftest.py); each test's
#: writes are undone after it.
SHARED_SETUP = True


@pytest.fixture(scope="module")
def people(shared_setup):  # type: ignore[no-untyped-def]
    found = dispute_people(shared_setup.cast, shared_setup.schools)
    case = members_voted(found, _case_with_pk(found["neu-rep"], CASE, "Friday planning returns"))
    _case_with_pk(found["nasuwt-rep"], OTHER_UNION_CASE, "Cover for absent colleagues")
    letter = services.dispute_letter_share(
        actor=found["neu-rep"],
        case=case,
        content={
            "school": "NEU School",
            "union": "NEU",
            "dated": "2026-01-12",
            "case_title": case.title,
            "source": "neu, How can ASOS be used?",
            "asked": "",
            "issues": [{"title": "Instruction 1", "clause": "Instruction 1"}],
            "signatory": "Neu-Rep",
            "signatory_role": "Union representative",
        },
        now=OPENED,
    )
    CaseLetter.objects.filter(pk=letter.pk).update(id=LETTER)
    CaseDocument.objects.create(
        pk=DOCUMENT,
        case=case,
        step="talk",
        title="The school's check",
        ref="0" * 64,
        content_type="application/json",
        content=b"{}",
        filed_at=OPENED,
    )
    return found


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_case_pages_their_union_role_and_school_allow(
    people, who, page
):
    response = _as(people, who).get(PAGES[page], follow=True)

    assert response.status_code == (200 if page in ALLOWED[who] else 404)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(people, page):
    assert_sent_to_sign_in(_as(people, None).get(PAGES[page]))


POSTS = {
    "open a case": {"title": "Sneaky", "instructions": "1"},
    "step": {"on_0": "13", "on_1": "1", "on_2": "2026"},
    "close": {"reason": "Closed by someone else"},
    "share letter": {},
}
POST_CELLS = [(who, page) for who in OUTSIDERS for page in POSTS]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), POST_CELLS, ids=ids(POST_CELLS))
def test_nobody_a_case_is_not_for_acts_on_it(people, who, page):
    before = _rows()

    response = _as(people, who).post(PAGES[page], POSTS[page])

    assert response.status_code == 404
    assert _rows() == before


@pytest.mark.django_db
@pytest.mark.parametrize("who", OUTSIDERS)
def test_an_outsider_sees_no_case_in_any_selector_list_or_answer(people, who):
    from fairload.web.disputes.selectors import cases_for_council, cases_visible_to

    user = people[who]
    school = School.objects.get(slug="neu-school")
    assert not cases_visible_to(user).exists()
    assert not cases_for_council(user, school.council).exists()


@pytest.mark.django_db
def test_a_neu_officer_sees_the_councils_neu_cases_and_not_the_nasuwt_one(people):
    from fairload.web.disputes.selectors import cases_for_council, cases_visible_to

    school = School.objects.get(slug="neu-school")
    officer = people["neu-officer"]

    assert list(cases_for_council(officer, school.council).values_list("pk", flat=True)) == [CASE]
    assert list(cases_visible_to(officer).values_list("pk", flat=True)) == [CASE]


# --- the API: the same people, the same cases ------------------------------------------------

#: who -> the cases the API lists for them
API_LISTED = {
    **{who: set() for who in EVERYONE},
    **{who: {CASE} for who in ("neu-rep", "neu-member", "neu-member-2", "neu-officer")},
    **{who: {OTHER_UNION_CASE} for who in ("nasuwt-rep", "nasuwt-member", "nasuwt-officer")},
}


def _api(people, who: str) -> Client:  # type: ignore[no-untyped-def]
    from fairload.web.api.services import api_token_create

    key = api_token_create(user=people[who], name="test")[1]
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.django_db
@pytest.mark.parametrize("who", EVERYONE)
def test_the_api_lists_and_answers_exactly_the_cases_the_pages_show(people, who):
    client = _api(people, who)

    listed = {c["id"] for c in client.get("/api/disputes").json()}
    one = client.get(f"/api/disputes/{CASE}")

    assert listed == API_LISTED[who]
    assert one.status_code == (200 if CASE in API_LISTED[who] else 404)
    if one.status_code == 200:
        assert one.json()["record"]["issues"] == [{"instruction": 1, "clause": "Instruction 1"}]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "shown", "hidden"),
    [
        ("neu-rep", "Friday planning returns", "Cover for absent colleagues"),
        ("neu-member", "Friday planning returns", "Cover for absent colleagues"),
        ("nasuwt-rep", "Cover for absent colleagues", "Friday planning returns"),
        ("nasuwt-officer", "Cover for absent colleagues", "Friday planning returns"),
    ],
)
def test_the_case_list_shows_only_the_viewers_unions_cases(people, who, shown, hidden):
    page = _as(people, who).get(PAGES["cases"]).content.decode()

    assert shown in page
    assert hidden not in page


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["neu-head", "english-council", "admin", "other-council"])
def test_the_schools_other_pages_show_no_case_to_those_it_is_not_for(people, who):
    from .dispute_helpers import entry

    rep = people["neu-rep"]
    # The fixture's case is past its vote (its letter is shared): this one is at its vote.
    case = open_case(rep, title="Friday planning returns, again")
    services.dispute_step_take(
        actor=rep, case=case, step_id="talk", entry=entry(OPENED), now=OPENED
    )
    services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="members-meeting",
        entry=entry(OPENED, attendance={"present": 3, "members": 3}),
        now=OPENED,
    )
    services.dispute_vote_open(
        actor=rep,
        case=case,
        step_id="members-vote",
        question="Members only: ask the head?",
        paper_text="Ask the head to address the issues",
        now=OPENED,
    )
    client = _as(people, who)
    pages = [
        reverse("school-dashboard", args=["neu-school"]),
        reverse("school-audit", args=["neu-school"]),
        reverse("ballot-list", args=["neu-school"]),
    ]
    for url in pages:
        response = client.get(url)
        text = response.content.decode() if response.status_code == 200 else ""
        assert "Friday planning returns" not in text
        assert "Members only: ask the head?" not in text
        assert "dispute" not in text.lower()
