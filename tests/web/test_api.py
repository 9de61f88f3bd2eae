"""The HTTP API: token authentication, the pages' permissions on every endpoint, and the
shapes a client reads.

A school or teacher a person may not see answers 404, as the pages do.
"""

from __future__ import annotations

import hashlib

import pytest
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from fairload.web.api.models import ApiToken
from fairload.web.api.services import api_token_create, api_token_revoke
from fairload.web.schools.models import StaffPost

from .test_access import ALLOWED as PAGE_ALLOWED

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

SCOTTISH, ENGLISH = "test-academy", "test-school"


def _school_endpoints(slug: str) -> dict[str, str]:
    return {
        "school": f"/api/schools/{slug}",
        "staff": f"/api/schools/{slug}/staff",
        "events": f"/api/schools/{slug}/events",
        "budget": f"/api/schools/{slug}/budget",
        "findings": f"/api/schools/{slug}/findings",
    }


def _teacher_endpoints(staff_id: str) -> dict[str, str]:
    base = f"/api/schools/{SCOTTISH}/teachers/{staff_id}"
    return {"budget": f"{base}/budget", "findings": f"{base}/findings"}


#: What the pages are (as in test_access.py), and the endpoints that answer with their data.
SCOPES = {
    "scottish dashboard": _school_endpoints(SCOTTISH),
    "english dashboard": _school_endpoints(ENGLISH),
    "teacher's own page": _teacher_endpoints("t1"),
    "colleague's page": _teacher_endpoints("t2"),
}

#: The API has exactly the pages' permissions, so it is held to the pages' own table.
ALLOWED = PAGE_ALLOWED


#: who -> the schools GET /api/schools lists for them
LISTED = {
    "head": [SCOTTISH],
    "rep": [SCOTTISH],
    "teacher": [],
    "colleague": [],
    "council": [SCOTTISH],
    "union-officer": [SCOTTISH],
    "admin": [SCOTTISH, ENGLISH],
    "other-head": [ENGLISH],
    "other-council": [ENGLISH],
}

MATRIX = [
    (who, scope, endpoint)
    for who in ALLOWED
    for scope, endpoints in SCOPES.items()
    for endpoint in endpoints
]

EVERY_URL = ["/api/schools"] + [url for endpoints in SCOPES.values() for url in endpoints.values()]


@pytest.fixture
def keys(cast: dict[str, AbstractBaseUser]) -> dict[str, str]:
    """One API key per member of the cast."""
    return {who: api_token_create(user=user, name=f"{who}'s key")[1] for who, user in cast.items()}


@pytest.fixture
def api(keys: dict[str, str]):  # type: ignore[no-untyped-def]
    """A client presenting one cast member's key, or no key for None."""

    def client_for(who: str | None) -> Client:
        if who is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {keys[who]}"})

    return client_for


# --- who sees what ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "scope", "endpoint"), MATRIX, ids=[f"{w} -> {s} {e}" for w, s, e in MATRIX]
)
def test_each_person_reaches_exactly_the_endpoints_of_the_pages_they_may_open(
    api, who, scope, endpoint
):
    response = api(who).get(SCOPES[scope][endpoint])

    assert response.status_code == (200 if scope in ALLOWED[who] else 404), response.content


@pytest.mark.parametrize("who", LISTED)
def test_the_school_list_is_the_schools_whose_dashboard_the_person_may_open(api, who):
    response = api(who).get("/api/schools")

    assert response.status_code == 200
    slugs = [school["slug"] for school in response.json()]
    assert sorted(slugs) == sorted(LISTED[who])


def test_an_unknown_school_or_teacher_is_404_even_for_an_administrator(api):
    client = api("admin")

    assert client.get("/api/schools/no-such-school/findings").status_code == 404
    assert client.get(f"/api/schools/{SCOTTISH}/teachers/nobody/budget").status_code == 404


