"""A union's workload audit as its rep and members run it: the pack's questions answered
with evidence (a note, a file, the school's check frozen), and "what you may refuse, and
why, in your school, now" as a page and a one-page PDF, from the core's refusals."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import date, time

import pytest
from django.urls import reverse

from fairload.web.schools.models import Event, SchoolYear, StaffPost
from fairload.web.schools.selectors import school_year_check
from fairload.web.schools.services import year_touch
from fairload.web.workload_audit.models import AnswerUpload, AuditAnswer, CheckRecord
from fairload.web.workload_audit.selectors import check_content, content_hash
from fairload.web.workload_audit.uploads import MAX_BYTES
from tests.documents.pdfs import first_page_png, page_count, text_of

from .workload_audit_helpers import NOW, PDF_BYTES, answered, neu_school

PLANS = "weekly-lesson-plans-to-slt"
PLANS_WORDS = (
    "Members should not submit weekly lesson plans to members of the senior management "
    "team or anyone acting on behalf of the senior management team."
)
EMAILS_WORDS = "Members should send and respond to work-related emails only during directed time."


@pytest.fixture
def school(cast):  # type: ignore[no-untyped-def]
    english, _ = neu_school(cast)
    return english


def _url(name: str, *args: object) -> str:
    return reverse(name, args=["test-school", *args])


def _events_add(school, *events: tuple[str, str, str, date, time, time], **more):  # type: ignore[no-untyped-def]
    """Events (id, title, category, day, start, end) for t1 in the school's year, the
    year touched so its check is made again."""
    year = SchoolYear.objects.get(school=school)
    t1 = StaffPost.objects.get(school_year=year, staff_id="t1")
    for event_id, title, category, day, start, end in events:
        event = Event.objects.create(
            school_year=year,
            event_id=event_id,
            title=title,
            category=category,
            date=day,
            start=start,
            end=end,
            **more,
        )
        event.attendees.add(t1)
    year_touch(year)
    return year


def _upload(name: str, data: bytes):  # type: ignore[no-untyped-def]
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


@pytest.mark.django_db
def test_a_rep_answers_two_questions_and_sees_the_two_instructions_in_their_own_words(
    as_user, school
):
    rep = as_user("rep")
    page = rep.get(_url("workload-audit")).content.decode()
    # the pack's 14 questions (and 2 topics answered from the check alone), none answered
    assert page.count('data-answer="none"') == 14 and page.count("data-from-check") == 2
    assert "Is there too much interference from management" in page

    done = rep.post(
        _url("workload-audit-answer", PLANS),
        {
            "answer": "yes",
            "note": "Plans are collected every Friday by the deputy head",
            "upload": _upload("plans memo.pdf", PDF_BYTES),
            "freeze_check": "on",
        },
    )
    assert done.status_code == 302 and done["Location"].endswith("#topic-lesson-planning")
    rep.post(
        _url("workload-audit-answer", "emails-expected-outside-directed-time"), {"answer": "yes"}
    )

    result = rep.get(_url("workload-audit-refusals")).content.decode()
    assert result.count("data-instruction=") == 2
    assert PLANS_WORDS in result and EMAILS_WORDS in result
    assert "NUT, How to win with Action Short of Strike Action (2015), Instruction 1" in result
    assert "Plans are collected every Friday by the deputy head" in result  # the evidence
    assert "plans memo.pdf" in result
    # read today, outside the 2015 instructions' mandate: each says so, the warning once
    assert result.count("data-caveat") == 2 and result.count("data-mandate-caveat") == 1
    assert "not what members may refuse today" in result


def _cover_in_ppa(school):  # type: ignore[no-untyped-def]
    """Unforeseen cover for t1 in PPA time: findings under instructions 11 and 14."""
    return _events_add(
        school,
        ("c1", "Cover 8B", "cover", date(2025, 10, 9), time(11), time(12)),
        foreseeable=False,
        during_ppa=True,
    )


@pytest.mark.django_db
def test_a_calendar_finding_brings_in_its_instruction_beside_the_answer(as_user, school):
    _cover_in_ppa(school)
    member = as_user("teacher")
    member.post(_url("workload-audit-answer", "cover-routinely-required"), {"answer": "yes"})

    result = member.get(_url("workload-audit-refusals")).content.decode()

    assert 'data-instruction="11"' in result and 'data-instruction="14"' in result
    assert "Members should refuse to cover for absence." in result
    assert "&#x27;Cover 8B&#x27; on 2025-10-09 directs cover for absence" in result
    assert 'data-basis="answer"' in result and 'data-basis="finding"' in result


@pytest.mark.django_db
def test_a_findings_clause_is_cited_once_on_the_page_and_in_the_pdf(as_user, school):
    """A finding's sentence ends with its citation already: the page and the PDF must not
    add it a second time ("(NUT, ..., Instruction 11) (NUT, ..., Instruction 11)")."""
    _cover_in_ppa(school)
    member = as_user("teacher")

    page = member.get(_url("workload-audit-refusals")).content.decode()
    pdf = text_of(member.get(_url("workload-audit-pdf")).content)

    findings = page.split('data-basis="finding"')[1:]
    assert findings
    for basis in findings:
        shown = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", basis.split("</li>")[0]))
        assert shown.count("(NUT, How to win") == 1, shown
    assert "(2015), Instruction 11) (Instruction 11)" not in pdf
    assert "(2015), Instruction 11)" in pdf


@pytest.mark.django_db
def test_no_answer_and_no_finding_refuses_nothing(as_user, school):
    result = as_user("rep").get(_url("workload-audit-refusals")).content.decode()

    assert "data-none" in result and "data-instruction=" not in result


@pytest.mark.django_db
def test_the_frozen_check_record_keeps_the_check_as_it_stood(as_user, cast, school):
    answered(school, cast["rep"])
    record = CheckRecord.objects.get()
    year = _events_add(
        school, ("late", "Late meeting", "staff-meeting", date(2025, 11, 4), time(17), time(19))
    )

    download = as_user("rep").get(_url("workload-audit-check-record", record.pk))

    body = json.loads(download.content)
    assert download["Content-Disposition"].startswith("attachment;")
    assert body["sha256"] == record.sha256 == content_hash(record.content)
    assert (body["school"], body["year"]) == ("test-school", "2025-26")
    assert "Late meeting" not in download.content.decode()  # frozen before the change
    now = json.dumps(check_content(year, school_year_check(year=year)))
    assert "Late meeting" in now  # which the check as it is now finds
    evidence = as_user("rep").get(_url("workload-audit-refusals")).content.decode()
    assert record.sha256[:12] in evidence


@pytest.mark.django_db
def test_an_upload_is_served_back_only_as_a_download_of_the_type_its_bytes_show(
    as_user, cast, school
):
    answered(school, cast["rep"])
    upload = AnswerUpload.objects.get()

    response = as_user("teacher").get(_url("workload-audit-upload", upload.pk))

    assert response.content == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="plans-memo.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert upload.sha256 == hashlib.sha256(PDF_BYTES).hexdigest()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "data", "message"),
    [
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\xff\xff", "is not a PDF, a PNG or JPEG"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES, "larger than 5 MB"),
    ],
    ids=["a-program", "over-5-mb"],
)
def test_an_upload_of_the_wrong_type_or_size_is_refused_and_nothing_is_saved(
    as_user, school, name, data, message
):
    response = as_user("rep").post(
        _url("workload-audit-answer", PLANS), {"answer": "yes", "upload": _upload(name, data)}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert not AuditAnswer.objects.exists() and not AnswerUpload.objects.exists()


@pytest.mark.django_db
def test_a_file_name_keeps_no_folder_and_no_markup(as_user, school):
    as_user("rep").post(
        _url("workload-audit-answer", PLANS),
        {"answer": "yes", "upload": _upload('../../etc/<b>"notes".txt', b"Friday plans")},
    )

    upload = AnswerUpload.objects.get()
    assert (upload.filename, upload.content_type) == ("_b_notes_.txt", "text/plain")


@pytest.mark.django_db
def test_answering_again_replaces_the_answer_and_can_remove_a_file(as_user, cast, school):
    answered(school, cast["rep"])
    upload = AnswerUpload.objects.get()

    as_user("teacher").post(
        _url("workload-audit-answer", PLANS),
        {"answer": "no", "note": "Stopped this term", "remove_uploads": [str(upload.pk)]},
    )

    answer = AuditAnswer.objects.get(question=PLANS)
    assert (answer.value, answer.note, answer.answered_by) == (
        False,
        "Stopped this term",
        cast["teacher"],
    )
    assert not AnswerUpload.objects.exists()
    assert answer.check_record is not None  # the frozen check stays with the answer
    result = as_user("rep").get(_url("workload-audit-refusals")).content.decode()
    assert PLANS_WORDS not in result and EMAILS_WORDS in result


@pytest.mark.django_db
def test_a_question_the_audit_does_not_ask_is_404(as_user, school):
    assert as_user("rep").get(_url("workload-audit-answer", "cover-often")).status_code == 404


@pytest.mark.django_db
def test_a_member_of_another_union_sees_their_own_unions_audit_not_this_one(as_user, cast, school):
    answered(school, cast["rep"])
    colleague = as_user("colleague")  # NASUWT

    own = colleague.get(_url("workload-audit")).content.decode()
    neu = colleague.get(_url("workload-audit") + "?union=neu")

    assert "NASUWT" in own and 'data-answer="yes"' not in own
    assert "Plans are collected" not in own
    assert neu.status_code == 404


@pytest.mark.django_db
def test_the_result_as_a_one_page_pdf(as_user, cast, school, tmp_path):
    answered(school, cast["rep"])

    response = as_user("union-officer").get(_url("workload-audit-pdf"))

    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "private, no-store"
    pdf = response.content
    assert page_count(pdf) == 1
    text = text_of(pdf)
    assert "What you may refuse, and why" in text and "Instruction 4" in text
    assert EMAILS_WORDS in text
    assert "Plans are collected every Friday by the deputy head" in text
    assert first_page_png(pdf, "workload-audit-refusals", tmp_path).stat().st_size > 0


@pytest.mark.django_db
def test_every_question_answered_the_refusing_way_still_fits_one_page(
    as_user, cast, school, tmp_path
):
    from fairload.core.workload_audit import Answer, refusals
    from fairload.web.workload_audit.selectors import school_audit
    from fairload.web.workload_audit.services import AnswerIn, answer_save

    pack, audit = school_audit(school)  # type: ignore[misc]
    today = date(2026, 1, 12)
    for question in audit.question_ids:
        value = bool(refusals(audit, pack, {question: Answer(True)}, [], today))
        answer_save(
            actor=cast["rep"],
            school=school,
            union="NEU",
            given=AnswerIn(question, value, note="Seen at the school this term, every week."),
            now=NOW,
        )

    response = as_user("rep").get(_url("workload-audit-pdf"))

    text = text_of(response.content)
    assert text.count("Instruction ") >= 12  # most of the 18 instructions apply
    first_page_png(response.content, "workload-audit-refusals-full", tmp_path)
    assert page_count(response.content) == 1


@pytest.mark.django_db
def test_the_pdf_lists_three_findings_an_instruction_and_counts_the_rest(as_user, school):
    _events_add(  # five cover lessons, Monday 6 to Friday 10 October
        school,
        *[
            (f"c{d}", f"Cover {d}", "cover", date(2025, 10, d), time(11), time(12))
            for d in range(6, 11)
        ],
        foreseeable=False,
    )
    rep = as_user("rep")

    page = rep.get(_url("workload-audit-refusals")).content.decode()
    text = text_of(rep.get(_url("workload-audit-pdf")).content)

    assert page.count("directs cover for absence") == 5
    assert text.count("directs cover for absence") == 3
    assert "and 2 more findings of the school's check" in text


@pytest.mark.django_db
def test_a_case_opened_from_the_audit_names_the_instructions_chosen(as_user, cast, school):
    from fairload.web.disputes.models import Case

    answered(school, cast["rep"])
    rep = as_user("rep")
    assert "data-open-case" in rep.get(_url("workload-audit-refusals")).content.decode()

    done = rep.post(
        _url("workload-audit-open-case"), {"title": "Lesson plans", "instructions": ["1"]}
    )

    case = Case.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse("dispute-detail", args=[case.pk])
    assert (case.source, case.union, case.title) == ("audit", "NEU", "Lesson plans")
    assert case.record["issues"] == [
        {"instruction": 1, "clause": "Instruction 1", "rules": ["weekly-lesson-plans"]}
    ]


@pytest.mark.django_db
def test_the_school_menu_shows_the_audit_to_the_rep_and_not_to_the_head(as_user, school):
    dashboard = reverse("school-dashboard", args=["test-school"])

    assert "Workload audit" in as_user("rep").get(dashboard).content.decode()
    assert "Workload audit" not in as_user("other-head").get(dashboard).content.decode()
