"""A file attached to a case's step (the minutes, the head's reply) against the cast: it
is the case's, so its download is for the case's union members, reps and local officers
only. The head (a declared member too), a council officer, a site administrator,
another union's rep and officer, another school's rep and another council's officer get
404, as for a document that does not exist; nobody outside the case can attach one, and
no POST to a document changes anything."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from fairload.web.disputes import services
from fairload.web.disputes.models import Case, CaseDocument

from .access import CAST, assert_sent_to_sign_in
from .dispute_helpers import OPENED, dispute_people, entry, open_case

pytestmark = pytest.mark.django_db

MINUTES = b"%PDF-1.4\n% the members' meeting\n"
SEE = ("neu-rep", "neu-member", "neu-member-2", "neu-officer")
NOT = (
    *CAST,
    "neu-head",
    "english-council",
    "nasuwt-member",
    "nasuwt-rep",
    "nasuwt-officer",
    "other-school-rep",
    "far-officer",
)


#: The URL under test here (tests/web/test_access.py reads each module's PAGES; a case
#: and a document that need not exist resolve the same URL name).
PAGES = {"document": reverse("dispute-document", args=[1, 1])}


#: The cast, case and files are built once for the module (tests/web/conftest.py); each
#: test's writes are undone after it.
SHARED_SETUP = True


@pytest.fixture(scope="module")
def people(shared_cast, shared_schools):  # type: ignore[no-untyped-def]
    found = dispute_people(shared_cast, shared_schools)
    rep = found["neu-rep"]
    case = open_case(rep)
    services.dispute_step_take(
        actor=rep,
        case=case,
        step_id="talk",
        entry=entry(OPENED),
        now=OPENED,
        uploads=[("minutes.pdf", MINUTES)],
    )
    return found


def _document() -> CaseDocument:
    return CaseDocument.objects.get()


def _url(document: CaseDocument, case: int | None = None) -> str:
    return reverse("dispute-document", args=[case or document.case_id, document.pk])


def _as(people, who: str | None) -> Client:  # type: ignore[no-untyped-def]
    client = Client()
    if who is not None:
        client.force_login(people[who])
    return client


@pytest.mark.parametrize("who", SEE)
def test_the_cases_people_download_the_file(people, who):
    response = _as(people, who).get(_url(_document()))

    assert response.status_code == 200
    assert response.content == MINUTES
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize("who", NOT)
def test_everyone_else_gets_404_for_the_file_as_for_one_that_does_not_exist(people, who):
    document = _document()
    client = _as(people, who)

    assert client.get(_url(document)).status_code == 404
    assert (
        client.get(reverse("dispute-document", args=[document.case_id, 10**9])).status_code == 404
    )


def test_the_file_is_not_found_under_another_case(people):
    other = open_case(people["neu-rep"], title="Cover")

    response = _as(people, "neu-rep").get(_url(_document(), case=other.pk))

    assert response.status_code == 404


def test_someone_signed_out_is_sent_to_sign_in(people):
    assert_sent_to_sign_in(Client().get(_url(_document())))


def _rows() -> list[object]:
    return [list(m.objects.order_by("pk").values()) for m in (Case, CaseDocument)]


@pytest.mark.parametrize("who", (*SEE, *NOT))
def test_a_post_to_the_file_changes_nothing(people, who):
    before = _rows()

    response = _as(people, who).post(_url(_document()), {"title": "renamed"})

    assert response.status_code in (404, 405)
    assert _rows() == before


@pytest.mark.parametrize("who", NOT)
def test_nobody_the_case_is_not_for_attaches_a_file_to_its_step(people, who):
    case = Case.objects.get()
    before = _rows()

    response = _as(people, who).post(
        reverse("dispute-step", args=[case.pk, "members-meeting"]),
        {
            "on_0": "13",
            "on_1": "1",
            "on_2": "2026",
            "present": "3",
            "members": "3",
            "files": [SimpleUploadedFile("sneaky.pdf", MINUTES)],
        },
    )

    assert response.status_code == 404
    assert _rows() == before
