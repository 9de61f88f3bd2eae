"""What the browser journey (tests/browser/test_agreement_journey.py) found wrong, one test
each, on the Scottish test school: each fails without its mend.

- The record said "Signatures: ." once every signature was void.
- A submission made the day the council returned the last one was never in force: the
  council's page refused to decide it ("waits for the submission") and the school could
  not submit again.
- The live record never said the comments were considered, so the comments-considered
  check warned although every comment had its answer.
- The dashboard said "Vote: Not recorded" after the staff ballot had closed.
- The ballot page cited its clause once per figure ("16.4; 16.4; 16.4").
- The draft's hours and the paper voted on read "285.0", and the number boxes were type
  number without the GOV.UK input style.
- A next step that names its day was followed by the day again ("... by Friday 23 May
  (by 23 May 2025)").
- The agreement page gave the check's finding ("no staff vote is recorded") as the next
  step while the staff were voting.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse

from fairload.web.agreements import services
from fairload.web.agreements.models import Signature
from fairload.web.agreements.services import AgreementRefused
from fairload.web.ballots.models import Ballot, BallotPaper
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import year_touch

from .agreement_helpers import year_of
from .test_agreements import (
    BALLOT,
    COMMENTED,
    CONSULTING,
    DRAFTED,
    FROZEN,
    SUBMITTED,
    _approved,
    _sign,
    _staff_voters,
)

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

SCHOOL = "test-academy"


@pytest.fixture
def year(schools):  # type: ignore[no-untyped-def]
    return year_of(schools[SCHOOL])


@pytest.fixture
def consulting(cast, year):  # type: ignore[no-untyped-def]
    agreement = services.agreement_start(actor=cast["head"], year=year, now=DRAFTED)
    return services.consultation_open(actor=cast["head"], agreement=agreement, now=CONSULTING)


@pytest.fixture
def signed(cast, year, consulting):  # type: ignore[no-untyped-def]
    _approved(cast, consulting, year, yes=6)
    _sign(cast["head"], consulting, Signature.SignedAs.HEAD)
    _sign(cast["rep"], consulting, Signature.SignedAs.REP)
    return consulting


@pytest.fixture
def balloting(cast, year, consulting):  # type: ignore[no-untyped-def]
    """The final version is frozen and the staff are voting on it."""
    services.consultation_close(actor=cast["head"], agreement=consulting, now=FROZEN)
    services.final_freeze(actor=cast["head"], agreement=consulting, now=FROZEN)
    _staff_voters(year)
    return services.approval_ballot_open(actor=cast["head"], agreement=consulting, now=BALLOT)


def _text(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


@pytest.mark.django_db
def test_the_record_says_no_signature_stands_once_a_change_voids_them_all(as_user, year, signed):
    year.events.filter(event_id="sm1").update(title="Staff meeting: reporting")
    year_touch(year)

    page = _text(as_user("head").get(reverse("agreement-home", args=[SCHOOL])))

    assert "<strong>Signatures</strong>: none standing.</li>" in page
    assert page.count("data-void-signature") == 2


@pytest.mark.django_db
def test_a_submission_the_day_it_was_returned_is_refused_and_the_next_day_it_is_decided(
    cast, year, signed
):
    returned = SUBMITTED + timedelta(hours=2)
    first = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)
    services.submission_decide(
        actor=cast["council"], submission=first, accept=False, reasons="Sign it", now=returned
    )

    with pytest.raises(AgreementRefused, match="submitted again from tomorrow"):
        services.submit(actor=cast["head"], agreement=signed, now=returned + timedelta(hours=1))

    again = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED + timedelta(1))
    decided = services.submission_decide(
        actor=cast["council"],
        submission=again,
        accept=True,
        reasons="",
        now=SUBMITTED + timedelta(days=2),
    )
    assert decided.decision == "accepted"


@pytest.mark.django_db
def test_the_live_record_feeds_comments_considered_to_the_check(cast, year, consulting):
    comment = services.comment_add(
        actor=cast["teacher"],
        agreement=consulting,
        on="whole",
        target="",
        target_label="",
        text="Spread the parents' evenings out.",
        now=COMMENTED,
    )

    def warned() -> bool:
        year.refresh_from_db()
        return "comments-considered" in {f.rule for f in school_year_check(year=year).findings}

    assert warned()  # one comment without its answer
    services.comment_answer(
        actor=cast["head"],
        comment=comment,
        accepted=False,
        text="They are fixed by the council's calendar.",
        version_number=None,
        now=COMMENTED + timedelta(hours=1),
    )
    assert not warned()


@pytest.mark.django_db
def test_the_dashboard_shows_the_closed_ballots_vote(as_user, year, signed):
    page = _text(as_user("head").get(reverse("school-dashboard", args=[SCHOOL])))

    electorate = len(_staff_voters(year))
    assert f"data-vote>6 of {electorate} in favour," in page


@pytest.mark.django_db
def test_the_dashboard_says_a_ballot_is_open_without_a_count(as_user, balloting):
    page = _text(as_user("head").get(reverse("school-dashboard", args=[SCHOOL])))

    assert "data-vote>Secret ballot open until" in page


@pytest.mark.django_db
def test_the_ballot_page_cites_each_clause_once(as_user, signed):
    ballot = Ballot.objects.get()

    page = _text(as_user("head").get(reverse("ballot-detail", args=[SCHOOL, ballot.pk])))

    clause = ballot.threshold["parameters"][0]["reference"]
    cited = f"{clause['document']}, {clause['clause']}"
    to_pass = page.split("To pass</dt>")[1].split("</dd>")[0]
    assert to_pass.count(cited) == 1, to_pass


@pytest.mark.django_db
def test_hours_read_as_whole_numbers_in_styled_text_boxes(as_user, year, signed):
    draft = _text(as_user("head").get(reverse("agreement-draft", args=[SCHOOL])))
    paper = BallotPaper.objects.get(ballot=Ballot.objects.get()).text

    hours = re.findall(r'<input type="text" name="hours_[^"]+" value="([^"]*)"', draft)
    assert hours and not [h for h in hours if h.endswith(".0")], hours
    assert 'type="number"' not in draft
    assert 'class="govuk-input govuk-input--width-5"' in draft
    assert re.search(r": \d+ hours", paper) and not re.search(r"\d\.0 hours", paper), paper


@pytest.mark.django_db
def test_a_next_step_that_names_its_day_does_not_repeat_it(as_user, consulting):
    with time_machine.travel(COMMENTED, tick=False):
        page = _text(as_user("teacher").get(reverse("agreement-home", args=[SCHOOL])))

    steps = page.split("data-next-steps")[1].split("</ul>")[0]
    assert "Comment on the draft by" in steps
    assert "(by " not in steps


@pytest.mark.django_db
def test_while_the_staff_vote_the_agreement_page_says_the_ballot_is_open(as_user, balloting):
    page = _text(as_user("head").get(reverse("agreement-home", args=[SCHOOL])))

    assert "Next: the ballot is open until" in page
    assert "no staff vote" not in page
