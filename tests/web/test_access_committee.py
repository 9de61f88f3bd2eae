"""The groups and committee pages against every part of the cast: everyone who works at
the school or may see it reads them; only its head (and site administrators) change
them; a person of another school or council gets 404, and their POST changes nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from fairload.web.audit.models import AuditEntry
from fairload.web.committee.models import AgreementGroup, CommitteeSeat, NegotiatingCommittee
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.to_core import school_year_document

from .access import CAST, assert_sent_to_sign_in, expected_status, ids, matrix

#: The schools, cast and fixtures are built once for the module (tests/web/conftest.py);
#: each test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

#: Fixed ids for the two seats, far from any a sequence would hand out.
SCOTTISH_SEAT, ENGLISH_SEAT = 1_900_009_101, 1_900_009_201


def _url(name: str, school: str, *args: object) -> str:
    return reverse(name, args=[school, *args])


PAGES = {
    "scottish committee": _url("school-committee", "test-academy"),
    "scottish seat add": _url("committee-seat-add", "test-academy"),
    "scottish seat edit": _url("committee-seat-edit", "test-academy", SCOTTISH_SEAT),
    "scottish seat remove": _url("committee-seat-remove", "test-academy", SCOTTISH_SEAT),
    "scottish unions": _url("committee-unions", "test-academy"),
    "scottish group add": _url("group-add", "test-academy"),
    "scottish group edit": _url("group-edit", "test-academy", "eco"),
    "scottish group delete": _url("group-delete", "test-academy", "eco"),
    "english committee": _url("school-committee", "test-school"),
    "english seat edit": _url("committee-seat-edit", "test-school", ENGLISH_SEAT),
    "english group edit": _url("group-edit", "test-school", "eco"),
    # the Scottish school's seat asked for under the English school
    "scottish seat at the english school": _url(
        "committee-seat-edit", "test-school", SCOTTISH_SEAT
    ),
}

SCOTTISH_WRITES = {
    "scottish seat add",
    "scottish seat edit",
    "scottish seat remove",
    "scottish unions",
    "scottish group add",
    "scottish group edit",
    "scottish group delete",
}
ENGLISH_WRITES = {"english seat edit", "english group edit"}
SCOTTISH_READ = {"scottish committee"}
ENGLISH_READ = {"english committee"}

ALLOWED = {
    "head": SCOTTISH_READ | SCOTTISH_WRITES,
    "rep": SCOTTISH_READ,
    "teacher": SCOTTISH_READ,  # staff of the school read its committee and groups
    "colleague": SCOTTISH_READ,
    "council": SCOTTISH_READ,
    "union-officer": SCOTTISH_READ,
    "admin": SCOTTISH_READ | SCOTTISH_WRITES | ENGLISH_READ | ENGLISH_WRITES,
    "other-head": ENGLISH_READ | ENGLISH_WRITES,
    "other-council": ENGLISH_READ,
}

MATRIX = matrix(PAGES, ALLOWED)


@pytest.fixture(scope="module", autouse=True)
def record(shared_schools):  # type: ignore[no-untyped-def]
    """A group 'eco' and a committee with one seat at each school."""
    for slug, pk in (("test-academy", SCOTTISH_SEAT), ("test-school", ENGLISH_SEAT)):
        year = SchoolYear.objects.get(school__slug=slug)
        posts = list(year.staff.order_by("pk"))
        group = AgreementGroup.objects.create(
            school_year=year, group_id="eco", title="Eco committee", hours=6
        )
        group.members.add(posts[1])
        committee = NegotiatingCommittee.objects.create(school_year=year)
        CommitteeSeat.objects.create(
            pk=pk, committee=committee, post=posts[0], role="head-teacher", since=date(2025, 4, 1)
        )


@pytest.mark.django_db
@pytest.mark.parametrize(("who", "page"), MATRIX, ids=ids(MATRIX))
def test_each_person_opens_exactly_the_committee_pages_their_role_and_school_allow(
    as_user, who, page
):
    response = as_user(who).get(PAGES[page])

    assert response.status_code == expected_status(who, page, PAGES, ALLOWED)


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES, ids=list(PAGES))
def test_someone_signed_out_is_sent_to_sign_in(as_user, page):
    assert_sent_to_sign_in(as_user(None).get(PAGES[page]))


def _state() -> tuple[object, ...]:
    documents = [school_year_document(y) for y in SchoolYear.objects.order_by("pk")]
    return documents, AuditEntry.objects.count()


#: A POST that would change something, for each write page.
POSTS = {
    "scottish seat add": {
        "staff_id": "t1",
        "role": "senior-manager",
        "since_0": "1",
        "since_1": "4",
        "since_2": "2025",
    },
    "scottish seat edit": {
        "staff_id": "t1",
        "role": "senior-manager",
        "since_0": "1",
        "since_1": "4",
        "since_2": "2025",
    },
    "scottish seat remove": {},
    "scottish unions": {"unions": "EIS"},
    "scottish group add": {"group_id": "new", "title": "New group", "hours": "3"},
    "scottish group edit": {"group_id": "eco", "title": "Renamed", "hours": "3"},
    "scottish group delete": {},
    "english seat edit": {
        "staff_id": "t1",
        "role": "senior-manager",
        "since_0": "1",
        "since_1": "4",
        "since_2": "2025",
    },
    "english group edit": {"group_id": "eco", "title": "Renamed", "hours": "3"},
    "scottish seat at the english school": {
        "staff_id": "t1",
        "role": "senior-manager",
        "since_0": "1",
        "since_1": "4",
        "since_2": "2025",
    },
}


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "page"),
    [(who, page) for who in CAST for page in POSTS if page not in ALLOWED[who]],
    ids=lambda v: str(v),
)
def test_a_post_from_someone_not_allowed_changes_nothing(as_user, who, page):
    before = _state()

    response = as_user(who).post(PAGES[page], POSTS[page])

    assert response.status_code in (403, 404)
    assert _state() == before


@pytest.mark.django_db
@pytest.mark.parametrize("page", sorted(SCOTTISH_WRITES))
def test_the_head_can_post_each_write(as_user, page):
    before = _state()

    response = as_user("head").post(PAGES[page], POSTS[page])

    assert response.status_code == 302, response.content.decode()[:3000]
    assert _state() != before
