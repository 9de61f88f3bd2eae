"""The committee and groups pages: what each role reads, and the head's changes, each
checked as the whole year by the core and recorded, or refused with nothing written."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fairload.web.accounts.models import UnionMembership
from fairload.web.audit.models import AuditEntry
from fairload.web.committee.models import AgreementGroup, CommitteeSeat, NegotiatingCommittee
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.to_core import school_year_document, to_core

from .test_imports import preview_of, problems_in

pytestmark = pytest.mark.django_db

PAGE = reverse("school-committee", args=["test-academy"])
ADD = reverse("committee-seat-add", args=["test-academy"])


def _year() -> SchoolYear:
    return SchoolYear.objects.get(school__slug="test-academy")


@pytest.fixture
def committee(cast):  # type: ignore[no-untyped-def]
    """The head teacher and Duncan Teacher (t2) as the EIS representative."""
    year = _year()
    recorded = NegotiatingCommittee.objects.create(school_year=year, accredited_unions=["EIS"])
    for staff_id, role, union in (("ht", "head-teacher", ""), ("t2", "union-rep", "EIS")):
        CommitteeSeat.objects.create(
            committee=recorded,
            post=year.staff.get(staff_id=staff_id),
            role=role,
            union=union,
            since=date(2025, 4, 1),
        )
    cast["rep"].memberships.update(union="EIS")
    return recorded


def _members_of_eis(count: int) -> None:
    """`count` of the school's staff say they are in the EIS (each a login on a post)."""
    users = get_user_model()
    for post in _year().staff.order_by("pk")[:count]:
        person = post.person or users.objects.create_user(username=f"p-{post.staff_id}")
        post.person = person
        post.save()
        UnionMembership.objects.update_or_create(user=person, defaults={"union": "EIS"})


def _count_on(page: str) -> str | None:
    match = re.search(r'data-union-count="EIS">([^<]*)<', page)
    return match.group(1) if match else None


def test_a_teacher_reads_the_committee_with_the_rep_named_as_rep_of_their_union(as_user, committee):
    page = as_user("teacher").get(PAGE).content.decode()

    assert re.search(r'data-seat="t2">.*?Union representative \(EIS\)', page, re.S)
    assert "Morag Head" in page
    assert "data-union-counts" not in page
    assert 'href="' + ADD not in page  # a teacher changes nothing


@pytest.mark.parametrize(("members", "shown"), [(4, "Fewer than 5"), (5, "5")])
def test_a_rep_sees_their_unions_count_only_from_the_packs_minimum(
    as_user, committee, members, shown
):
    """16.1 asks that representation reflect membership; the count is shown from the
    South Ayrshire pack's union_membership_count_minimum (5), at the limit and under it."""
    _members_of_eis(members)

    assert _count_on(as_user("rep").get(PAGE).content.decode()) == shown


@pytest.mark.parametrize("who", ["head", "teacher", "council", "admin"])
def test_nobody_else_sees_a_membership_count(as_user, committee, who):
    _members_of_eis(6)

    page = as_user(who).get(PAGE).content.decode()

    assert "data-union-counts" not in page
    assert _count_on(page) is None


def test_a_union_officer_sees_only_the_count_of_their_own_union(as_user, cast, committee):
    _members_of_eis(6)
    cast["union-officer"].memberships.update(union="SSTA")

    page = as_user("union-officer").get(PAGE).content.decode()

    assert _count_on(page) is None
    assert 'data-union-count="SSTA">Fewer than 5<' in page


def test_the_head_adds_a_committee_member_and_the_record_checks_with_them(as_user, committee):
    head = as_user("head")

    response = head.post(
        ADD,
        {
            "staff_id": "dht6",
            "role": "senior-manager",
            "since_0": "22",
            "since_1": "4",
            "since_2": "2025",
        },
    )

    assert response.status_code == 302
    members = to_core(_year()).agreement.committee.members  # type: ignore[union-attr]
    assert [(m.staff_id, m.role, m.since) for m in members][-1] == (
        "dht6",
        "senior-manager",
        date(2025, 4, 22),
    )
    entry = AuditEntry.objects.filter(action="committee.add").get()
    assert (
        entry.summary == "Added Iain Depute as senior manager on the School Negotiating Committee"
    )
    assert 'data-seat="dht6"' in head.get(PAGE).content.decode()


def test_a_rep_without_their_union_is_refused_on_the_form_and_nothing_changes(as_user, committee):
    before = school_year_document(_year())

    response = as_user("head").post(
        ADD,
        {"staff_id": "t1", "role": "union-rep", "since_0": "1", "since_1": "4", "since_2": "2025"},
    )

    assert response.status_code == 200
    assert "Enter the union they represent" in response.content.decode()
    assert school_year_document(_year()) == before


def test_a_committee_without_the_head_teacher_shows_the_161_finding(as_user, committee):
    """The pack's committee-composition rule, run on the stored rows: take the head off."""
    seat = CommitteeSeat.objects.get(post__staff_id="ht", committee=committee)
    as_user("head").post(reverse("committee-seat-remove", args=["test-academy", seat.pk]))

    page = as_user("rep").get(PAGE).content.decode()

    assert "data-committee-findings" in page
    assert "has no head teacher" in page


