"""The agreement's API: its stage, versions and approval ballot, with the agreement pages'
own permissions. Whoever may read the agreement page reads these (the school's viewers,
and its teaching staff once the consultation is open); anyone else, another school's
people included, gets 404. The ballot's result is null until it closes."""

from __future__ import annotations

import pytest
import time_machine
from django.contrib.auth.models import AbstractBaseUser
from django.test import Client

from fairload.core.ballots import Choice
from fairload.web.agreements.models import AgreementVersion
from fairload.web.api.services import api_token_create
from fairload.web.ballots.services import ballot_close, ballot_vote

from .access import CAST
from .agreement_helpers import agreement_drafted, consultation_opened, year_of
from .ballot_helpers import AFTER, DURING, OPENED, electors_for, open_agreement_ballot
from .test_access_agreements import ALLOWED as PAGE_ALLOWED

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

pytestmark = pytest.mark.django_db

SCOTTISH, ENGLISH = "test-academy", "test-school"


def _endpoints(slug: str) -> dict[str, str]:
    base = f"/api/schools/{slug}/agreement"
    return {"agreement": base, "versions": f"{base}/versions", "version 1": f"{base}/versions/1"}


#: the agreement page each endpoint answers with the data of (test_access_agreements.py)
SCOPES = {"agreement": _endpoints(SCOTTISH), "english agreement": _endpoints(ENGLISH)}
MATRIX = [(who, scope, e) for who in CAST for scope in SCOPES for e in SCOPES[scope]]


@pytest.fixture
def api(cast: dict[str, AbstractBaseUser]):  # type: ignore[no-untyped-def]
    keys = {who: api_token_create(user=user, name="test")[1] for who, user in cast.items()}

    def client_for(who: str | None) -> Client:
        if who is None:
            return Client()
        return Client(headers={"Authorization": f"Bearer {keys[who]}"})

    return client_for


@pytest.fixture
def consulting(cast, schools):  # type: ignore[no-untyped-def]
    """As the agreement pages' matrix: the Scottish consultation open, the English drafted."""
    agreement_drafted(schools[ENGLISH], cast["other-head"])
    return consultation_opened(agreement_drafted(schools[SCOTTISH], cast["head"]))


@pytest.mark.parametrize(
    ("who", "scope", "endpoint"), MATRIX, ids=[f"{w} -> {s} {e}" for w, s, e in MATRIX]
)
def test_each_person_reaches_exactly_the_agreement_endpoints_of_the_pages_they_may_open(
    api, consulting, who, scope, endpoint
):
    response = api(who).get(SCOPES[scope][endpoint])

    assert response.status_code == (200 if scope in PAGE_ALLOWED[who] else 404), response.content


def test_without_a_key_every_agreement_endpoint_is_refused(consulting):
    for url in _endpoints(SCOTTISH).values():
        assert Client().get(url).status_code == 401


def test_the_teaching_staff_read_nothing_before_the_consultation_opens(api, cast, schools):
    agreement_drafted(schools[SCOTTISH], cast["head"])

    for url in _endpoints(SCOTTISH).values():
        assert api("teacher").get(url).status_code == 404
        assert api("head").get(url).status_code == 200


def test_the_agreement_answers_the_cores_stage_and_the_record(api, consulting):
    body = api("council").get(f"/api/schools/{SCOTTISH}/agreement").json()

    assert body["school"] == SCOTTISH and body["started"] is True
    assert body["stage"]["id"] == "drafted"
    assert body["stage"]["waiting"] == "consultation-close"
    assert [e["step"] for e in body["timeline"]][:3] == ["committee", "draft", "consultation-open"]
    assert body["timeline"][2]["done"] is True
    assert body["consultation"]["version"] == 1
    assert body["latest_version"] == 1 and body["final_version"] is None
    assert body["ballot"] is None and body["signatures"] == [] and body["submission"] is None


def test_before_a_draft_the_stage_is_the_year_files_record(api, schools):
    body = api("head").get(f"/api/schools/{SCOTTISH}/agreement").json()

    assert body["started"] is False
    # the test school's file records every step up to its submission
    assert body["stage"]["id"] == "submitted" and body["stage"]["complete"] is True
    assert api("head").get(f"/api/schools/{SCOTTISH}/agreement/versions").status_code == 404


