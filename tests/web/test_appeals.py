"""Appeals after a failure to agree (South Ayrshire JNCT2.7 section 17), step by step and
gate by gate, through the services and pages. The order of the steps and their gates are
the core's (fairload.core.process over appeal.yaml): each refusal here is the core's."""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairload.core import appeal as core_appeal
from fairload.core import process as core_process
from fairload.web.accounts.models import Role
from fairload.web.appeals import selectors, services, steps
from fairload.web.appeals.models import Appeal, AppealDocument, Attendee, Conclusion, Meeting
from fairload.web.appeals.record import appeal_part, failure_part
from fairload.web.appeals.services import AppealRefused
from fairload.web.notices.models import Notice
from fairload.web.schools.to_core import year_agreement

from .agreement_helpers import year_of
from .appeal_helpers import (
    AFTER_HEARING,
    AFTER_INFORMAL,
    HEARING_ATTENDEES,
    INFORMAL_ATTENDEES,
    INFORMAL_DAY,
    REPORTED,
    hearing_held,
    informal_held,
    joint_secretary,
    reported,
)

#: The schools and cast are built once for the module (tests/web/conftest.py); each
#: test runs in its own savepoint, so its writes are undone after it.
SHARED_SETUP = True


@pytest.fixture
def secretaries(schools):  # type: ignore[no-untyped-def]
    council = schools["test-academy"].council
    return {
        "management": joint_secretary("js-management", Role.JNCT_MANAGEMENT, council),
        "teachers": joint_secretary("js-teachers", Role.JNCT_TEACHERS, council),
    }


@pytest.fixture
def appeal(cast, schools, secretaries) -> Appeal:  # type: ignore[no-untyped-def]
    return reported(schools["test-academy"], cast["rep"])