# --- tokens ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", EVERY_URL)
def test_every_endpoint_needs_a_token(api, url):
    response = api(None).get(url)

    assert response.status_code == 401


@pytest.mark.parametrize(
    "header",
    ["Bearer not-a-key", "Bearer ", "Bearer", "Token {key}", "Basic {key}", "{key}"],
)
def test_a_wrong_key_or_scheme_is_401(keys, header):
    client = Client(headers={"Authorization": header.format(key=keys["admin"])})

    assert client.get("/api/schools").status_code == 401


def test_a_revoked_token_is_401(api, cast):
    token, key = api_token_create(user=cast["head"], name="laptop")
    client = Client(headers={"Authorization": f"Bearer {key}"})
    assert client.get("/api/schools").status_code == 200

    api_token_revoke(token=token)

    assert client.get("/api/schools").status_code == 401
    assert api("head").get("/api/schools").status_code == 200  # the head's other key still works


def test_an_inactive_users_token_is_401(api, cast):
    cast["admin"].is_active = False
    cast["admin"].save()

    assert api("admin").get("/api/schools").status_code == 401


def test_a_signed_in_session_is_not_enough(cast):
    client = Client()
    client.force_login(cast["admin"])

    assert client.get("/api/schools").status_code == 401


def test_the_key_is_stored_only_as_its_sha256(cast):
    token, key = api_token_create(user=cast["head"], name="laptop")

    stored = ApiToken.objects.get(pk=token.pk)
    assert len(key) >= 40
    assert stored.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert key not in {str(value) for value in vars(stored).values()}
    assert not ApiToken.objects.filter(key_hash=key).exists()


def test_using_a_token_records_when(cast):
    token, key = api_token_create(user=cast["head"], name="laptop")
    assert token.last_used is None

    Client(headers={"Authorization": f"Bearer {key}"}).get("/api/schools")

    token.refresh_from_db()
    assert token.last_used is not None


def test_two_tokens_never_share_a_key(cast):
    keys = {api_token_create(user=cast["head"], name=str(n))[1] for n in range(20)}

    assert len(keys) == 20


# --- the document and the shapes ----------------------------------------------------------


def test_the_openapi_document_lists_every_endpoint_and_the_bearer_scheme(schools):
    response = Client().get("/api/openapi.json")

    assert response.status_code == 200
    document = response.json()
    assert document["info"] == {"title": "fairload API", "version": "1", **document["info"]}
    assert set(document["paths"]) == {
        "/api/schools",
        "/api/schools/{slug}",
        "/api/schools/{slug}/staff",
        "/api/schools/{slug}/events",
        "/api/schools/{slug}/budget",
        "/api/schools/{slug}/findings",
        "/api/schools/{slug}/teachers/{staff_id}/budget",
        "/api/schools/{slug}/teachers/{staff_id}/findings",
        "/api/schools/{slug}/ballots",
        "/api/schools/{slug}/ballots/{ballot_id}",
        "/api/schools/{slug}/agreement",
        "/api/schools/{slug}/agreement/versions",
        "/api/schools/{slug}/agreement/versions/{number}",
        "/api/schools/{slug}/agreement/ballot",
        "/api/disputes",
        "/api/disputes/{case_id}",
        "/api/schools/{slug}/plans",
        "/api/schools/{slug}/plans/{run_id}",
    }
    schemes = document["components"]["securitySchemes"]
    assert [s["scheme"] for s in schemes.values()] == ["bearer"]


def test_the_docs_page_is_served(schools):
    response = Client().get("/api/docs")

    assert response.status_code == 200
    assert b"fairload API" in response.content


def test_the_school_list_and_detail(api):
    client = api("admin")

    listed = client.get("/api/schools").json()
    detail = client.get(f"/api/schools/{SCOTTISH}").json()

    academy = next(s for s in listed if s["slug"] == SCOTTISH)
    assert set(academy) == {"slug", "name", "council", "pack", "sector", "roll"}
    assert academy["name"] == "Test Academy"
    assert set(academy["council"]) == {"slug", "name"}
    assert academy["pack"].startswith("scotland/")
    assert detail["year"]["label"]
    assert {k: detail[k] for k in academy} == academy


