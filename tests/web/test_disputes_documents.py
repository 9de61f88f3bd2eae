"""Documents on a case's steps (issue 12: "each step has dates, people, documents, an
outcome and a next step"): the rep attaches files when recording a step (the members'
meeting's minutes, the head's reply letter), checked as the workload audit's uploads are
(their first bytes, their size, how many a step keeps), shown on the case's timeline,
served only as downloads, and listed in the officer's case file."""

from __future__ import annotations

import hashlib
import io
from datetime import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairload.web.disputes import services
from fairload.web.disputes.models import Case, CaseDocument
from fairload.web.workload_audit.uploads import MAX_BYTES, MAX_PER_ANSWER
from tests.documents.pdfs import assert_tagged_pdf_ua, text_of

from .dispute_helpers import OPENED, dispute_people, entry, open_case

pytestmark = pytest.mark.django_db

MINUTES = b"%PDF-1.4\n% minutes of the members' meeting\n"
REPLY = b"\x89PNG\r\n\x1a\n a scan of the head's reply"


@pytest.fixture
def people(cast, schools):  # type: ignore[no-untyped-def]
    return dispute_people(cast, schools)


@pytest.fixture
def case(people) -> Case:  # type: ignore[no-untyped-def]
    made = open_case(people["neu-rep"])
    return services.dispute_step_take(
        actor=people["neu-rep"], case=made, step_id="talk", entry=entry(OPENED), now=OPENED
    )


def _as(user) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    client.force_login(user)
    return client


def _file(name: str, data: bytes, claimed: str = "application/octet-stream") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=claimed)


def _meeting(on: datetime = OPENED, **more: object) -> dict[str, object]:
    return {
        "on_0": str(on.day),
        "on_1": str(on.month),
        "on_2": str(on.year),
        "present": "3",
        "members": "3",
        "issues": ["0"],
        **more,
    }


def _meet(actor, case: Case, uploads: list[tuple[str, bytes]]) -> Case:  # type: ignore[no-untyped-def]
    """The members' meeting recorded through the service, with ``uploads``."""
    meeting = entry(OPENED, attendance={"present": 3, "members": 3})
    return services.dispute_step_take(
        actor=actor,
        case=case,
        step_id="members-meeting",
        entry=meeting,
        now=OPENED,
        uploads=uploads,
    )


def _meeting_url(case: Case) -> str:
    return reverse("dispute-step", args=[case.pk, "members-meeting"])


def test_the_rep_attaches_the_minutes_and_a_letter_and_the_step_lists_them(people, case):
    rep = _as(people["neu-rep"])

    response = rep.post(
        _meeting_url(case),
        _meeting(files=[_file("Minutes 12 Jan.pdf", MINUTES), _file("../reply.png", REPLY)]),
    )

    assert response.status_code == 302
    case.refresh_from_db()
    kept = {d.title: d for d in CaseDocument.objects.filter(case=case)}
    assert set(kept) == {"Minutes 12 Jan.pdf", "reply.png"}  # no folder in a name
    assert kept["Minutes 12 Jan.pdf"].content_type == "application/pdf"  # by its first bytes
    assert kept["reply.png"].content_type == "image/png"
    assert kept["reply.png"].ref == hashlib.sha256(REPLY).hexdigest()
    assert case.record["steps"]["members-meeting"]["documents"] == [
        {
            "title": "Minutes 12 Jan.pdf",
            "kind": "upload",
            "ref": hashlib.sha256(MINUTES).hexdigest(),
        },
        {"title": "reply.png", "kind": "upload", "ref": hashlib.sha256(REPLY).hexdigest()},
    ]
    page = rep.get(reverse("dispute-detail", args=[case.pk])).content.decode()
    for document in kept.values():
        url = reverse("dispute-document", args=[case.pk, document.pk])
        assert f'<a class="govuk-link" href="{url}" download>{document.title}</a> (file)' in page


def test_the_step_form_takes_several_files_in_the_gov_uk_file_upload(people, case):
    page = _as(people["neu-rep"]).get(_meeting_url(case)).content.decode()

    assert 'enctype="multipart/form-data"' in page
    assert (
        '<input type="file" name="files" multiple aria-describedby="id_files_hint" '
        'class="govuk-file-upload" id="id_files">'
    ) in page


