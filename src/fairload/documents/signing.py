"""A final document signed as a PDF (PAdES baseline, with pyHanko), and its check.

The operator configures a signing certificate (a PKCS#12 file and its password: the
council's section of the README says how); without one, documents are not signed as PDFs
and their signatures are the recorded ones (names, roles, dates and content hashes,
printed in the document). Signing is the last thing done to a PDF: anything written into
a signed PDF afterwards (a stamp, a watermark, a second signature over a changed page)
breaks the signature or weakens it, so :func:`pdf_signed` refuses a PDF that is already
signed, and nothing in fairload writes into one.

pyHanko is imported inside the functions: it is slow to import, and the web and the CLI
import this module without making a PDF.
"""

from __future__ import annotations

from dataclasses import dataclass
from io import BytesIO
from pathlib import Path
from typing import Any

#: The signature field fairload signs (one per document).
FIELD_NAME = "fairload"


class SigningError(Exception):
    """The PDF cannot be signed: say what to do."""


@dataclass(frozen=True)
class SigningCertificate:
    """The operator's signing key and certificate, as a PKCS#12 archive (.p12 or .pfx)."""

    pkcs12: bytes
    password: bytes | None = None
    #: Where the documents are signed (the operator's organisation), shown by PDF readers.
    location: str | None = None

    @classmethod
    def from_file(
        cls, path: str | Path, password: str | None = None, location: str | None = None
    ) -> SigningCertificate:
        """Read the archive; a missing file is a SigningError that names it."""
        try:
            data = Path(path).read_bytes()
        except OSError as exc:
            raise SigningError(f"cannot read the PDF signing certificate {path}: {exc}") from exc
        return cls(data, password.encode() if password else None, location)

    def signer(self) -> Any:
        """pyHanko's signer for the archive; a wrong password or a damaged file is a
        SigningError."""
        from pyhanko.sign import signers

        try:
            return signers.SimpleSigner.load_pkcs12_data(self.pkcs12, (), self.password)
        except ValueError as exc:
            raise SigningError(
                "the PDF signing certificate cannot be read: check the file is a PKCS#12 "
                "archive (.p12 or .pfx) and its password"
            ) from exc


def is_signed(pdf: bytes) -> bool:
    """Whether the PDF already carries a signature."""
    from pyhanko.pdf_utils.reader import PdfFileReader

    return bool(PdfFileReader(BytesIO(pdf)).embedded_signatures)


def pdf_signed(pdf: bytes, certificate: SigningCertificate, *, reason: str) -> bytes:
    """The PDF signed once (PAdES baseline B, SHA-256), in a new revision appended to it,
    with ``reason`` (what the signature attests, e.g. "The agreement as signed by the head
    teacher and the union representatives"). A PDF already signed is a SigningError: it is
    final, and nothing is written into it afterwards."""
    from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
    from pyhanko.sign import fields, signers

    if is_signed(pdf):
        raise SigningError("this PDF is already signed: a signed document is never changed")
    writer = IncrementalPdfFileWriter(BytesIO(pdf))
    metadata = signers.PdfSignatureMetadata(
        field_name=FIELD_NAME,
        md_algorithm="sha256",
        subfilter=fields.SigSeedSubFilter.PADES,
        reason=reason,
        location=certificate.location,
    )
    out = signers.sign_pdf(writer, metadata, signer=certificate.signer())
    return bytes(out.getvalue())


@dataclass(frozen=True)
class SignatureCheck:
    """What a check of a PDF's signature found: whether the signed bytes are unchanged
    (``intact``), the signature is the certificate's (``valid``) and the certificate
    leads to one of the trusted roots (``trusted``), and who signed."""

    intact: bool
    valid: bool
    trusted: bool
    signer: str
    covers_whole_file: bool

    @property
    def ok(self) -> bool:
        return self.intact and self.valid and self.trusted and self.covers_whole_file


def signature_checked(pdf: bytes, trust_roots: list[bytes]) -> SignatureCheck:
    """Check the PDF's one signature against ``trust_roots`` (DER or PEM certificates).
    A PDF with no signature, or one whose bytes fail to parse, is a SigningError."""
    from asn1crypto import pem, x509
    from pyhanko.pdf_utils.misc import PdfReadError
    from pyhanko.pdf_utils.reader import PdfFileReader
    from pyhanko.sign.validation import validate_pdf_signature
    from pyhanko_certvalidator import ValidationContext

    roots = []
    for root in trust_roots:
        der = pem.unarmor(root)[2] if pem.detect(root) else root
        roots.append(x509.Certificate.load(der))
    try:
        signatures = PdfFileReader(BytesIO(pdf), strict=False).embedded_signatures
    except (PdfReadError, ValueError, KeyError) as exc:
        raise SigningError(f"the PDF cannot be read: {exc}") from exc
    if not signatures:
        raise SigningError("the PDF carries no signature")
    embedded = signatures[0]
    status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots))
    coverage = status.coverage
    return SignatureCheck(
        intact=bool(status.intact),
        valid=bool(status.valid),
        trusted=bool(status.trusted),
        signer=status.signing_cert.subject.human_friendly,
        covers_whole_file=coverage is not None and coverage.name == "ENTIRE_FILE",
    )
