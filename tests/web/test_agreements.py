"""Making the agreement in the product: drafts and versions, the consultation, the final
version and its ballot, signatures, submission and the council's decision, and the live
record the process checks read. Dates follow the Scottish test school's own process
(drafted 12 May 2025 for the 2025-26 session)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from fairload.core.ballots import Choice
from fairload.core.school_format import parse_school_year
from fairload.web.agreements import services
from fairload.web.agreements.models import Comment, Signature, Submission
from fairload.web.agreements.selectors import (
    allocation_rows,
    headings,
    version_check,
)
from fairload.web.agreements.services import AgreementRefused
from fairload.web.audit.models import AuditEntry
from fairload.web.ballots.services import ballot_close, ballot_vote
from fairload.web.schools.models import SchoolYear
from fairload.web.schools.to_core import school_year_document

from .agreement_helpers import year_of

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True

DRAFTED = datetime(2025, 5, 12, 9, tzinfo=UTC)
CONSULTING = DRAFTED + timedelta(days=1)
COMMENTED = CONSULTING + timedelta(days=2)
#: the consultation's window (consultation_window_days, 10) has ended
CONSULTED = CONSULTING + timedelta(days=11)
FROZEN = CONSULTED + timedelta(days=1)
BALLOT = FROZEN + timedelta(hours=1)
#: the ballot's window (approval_ballot_window_days, 10) has ended
COUNTED = BALLOT + timedelta(days=10, hours=1)
SIGNED = COUNTED + timedelta(days=1)
SUBMITTED = SIGNED + timedelta(days=1)


@pytest.fixture
def year(schools) -> SchoolYear:  # type: ignore[no-untyped-def]
    return year_of(schools["test-academy"])


@pytest.fixture
def started(cast, year):  # type: ignore[no-untyped-def]
    return services.agreement_start(actor=cast["head"], year=year, now=DRAFTED)


@pytest.fixture
def consulting(cast, started):  # type: ignore[no-untyped-def]
    return services.consultation_open(actor=cast["head"], agreement=started, now=CONSULTING)


def _content(**allocations: float) -> dict[str, object]:
    return {"allocations": allocations, "offsite_protocol": "Work at home is not directed."}


def _staff_voters(year: SchoolYear) -> list[object]:
    """A login for every post without one, so the whole staff can vote."""
    users = []
    for post in year.staff.order_by("pk"):
        if post.person_id is None:
            post.person = get_user_model().objects.create_user(username=f"staff-{post.staff_id}")
            post.save(update_fields=["person"])
        users.append(post.person)
    return users


def _approved(cast, agreement, year, *, yes: int):  # type: ignore[no-untyped-def]
    """Consultation closed, the final version frozen and balloted: ``yes`` staff approve."""
    services.consultation_close(actor=cast["head"], agreement=agreement, now=CONSULTED)
    services.final_freeze(actor=cast["head"], agreement=agreement, now=FROZEN)
    voters = _staff_voters(year)
    ballot = services.approval_ballot_open(actor=cast["head"], agreement=agreement, now=BALLOT)
    for i, voter in enumerate(voters):
        choice = Choice.YES if i < yes else Choice.NO
        ballot_vote(ballot=ballot, voter=voter, choice=choice, now=BALLOT + timedelta(hours=1))
    ballot_close(actor=cast["head"], ballot=ballot, now=COUNTED)
    return agreement


def _sign(user, agreement, role, when=SIGNED):  # type: ignore[no-untyped-def]
    return services.sign(actor=user, agreement=agreement, role=role, password_ok=True, now=when)


def _process(year: SchoolYear) -> dict[str, object]:
    year.refresh_from_db()
    return school_year_document(year)["agreement"]["process"]


# --- drafts and versions -------------------------------------------------------------------


@pytest.mark.django_db
def test_a_draft_starts_from_the_packs_defaults_and_a_departure_shows_as_by_agreement(
    cast, year, started
):
    first = started.versions.get(number=1)
    rows = {r.heading.id: r for r in allocation_rows(year=year, version=first)}
    assert not any(r.by_agreement for r in rows.values())

    planning = rows["planning"].heading.default
    second = services.version_save(
        actor=cast["head"],
        agreement=started,
        content=_content(planning=planning + 5),
        note="More planning time",
        now=DRAFTED + timedelta(hours=1),
    )

    rows = {r.heading.id: r for r in allocation_rows(year=year, version=second)}
    assert second.number == 2 and rows["planning"].by_agreement
    assert rows["planning"].hours == planning + 5
    assert started.versions.get(number=1).allocations == {}  # a saved version never changes


@pytest.mark.django_db
def test_a_heading_the_pack_does_not_have_is_refused(cast, started):
    with pytest.raises(AgreementRefused, match="No such heading: tea-breaks"):
        services.version_save(
            actor=cast["head"],
            agreement=started,
            content=_content(**{"tea-breaks": 5}),
            note="",
            now=DRAFTED,
        )


@pytest.mark.django_db
def test_the_draft_is_checked_with_the_same_findings_the_year_would_have_under_it(
    cast, year, started
):
    from fairload.web.schools.selectors import school_year_check

    same = version_check(year=year, version=started.versions.get(number=1))
    assert [f.key for f in same.findings] == [f.key for f in school_year_check(year=year).findings]
    # The 35-hour week's headings must add up (Appendix 1): 100 more hours of planning
    # than the pack allows breaks it.
    planning = next(h for h in headings(year=year) if h.id == "planning").default
    over = services.version_save(
        actor=cast["head"],
        agreement=started,
        content=_content(planning=planning + 100),
        note="",
        now=DRAFTED,
    )

    found = {f.rule for f in version_check(year=year, version=over).findings}
    assert found - {f.rule for f in same.findings}


@pytest.mark.django_db
def test_next_years_draft_starts_as_a_copy_of_this_years(cast, schools, year, started):
    services.version_save(
        actor=cast["head"],
        agreement=started,
        content=_content(planning=40.0),
        note="",
        now=DRAFTED,
    )
    services.final_freeze(actor=cast["head"], agreement=started, now=FROZEN)
    following = SchoolYear.objects.create(
        school=schools["test-academy"],
        label="2026-27",
        start=year.start.replace(year=2026),
        end=year.end.replace(year=2027),
        calendar={
            "terms": [{"name": "Autumn", "start": "2026-08-13", "end": "2026-12-18"}],
            "inservice_days": [],
            "closures": [],
        },
    )

    agreement = services.agreement_start(actor=cast["head"], year=following, now=SUBMITTED)

    first = agreement.versions.get(number=1)
    assert first.allocations == {"planning": 40.0}
    assert first.offsite_protocol == "Work at home is not directed."
    assert "2025-26" in first.note


@pytest.mark.django_db
def test_two_versions_compare_side_by_side_in_allocations_and_calendar(
    cast, as_user, year, started
):
    year.events.filter(event_id="sm1").delete()
    services.version_save(
        actor=cast["head"],
        agreement=started,
        content=_content(planning=40.0),
        note="Less on meetings",
        now=DRAFTED,
    )

    page = (
        as_user("rep")
        .get(reverse("agreement-compare", args=["test-academy"]) + "?a=1&b=2")
        .content.decode()
    )

    assert "Planning" in page and "Removed: Whole-school meeting" in page
    assert "Protocol for work outwith school premises" in page


# --- consultation --------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_consultation_is_open_for_the_packs_window(consulting):
    assert consulting.consultation_closes_at - consulting.consultation_opened_at == timedelta(
        days=10
    )


@pytest.mark.django_db
def test_any_teacher_comments_on_the_draft_a_heading_or_an_event(cast, consulting):
    for on, target in (("whole", ""), ("heading", "planning"), ("event", "pe1")):
        services.comment_add(
            actor=cast["teacher"],
            agreement=consulting,
            on=on,
            target=target,
            target_label=target,
            text="A comment",
            now=COMMENTED,
        )

    assert Comment.objects.filter(agreement=consulting).count() == 3


@pytest.mark.django_db
def test_someone_not_on_the_teaching_staff_cannot_comment(cast, consulting):
    with pytest.raises(AgreementRefused, match="teaching staff"):
        services.comment_add(
            actor=cast["council"],
            agreement=consulting,
            on="whole",
            target="",
            target_label="",
            text="From the council",
            now=COMMENTED,
        )


@pytest.mark.django_db
def test_a_comment_after_the_window_is_refused(cast, consulting):
    with pytest.raises(AgreementRefused):
        services.comment_add(
            actor=cast["teacher"],
            agreement=consulting,
            on="whole",
            target="",
            target_label="",
            text="Too late",
            now=CONSULTED,
        )


def _comment(cast, agreement):  # type: ignore[no-untyped-def]
    return services.comment_add(
        actor=cast["teacher"],
        agreement=agreement,
        on="heading",
        target="planning",
        target_label="Planning",
        text="More planning time, please",
        now=COMMENTED,
    )


@pytest.mark.django_db
def test_a_teacher_cannot_answer_comments(cast, as_user, consulting):
    comment = _comment(cast, consulting)

    with pytest.raises(AgreementRefused, match="committee"):
        services.comment_answer(
            actor=cast["colleague"],
            comment=comment,
            accepted=False,
            text="No",
            version_number=None,
            now=COMMENTED,
        )
    response = as_user("colleague").post(
        reverse("agreement-comment-answer", args=["test-academy", comment.pk]),
        {"answer": "not-accepted", "text": "No"},
    )
    assert response.status_code == 403
    comment.refresh_from_db()
    assert comment.answered_at is None


@pytest.mark.django_db
def test_an_accepted_comment_names_the_later_version_that_takes_it_in(cast, consulting):
    comment = _comment(cast, consulting)
    with pytest.raises(AgreementRefused, match="one after version 1"):
        services.comment_answer(
            actor=cast["rep"],
            comment=comment,
            accepted=True,
            text="",
            version_number=1,
            now=COMMENTED,
        )
    services.version_save(
        actor=cast["head"],
        agreement=consulting,
        content=_content(planning=40.0),
        note="Comment 1 taken in",
        now=COMMENTED,
    )

    services.comment_answer(
        actor=cast["rep"],
        comment=comment,
        accepted=True,
        text="Yes",
        version_number=2,
        now=COMMENTED,
    )

    comment.refresh_from_db()
    assert comment.answer == "accepted" and comment.answer_version.number == 2


@pytest.mark.django_db
def test_a_comment_not_accepted_needs_a_reason(cast, consulting):
    with pytest.raises(AgreementRefused, match="why"):
        services.comment_answer(
            actor=cast["rep"],
            comment=_comment(cast, consulting),
            accepted=False,
            text=" ",
            version_number=None,
            now=COMMENTED,
        )


@pytest.mark.django_db
def test_comment_authors_are_named_to_the_committee_and_the_author_only(cast, as_user, consulting):
    _comment(cast, consulting)
    url = reverse("agreement-comments", args=["test-academy"])

    def names_author(who: str) -> bool:
        return "data-author" in as_user(who).get(url).content.decode()

    assert names_author("head") and names_author("rep") and names_author("teacher")
    assert not names_author("colleague")
    assert not names_author("council")
    assert "More planning time, please" in as_user("colleague").get(url).content.decode()


@pytest.mark.django_db
def test_staff_see_the_answers(cast, as_user, consulting):
    comment = _comment(cast, consulting)
    services.comment_answer(
        actor=cast["head"],
        comment=comment,
        accepted=False,
        text="The budget is fixed",
        version_number=None,
        now=COMMENTED,
    )

    page = as_user("colleague").get(reverse("agreement-comments", args=["test-academy"]))

    assert "The budget is fixed" in page.content.decode()


@pytest.mark.django_db
def test_comments_considered_only_when_every_comment_is_answered_before_the_final_version(
    cast, year, consulting
):
    comment = _comment(cast, consulting)
    services.consultation_close(actor=cast["head"], agreement=consulting, now=CONSULTED)
    services.final_freeze(actor=cast["head"], agreement=consulting, now=FROZEN)
    assert _process(year)["comments"] == {"total": 1, "answered": 0}

    services.comment_answer(
        actor=cast["head"],
        comment=comment,
        accepted=False,
        text="Later",
        version_number=None,
        now=FROZEN + timedelta(hours=1),
    )

    # answered after the final version: it was not considered before it
    assert _process(year)["comments"] == {"total": 1, "answered": 0}


@pytest.mark.django_db
def test_another_schools_head_cannot_see_the_drafts(as_user, started):
    for name, args in (("agreement-home", []), ("agreement-version", [1])):
        response = as_user("other-head").get(reverse(name, args=["test-academy", *args]))
        assert response.status_code == 404


@pytest.mark.django_db
def test_the_teaching_staff_read_the_draft_only_once_the_consultation_opens(cast, as_user, started):
    url = reverse("agreement-home", args=["test-academy"])
    assert as_user("teacher").get(url).status_code == 403

    services.consultation_open(actor=cast["head"], agreement=started, now=CONSULTING)

    assert as_user("teacher").get(url).status_code == 200


# --- the final version, its ballot, the signatures -----------------------------------------


@pytest.mark.django_db
def test_the_ballots_result_feeds_the_record(cast, year, consulting):
    _approved(cast, consulting, year, yes=6)

    ballot = _process(year)["ballot"]

    assert ballot["eligible"] == 8 and ballot["in_favour"] == 6 and ballot["against"] == 2
    assert ballot["closed_on"] == COUNTED.date().isoformat()


@pytest.mark.django_db
def test_the_calendar_is_snapshot_into_the_final_version(cast, year, consulting):
    year.events.filter(event_id="sm1").delete()

    final = services.final_freeze(actor=cast["head"], agreement=consulting, now=FROZEN)

    assert "sm1" in {e["id"] for e in consulting.versions.get(number=1).calendar}
    assert "sm1" not in {e["id"] for e in final.calendar}


@pytest.mark.django_db
def test_signing_before_the_staff_approve_is_refused(cast, year, consulting):
    services.consultation_close(actor=cast["head"], agreement=consulting, now=CONSULTED)
    services.final_freeze(actor=cast["head"], agreement=consulting, now=FROZEN)

    with pytest.raises(AgreementRefused):
        _sign(cast["head"], consulting, Signature.SignedAs.HEAD)


@pytest.mark.django_db
def test_signing_after_a_ballot_that_did_not_pass_is_refused(cast, year, consulting):
    # 4 of 8 is not more than half the staff (16.4: "the majority of staff")
    _approved(cast, consulting, year, yes=4)

    with pytest.raises(AgreementRefused):
        _sign(cast["head"], consulting, Signature.SignedAs.HEAD)


@pytest.mark.django_db
def test_a_signature_records_who_which_role_when_and_the_hash_of_the_final_version(
    cast, year, consulting
):
    _approved(cast, consulting, year, yes=5)

    signature = _sign(cast["head"], consulting, Signature.SignedAs.HEAD)

    assert signature.person == cast["head"] and signature.role == "head-teacher"
    assert signature.signed_at == SIGNED and len(signature.content_hash) == 64
    assert signature.document["ballot"]["in_favour"] == 5
    signed = _process(year)["signatures"]
    assert signed[0]["content_hash"] == signature.content_hash
    assert _process(year)["version_hash"] == signature.content_hash


@pytest.mark.django_db
def test_a_wrong_password_signs_nothing(cast, as_user, year, consulting):
    _approved(cast, consulting, year, yes=5)

    response = as_user("head").post(
        reverse("agreement-sign", args=["test-academy"]),
        {"role": "head-teacher", "password": "wrong"},
    )

    assert response.status_code == 200
    assert "not your password" in response.content.decode(), response.content.decode()
    assert not Signature.objects.exists()


@pytest.mark.django_db
def test_the_password_signs_through_the_page(cast, as_user, year, consulting):
    _approved(cast, consulting, year, yes=5)
    cast["head"].set_password("the-heads-password")
    cast["head"].save()
    client = as_user("head")

    client.post(
        reverse("agreement-sign", args=["test-academy"]),
        {"role": "head-teacher", "password": "the-heads-password"},
    )

    assert Signature.objects.get().person == cast["head"]


@pytest.mark.django_db
def test_a_later_change_voids_every_signature_and_the_page_says_why(
    cast, as_user, year, consulting
):
    _approved(cast, consulting, year, yes=5)
    _sign(cast["head"], consulting, Signature.SignedAs.HEAD)
    _sign(cast["rep"], consulting, Signature.SignedAs.REP)
    assert len(_process(year)["signatures"]) == 2

    event = year.events.get(event_id="sm1")
    event.end = event.end.replace(hour=17)
    event.save()
    from fairload.web.schools.services import year_touch

    year_touch(year)

    page = as_user("rep").get(reverse("agreement-home", args=["test-academy"])).content
    assert page.decode().count("data-void-signature") == 2
    assert "the calendar of events changed" in page.decode()
    process = _process(year)
    assert process["version_hash"] not in {s["content_hash"] for s in process["signatures"]}


@pytest.mark.django_db
def test_a_new_version_after_the_final_voids_the_signatures_and_says_so_in_the_log(
    cast, year, consulting
):
    _approved(cast, consulting, year, yes=5)
    _sign(cast["head"], consulting, Signature.SignedAs.HEAD)

    services.version_save(
        actor=cast["head"],
        agreement=consulting,
        content=_content(planning=1.0),
        note="",
        now=SIGNED + timedelta(hours=1),
    )

    assert (
        "1 signature void" in AuditEntry.objects.filter(action="agreement.version").first().summary
    )


# --- submission and the council ------------------------------------------------------------


@pytest.fixture
def signed(cast, year, consulting):  # type: ignore[no-untyped-def]
    _approved(cast, consulting, year, yes=5)
    _sign(cast["head"], consulting, Signature.SignedAs.HEAD)
    _sign(cast["rep"], consulting, Signature.SignedAs.REP)
    return consulting


@pytest.mark.django_db
def test_submitting_puts_it_in_the_councils_queue(cast, as_user, year, signed):
    services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)

    queue = as_user("council").get(reverse("council-agreements", args=["south-ayrshire-council"]))

    assert "Test Academy" in queue.content.decode()
    assert _process(year)["submitted"] == SUBMITTED.date().isoformat()


@pytest.mark.django_db
def test_only_the_head_submits(cast, signed):
    with pytest.raises(AgreementRefused):
        services.submit(actor=cast["rep"], agreement=signed, now=SUBMITTED)


@pytest.mark.django_db
def test_the_council_returns_it_with_reasons_which_reopens_the_draft(cast, year, signed):
    submission = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)
    with pytest.raises(AgreementRefused):  # the council has it: no new version
        services.version_save(
            actor=cast["head"], agreement=signed, content=_content(), note="", now=SUBMITTED
        )

    services.submission_decide(
        actor=cast["council"],
        submission=submission,
        accept=False,
        reasons="The calendar has no parents' evening in spring",
        now=SUBMITTED,
    )

    process = _process(year)
    assert process["returned"] == [
        {
            "on": SUBMITTED.date().isoformat(),
            "reasons": ["The calendar has no parents' evening in spring"],
        }
    ]
    version = services.version_save(
        actor=cast["head"], agreement=signed, content=_content(), note="", now=SUBMITTED
    )
    assert version.number == 3


@pytest.mark.django_db
def test_the_council_accepts_it_and_it_is_recorded(cast, year, signed):
    submission = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)

    services.submission_decide(
        actor=cast["council"], submission=submission, accept=True, reasons="", now=SUBMITTED
    )

    assert Submission.objects.get().decision == "accepted"
    assert _process(year)["accepted"] == SUBMITTED.date().isoformat()
    assert AuditEntry.objects.filter(action="agreement.accept").exists()


@pytest.mark.django_db
def test_a_union_officer_sees_the_queue_but_does_not_decide(cast, signed):
    submission = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)

    with pytest.raises(AgreementRefused):
        services.submission_decide(
            actor=cast["union-officer"],
            submission=submission,
            accept=True,
            reasons="",
            now=SUBMITTED,
        )


@pytest.mark.django_db
def test_a_failure_to_agree_report_can_be_started(cast, year, consulting):
    services.failure_report(
        actor=cast["rep"],
        agreement=consulting,
        text="The staff rejected the calendar",
        now=COMMENTED,
    )

    assert _process(year)["failure_reported"] == {
        "on": COMMENTED.date().isoformat(),
        "by": "union-rep",
        "reasons": ["The staff rejected the calendar"],
    }


# --- the live record and the checks ------------------------------------------------------


@pytest.mark.django_db
def test_the_live_record_is_exported_and_reads_back_as_the_same_year(cast, year, signed):
    services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)
    year.refresh_from_db()

    document = school_year_document(year)
    parsed = parse_school_year(document, "exported")

    assert document["agreement"]["process"]["submitted"] == SUBMITTED.date().isoformat()
    assert parsed.agreement.process.submitted == SUBMITTED.date()
    assert parsed.agreement.process.vote.in_favour == 5


@pytest.mark.django_db
def test_every_step_writes_the_audit_log_and_never_a_vote(cast, year, signed):
    services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)

    actions = set(AuditEntry.objects.values_list("action", flat=True))

    assert {
        "agreement.start",
        "agreement.consultation.open",
        "agreement.consultation.close",
        "agreement.final",
        "agreement.sign",
        "agreement.submit",
    } <= actions
    for entry in AuditEntry.objects.filter(action__startswith="agreement."):
        assert "choice" not in entry.details and "receipt" not in str(entry.details)


# --- each role's next step, and the school page's stage ------------------------------------


@pytest.mark.django_db
def test_each_role_sees_its_next_step_on_its_home_page(cast, as_user, year, started):
    from django.utils import timezone

    agreement = services.consultation_open(
        actor=cast["head"], agreement=started, now=timezone.now()
    )
    _comment_now = services.comment_add(
        actor=cast["teacher"],
        agreement=agreement,
        on="whole",
        target="",
        target_label="",
        text="A comment",
        now=timezone.now(),
    )

    dashboard = as_user("head").get(reverse("school-dashboard", args=["test-academy"]))
    own_page = as_user("colleague").get(reverse("teacher-page", args=["test-academy", "t2"]))

    assert "1 comment to answer" in dashboard.content.decode()
    assert "Comment on the draft" in own_page.content.decode()
    assert _comment_now.pk


@pytest.mark.django_db
def test_the_school_page_shows_the_stage_of_the_live_record_not_the_files(as_user, started):
    # The test school's file records every step up to submission; the agreement made in
    # the product has only its draft.
    page = as_user("head").get(reverse("school-dashboard", args=["test-academy"])).content

    assert 'data-stage="drafted"' in page.decode()


@pytest.mark.django_db
def test_a_year_replaced_by_an_import_keeps_its_agreement(cast, schools, started):
    from fairload.core.yamlfile import load_file
    from fairload.web.schools.services import school_year_import

    from .conftest import SCOTTISH

    school_year_import(document=load_file(SCOTTISH), source=str(SCOTTISH))

    year = year_of(schools["test-academy"])
    assert _process(year)["draft_prepared"] == DRAFTED.date().isoformat()
    assert started.versions.count() == 1


@pytest.mark.django_db
def test_steps_that_ask_someone_to_act_queue_their_notices(cast, year, signed):
    from fairload.web.notices.models import Notice

    submission = services.submit(actor=cast["head"], agreement=signed, now=SUBMITTED)
    services.submission_decide(
        actor=cast["council"],
        submission=submission,
        accept=False,
        reasons="No calendar",
        now=SUBMITTED,
    )

    kinds = {(n.kind, n.recipient.get_username()) for n in Notice.objects.all()}
    assert ("consultation-open", "teacher") in kinds
    assert ("signature-wanted", "rep") in kinds
    assert ("agreement-submitted", "council") in kinds
    assert ("agreement-returned", "head") in kinds
