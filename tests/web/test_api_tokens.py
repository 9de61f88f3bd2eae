"""Issuing API tokens: on one's own page or with `fairload-web api_token`, key shown once."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from fairload.web.api.models import ApiToken
from fairload.web.api.services import key_hash
from fairload.web.audit.models import AuditEntry


@pytest.mark.django_db
def test_a_token_made_on_the_page_is_shown_once_works_and_is_stored_only_as_a_hash(as_user):
    client = as_user("council")

    page = client.post(reverse("api-tokens"), {"name": "council dashboard"}).content.decode()

    key = page.split("data-token-key>")[1].split("<")[0]
    token = ApiToken.objects.get(name="council dashboard")
    assert token.key_hash == key_hash(key) and key not in token.key_hash
    api = client.get("/api/schools", HTTP_AUTHORIZATION=f"Bearer {key}")
    assert api.status_code == 200
    assert [s["slug"] for s in api.json()] == ["test-academy"]
    assert key not in client.get(reverse("api-tokens")).content.decode()
    assert AuditEntry.objects.filter(action="api-token.create").count() == 1


@pytest.mark.django_db
def test_a_token_needs_a_name(as_user):
    page = as_user("head").post(reverse("api-tokens"), {"name": ""}).content.decode()

    assert "There is a problem" in page and 'href="#id_name"' in page
    assert "Enter what the token is for" in page
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_revoking_stops_the_token_and_nobody_else_can_revoke_it(as_user, cast):
    call_command("api_token", "issue", "head", "--name", "export", stdout=io.StringIO())
    token = ApiToken.objects.get(user=cast["head"])

    assert as_user("rep").post(reverse("api-token-revoke", args=[token.pk])).status_code == 404
    token.refresh_from_db()
    assert not token.revoked

    response = as_user("head").post(reverse("api-token-revoke", args=[token.pk]))
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked


@pytest.mark.django_db
def test_the_command_issues_a_working_key_and_lists_tokens(as_user, cast):
    out = io.StringIO()
    call_command("api_token", "issue", "rep", "--name", "nightly", stdout=out)
    key = out.getvalue().split(": ", 1)[1].split()[0]

    assert as_user(None).get("/api/schools", HTTP_AUTHORIZATION=f"Bearer {key}").status_code == 200
    listing = io.StringIO()
    call_command("api_token", "list", "rep", stdout=listing)
    assert "nightly" in listing.getvalue() and "active" in listing.getvalue()
    with pytest.raises(CommandError, match="no login 'nobody'"):
        call_command("api_token", "list", "nobody")


@pytest.mark.django_db
def test_grant_role_makes_a_login_with_no_password_and_links_a_teacher(cast, schools):
    out = io.StringIO()
    call_command(
        "grant_role",
        "newteacher",
        "teacher",
        "--school",
        "test-academy",
        "--staff-id",
        "pb",
        stdout=out,
    )

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="newteacher")
    assert not user.has_usable_password()
    assert user.staff_posts.get().staff_id == "pb"
    with pytest.raises(CommandError, match="--school is required"):
        call_command("grant_role", "x", "head")
    with pytest.raises(CommandError, match="--union is only for"):
        call_command("grant_role", "x", "head", "--school", "test-academy", "--union", "EIS")
