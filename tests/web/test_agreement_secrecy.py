"""The agreement's own pages keep its approval ballot secret (issue 10, 16.4).

test_ballots_secrecy.py walks the ballot pages around a ballot opened on its own; here
the ballot is the agreement's, opened on its final version through the agreement
service, and the walk is every page of the agreement cycle (its record, versions,
comparison, comments, signing, the council's queue, the dashboard, the school's log and
its exported file) and the API, for everyone in the cast, by page and by token. While the
ballot is open, six staff voting changes nothing anyone sees: not a figure, not a byte.
"""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from fairload.core.ballots import Choice
from fairload.web.agreements import services
from fairload.web.agreements.models import Agreement
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.services import ballot_vote

from .agreement_helpers import year_of
from .test_agreements import BALLOT, CONSULTED, CONSULTING, DRAFTED, FROZEN, _staff_voters
from .test_ballots_secrecy import _differences, _walk

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("kept_as_in_production"),
    pytest.mark.slow,  # every page for the whole cast
]

SCHOOL = "test-academy"
COUNCIL = "south-ayrshire-council"
VOTING = BALLOT + (FROZEN - CONSULTED)  # a day into the ballot's window


def _pages(agreement: Agreement, ballot: Ballot) -> dict[str, str]:
    final = agreement.versions.order_by("-number").first()
    assert final is not None and final.is_final
    on = {"args": [SCHOOL]}
    return {
        "agreement": reverse("agreement-home", **on),
        "final version": reverse("agreement-version", args=[SCHOOL, final.number]),
        "compare": reverse("agreement-compare", **on),
        "comments": reverse("agreement-comments", **on),
        "sign": reverse("agreement-sign", **on),
        "draft": reverse("agreement-draft", **on),
        "council queue": reverse("council-agreements", args=[COUNCIL]),
        "dashboard": reverse("school-dashboard", **on),
        "changes": reverse("school-audit", **on),
        "school-year file": reverse("school-export-yaml", **on),
        "ballots": reverse("ballot-list", **on),
        "ballot": reverse("ballot-detail", args=[SCHOOL, ballot.pk]),
        "home": reverse("home"),
    }


@time_machine.travel(VOTING, tick=False)
def test_while_the_staff_vote_no_page_of_the_agreement_shows_anything_of_the_votes(cast, schools):
    year = year_of(schools[SCHOOL])
    head = cast["head"]
    agreement = services.agreement_start(actor=head, year=year, now=DRAFTED)
    services.consultation_open(actor=head, agreement=agreement, now=CONSULTING)
    services.consultation_close(actor=head, agreement=agreement, now=CONSULTED)
    services.final_freeze(actor=head, agreement=agreement, now=FROZEN)
    staff = _staff_voters(year)
    ballot = services.approval_ballot_open(actor=head, agreement=agreement, now=BALLOT)
    voters = [u for u in staff if u not in cast.values()]  # the cast's own pages stay theirs
    pages = _pages(agreement, ballot)
    api = {
        "api ballots": f"/api/schools/{SCHOOL}/ballots",
        "api ballot": f"/api/schools/{SCHOOL}/ballots/{ballot.pk}",
        "api schools": "/api/schools",
        "api agreement": f"/api/schools/{SCHOOL}/agreement",
        "api agreement versions": f"/api/schools/{SCHOOL}/agreement/versions",
        "api agreement ballot": f"/api/schools/{SCHOOL}/agreement/ballot",
    }
    nobody_voted = _walk(cast, pages, api)

    for i, voter in enumerate(voters):
        choice = Choice.YES if i % 3 else Choice.NO
        ballot_vote(ballot=ballot, voter=voter, choice=choice, now=VOTING)
    voted = _walk(cast, pages, api)

    assert len(voters) >= 4
    assert _differences(nobody_voted, voted) == []
    # the walk reached the agreement and its ballot for those who may see them
    assert nobody_voted[("head", "agreement")][0] == 200
    assert "open until" in nobody_voted[("head", "agreement")][2]
    assert nobody_voted[("council", "council queue")][0] == 200
    assert nobody_voted[("teacher", "ballot")][0] == 200
    assert '"result": null' in nobody_voted[("admin", "api ballot")][2]
    assert nobody_voted[("head", "api agreement ballot")][0] == 200
    assert '"result": null' in nobody_voted[("head", "api agreement ballot")][2]
