"""`make run` loads the demo schools and logins; running it again duplicates nothing."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.test import Client, override_settings
from django.urls import reverse

from fairload.web.accounts.models import Membership
from fairload.web.schools.models import School, SchoolYear, StaffPost
from fairload.web.schools.to_core import to_core


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_loading_the_demo_twice_gives_the_same_schools_logins_and_links() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    assert School.objects.count() == 3
    assert SchoolYear.objects.count() == 3
    # 7 logins, one per role, the two Joint Secretaries of appeals/demo.py, the NEU
    # rep, two members and local officer, and the EIS rep and member, of disputes/demo.py
    assert get_user_model().objects.count() == 15
    assert Membership.objects.count() == 15
    teacher = StaffPost.objects.get(staff_id="hmuir")
    assert teacher.person is not None and teacher.person.username == "teacher"


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demos_rep_and_union_officer_act_for_a_union_so_its_pages_work() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    client = Client()
    client.force_login(get_user_model().objects.get(username="rep"))

    unions = dict(
        Membership.objects.filter(user__username__in=["rep", "union-officer"]).values_list(
            "user__username", "union"
        )
    )
    assert unions == {"rep": "EIS", "union-officer": "EIS"}
    members = client.get(reverse("school-union-members", args=["auchenlea-academy"]))
    assert members.status_code == 200


@pytest.mark.django_db
def test_the_demo_with_its_known_passwords_is_refused_outside_development() -> None:
    with pytest.raises(CommandError, match="FAIRLOAD_ENV=development"):
        call_command("load_demo")


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demo_school_has_a_dated_committee_and_two_working_groups() -> None:
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    year = SchoolYear.objects.get(school__slug="auchenlea-academy")
    client = Client()
    client.force_login(get_user_model().objects.get(username="teacher"))

    core = to_core(year)
    page = client.get(reverse("school-committee", args=["auchenlea-academy"]))

    assert [g.title for g in core.agreement.groups] == [
        "Learning and teaching working group",
        "Health and wellbeing working group",
    ]
    assert core.agreement.committee is not None
    roles = sorted({m.role for m in core.agreement.committee.members})
    assert roles == ["head-teacher", "senior-manager", "union-rep"]
    assert page.status_code == 200
    assert "Lorna Blair" in page.content.decode()


@pytest.mark.slow  # loads the whole demo
@pytest.mark.django_db
@override_settings(DEVELOPMENT=True)
def test_the_demo_has_a_joint_secretary_per_side_and_an_appeal_at_the_informal_stage() -> None:
    from fairload.web.appeals.models import Appeal
    from fairload.web.appeals.steps import stage

    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    call_command("load_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115
    (appeal,) = Appeal.objects.all()
    found = stage(appeal)
    assert found is not None and found.waiting == "informal-meeting"
    assert appeal.meetings.get().attendees.count() == 4
    client = Client()
    client.force_login(get_user_model().objects.get(username="js-teachers"))
    queue = client.get(reverse("joint-secretaries", args=["south-ayrshire-council"]))
    assert "Glenburnie Primary School" in queue.content.decode()
    assert client.get(reverse("appeal-detail", args=[appeal.pk])).status_code == 200
    head = Client()
    head.force_login(get_user_model().objects.get(username="head"))
    assert head.get(reverse("appeal-detail", args=[appeal.pk])).status_code == 404
    dashboard = head.get(reverse("school-dashboard", args=["auchenlea-academy"]))
    assert dashboard.status_code == 200
