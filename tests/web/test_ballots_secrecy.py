"""Secrecy: while a ballot is open, no page or API answer says anything about the votes, to
anyone; once it closes, none links a voter to a choice.

Both are tested the same way: every ballot page, the pages around it (dashboard, audit log,
exports) and every ballot API endpoint are fetched as every member of the cast in two
worlds that differ only in the votes, and must answer byte for byte the same (after the
per-request CSRF token, CSP nonce and random receipt codes are blanked).
"""

from __future__ import annotations

import re

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from fairload.core.ballots import Choice
from fairload.web.api.services import api_token_create
from fairload.web.audit.models import AuditEntry
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.services import ballot_close, ballot_vote

from .access import CAST
from .ballot_helpers import AFTER, DURING, ballot_with_pk, electors_for, make_voters
from .test_access_ballots import PAGES as BALLOT_PAGES
from .test_access_ballots import SCOTTISH_BALLOT

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("kept_as_in_production")]

AROUND = {
    "scottish dashboard": reverse("school-dashboard", args=["test-academy"]),
    "scottish changes": reverse("school-audit", args=["test-academy"]),
    "scottish export": reverse("school-export", args=["test-academy"]),
    "scottish school-year file": reverse("school-export-yaml", args=["test-academy"]),
    "home": reverse("home"),
}
API = {
    "api ballots": "/api/schools/test-academy/ballots",
    "api ballot": f"/api/schools/test-academy/ballots/{SCOTTISH_BALLOT}",
    "api schools": "/api/schools",
}

_VARYING = [
    re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]+'),
    re.compile(r'("X-CSRFToken": ")[^"]+'),
    re.compile(r'(nonce=")[^"]+'),
    re.compile(r'(name="form_key" value=")[^"]+'),  # a feed form's one-time key
    re.compile(r"()\b[2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4}\b"),  # receipt codes
]


def _blank(body: bytes) -> str:
    text = body.decode()
    for pattern in _VARYING:
        text = pattern.sub(lambda m: m.group(1) + "…", text)
    return text


def _walk(cast, pages=None, api=None) -> dict[tuple[str, str], tuple[int, int, str]]:  # type: ignore[no-untyped-def]
    """(who, page) -> (status, size, blanked body) for every page and endpoint (these
    ballot pages and the pages around them, unless others are given)."""
    pages = {**BALLOT_PAGES, **AROUND} if pages is None else pages
    api = API if api is None else api
    seen = {}
    for who in CAST:
        page_client = Client()
        page_client.force_login(cast[who])
        key = api_token_create(user=cast[who], name="secrecy walk")[1]
        api_client = Client(headers={"Authorization": f"Bearer {key}"})
        for label, url in pages.items():
            response = page_client.get(url, follow=True)
            seen[(who, label)] = (response.status_code, len(response.content), response.content)
        for label, url in api.items():
            response = api_client.get(url)
            seen[(who, label)] = (response.status_code, len(response.content), response.content)
    return {k: (status, size, _blank(body)) for k, (status, size, body) in seen.items()}


def _differences(one, other) -> list[str]:  # type: ignore[no-untyped-def]
    return [f"{who} -> {page}" for (who, page) in one if one[(who, page)] != other[(who, page)]]


@pytest.fixture
def voters(db):  # type: ignore[no-untyped-def]
    return make_voters(6)


def _open_ballot(cast, schools, voters):  # type: ignore[no-untyped-def]
    """The teachers of the cast (who never vote here) and six other staff."""
    return ballot_with_pk(
        pk=SCOTTISH_BALLOT,
        school=schools["test-academy"],
        actor=cast["head"],
        electorate=electors_for([cast["teacher"], cast["colleague"], *voters]),
    )


@time_machine.travel(DURING, tick=False)
@pytest.mark.slow  # every page and endpoint for the whole cast
def test_while_open_every_page_and_endpoint_is_the_same_whatever_the_votes(cast, schools, voters):
    ballot = _open_ballot(cast, schools, voters)
    nobody_voted = _walk(cast)

    for voter, choice in zip(voters, [Choice.YES] * 4 + [Choice.NO] * 2, strict=True):
        ballot_vote(ballot=ballot, voter=voter, choice=choice, now=DURING)
    everyone_voted = _walk(cast)

    assert _differences(nobody_voted, everyone_voted) == []
    # the walk did reach the ballot, for those who may see it
    assert nobody_voted[("head", "scottish ballot")][0] == 200
    assert nobody_voted[("teacher", "api ballot")][0] == 200
    assert '"result": null' in nobody_voted[("admin", "api ballot")][2]


def _closed_world(cast, schools, voters, choices):  # type: ignore[no-untyped-def]
    Ballot.objects.filter(pk=SCOTTISH_BALLOT).delete()
    ballot = _open_ballot(cast, schools, voters)
    for voter, choice in zip(voters, choices, strict=True):
        ballot_vote(ballot=ballot, voter=voter, choice=choice, now=DURING)
    ballot_close(actor=cast["head"], ballot=ballot, now=AFTER)
    return _walk(cast)


@time_machine.travel(AFTER, tick=False)
@pytest.mark.slow  # every page and endpoint for the whole cast
def test_once_closed_no_page_or_endpoint_says_who_voted_which_way(cast, schools, voters):
    yes, no = Choice.YES, Choice.NO
    one_way = _closed_world(cast, schools, voters, [yes, no, yes, no, yes, yes])
    swapped = _closed_world(cast, schools, voters, [no, yes, no, yes, yes, yes])

    # The audit log is append-only, so the second world's log also holds the first's;
    # it is checked on its own below.
    log_readers = [w for w in CAST if one_way[(w, "scottish changes")][0] == 200]
    assert _differences(one_way, swapped) == [f"{w} -> scottish changes" for w in log_readers]
    for entry in AuditEntry.objects.filter(action__startswith="ballot."):
        assert not any(v.get_username() in str(entry.summary) + str(entry.details) for v in voters)
    # the result is shown, with who voted
    status, _, page = one_way[("council", "scottish ballot")]
    assert status == 200
    assert "4 yes of 8 electors is 50%, not more than 50%" in page
    assert voters[0].get_username() in page
    assert '"yes": 4' in one_way[("teacher", "api ballot")][2]
