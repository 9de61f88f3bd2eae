"""A final document signed as a PDF (PAdES, pyHanko) with a throwaway certificate, then
checked with pyHanko's validation: the signature holds and is trusted, a changed byte
fails it, another certificate's root does not trust it, and a signed PDF is never signed
(or stamped) again."""

from __future__ import annotations

import pytest

from fairload.documents.render import html_of, pdf_of
from fairload.documents.signing import (
    SigningCertificate,
    SigningError,
    is_signed,
    pdf_signed,
    signature_checked,
)

from .certificates import PASSWORD, throwaway_certificate

REASON = "The agreement as signed by the head teacher and the union representatives"


@pytest.fixture(scope="module")
def throwaway():  # type: ignore[no-untyped-def]
    return throwaway_certificate()


@pytest.fixture(scope="module")
def unsigned() -> bytes:
    html = html_of("base.html", {"doc": None}).replace(
        "</body>", "<h1>A final document</h1><p>Signed once.</p></body>"
    )
    return pdf_of(html)


@pytest.fixture(scope="module")
def signed(throwaway, unsigned: bytes) -> bytes:  # type: ignore[no-untyped-def]
    certificate = SigningCertificate(throwaway.pkcs12, PASSWORD.encode(), "Ayr")
    return pdf_signed(unsigned, certificate, reason=REASON)


def test_a_signed_pdf_verifies_against_its_certificate(throwaway, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    check = signature_checked(signed, [throwaway.certificate_der])

    assert check.ok
    assert check.intact and check.valid and check.trusted and check.covers_whole_file
    assert "Test Council document signing" in check.signer


def test_the_signature_is_pades_with_its_reason(signed: bytes) -> None:
    assert b"/ETSI.CAdES.detached" in signed
    assert REASON.encode() in signed


def test_a_changed_byte_fails_the_signature(throwaway, unsigned: bytes, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    # a byte inside the document's first stream: the signature covers every byte of the
    # file but its own value
    at = signed.index(b"stream\n") + 20
    assert at < len(unsigned)
    changed = bytearray(signed)
    changed[at] ^= 0xFF

    check = signature_checked(bytes(changed), [throwaway.certificate_der])

    assert not check.intact and not check.ok


def test_another_root_does_not_trust_it(signed: bytes) -> None:
    check = signature_checked(signed, [throwaway_certificate("Someone else").certificate_der])

    assert check.intact and not check.trusted and not check.ok


def test_a_signed_pdf_is_never_signed_again(throwaway, signed: bytes) -> None:  # type: ignore[no-untyped-def]
    certificate = SigningCertificate(throwaway.pkcs12, PASSWORD.encode())

    assert is_signed(signed)
    with pytest.raises(SigningError, match="already signed"):
        pdf_signed(signed, certificate, reason=REASON)


def test_a_wrong_password_says_what_to_check(throwaway, unsigned: bytes) -> None:  # type: ignore[no-untyped-def]
    certificate = SigningCertificate(throwaway.pkcs12, b"not the password")

    with pytest.raises(SigningError, match=r"PKCS#12 archive .* and its password"):
        pdf_signed(unsigned, certificate, reason=REASON)


def test_an_unsigned_pdf_has_no_signature_to_check(throwaway, unsigned: bytes) -> None:  # type: ignore[no-untyped-def]
    assert not is_signed(unsigned)
    with pytest.raises(SigningError, match="no signature"):
        signature_checked(unsigned, [throwaway.certificate_der])


def test_a_missing_certificate_file_is_named(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SigningError, match=r"missing\.p12"):
        SigningCertificate.from_file(tmp_path / "missing.p12")