def test_a_file_attached_is_served_only_as_a_download_of_the_type_its_bytes_show(people, case):
    _as(people["neu-rep"]).post(
        _meeting_url(case), _meeting(files=[_file("minutes.pdf", MINUTES, "text/html")])
    )
    document = CaseDocument.objects.get(case=case)

    response = _as(people["neu-member"]).get(
        reverse("dispute-document", args=[case.pk, document.pk])
    )

    assert response.status_code == 200
    assert response.content == MINUTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="minutes.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]


@pytest.mark.parametrize(
    ("name", "data", "said"),
    [
        ("tool.exe", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00", "is not a PDF, a PNG or JPEG image"),
        ("empty.pdf", b"", "The submitted file is empty"),
        ("big.pdf", b"%PDF-" + b"0" * MAX_BYTES, "larger than 5 MB"),
    ],
)
def test_a_file_the_audit_would_refuse_is_refused_and_the_step_is_not_recorded(
    people, case, name, data, said
):
    before = dict(case.record)

    response = _as(people["neu-rep"]).post(_meeting_url(case), _meeting(files=[_file(name, data)]))

    assert response.status_code == 200
    assert said in response.content.decode()
    case.refresh_from_db()
    assert case.record == before
    assert not CaseDocument.objects.exists()


def test_a_step_keeps_at_most_five_files(people, case):
    rep = people["neu-rep"]
    six = [(f"part-{n}.txt", f"minutes, part {n}".encode()) for n in range(MAX_PER_ANSWER + 1)]

    with pytest.raises(
        services.CaseRefused, match="at most 5 files: it has 0, so attach at most 5"
    ):
        _meet(rep, case, six)
    page = (
        _as(rep)
        .post(_meeting_url(case), _meeting(files=[_file(n, d) for n, d in six]))
        .content.decode()
    )

    assert "Attach at most 5 files at once" in page
    case.refresh_from_db()
    assert "members-meeting" not in case.record["steps"]
    assert not CaseDocument.objects.exists()
    _meet(rep, case, six[:MAX_PER_ANSWER])
    assert CaseDocument.objects.filter(case=case, kind="upload").count() == MAX_PER_ANSWER


def test_the_officers_case_file_lists_each_steps_files_by_name(people, case):
    _meet(people["neu-rep"], case, [("Minutes 12 Jan.pdf", MINUTES)])

    response = _as(people["neu-officer"]).get(reverse("dispute-case-file", args=[case.pk]))

    assert response.status_code == 200
    text = text_of(response.content)
    assert f"Minutes 12 Jan.pdf (file, SHA-256 {hashlib.sha256(MINUTES).hexdigest()[:12]}" in text


def _png(width: int, height: int) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, format="PNG")
    return out.getvalue()


def _images(pdf: bytes) -> int:
    import pypdfium2 as pdfium
    import pypdfium2.raw as raw

    document = pdfium.PdfDocument(pdf)
    return sum(
        1
        for i in range(len(document))
        for _ in document[i].get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE])
    )


def test_the_case_file_shows_a_text_files_words_and_an_image_and_names_a_pdf(people, case):
    _meet(
        people["neu-rep"],
        case,
        [
            ("Minutes 12 Jan.pdf", MINUTES),
            ("minutes.txt", b"Ten members present. Both issues discussed."),
            ("reply.png", _png(120, 80)),
        ],
    )

    pdf = _as(people["neu-officer"]).get(reverse("dispute-case-file", args=[case.pk])).content

    text = text_of(pdf)
    assert "Files attached to the steps" in text
    assert "Ten members present. Both issues discussed." in text
    assert "Not shown here: download it from the case" in text  # the PDF, named only
    assert _images(pdf) == 1
    assert_tagged_pdf_ua(pdf, "Case file: Weekly lesson plans")


def test_an_image_too_large_to_draw_is_named_in_the_case_file_not_drawn(people, case, monkeypatch):
    from fairload.web.workload_audit import council_views

    monkeypatch.setattr(council_views, "MAX_IMAGE_PIXELS", 120 * 80 - 1)
    _meet(people["neu-rep"], case, [("reply.png", _png(120, 80))])

    pdf = _as(people["neu-officer"]).get(reverse("dispute-case-file", args=[case.pk])).content

    assert _images(pdf) == 0
    assert "reply.png" in text_of(pdf)