def _client(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _convene(appeal: Appeal, actor, kind=Meeting.Kind.INFORMAL, attendees=None, now=REPORTED):  # type: ignore[no-untyped-def]
    return services.meeting_convene(
        actor=actor,
        appeal=appeal,
        kind=kind,
        on=INFORMAL_DAY,
        place="",
        attendees=attendees or INFORMAL_ATTENDEES,
        now=now,
    )


def _outcome(meeting: Meeting, actor, outcome: str, now: datetime) -> Meeting:  # type: ignore[no-untyped-def]
    return services.meeting_outcome(
        actor=actor, meeting=meeting, outcome=outcome, notes="", now=now
    )


# --- the report (17.2) -----------------------------------------------------------------------


@pytest.mark.django_db
def test_a_failure_reported_by_either_side_opens_the_appeal_for_the_joint_secretaries(
    cast, appeal, secretaries
):
    assert appeal.report.by == "union-rep"
    stage = steps.stage(appeal)
    assert stage is not None and stage.name == "reported"
    assert stage.waiting == "informal-meeting"
    told = Notice.objects.filter(kind="appeal-reported").values_list(
        "recipient__username", flat=True
    )
    assert sorted(told) == ["js-management", "js-teachers"]


@pytest.mark.django_db
def test_the_report_is_in_the_years_record_and_the_appeal_is_not(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")
    part = year_agreement(year_of(appeal.school))

    # the report is the agreement's step (17.2), as the school's pages show it ...
    assert part["process"]["failure_reported"]["by"] == "union-rep"
    # ... but the appeal's record is for the parties and the Joint Secretaries only: the
    # year's document is exported and served to others, so it does not carry it
    assert "appeal" not in part
    record = steps.appeal_record(appeal)
    assert record.reported is not None and record.reported.on == date(2025, 6, 20)
    assert record.informal_meeting is not None and record.informal_meeting.failed_on


@pytest.mark.django_db
def test_the_joint_secretaries_queue_lists_the_appeal_and_what_they_do_next(appeal, secretaries):
    page = _client(secretaries["management"]).get(
        reverse("joint-secretaries", args=[appeal.school.council.slug])
    )

    assert page.status_code == 200
    text = page.content.decode()
    assert "Test Academy" in text and "Convene the informal meeting" in text


# --- the informal meeting (the first 17.3) ---------------------------------------------------


@pytest.mark.django_db
def test_only_a_joint_secretary_convenes_the_informal_meeting(cast, appeal):
    for who in ("head", "rep", "council"):
        with pytest.raises(AppealRefused, match="Only the Joint Secretaries"):
            _convene(appeal, cast[who])
    assert not Meeting.objects.exists()


@pytest.mark.django_db
def test_convening_names_a_member_of_each_side_the_head_and_the_rep_and_tells_the_parties(
    cast, appeal, secretaries
):
    meeting = _convene(appeal, secretaries["teachers"])

    roles = sorted(meeting.attendees.values_list("role", flat=True))
    assert roles == ["head-teacher", "management-side", "teachers-side", "union-rep"]
    told = set(
        Notice.objects.filter(kind="appeal-meeting").values_list("recipient__username", flat=True)
    )
    assert {"head", "rep", "js-management", "js-teachers"} <= told
    assert "council" not in told and "teacher" not in told


@pytest.mark.django_db
def test_the_outcome_waits_for_the_day_of_the_meeting(appeal, secretaries):
    meeting = _convene(appeal, secretaries["management"])
    before = datetime(2025, 6, 26, 9, tzinfo=UTC)

    with pytest.raises(AppealRefused, match="once it is held"):
        _outcome(meeting, secretaries["management"], "resolved", before)


@pytest.mark.django_db
def test_an_informal_meeting_without_a_member_of_the_teachers_side_is_not_accepted(
    appeal, secretaries
):
    meeting = _convene(appeal, secretaries["management"])
    meeting.attendees.filter(role=Attendee.As.TEACHERS).delete()

    with pytest.raises(AppealRefused, match="lacks: teachers side"):
        _outcome(meeting, secretaries["management"], "not resolved", AFTER_INFORMAL)
    meeting.refresh_from_db()
    assert meeting.outcome == ""  # nothing changed
    assert steps.stage(appeal).name == "reported"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_an_informal_outcome_is_resolved_or_not_resolved(appeal, secretaries):
    meeting = _convene(appeal, secretaries["management"])

    with pytest.raises(AppealRefused, match="whether it resolved"):
        _outcome(meeting, secretaries["management"], "maybe", AFTER_INFORMAL)


@pytest.mark.django_db
def test_a_held_meeting_is_not_convened_again(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")

    with pytest.raises(AppealRefused, match="already recorded"):
        _convene(appeal, secretaries["management"], now=AFTER_INFORMAL)


# --- the hearing (the second 17.3, 17.4) -----------------------------------------------------


@pytest.mark.django_db
def test_the_hearing_waits_for_the_informal_meetings_outcome(appeal, secretaries):
    _convene(appeal, secretaries["management"])

    with pytest.raises(AppealRefused, match="waits for the informal meeting's outcome"):
        _convene(appeal, secretaries["management"], kind=Meeting.Kind.HEARING)


@pytest.mark.django_db
def test_no_hearing_once_the_informal_meeting_resolved_the_dispute(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "resolved")

    with pytest.raises(AppealRefused, match="not needed"):
        _convene(appeal, secretaries["management"], kind=Meeting.Kind.HEARING, now=AFTER_INFORMAL)
    assert "hearing" not in [e.step_id for e in steps.timeline(appeal, INFORMAL_DAY)]


@pytest.mark.django_db
def test_at_the_hearing_either_side_calls_witnesses(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing = _convene(
        appeal,
        secretaries["management"],
        kind=Meeting.Kind.HEARING,
        attendees=HEARING_ATTENDEES,
        now=AFTER_INFORMAL,
    )
    with pytest.raises(AppealRefused, match="which side called"):
        services.attendee_add(
            actor=secretaries["teachers"], meeting=hearing, name="Pat Witness", role="witness"
        )
    services.attendee_add(
        actor=secretaries["teachers"],
        meeting=hearing,
        name="Pat Witness",
        role="witness",
        called_by="union-rep",
    )
    part = appeal_part(appeal)["hearing"]
    assert {"name": "Pat Witness", "role": "witness", "called_by": "union-rep"} in part["attendees"]
    assert {"name": "Sam Teachers", "role": "joint-secretary-teachers", "nominee": True} in part[
        "attendees"
    ]


@pytest.mark.django_db
def test_a_witness_is_not_called_to_the_informal_meeting(appeal, secretaries):
    meeting = _convene(appeal, secretaries["management"])

    with pytest.raises(AppealRefused, match="formal hearing"):
        services.attendee_add(
            actor=secretaries["management"],
            meeting=meeting,
            name="Pat Witness",
            role="witness",
            called_by="head-teacher",
        )


@pytest.mark.django_db
def test_a_hearing_without_both_joint_secretaries_or_their_nominees_is_not_accepted(
    appeal, secretaries
):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing = _convene(
        appeal,
        secretaries["management"],
        kind=Meeting.Kind.HEARING,
        attendees=[a for a in HEARING_ATTENDEES if a[1] != "joint-secretary-teachers"],
        now=AFTER_INFORMAL,
    )
    with pytest.raises(AppealRefused, match="joint secretary teachers"):
        _outcome(hearing, secretaries["management"], "Heard", AFTER_HEARING)


# --- the conclusion (17.5, 17.1) -------------------------------------------------------------


def _conclude(appeal: Appeal, actor, *, determines: bool = True) -> Conclusion:  # type: ignore[no-untyped-def]
    return services.conclusion_record(
        actor=actor,
        appeal=appeal,
        on=date(2025, 7, 3),
        decision="Parents' meetings are allocated 30 hours; the school applies it from August.",
        determines_arrangement=determines,
        decided_by=[{"name": "Jo Management", "role": "joint-secretary-management"}],
        now=AFTER_HEARING,
    )


@pytest.mark.django_db
def test_the_conclusion_waits_for_the_hearing_when_the_informal_meeting_failed(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")

    with pytest.raises(AppealRefused, match="waits for"):
        _conclude(appeal, secretaries["management"])
    hearing_held(appeal, secretaries["management"])
    _conclude(appeal, secretaries["management"])

    stage = steps.stage(appeal)
    assert stage is not None and stage.name == "concluded" and stage.complete


@pytest.mark.django_db
def test_a_resolved_informal_meeting_goes_straight_to_the_conclusion(appeal, secretaries):
    informal_held(appeal, secretaries["teachers"], "resolved")
    _conclude(appeal, secretaries["teachers"], determines=False)

    assert steps.stage(appeal).name == "concluded"  # type: ignore[union-attr]


@pytest.mark.django_db
def test_the_conclusion_is_final_and_binding_and_may_determine_the_arrangement(
    cast, appeal, secretaries
):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing_held(appeal, secretaries["management"])
    _conclude(appeal, secretaries["management"])

    with pytest.raises(AppealRefused, match="already recorded"):
        _conclude(appeal, secretaries["teachers"])
    record = steps.appeal_record(appeal)
    assert core_appeal.arrangement_determined(record) == Conclusion.objects.get().decision
    page = _client(cast["head"]).get(reverse("appeal-detail", args=[appeal.pk])).content.decode()
    assert "Final and binding" in page and "determines the school's arrangement" in page
    assert set(
        Notice.objects.filter(kind="appeal-concluded").values_list("recipient__username", flat=True)
    ) >= {"head", "rep"}


@pytest.mark.django_db
def test_the_live_record_reads_in_the_core_as_the_same_record_from_a_file(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing_held(appeal, secretaries["management"])
    _conclude(appeal, secretaries["management"])
    part = {"process": {"failure_reported": failure_part(appeal)}, "appeal": appeal_part(appeal)}
    core_appeal.appeal_checked(part["appeal"])  # the school-year schema accepts both
    core_process.record_checked(part["process"])

    from_file = core_appeal.appeal_from_school_year(json.loads(json.dumps(part)))
    process = steps.appeal_process(appeal.school)
    assert process is not None
    assert from_file == steps.appeal_record(appeal)
    assert core_process.stage(process, from_file).name == "concluded"


# --- documents -------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_party_uploads_a_document_and_a_joint_secretary_freezes_the_check_record(
    cast, appeal, secretaries
):
    upload = SimpleUploadedFile("case.txt", b"The head's case.", content_type="text/plain")
    services.document_file(
        actor=cast["head"],
        appeal=appeal,
        stage="report",
        title="The head's case",
        upload=upload,
        now=REPORTED,
    )
    _convene(appeal, secretaries["management"])
    frozen = services.document_file(
        actor=secretaries["management"],
        appeal=appeal,
        stage="informal_meeting",
        title="Check record",
        upload=None,
        now=REPORTED,
    )

    assert frozen.kind == "check-record"
    assert frozen.ref == hashlib.sha256(bytes(frozen.content)).hexdigest()
    record = json.loads(bytes(frozen.content))
    assert record["format"].startswith("fairload/check-record") and "findings" in record
    assert failure_part(appeal)["documents"] == [
        {"title": "The head's case", "kind": "upload", "ref": "case.txt"}
    ]
    download = _client(cast["rep"]).get(reverse("appeal-document", args=[appeal.pk, frozen.pk]))
    assert download.status_code == 200 and download["Content-Disposition"].startswith("attachment")
    assert (
        _client(cast["council"])
        .get(reverse("appeal-document", args=[appeal.pk, frozen.pk]))
        .status_code
        == 404
    )


@pytest.mark.django_db
def test_a_teacher_files_nothing(cast, appeal):
    with pytest.raises(AppealRefused):
        services.document_file(
            actor=cast["teacher"],
            appeal=appeal,
            stage="report",
            title="x",
            upload=None,
            now=REPORTED,
        )
    assert not AppealDocument.objects.exists()


# --- the pages, as the Joint Secretaries use them ---------------------------------------------


@pytest.mark.django_db
def test_the_joint_secretaries_take_the_appeal_through_its_pages(cast, appeal, secretaries):
    js = _client(secretaries["management"])
    at = {
        "convene": reverse("appeal-convene", args=[appeal.pk, "informal"]),
        "outcome": reverse("appeal-outcome", args=[appeal.pk, "informal"]),
        "hearing": reverse("appeal-convene", args=[appeal.pk, "hearing"]),
        "heard": reverse("appeal-outcome", args=[appeal.pk, "hearing"]),
        "witness": reverse("appeal-attendee", args=[appeal.pk, "hearing"]),
        "conclusion": reverse("appeal-conclusion", args=[appeal.pk]),
    }
    day = {"on_0": "27", "on_1": "6", "on_2": "2025"}
    response = js.post(
        at["convene"],
        {
            **day,
            "management": "Alison Manager",
            "teachers": "Brian Side",
            "head": "Morag Head",
            "rep": "Duncan Rep",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert js.post(at["outcome"], {"outcome": "not resolved"}).status_code == 302
    response = js.post(
        at["hearing"],
        {
            **day,
            "on_0": "2",
            "on_1": "7",
            "js_management": "Jo",
            "js_teachers": "Sam",
            "head": "Morag Head",
            "rep": "Duncan Rep",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert (
        js.post(
            at["witness"], {"name": "Pat", "role": "witness", "called_by": "head-teacher"}
        ).status_code
        == 302
    )
    assert js.post(at["heard"], {"outcome": "Both sides presented their cases."}).status_code == 302
    response = js.post(
        at["conclusion"],
        {"on_0": "3", "on_1": "7", "on_2": "2025", "decision": "As the school proposed."},
    )
    assert response.status_code == 302

    page = _client(cast["rep"]).get(reverse("appeal-detail", args=[appeal.pk])).content.decode()
    assert 'data-stage="concluded"' in page and "Pat" in page


@pytest.mark.django_db
def test_a_page_refusal_says_the_cores_reason(appeal, secretaries):
    response = _client(secretaries["management"]).post(
        reverse("appeal-convene", args=[appeal.pk, "hearing"]),
        {
            "on_0": "2",
            "on_1": "7",
            "on_2": "2025",
            "js_management": "Jo",
            "js_teachers": "Sam",
            "head": "H",
            "rep": "R",
        },
    )

    assert response.status_code == 200
    assert "waits for the informal meeting" in response.content.decode()


# --- the record for the appeal's PDF ---------------------------------------------------------


@pytest.mark.django_db
def test_the_appeal_record_is_plain_data_with_every_stage(appeal, secretaries):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing_held(appeal, secretaries["management"])
    _conclude(appeal, secretaries["management"])

    data = selectors.appeal_record_document(appeal)

    assert json.loads(json.dumps(data)) == data  # plain data only
    assert data["school"] == "Test Academy" and data["session"] == "2025-26"
    assert [m["clause"] for m in data["meetings"]] == ["17.3 (first)", "17.3 (second), 17.4"]
    assert data["conclusion"]["final_and_binding"] is True
    assert data["conclusion"]["determines_arrangement"] is True
    assert data["stage"] == "Concluded (final and binding)"


@pytest.mark.django_db
def test_changing_a_convened_meeting_starts_from_its_day_and_attendees(appeal, secretaries):
    _convene(appeal, secretaries["management"])

    page = _client(secretaries["teachers"]).get(
        reverse("appeal-convene", args=[appeal.pk, "informal"])
    )

    text = page.content.decode()
    assert 'value="Brian Teacherside"' in text and 'value="27"' in text


# --- the role (accounts) ---------------------------------------------------------------------


@pytest.mark.django_db
def test_an_admin_makes_someone_a_joint_secretary_for_a_side_of_a_council(cast, schools):
    council = schools["test-academy"].council
    admin = _client(cast["admin"])

    missing = admin.post(
        reverse("person-role-add", args=[cast["colleague"].pk]),
        {"role": Role.JNCT_TEACHERS.value},
    )
    assert missing.status_code == 400 and "Select the council" in missing.content.decode()
    admin.post(
        reverse("person-role-add", args=[cast["colleague"].pk]),
        {"role": Role.JNCT_TEACHERS.value, "council": str(council.pk)},
    )

    from fairload.web.appeals.policies import joint_secretary_sides

    assert joint_secretary_sides(cast["colleague"], council.pk) == ["joint-secretary-teachers"]
    head_tries = _client(cast["head"]).post(
        reverse("person-role-add", args=[cast["teacher"].pk]),
        {"role": Role.JNCT_MANAGEMENT.value, "council": str(council.pk)},
    )
    assert head_tries.status_code == 400  # a head gives school roles only
    assert not cast["teacher"].memberships.filter(role=Role.JNCT_MANAGEMENT).exists()


@pytest.mark.django_db
def test_a_joint_secretarys_home_is_their_queue_and_the_parties_menu_links_the_appeal(
    cast, appeal, secretaries
):
    home = _client(secretaries["teachers"]).get(reverse("home"))
    assert home.status_code == 302
    assert home["Location"] == reverse("joint-secretaries", args=["south-ayrshire-council"])

    link = reverse("appeal-detail", args=[appeal.pk])
    dashboard = reverse("school-dashboard", args=["test-academy"])
    assert link in _client(cast["rep"]).get(dashboard).content.decode()
    assert link not in _client(cast["council"]).get(dashboard).content.decode()


@pytest.mark.django_db
def test_the_conclusion_is_reached_by_the_joint_secretaries_or_nominees_who_sat(
    appeal, secretaries
):
    informal_held(appeal, secretaries["management"], "not resolved")
    hearing_held(appeal, secretaries["management"])

    assert selectors.deciders(appeal) == [
        {"name": "Jo Management", "role": "joint-secretary-management"},
        {"name": "Sam Teachers", "role": "joint-secretary-teachers", "nominee": True},
    ]


@pytest.mark.django_db
def test_a_document_is_filed_with_a_stage_that_has_happened(cast, appeal, secretaries):
    def file(stage: str) -> AppealDocument:
        return services.document_file(
            actor=cast["head"], appeal=appeal, stage=stage, title="Case", upload=None, now=REPORTED
        )

    with pytest.raises(AppealRefused, match="not convened yet"):
        file("hearing")
    with pytest.raises(AppealRefused, match="conclusion is not recorded"):
        file("conclusion")
    _convene(appeal, secretaries["management"])
    assert file("informal_meeting").kind == "check-record"


@pytest.mark.django_db
def test_a_steps_page_says_why_it_waits_instead_of_offering_a_form_the_core_would_refuse(
    appeal, secretaries
):
    js = _client(secretaries["management"])

    conclusion = js.get(reverse("appeal-conclusion", args=[appeal.pk])).content.decode()
    hearing = js.get(reverse("appeal-convene", args=[appeal.pk, "hearing"])).content.decode()
    informal = js.get(reverse("appeal-convene", args=[appeal.pk, "informal"])).content.decode()

    assert "data-blocked" in conclusion and "waits for the informal meeting" in conclusion
    assert "data-blocked" in hearing and "<form" not in hearing.split("<main")[1]
    assert "data-blocked" not in informal and "Convene it" in informal


@pytest.mark.django_db
def test_the_parties_download_the_appeals_record_and_decision_as_a_pdf(cast, appeal, secretaries):
    from tests.documents.pdfs import text_of

    informal_held(appeal, secretaries["management"], "not resolved")
    hearing_held(appeal, secretaries["management"])
    _conclude(appeal, secretaries["management"])

    response = _client(cast["rep"]).get(reverse("appeal-pdf", args=[appeal.pk]))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Test Academy" in text and "Parents' meetings are allocated 30 hours" in text
