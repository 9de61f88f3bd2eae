"""The ballot pages and API as people use them: the head opens the ballot, teachers vote and
get a receipt, the head reissues a paper, closes it, and everyone sees the outcome."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from fairload.web.api.services import api_token_create
from fairload.web.ballots.models import Ballot, Participation, Vote

from .ballot_helpers import AFTER, DURING, OPENED

pytestmark = pytest.mark.django_db

SLUG = "test-academy"


def _open_by_page(as_user):  # type: ignore[no-untyped-def]
    with time_machine.travel(OPENED, tick=False):
        response = as_user("head").post(
            reverse("ballot-new", args=[SLUG]),
            {"question": "Do you approve the agreement?", "paper_text": "Final version 3"},
        )
    assert response.status_code == 302, response.content
    return Ballot.objects.get()


def _url(name, ballot):  # type: ignore[no-untyped-def]
    return reverse(name, args=[SLUG, ballot.pk])


def test_the_head_opens_the_ballot_for_every_teacher_in_post(as_user):
    with time_machine.travel(OPENED, tick=False):
        page = as_user("head").get(reverse("ballot-new", args=[SLUG]))
    assert "the 8 staff in post today" in page.content.decode()

    ballot = _open_by_page(as_user)

    assert ballot.electorate_size == 8 and ballot.subject_id == "2025-26"
    assert ballot.closes_at == OPENED + timedelta(days=10)


def test_an_empty_form_says_what_is_missing(as_user):
    response = as_user("head").post(reverse("ballot-new", args=[SLUG]), {"question": ""})

    assert response.status_code == 200
    assert "Enter the text of the agreement the staff vote on" in response.content.decode()
    assert not Ballot.objects.exists()


def test_a_teacher_votes_sees_a_receipt_once_and_cannot_vote_again(as_user):
    ballot = _open_by_page(as_user)
    teacher = as_user("teacher")
    with time_machine.travel(DURING, tick=False):
        before = teacher.get(_url("ballot-detail", ballot)).content.decode()
        receipt = teacher.post(_url("ballot-vote", ballot), {"choice": "yes"})
        again = teacher.post(_url("ballot-vote", ballot), {"choice": "no"}, follow=True)

    assert 'value="yes"' in before
    assert receipt.status_code == 200 and receipt["Cache-Control"] == "no-store"
    code = Vote.objects.get().receipt
    assert code in receipt.content.decode()
    assert "already voted" in again.content.decode()
    assert "You have voted on this paper" in again.content.decode()
    assert Vote.objects.count() == 1 and Participation.objects.count() == 1


def test_the_head_cannot_vote_not_being_an_elector(as_user):
    ballot = _open_by_page(as_user)
    with time_machine.travel(DURING, tick=False):
        response = as_user("head").post(_url("ballot-vote", ballot), {"choice": "yes"}, follow=True)

    assert "not an elector" in response.content.decode()
    assert not Vote.objects.exists()


def test_closing_early_is_refused_and_after_the_window_shows_the_outcome(as_user):
    ballot = _open_by_page(as_user)
    with time_machine.travel(DURING, tick=False):
        as_user("teacher").post(_url("ballot-vote", ballot), {"choice": "yes"})
        early = as_user("head").post(_url("ballot-close", ballot), follow=True)
    assert "runs until" in early.content.decode()

    with time_machine.travel(AFTER, tick=False):
        as_user("head").post(_url("ballot-close", ballot))
        page = as_user("colleague").get(_url("ballot-detail", ballot)).content.decode()

    assert "Not approved" in page
    assert "1 yes of 8 electors is 12.5%, not more than 50%" in page
    assert Vote.objects.get().receipt in page


def test_a_teacher_or_a_council_officer_cannot_close_or_reissue(as_user):
    """The teacher works at the school, so is told the page is not for their role."""
    ballot = _open_by_page(as_user)
    with time_machine.travel(AFTER, tick=False):
        for who, status in (("teacher", 403), ("council", 404)):
            assert as_user(who).post(_url("ballot-close", ballot)).status_code == status
            reissue = as_user(who).post(_url("ballot-reissue", ballot), {"paper_text": "x"})
            assert reissue.status_code == status
    assert Ballot.objects.get().state == "open"


def test_the_head_reissues_a_paper_and_the_teacher_votes_again(as_user):
    ballot = _open_by_page(as_user)
    with time_machine.travel(DURING, tick=False):
        as_user("teacher").post(_url("ballot-vote", ballot), {"choice": "no"})
        response = as_user("head").post(
            _url("ballot-reissue", ballot),
            {"paper_text": "Final version 4", "reason": "Version 3 missed the calendar"},
            follow=True,
        )
        page = as_user("teacher").get(_url("ballot-detail", ballot)).content.decode()

    assert "Every elector is asked to vote again" in response.content.decode()
    assert "Final version 4" in page and 'value="yes"' in page
    assert "Paper 1 was withdrawn" in page and "Version 3 missed the calendar" in page
    assert not Vote.objects.exists()


def test_the_api_shows_the_state_and_only_after_close_the_result(as_user, cast):
    ballot = _open_by_page(as_user)
    key = api_token_create(user=cast["rep"], name="rep's key")[1]
    api = as_user(None)
    url = f"/api/schools/{SLUG}/ballots/{ballot.pk}"
    headers = {"Authorization": f"Bearer {key}"}
    with time_machine.travel(DURING, tick=False):
        as_user("teacher").post(_url("ballot-vote", ballot), {"choice": "yes"})
        during = api.get(url, headers=headers).json()
    with time_machine.travel(AFTER, tick=False):
        as_user("head").post(_url("ballot-close", ballot))
        after = api.get(url, headers=headers).json()
        listed = api.get(f"/api/schools/{SLUG}/ballots", headers=headers).json()

    assert during["state"] == "open" and during["result"] is None
    assert during["electorate"] == 8
    assert after["state"] == "closed"
    assert after["result"]["outcome"]["tally"]["yes"] == 1
    assert after["result"]["outcome"]["passed"] is False
    assert len(after["result"]["voted"]) == 1 and len(after["result"]["did_not_vote"]) == 7
    assert [b["id"] for b in listed] == [ballot.pk]


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("head", 200),
        ("teacher", 200),
        ("council", 200),
        ("admin", 200),
        ("other-head", 404),
        ("other-council", 404),
    ],
)
def test_the_api_answers_with_the_pages_permissions(as_user, cast, who, status):
    ballot = _open_by_page(as_user)
    key = api_token_create(user=cast[who], name="key")[1]
    headers = {"Authorization": f"Bearer {key}"}
    client = as_user(None)

    assert (
        client.get(f"/api/schools/{SLUG}/ballots/{ballot.pk}", headers=headers).status_code
        == status
    )
    assert client.get(f"/api/schools/{SLUG}/ballots", headers=headers).status_code == status
