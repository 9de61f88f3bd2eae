"""People in the browser: making logins, roles, posts, offboarding, password links, subject
access, erasure and two-factor sign-in."""

from __future__ import annotations

import json
import re

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from fairload.web.accounts.models import Membership, Role, UnionMembership
from fairload.web.api.services import api_token_create
from fairload.web.audit.models import AuditEntry
from fairload.web.feeds.services import feed_create
from fairload.web.schools.models import StaffPost
from fairload.web.schools.selectors import school_year_check, school_year_current

pytestmark = pytest.mark.django_db

SCOTTISH = "test-academy"
_LINK = re.compile(r"https?://testserver(/sign-in/reset/[^/\s]+/[^/\s]+/)")


def _new_login(client: Client, slug: str = SCOTTISH, **extra: str):  # type: ignore[no-untyped-def]
    data = {
        "username": "ailsa",
        "first_name": "Ailsa",
        "last_name": "Reid",
        "email": "ailsa@example.org",
        "role": Role.TEACHER.value,
        **extra,
    }
    return client.post(reverse("school-person-add", args=[slug]), data)


def _set_password_from_email(password: str = "a-long-new-password") -> None:
    link = _LINK.search(mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    client = Client()
    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200
    done = client.post(
        form.redirect_chain[-1][0], {"new_password1": password, "new_password2": password}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_reset_complete")


def _signed_in(username: str, password: str, code: str = "") -> Client:
    client = Client()
    response = client.post(
        reverse("login"), {"username": username, "password": password, "code": code}
    )
    assert response.status_code == 302, response.content.decode()
    return client


def test_a_head_makes_a_login_and_the_person_sets_their_own_password(as_user, schools):
    response = _new_login(as_user("head"), school=str(schools[SCOTTISH].pk))

    person = get_user_model().objects.get(username="ailsa")
    assert response.status_code == 302 and response["Location"] == reverse(
        "person", args=[person.pk]
    )
    assert not person.has_usable_password()
    assert Membership.objects.filter(user=person, role=Role.TEACHER, school=schools[SCOTTISH])
    assert mail.outbox[-1].to == ["ailsa@example.org"]
    _set_password_from_email()
    _signed_in("ailsa", "a-long-new-password")
    assert AuditEntry.objects.filter(action="person.create", school=schools[SCOTTISH]).exists()


def test_a_head_cannot_make_a_login_with_a_role_in_another_school(as_user, schools):
    response = _new_login(
        as_user("head"), school=str(schools["test-school"].pk), role=Role.HEAD.value
    )

    assert response.status_code == 200  # the form again, with its error
    assert not get_user_model().objects.filter(username="ailsa").exists()
    assert _new_login(as_user("head"), slug="test-school").status_code == 404


def test_a_head_cannot_give_a_council_or_site_role(as_user, cast):
    teacher = cast["teacher"]
    response = as_user("head").post(
        reverse("person-role-add", args=[teacher.pk]), {"role": Role.SITE_ADMIN.value}
    )

    assert response.status_code == 400
    assert not Membership.objects.filter(user=teacher, role=Role.SITE_ADMIN).exists()


def test_a_rep_role_names_its_union_and_can_be_taken_away(as_user, cast, schools):
    teacher, url = cast["teacher"], reverse("person-role-add", args=[cast["teacher"].pk])
    school = str(schools[SCOTTISH].pk)
    refused = as_user("head").post(url, {"role": Role.UNION_REP.value, "school": school})
    assert refused.status_code == 400 and "Enter the union they act for" in refused.content.decode()

    as_user("head").post(url, {"role": Role.UNION_REP.value, "school": school, "union": "EIS"})
    rep = Membership.objects.get(user=teacher, role=Role.UNION_REP)
    assert rep.union == "EIS"
    assert (
        as_user("teacher").get(reverse("school-union-members", args=[SCOTTISH])).status_code == 200
    )

    as_user("head").post(reverse("person-role-remove", args=[teacher.pk, rep.pk]))
    assert not Membership.objects.filter(pk=rep.pk).exists()


def test_an_admin_gives_a_council_officer_their_council(as_user, cast, schools):
    council = schools["test-school"].council
    as_user("admin").post(
        reverse("person-role-add", args=[cast["teacher"].pk]),
        {"role": Role.UNION_OFFICER.value, "council": str(council.pk), "union": "NEU"},
    )

    held = Membership.objects.get(user=cast["teacher"], role=Role.UNION_OFFICER)
    assert (held.council, held.school, held.union) == (council, None, "NEU")


def test_linking_a_post_makes_the_teacher_page_theirs(as_user, schools):
    _new_login(as_user("head"), school=str(schools[SCOTTISH].pk))
    person = get_user_model().objects.get(username="ailsa")
    post = StaffPost.objects.filter(
        school_year=school_year_current(school=schools[SCOTTISH]), person=None
    ).first()
    assert post is not None

    as_user("head").post(reverse("person-post-link", args=[person.pk]), {"post": str(post.pk)})

    post.refresh_from_db()
    assert post.person == person
    mine = Client()
    mine.force_login(person)
    assert mine.get(reverse("teacher-page", args=[SCOTTISH, post.staff_id])).status_code == 200


def test_disabling_a_login_cuts_its_sessions_feeds_and_tokens_at_once(as_user, cast, schools):
    teacher = cast["teacher"]
    teacher.set_password("their-password-1")
    teacher.save()
    session = _signed_in("teacher", "their-password-1")
    home = reverse("teacher-page", args=[SCOTTISH, "t1"])
    assert session.get(home).status_code == 200
    _, feed_secret = feed_create(
        actor=teacher, school=schools[SCOTTISH], staff_id="t1", staff_name="Kirsty"
    )
    _, key = api_token_create(user=teacher, name="mine")
    api = Client(headers={"Authorization": f"Bearer {key}"})
    assert api.get(f"/api/schools/{SCOTTISH}/teachers/t1/budget").status_code == 200

    response = as_user("head").post(reverse("person-disable", args=[teacher.pk]))

    assert response.status_code == 302
    assert session.get(home)["Location"].startswith(reverse("login"))
    assert Client().get(reverse("feed", args=[feed_secret])).status_code == 404
    assert api.get(f"/api/schools/{SCOTTISH}/teachers/t1/budget").status_code == 401
    assert (
        Client()
        .post(reverse("login"), {"username": "teacher", "password": "their-password-1"})
        .status_code
        == 200
    )
    entry = AuditEntry.objects.get(action="person.disable")
    assert entry.details == {"sessions": 1, "feeds": 1, "api_tokens": 1}


def test_a_head_cannot_disable_someone_with_a_role_beyond_their_school(as_user, cast, schools):
    council = cast["council"]
    StaffPost.objects.filter(school_year__school=schools[SCOTTISH], staff_id="pt3").update(
        person=council
    )

    assert as_user("head").get(reverse("person", args=[council.pk])).status_code == 200
    assert as_user("head").post(reverse("person-disable", args=[council.pk])).status_code == 404
    council.refresh_from_db()
    assert council.is_active


def test_a_head_sends_a_password_link(as_user, cast):
    teacher = cast["teacher"]
    teacher.email = "kirsty@example.org"
    teacher.save()

    as_user("head").post(reverse("person-password-reset", args=[teacher.pk]))

    assert mail.outbox[-1].to == ["kirsty@example.org"]
    _set_password_from_email("kirsty-new-password")
    _signed_in("teacher", "kirsty-new-password")


def test_anyone_resets_a_forgotten_password_by_email(cast):
    teacher = cast["teacher"]
    teacher.email = "kirsty@example.org"
    teacher.save()

    response = Client().post(reverse("password_reset"), {"email": "kirsty@example.org"})

    assert response.status_code == 302
    assert "Set your fairload password" in mail.outbox[-1].subject
    _set_password_from_email("kirsty-new-password")
    _signed_in("teacher", "kirsty-new-password")


# --- UK GDPR --------------------------------------------------------------------------------


def test_a_person_downloads_everything_held_about_them(as_user, cast, schools):
    UnionMembership.objects.create(user=cast["teacher"], union="EIS")
    api_token_create(user=cast["teacher"], name="my script")

    response = as_user("teacher").get(reverse("account-data"))

    assert response["Content-Disposition"].startswith("attachment")
    data = json.loads(response.content)
    assert data["login"]["username"] == "teacher"
    assert data["union_membership"]["union"] == "EIS"
    assert data["roles"] == [
        {"role": "Teacher", "school": "Test Academy", "council": None, "union_acted_for": None}
    ]
    (post,) = data["staff_posts"]
    assert post["staff_id"] == "t1" and post["events"]
    assert data["api_tokens"][0]["name"] == "my script"
    assert "key_hash" not in response.content.decode()


def test_erasing_a_person_keeps_the_schools_totals_and_an_audit_entry(as_user, cast, schools):
    teacher = cast["teacher"]
    UnionMembership.objects.create(user=teacher, union="EIS")
    year = school_year_current(school=schools[SCOTTISH])
    assert year is not None
    before = school_year_check(year=year)
    name = StaffPost.objects.get(school_year=year, staff_id="t1").name

    assert as_user("admin").get(reverse("person-erase", args=[teacher.pk])).status_code == 200
    as_user("admin").post(reverse("person-erase", args=[teacher.pk]))

    assert not get_user_model().objects.filter(username="teacher").exists()
    assert not UnionMembership.objects.exists()
    post = StaffPost.objects.get(school_year=year, staff_id="t1")
    assert post.person is None and name not in post.name
    year.refresh_from_db()
    after = school_year_check(year=year)
    assert [(f.rule, f.severity) for f in after.findings] == [
        (f.rule, f.severity) for f in before.findings
    ]
    assert AuditEntry.objects.filter(action="person.erase", actor=cast["admin"]).exists()


def test_a_head_cannot_erase_anyone(as_user, cast):
    response = as_user("head").post(reverse("person-erase", args=[cast["teacher"].pk]))

    assert response.status_code == 404
    assert get_user_model().objects.filter(username="teacher").exists()


# --- two-factor sign-in ---------------------------------------------------------------------


def _code(device: TOTPDevice, offset: int = 0) -> str:
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=6, drift=offset)
    return f"{code:06d}"


def test_a_rep_turns_on_two_factor_and_is_asked_for_a_code_at_sign_in(as_user, cast):
    rep = cast["rep"]
    rep.set_password("rep-password-1")
    rep.save()
    client = as_user("rep")
    page = client.get(reverse("account-two-factor")).content.decode()
    assert 'src="data:image/svg+xml' in page and "data-totp-secret" in page
    device = TOTPDevice.objects.get(user=rep, confirmed=False)

    assert client.post(reverse("account-two-factor"), {"code": "abcdef"}).status_code == 400
    client.post(reverse("account-two-factor"), {"code": _code(device)})
    device.refresh_from_db()
    assert device.confirmed

    without = Client().post(reverse("login"), {"username": "rep", "password": "rep-password-1"})
    assert without.status_code == 200
    assert "Enter the 6-digit code" in without.content.decode()
    # the code that confirmed the app may not be used again; the next step's code may
    _signed_in("rep", "rep-password-1", _code(device, offset=1))


def test_a_missing_code_counts_towards_the_sign_in_limit(as_user, cast):
    rep = cast["rep"]
    rep.set_password("rep-password-1")
    rep.save()
    TOTPDevice.objects.create(user=rep, name="app", confirmed=True)
    client = Client()
    for _ in range(5):
        client.post(reverse("login"), {"username": "rep", "password": "rep-password-1"})

    locked = client.post(reverse("login"), {"username": "rep", "password": "rep-password-1"})

    assert locked.status_code == 429


def test_without_two_factor_the_code_box_is_ignored(cast):
    teacher = cast["teacher"]
    teacher.set_password("their-password-1")
    teacher.save()

    _signed_in("teacher", "their-password-1", code="")
