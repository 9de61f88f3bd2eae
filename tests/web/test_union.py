"""Union membership is special-category data: only the person, the reps of their union in
their school and that union's officers for the council see it.

Kirsty (the cast's 'teacher', staff t1 of Test Academy) says which union she belongs to.
Each test proves who sees it by looking for the union's name in every page a person can
open, so a leak anywhere (a page, a list, the API, an export, a feed) fails it.
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.api.services import api_token_create
from fairload.web.audit.models import AuditEntry
from fairload.web.feeds.services import feed_create
from fairload.web.schools.models import School

pytestmark = pytest.mark.django_db

SCOTTISH = "test-academy"
#: A union no page would mention by chance, so its absence from a page means something.
UNION = "Fairload Union of Testers"
ANOTHER = "NASUWT"


@pytest.fixture
def people(cast, schools):  # type: ignore[no-untyped-def]
    """The cast, with the rep and the union officer acting for Kirsty's union, and a rep
    of another union in her school."""
    Membership.objects.filter(user=cast["rep"]).update(union=UNION)
    Membership.objects.filter(user=cast["union-officer"]).update(union=UNION)
    other_rep = get_user_model().objects.create_user(username="other-rep", password="x")
    Membership.objects.create(
        user=other_rep, role=Role.UNION_REP, school=schools[SCOTTISH], union=ANOTHER
    )
    return {**cast, "other-rep": other_rep}


@pytest.fixture
def client_for(people):  # type: ignore[no-untyped-def]
    def make(who: str) -> Client:
        client = Client()
        client.force_login(people[who])
        return client

    return make


@pytest.fixture
def declared(client_for) -> None:  # type: ignore[no-untyped-def]
    """Kirsty says, on her own page, that she belongs to UNION."""
    response = client_for("teacher").post(
        reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "other", "other": UNION}
    )
    assert response.status_code == 302
    assert UnionMembership.objects.get().union == UNION


def _pages(people, who: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    """Every page that could show Kirsty's union, as this person sees it (404s included),
    and the API's staff list with their own key."""
    client = Client()
    client.force_login(people[who])
    urls = {
        "teacher page": reverse("teacher-page", args=[SCOTTISH, "t1"]),
        "members": reverse("school-union-members", args=[SCOTTISH]),
        "english members": reverse("school-union-members", args=["test-school"]),
        "dashboard": reverse("school-dashboard", args=[SCOTTISH]),
        "changes": reverse("school-audit", args=[SCOTTISH]),
        "export": reverse("school-export", args=[SCOTTISH]),
        "school-year file": reverse("school-export-yaml", args=[SCOTTISH]),
        "home": reverse("home"),
    }
    pages = {
        name: client.get(url, follow=True).content.decode(errors="replace")
        for name, url in urls.items()
    }
    _, key = api_token_create(user=people[who], name="test")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    for endpoint in ("staff", "events"):
        pages[f"api {endpoint}"] = api.get(f"/api/schools/{SCOTTISH}/{endpoint}").content.decode()
    pages["api teacher"] = api.get(f"/api/schools/{SCOTTISH}/teachers/t1/budget").content.decode()
    return pages


def _checked(page: str) -> list[str]:
    """The values of the radios checked on a page."""
    return re.findall(r'value="([^"]*)"\s+checked="checked"', page)


# --- the person themself --------------------------------------------------------------------


def test_the_person_sees_the_form_and_who_can_see_their_answer(as_user):
    page = as_user("teacher").get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content.decode()

    assert "Your union membership" in page
    assert 'name="union"' in page and "I&#x27;d rather not say" in page
    assert "the representatives of your union at Test Academy" in page
    assert "Not the head teacher or your line manager, not the council" in page
    assert reverse("teacher-union", args=[SCOTTISH, "t1"]) in page