def test_the_head_adds_a_working_group_whose_hours_non_members_gain(as_user, cast):
    head = as_user("head")

    response = head.post(
        reverse("group-add", args=["test-academy"]),
        {"group_id": "eco", "title": "Eco committee", "hours": "6", "members": ["t1", "pt3"]},
    )

    assert response.status_code == 302
    (group,) = to_core(_year()).agreement.groups
    assert (group.id, group.title, group.hours, group.members) == (
        "eco",
        "Eco committee",
        6.0,
        ("t1", "pt3"),
    )


def test_a_group_with_an_id_taken_is_refused_and_nothing_changes(as_user, cast):
    year = _year()
    AgreementGroup.objects.create(school_year=year, group_id="eco", title="Eco", hours=6)
    before = (school_year_document(year), AuditEntry.objects.count())

    response = as_user("head").post(
        reverse("group-add", args=["test-academy"]),
        {"group_id": "eco", "title": "Another", "hours": "2"},
    )

    assert "There is a group with the id &#x27;eco&#x27; already." in response.content.decode()
    assert (school_year_document(_year()), AuditEntry.objects.count()) == before


def test_a_post_deleted_leaves_its_groups_and_committee(as_user, committee):
    """A committee member's or group member's post is removed with its rows (cascade)."""
    AgreementGroup.objects.create(school_year=_year(), group_id="eco", title="Eco", hours=6)
    AgreementGroup.objects.get(group_id="eco").members.add(_year().staff.get(staff_id="t2"))
    StaffPost.objects.filter(staff_id="t2", school_year=_year()).delete()

    core = to_core(_year())

    assert core.agreement.groups[0].members == ()
    assert [m.staff_id for m in core.agreement.committee.members] == ["ht"]  # type: ignore[union-attr]


def test_a_post_in_a_group_is_not_deleted_from_the_staff_page_and_nothing_changes(
    as_user, committee
):
    """As a staff file that would remove someone an event still names: the year would
    name a post it no longer has, so the deletion is refused with the place that names it."""
    AgreementGroup.objects.create(school_year=_year(), group_id="eco", title="Eco", hours=6)
    AgreementGroup.objects.get(group_id="eco").members.add(_year().staff.get(staff_id="pt3"))
    before = school_year_document(_year())

    response = as_user("head").post(reverse("post-delete", args=["test-academy", "pt3"]))

    page = response.content.decode()
    assert "agreement.groups[0].members[0]" in page
    assert "Take them off it on the Committee and groups page first" in page  # what to do
    assert school_year_document(_year()) == before


def test_a_staff_file_removing_a_group_or_committee_member_is_a_problem_naming_them(
    as_user, committee
):
    """Before, the preview passed and applying it failed: the group still named them."""
    AgreementGroup.objects.create(school_year=_year(), group_id="eco", title="Eco", hours=6)
    AgreementGroup.objects.get(group_id="eco").members.add(_year().staff.get(staff_id="pb"))
    everyone_but = "id,name,post\n" + "".join(
        f"{p.staff_id},{p.name},{p.post}\n"
        for p in _year().staff.order_by("pk")
        if p.staff_id not in ("pb", "t2")
    )
    before = school_year_document(_year())

    url = preview_of(
        as_user("head"), "staff-csv", "staff.csv", everyone_but, remove_missing_staff=True
    )
    page = as_user("head").get(url).content.decode()

    named = sorted(p[3] for p in problems_in(page))
    assert named == [
        "staff 'pb' (Eilidh Probationer) is not in this file and would be removed, but these "
        "still name them: the group 'eco' (Eco)",
        "staff 't2' (Duncan Teacher) is not in this file and would be removed, but these "
        "still name them: the School Negotiating Committee",
    ]
    assert school_year_document(_year()) == before


def test_who_sits_on_the_committee_on_a_day_counts_their_first_and_last_days(cast, committee):
    """For the agreement's workflows: a seat counts from its first day to its last."""
    from fairload.web.committee.selectors import seats_sitting, sits_on_committee

    seat = CommitteeSeat.objects.get(committee=committee, post__staff_id="t2")
    seat.post.person = cast["colleague"]
    seat.post.save()
    seat.until = date(2025, 6, 30)
    seat.save()
    year = _year()

    def sitting(day: date) -> list[str]:
        return [s.post.staff_id for s in seats_sitting(year=year, on=day)]

    assert sitting(date(2025, 3, 31)) == []
    assert sitting(date(2025, 4, 1)) == ["ht", "t2"]
    assert sitting(date(2025, 6, 30)) == ["ht", "t2"]
    assert sitting(date(2025, 7, 1)) == ["ht"]
    assert sits_on_committee(user_id=cast["colleague"].pk, year=year, on=date(2025, 6, 30))
    assert not sits_on_committee(user_id=cast["colleague"].pk, year=year, on=date(2025, 7, 1))
    assert not sits_on_committee(user_id=cast["teacher"].pk, year=year, on=date(2025, 5, 1))