def test_a_versions_content_is_its_allocations_text_calendar_and_findings(api, consulting):
    AgreementVersion.objects.create(
        agreement=consulting,
        number=2,
        created_at=OPENED,
        note="Parents' evenings spread out",
        allocations={"parents-meetings": 12.0},
        offsite_protocol="Work at home is not directed.",
        calendar=consulting.versions.get(number=1).calendar,
    )
    client = api("colleague")

    listed = client.get(f"/api/schools/{SCOTTISH}/agreement/versions").json()
    version = client.get(f"/api/schools/{SCOTTISH}/agreement/versions/2").json()

    assert [(v["number"], v["final"]) for v in listed] == [(1, False), (2, False)]
    by_heading = {a["heading"]: a for a in version["allocations"]}
    assert by_heading["parents-meetings"]["hours"] == 12.0
    assert by_heading["parents-meetings"]["by_agreement"] is True
    assert by_heading["parents-meetings"]["clause"]
    assert all(not a["by_agreement"] for h, a in by_heading.items() if h != "parents-meetings")
    assert version["offsite_protocol"] == "Work at home is not directed."
    assert version["note"] == "Parents' evenings spread out"
    assert len(version["calendar"]) == len(year_of(consulting.school).events.all())
    assert set(version["findings"]) >= {"breach", "warning", "needs-agreement"}
    assert client.get(f"/api/schools/{SCOTTISH}/agreement/versions/9").status_code == 404


# --- the approval ballot ------------------------------------------------------------------


@pytest.fixture
def balloted(cast, consulting):  # type: ignore[no-untyped-def]
    """The final version balloted: the cast's two teachers are the electors."""
    final = AgreementVersion.objects.create(
        agreement=consulting,
        number=2,
        created_at=OPENED,
        final_at=OPENED,
        calendar=consulting.versions.get(number=1).calendar,
    )
    with time_machine.travel(OPENED, tick=False):
        final.ballot = open_agreement_ballot(
            school=consulting.school,
            actor=cast["head"],
            electorate=electors_for([cast["teacher"], cast["colleague"]]),
        )
    final.save()
    return final.ballot


BALLOT = f"/api/schools/{SCOTTISH}/agreement/ballot"
#: the ballot page's own readers: the school's viewers and its electors
BALLOT_READERS = {"head", "rep", "teacher", "colleague", "council", "union-officer", "admin"}


@time_machine.travel(DURING, tick=False)
@pytest.mark.parametrize("who", CAST)
def test_during_the_ballot_no_result_appears_to_anyone(api, cast, balloted, who):
    before = api(who).get(BALLOT)
    ballot_vote(ballot=balloted, voter=cast["teacher"], choice=Choice.YES, now=DURING)

    response = api(who).get(BALLOT)

    if who not in BALLOT_READERS:
        assert before.status_code == response.status_code == 404
        return
    assert response.status_code == 200
    body = response.json()
    assert body["state"] == "open" and body["result"] is None
    # a vote cast changes nothing in the answer: not a count, not a size
    assert response.content == before.content


def test_after_close_the_result_is_the_tally_the_outcome_and_who_voted(api, cast, balloted):
    with time_machine.travel(DURING, tick=False):
        ballot_vote(ballot=balloted, voter=cast["teacher"], choice=Choice.YES, now=DURING)
        ballot_vote(ballot=balloted, voter=cast["colleague"], choice=Choice.YES, now=DURING)
    with time_machine.travel(AFTER, tick=False):
        ballot_close(actor=cast["head"], ballot=balloted, now=AFTER)

        body = api("teacher").get(BALLOT).json()

    assert body["state"] == "closed"
    result = body["result"]
    assert result["outcome"]["passed"] is True
    assert result["outcome"]["tally"]["yes"] == 2
    assert sorted(result["voted"]) == ["colleague", "teacher"]
    assert len(result["receipts"]) == 2
    assert api("other-head").get(BALLOT).status_code == 404


def test_no_ballot_on_the_final_version_answers_404(api, consulting):
    assert api("head").get(BALLOT).status_code == 404