def test_the_person_states_changes_and_removes_their_own_membership(as_user, cast):
    client = as_user("teacher")
    url = reverse("teacher-union", args=[SCOTTISH, "t1"])

    client.post(url, {"union": "EIS"})
    assert UnionMembership.objects.get(user=cast["teacher"]).union == "EIS"
    page = client.get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content.decode()
    assert _checked(page) == ["EIS"]
    assert "You have said you are a member of <strong data-union>EIS</strong>" in page

    client.post(url, {"union": "other", "other": "  scottish   secondary  teachers  "})
    assert UnionMembership.objects.get().union == "scottish secondary teachers"
    page = client.get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content.decode()
    assert _checked(page) == ["other"]
    assert 'value="scottish secondary teachers"' in page

    client.post(url, {"union": "other", "other": "eis"})  # a listed union typed by hand
    assert UnionMembership.objects.get().union == "EIS"

    response = client.post(url, {"union": "not-saying"})
    assert response.status_code == 302
    assert response["Location"] == (
        reverse("teacher-page", args=[SCOTTISH, "t1"]) + "#union-membership"
    )
    assert not UnionMembership.objects.exists()


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        ({}, "Select your union, or that you would rather not say"),
        ({"union": "other", "other": "   "}, "Enter the name of your union"),
        ({"union": "other", "other": "x" * 61}, "60 characters or fewer"),
        ({"union": "a union not listed"}, "Select a valid choice"),
    ],
    ids=["nothing", "other, blank", "other, too long", "not a choice"],
)
def test_a_wrong_answer_is_shown_with_its_error_and_stores_nothing(as_user, answer, error):
    response = as_user("teacher").post(reverse("teacher-union", args=[SCOTTISH, "t1"]), answer)

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert error in page
    assert "<title>Error: " in page
    assert not UnionMembership.objects.exists()
    assert not AuditEntry.objects.exists()


def test_a_change_is_audited_without_the_union_or_a_school(as_user, declared, cast):
    as_user("teacher").post(reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "EIS"})
    as_user("teacher").post(reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "EIS"})
    as_user("teacher").post(
        reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "not-saying"}
    )

    entries = AuditEntry.objects.filter(actor=cast["teacher"]).order_by("pk")
    # declared, changed to the EIS, (the same again: nothing), removed
    assert entries.count() == 3
    for entry in entries:
        assert entry.school is None
        assert entry.action == "union-membership.change"
        assert entry.summary == "Changed their own union membership record"
        for name in (UNION, "EIS"):
            assert name not in entry.summary and name not in str(entry.details)
    changes = as_user("head").get(reverse("school-audit", args=[SCOTTISH])).content.decode()
    assert "union membership" not in changes


@pytest.mark.parametrize(
    "who", ["head", "rep", "colleague", "council", "union-officer", "admin", "other-head"]
)
def test_nobody_else_can_state_or_remove_a_persons_membership(client_for, declared, who):
    url = reverse("teacher-union", args=[SCOTTISH, "t1"])

    changed = client_for(who).post(url, {"union": "EIS"})
    removed = client_for(who).post(url, {"union": "not-saying"})

    assert changed.status_code == removed.status_code == 404
    assert UnionMembership.objects.get().union == UNION


def test_signed_out_nobody_can_state_a_membership(people):
    response = Client().post(reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "EIS"})

    assert response.status_code == 302
    assert not UnionMembership.objects.exists()


def test_a_colleague_states_their_own_on_their_own_address_only(client_for, people):
    client_for("colleague").post(reverse("teacher-union", args=[SCOTTISH, "t2"]), {"union": "NEU"})

    assert UnionMembership.objects.get().user == people["colleague"]


# --- who sees it ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["rep", "union-officer"])
def test_a_rep_or_officer_of_that_union_sees_it_read_only(client_for, declared, who):
    page = client_for(who).get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content.decode()

    assert (
        f"Kirsty Teacher has said they are a member of <strong data-union>{UNION}</strong>" in page
    )
    assert 'name="union"' not in page
    assert reverse("teacher-union", args=[SCOTTISH, "t1"]) not in page
    assert reverse("school-union-members", args=[SCOTTISH]) in page


@pytest.mark.parametrize("who", ["rep", "union-officer"])
def test_a_rep_or_officer_of_that_union_sees_the_member_on_the_members_page(
    client_for, declared, who
):
    response = client_for(who).get(reverse("school-union-members", args=[SCOTTISH]))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-member="t1"' in page
    assert "Kirsty Teacher" in page and UNION in page
    assert 'data-member="t2"' not in page  # Duncan said nothing


