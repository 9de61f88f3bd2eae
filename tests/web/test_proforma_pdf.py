"""The pro-forma's PDF from the web: laid out as Appendix 2 with the teacher's hours and
both signatures once agreed; signed as a PDF only then (with a certificate configured),
a draft never."""

from __future__ import annotations

import pytest

from fairload.documents.signing import is_signed, signature_checked
from tests.documents.pdfs import first_page_png, text_of

from .test_agreement_pdf import certificate  # noqa: F401  (a fixture)
from .test_proformas import FULL, PASSWORD, _send, _url, client_of, people  # noqa: F401


def _agreed(client_of) -> None:  # type: ignore[no-untyped-def]  # noqa: F811
    _send(client_of("teacher"))
    response = client_of("manager").post(_url("proforma-agree"), {"password": PASSWORD})
    assert response.status_code == 302


@pytest.mark.django_db
def test_the_agreed_pro_forma_downloads_with_its_hours_and_both_signatures(
    client_of,  # noqa: F811
    tmp_path,
):
    _agreed(client_of)

    response = client_of("teacher").get(_url("proforma-pdf"))

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = text_of(response.content)
    assert "Restorative practice course" in text  # the brief details of a row
    assert "Kirsty Teacher" in text and "Ailsa Principal" in text
    assert first_page_png(response.content, "proforma-web", tmp_path).stat().st_size > 10_000


@pytest.mark.django_db
def test_an_agreed_pro_forma_is_signed_as_a_pdf_and_a_draft_is_not(
    client_of,  # noqa: F811
    certificate,  # noqa: F811
):
    client_of("teacher").post(_url("proforma-page"), FULL)
    draft = client_of("teacher").get(_url("proforma-pdf"))
    assert draft.status_code == 200 and not is_signed(draft.content)

    _agreed(client_of)
    agreed = client_of("manager").get(_url("proforma-pdf"))

    assert signature_checked(agreed.content, [certificate.certificate_der]).ok


@pytest.mark.django_db
def test_the_pro_forma_page_links_to_its_pdf(client_of):  # noqa: F811
    client_of("teacher").post(_url("proforma-page"), FULL)

    page = client_of("teacher").get(_url("proforma-page")).content.decode()

    assert _url("proforma-pdf") in page
