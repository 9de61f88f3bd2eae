"""The agreement's PDF from the live record (web/agreements/pdf_views.py): the version
shown, its text, the staff ballot and the signatures that stand, with their content
hash; signed as a PDF when the operator configures a certificate and the agreement is
final, never when it is a draft. Importing the web app and the CLI does not import
WeasyPrint or pyHanko (they are slow to import)."""

from __future__ import annotations

import subprocess
import sys
from datetime import timedelta

import pytest
from django.urls import reverse

from fairload.documents.signing import is_signed, signature_checked
from fairload.web import pdf_response
from fairload.web.agreements import services
from fairload.web.agreements.models import Signature
from tests.documents.certificates import PASSWORD, throwaway_certificate
from tests.documents.pdfs import first_page_png, text_of

from .agreement_helpers import year_of
from .test_agreements import CONSULTING, DRAFTED, _approved, _sign

URL = reverse("agreement-pdf", args=["test-academy"])
PROTOCOL = "A teacher leaving during the pupil day tells the depute head and signs out."


@pytest.fixture
def year(schools):  # type: ignore[no-untyped-def]
    return year_of(schools["test-academy"])


@pytest.fixture
def consulting(cast, year):  # type: ignore[no-untyped-def]
    agreement = services.agreement_start(actor=cast["head"], year=year, now=DRAFTED)
    services.version_save(
        actor=cast["head"],
        agreement=agreement,
        content={"allocations": {"planning": 30}, "offsite_protocol": PROTOCOL},
        note="More planning, and the protocol",
        now=DRAFTED + timedelta(hours=1),
    )
    return services.consultation_open(actor=cast["head"], agreement=agreement, now=CONSULTING)


@pytest.fixture
def signed(cast, year, consulting):  # type: ignore[no-untyped-def]
    _approved(cast, consulting, year, yes=5)
    _sign(cast["head"], consulting, Signature.SignedAs.HEAD)
    _sign(cast["rep"], consulting, Signature.SignedAs.REP)
    return consulting


@pytest.fixture
def certificate(tmp_path, settings):  # type: ignore[no-untyped-def]
    made = throwaway_certificate()
    path = tmp_path / "signing.p12"
    path.write_bytes(made.pkcs12)
    settings.FAIRLOAD_PDF_SIGNING_CERTIFICATE = str(path)
    settings.FAIRLOAD_PDF_SIGNING_PASSWORD = PASSWORD
    return made


@pytest.mark.django_db
def test_the_signed_agreement_downloads_with_its_version_ballot_and_signatures(
    as_user, signed, tmp_path
):
    response = as_user("teacher").get(URL)

    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        'attachment; filename="test-academy-2025-26-working-time-agreement.pdf"'
    )
    text = text_of(response.content)
    assert "Test Academy Working Time Agreement" in text
    assert "Final agreement, version 3" in text  # the draft, its change, then the final
    assert "Planning (by agreement) 10.1 30 Hours 25 Hours" in text
    assert "The headings add up to 1370 hours, not the 1365 of the total" in text
    assert PROTOCOL in text
    assert "Secret ballot of the whole teaching staff" in text and "8 5 3 0" in text
    heads, reps = (
        Signature.objects.get(role="head-teacher"),
        Signature.objects.get(role="union-rep"),
    )
    assert f"{heads.name} Head teacher" in text and f"{reps.name} Union representative" in text
    assert text.replace(" ", "").count(heads.content_hash) == 3
    assert first_page_png(response.content, "agreement-live", tmp_path).stat().st_size > 10_000


@pytest.mark.django_db
def test_with_a_certificate_the_final_agreement_is_signed_as_a_pdf(as_user, signed, certificate):
    response = as_user("head").get(URL)

    check = signature_checked(response.content, [certificate.certificate_der])
    assert check.ok


@pytest.mark.django_db
def test_a_second_download_of_the_unchanged_agreement_is_the_same_signed_file(
    as_user, signed, certificate, settings
):
    settings.FAIRLOAD_CHECK_CACHE_SIZE = 4  # the tests keep nothing between requests
    try:
        first, second = (as_user(who).get(URL).content for who in ("head", "teacher"))
    finally:
        pdf_response._PDFS.clear()

    assert first == second and signature_checked(first, [certificate.certificate_der]).ok


@pytest.mark.django_db
def test_a_draft_is_never_signed_as_a_pdf(as_user, consulting, certificate):
    response = as_user("head").get(URL)

    assert response.status_code == 200
    assert not is_signed(response.content)
    assert "Not final, version 2" in text_of(response.content)


@pytest.mark.django_db
def test_the_agreement_page_links_to_the_pdf(as_user, consulting):
    page = as_user("rep").get(reverse("agreement-home", args=["test-academy"])).content.decode()

    assert f'href="{URL}"' in page


def test_the_web_app_and_the_cli_import_no_pdf_library():
    code = (
        "import sys, django, os;"
        "os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'fairload.web.test_settings');"
        "django.setup();"
        "import fairload.web.urls, fairload.cli;"
        "from django.urls import resolve; resolve('/schools/x/agreement/pdf/');"
        "print(sorted(m for m in ('weasyprint', 'pyhanko') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout

    assert out.strip() == "[]"