@pytest.mark.parametrize(
    "who",
    [
        "other-rep",
        "head",
        "council",
        "admin",
        "colleague",
        "other-head",
        "other-council",
    ],
)
def test_nobody_else_sees_the_union_on_any_page_they_can_open(people, declared, who):
    pages = _pages(people, who)

    for name, page in pages.items():
        assert UNION not in page, f"{who} sees the union on {name}"
    if who in ("head", "council", "admin"):  # they do open Kirsty's page, just without it
        assert "Kirsty Teacher" in pages["teacher page"]
        assert "union-membership" not in pages["teacher page"]


@pytest.mark.parametrize("who", ["teacher", "rep", "union-officer"])
def test_the_union_is_in_no_api_response_even_for_those_who_may_see_it(people, declared, who):
    pages = _pages(people, who)

    for name in ("api staff", "api events", "api teacher", "school-year file", "dashboard"):
        assert UNION not in pages[name], name


def test_a_rep_of_another_union_sees_only_their_own_unions_members(client_for, declared):
    response = client_for("other-rep").get(reverse("school-union-members", args=[SCOTTISH]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Members of NASUWT" in page
    assert "Kirsty Teacher" not in page


@pytest.mark.parametrize(
    "who", ["head", "council", "admin", "teacher", "colleague", "other-head", "other-council"]
)
def test_the_members_page_is_refused_to_anyone_not_acting_for_a_union(client_for, declared, who):
    # A teacher of the school is told the page is not for their role (403); to anyone else
    # it is no page at all. Neither answer says who is a member.
    response = client_for(who).get(reverse("school-union-members", args=[SCOTTISH]))
    assert response.status_code == (403 if who in {"teacher", "colleague"} else 404)


def test_a_rep_with_no_union_named_and_a_rep_of_another_school_get_404(client_for, people):
    Membership.objects.filter(user=people["rep"]).update(union="")

    assert (
        client_for("rep").get(reverse("school-union-members", args=[SCOTTISH])).status_code == 404
    )
    assert (
        client_for("union-officer")
        .get(reverse("school-union-members", args=["test-school"]))
        .status_code
        == 404
    )


def test_a_rep_matches_the_union_whatever_its_case(client_for, people):
    client_for("teacher").post(reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "EIS"})
    Membership.objects.filter(user=people["rep"]).update(union="eis")

    page = client_for("rep").get(reverse("school-union-members", args=[SCOTTISH])).content.decode()

    assert 'data-member="t1"' in page


def test_the_union_is_in_no_feed(people, declared, schools):
    feeds = [
        feed_create(actor=people["teacher"], school=schools[SCOTTISH], staff_id="t1")[1],
        feed_create(actor=people["head"], school=schools[SCOTTISH])[1],
    ]

    for token in feeds:
        body = Client().get(reverse("feed", args=[token])).content.decode()
        assert "BEGIN:VCALENDAR" in body
        assert UNION not in body


def test_the_person_is_not_listed_once_they_withdraw(client_for, declared):
    client_for("teacher").post(
        reverse("teacher-union", args=[SCOTTISH, "t1"]), {"union": "not-saying"}
    )

    page = client_for("rep").get(reverse("school-union-members", args=[SCOTTISH])).content.decode()
    teacher = client_for("rep").get(reverse("teacher-page", args=[SCOTTISH, "t1"])).content.decode()

    assert "Kirsty Teacher" not in page
    assert UNION not in teacher and "union-membership" not in teacher
    assert School.objects.filter(slug=SCOTTISH).exists()


# --- the time a page takes says nothing --------------------------------------------------


def _queries_for_teacher_page(client: Client) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    url = reverse("teacher-page", args=[SCOTTISH, "t1"])
    client.get(url)  # the first read warms the per-process caches
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("who", ["head", "rep", "union-officer", "council", "admin", "teacher"])
def test_a_teacher_page_runs_the_same_queries_whether_or_not_they_are_a_member(
    client_for, people, who
):
    not_a_member = _queries_for_teacher_page(client_for(who))
    UnionMembership.objects.create(user=people["teacher"], union=UNION)
    member = _queries_for_teacher_page(client_for(who))

    assert member == not_a_member