def test_the_staff_list(api):
    staff = api("head").get(f"/api/schools/{SCOTTISH}/staff").json()

    by_id = {post["staff_id"]: post for post in staff}
    assert {"t1", "t2"} <= set(by_id)
    expected = {
        post.staff_id: post.name
        for post in StaffPost.objects.filter(school_year__school__slug=SCOTTISH)
    }
    assert {k: v["name"] for k, v in by_id.items()} == expected
    assert {"post", "fte", "job_size", "probationer", "contact_periods_per_week"} <= set(
        by_id["t1"]
    )


def test_the_events_name_their_attendees_by_staff_id(api):
    events = api("head").get(f"/api/schools/{SCOTTISH}/events").json()

    assert events
    staff_ids = set(
        StaffPost.objects.filter(school_year__school__slug=SCOTTISH).values_list(
            "staff_id", flat=True
        )
    )
    for event in events:
        assert {"event_id", "title", "category", "date", "start", "end"} <= set(event)
        assert set(event["attendees"]) <= staff_ids
    assert any(event["attendees"] for event in events)


def test_the_school_budget_is_the_cores(api):
    budget = api("head").get(f"/api/schools/{SCOTTISH}/budget").json()

    assert budget["total"] == 1365
    assert budget["categories"]
    assert all({"id", "label", "hours"} <= set(line) for line in budget["categories"])


def test_a_teachers_budget_lines(api):
    budget = api("teacher").get(f"/api/schools/{SCOTTISH}/teachers/t1/budget").json()

    assert budget["staff_id"] == "t1"
    assert budget["lines"]
    assert all({"id", "label", "hours", "planned_hours"} <= set(line) for line in budget["lines"])


def test_a_compliant_school_has_no_breach(api):
    findings = api("head").get(f"/api/schools/{SCOTTISH}/findings").json()

    assert findings["pack"]["id"].startswith("scotland/")
    assert findings["pack"]["version"]
    assert findings["at"]
    assert findings["summary"]["breach"] == 0
    assert sum(findings["summary"].values()) == len(findings["findings"])


def _breach_t1() -> None:
    StaffPost.objects.filter(school_year__school__slug=SCOTTISH, staff_id="t1").update(
        contact_periods_per_week=29
    )


def test_a_breach_is_reported_with_its_clause(api):
    _breach_t1()

    findings = api("head").get(f"/api/schools/{SCOTTISH}/findings?severity=breach").json()

    assert findings["summary"]["breach"] == len(findings["findings"]) >= 1
    assert {f["severity"] for f in findings["findings"]} == {"breach"}
    contact = [f for f in findings["findings"] if f["rule"] == "class-contact-max"]
    assert len(contact) == 1
    assert contact[0]["clause"] == "3.1"
    assert contact[0]["subject"]["id"] == "t1"
    assert contact[0]["actual"] > contact[0]["limit"]
    assert "working" in contact[0]


def test_a_teacher_sees_their_own_breach_and_not_a_colleagues(api):
    _breach_t1()

    mine = api("teacher").get(f"/api/schools/{SCOTTISH}/teachers/t1/findings").json()
    theirs = api("colleague").get(f"/api/schools/{SCOTTISH}/teachers/t2/findings").json()

    assert any(f["rule"] == "class-contact-max" for f in mine["findings"])
    assert all(f["subject"]["id"].split("/")[0] == "t1" for f in mine["findings"])
    assert not any(f["rule"] == "class-contact-max" for f in theirs["findings"])


def test_an_unknown_severity_is_refused(api):
    response = api("head").get(f"/api/schools/{SCOTTISH}/findings?severity=dreadful")

    assert response.status_code == 422
