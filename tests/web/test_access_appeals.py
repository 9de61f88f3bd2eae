"""Appeal and flexible-approach pages against every part of the cast, and the Joint
Secretaries of South Ayrshire (one per side), another council's Joint Secretary and the
head of another South Ayrshire school.

An appeal (section 17) is seen by its parties (the school's head teacher and union
representatives) and the council's Joint Secretaries only: everyone else gets 404, the
council's other officers, the union's officers, the school's teachers, a site
administrator and another school's head included. A planned flexible approach (3.3) is
read by whoever may see the school and by the Joint Secretaries; only they confirm it.

The action pages (convene, attendees, outcome, conclusion, documents) answer a GET with
their form, so they sit in the matrix like pages; their POSTs are in test_appeals.py and
below (a POST by anyone else changes nothing).
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from fairload.core.yamlfile import load_file
from fairload.web.accounts.models import Membership, Role
from fairload.web.appeals.models import (
    Appeal,
    AppealDocument,
    Attendee,
    Conclusion,
    FlexibleApproach,
    Meeting,
)
from fairload.web.schools.services import school_year_import

from .access import CAST, assert_sent_to_sign_in, ids, refused
from .appeal_helpers import INFORMAL_ATTENDEES, joint_secretary, reported
from .conftest import SCOTTISH

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

APPEAL, DOCUMENT, APPROACH = 9301, 9302, 9303
NOW = datetime(2025, 6, 20, 9, tzinfo=UTC)

PAGES = {
    "queue": reverse("joint-secretaries", args=["south-ayrshire-council"]),
    "english queue": reverse("joint-secretaries", args=["test-local-authority"]),
    "appeal": reverse("appeal-detail", args=[APPEAL]),
    "record pdf": reverse("appeal-pdf", args=[APPEAL]),
    "convene informal": reverse("appeal-convene", args=[APPEAL, "informal"]),
    "convene hearing": reverse("appeal-convene", args=[APPEAL, "hearing"]),
    "attendee": reverse("appeal-attendee", args=[APPEAL, "informal"]),
    "outcome": reverse("appeal-outcome", args=[APPEAL, "informal"]),
    "conclusion": reverse("appeal-conclusion", args=[APPEAL]),
    "file a document": reverse("appeal-document-add", args=[APPEAL]),
    "document": reverse("appeal-document", args=[APPEAL, DOCUMENT]),
    "flexible": reverse("flexible-approach", args=["test-academy"]),
    "decide flexible": reverse("flexible-approach-decide", args=["test-academy", APPROACH]),
    "english flexible": reverse("flexible-approach", args=["test-school"]),
}

#: The Joint Secretaries and the heads this file adds to the shared cast.
MORE = ("js-management", "js-teachers", "other-js", "second-head")
EVERYONE = (*CAST, *MORE)

PARTY = {"appeal", "record pdf", "file a document", "document", "flexible"}
SECRETARY = {
    "queue",
    "appeal",
    "record pdf",
    "convene informal",
    "convene hearing",
    "attendee",
    "outcome",
    "conclusion",
    "file a document",
    "document",
    "flexible",
    "decide flexible",
}
ALLOWED: dict[str, set[str]] = {
    "head": PARTY,
    "rep": PARTY,
    "teacher": set(),
    "colleague": set(),
    "council": {"flexible"},
    "union-officer": {"flexible"},
    "admin": {"flexible", "english flexible"},
    "other-head": {"english flexible"},
    "other-council": {"english flexible"},
    "js-management": SECRETARY,
    "js-teachers": SECRETARY,
    "other-js": {"english queue", "english flexible"},
    "second-head": set(),
}
assert set(ALLOWED) == set(EVERYONE)
assert set().union(*ALLOWED.values()) <= set(PAGES)

MATRIX = [(who, page) for who in EVERYONE for page in PAGES]


@pytest.fixture(scope="module")
def people(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    cast = shared_cast
    schools = shared_schools
    scottish, english = schools["test-academy"], schools["test-school"]
    document = load_file(SCOTTISH)
    document["school"] = {**document["school"], "id": "second-academy", "name": "Second Academy"}
    school_year_import(document=document, source="second-academy.yaml")
    second_head = get_user_model().objects.create_user(username="second-head", password="x")
    Membership.objects.create(
        user=second_head, role=Role.HEAD, school=scottish.council.schools.get(slug="second-academy")
    )
    return {
        **cast,
        "js-management": joint_secretary("js-management", Role.JNCT_MANAGEMENT, scottish.council),
        "js-teachers": joint_secretary("js-teachers", Role.JNCT_TEACHERS, scottish.council),
        "other-js": joint_secretary("other-js", Role.JNCT_MANAGEMENT, english.council),
        "second-head": second_head,
    }


@pytest.fixture(scope="module", autouse=True)
def appeal(people, shared_schools):  # type: ignore[no-untyped-def]
    schools = shared_schools
    scottish = schools["test-academy"]
    made = reported(scottish, people["rep"])
    Appeal.objects.filter(pk=made.pk).update(id=APPEAL)
    made = Appeal.objects.get(pk=APPEAL)
    meeting = Meeting.objects.create(
        appeal=made, kind=Meeting.Kind.INFORMAL, on=date(2025, 6, 27), convened_at=NOW
    )
    Attendee.objects.bulk_create(
        Attendee(meeting=meeting, name=n, role=r) for n, r, _ in INFORMAL_ATTENDEES
    )
    AppealDocument.objects.create(
        pk=DOCUMENT,
        appeal=made,
        stage="report",
        kind="upload",
        title="The rep's case",
        ref="case.txt",
        content_type="text/plain",
        content=b"The case.",
        filed_at=NOW,
    )
    FlexibleApproach.objects.create(
        pk=APPROACH,
        school=scottish,
        label=made.label,
        cycle_weeks=2,
        max_contact_hours_in_any_week=25,
        description="Averaged over the fortnight.",
        submitted_at=NOW,
    )
    return made


def _as(people, who: str | None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if who is not None:
        client.force_login(people[who])
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_appeal_pages_their_role_council_and_school_allow(
    people, who, page
):
    response = _as(people, who).get(PAGES[page], follow=True)

    expected = 200 if page in ALLOWED[who] else refused(who, PAGES[page])
    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(people, page):
    assert_sent_to_sign_in(_as(people, None).get(PAGES[page]))


def _rows() -> list[object]:
    return [
        list(model.objects.order_by("pk").values())
        for model in (Appeal, Meeting, Attendee, Conclusion, AppealDocument, FlexibleApproach)
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_a_get_changes_nothing(people, page):
    before = _rows()
    for who in ("head", "js-management", "council", "admin"):
        _as(people, who).get(PAGES[page], follow=True)

    assert _rows() == before


#: What each action's POST would do, filled in right.
POSTS = {
    "convene hearing": {
        "on_0": "2",
        "on_1": "7",
        "on_2": "2025",
        "js_management": "A",
        "js_teachers": "B",
        "head": "H",
        "rep": "R",
    },
    "attendee": {"name": "Pat", "role": "union-rep"},
    "outcome": {"outcome": "not resolved"},
    "conclusion": {"on_0": "27", "on_1": "6", "on_2": "2025", "decision": "Final."},
    "file a document": {"stage": "report", "title": "Check", "source": "check-record"},
    "decide flexible": {"decision": "confirm"},
}
NOT_SECRETARIES = [w for w in EVERYONE if w not in ("js-management", "js-teachers")]
POST_CELLS = [(who, page) for who in NOT_SECRETARIES for page in POSTS]


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), POST_CELLS, ids=ids(POST_CELLS))
def test_nobody_but_the_joint_secretaries_acts_on_the_appeal(people, who, page):
    if page == "file a document" and who in ("head", "rep"):
        pytest.skip("the parties file documents: test_appeals.py")
    before = _rows()

    response = _as(people, who).post(PAGES[page], POSTS[page])

    assert response.status_code == refused(who, PAGES[page])
    assert _rows() == before
