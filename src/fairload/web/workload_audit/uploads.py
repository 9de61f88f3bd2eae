"""What an upload may be (an audit answer's evidence, a document a dispute case's step
files): a PDF, a PNG or JPEG image (a photo of a notice, a screenshot of an email, a
scanned letter) or plain text, of at most MAX_BYTES, recognised by its first bytes (never
by the name or the type the browser claims), under a plain name.

Kept in the database and only ever served back as a download (:func:`served`) with the
type found here (and ``nosniff``, in a sandbox), so a file cannot run as a page of the
site. Who may download it is the caller's to decide before calling :func:`served`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath, PureWindowsPath

from django.http import HttpResponse

#: The largest upload kept as evidence (bytes).
MAX_BYTES = 5 * 1024 * 1024
#: How many files one answer (or one step of a dispute case) keeps.
MAX_PER_ANSWER = 5
#: What each allowed kind starts with, and the type it is served as.
SIGNATURES = (
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
)
TEXT = "text/plain"
ALLOWED = "a PDF, a PNG or JPEG image, or a plain text file"


#: What a file field says it takes, e.g. "A PDF, a PNG or JPEG image, or a plain text file,
#: up to 5 MB".
TAKES = f"{ALLOWED[0].upper()}{ALLOWED[1:]}, up to {MAX_BYTES // (1024 * 1024)} MB"


class UploadRefused(ValueError):
    """The file may not be kept: the message says why, for the person who gave it."""


@dataclass(frozen=True)
class Checked:
    filename: str
    content_type: str
    data: bytes


def safe_name(name: str) -> str:
    """The file's own name, without any folder, in letters, digits, dots, dashes,
    underscores and spaces; at most 120 characters, its ending kept."""
    base = PureWindowsPath(PurePosixPath(name or "").name).name
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", base).strip(" .") or "evidence"
    if len(cleaned) > 120:
        stem, dot, ending = cleaned.rpartition(".")
        cleaned = (
            (stem[: 119 - len(ending)] + "." + ending)
            if dot and len(ending) < 10
            else cleaned[:120]
        )
    return cleaned


def _text(data: bytes) -> bool:
    if b"\x00" in data:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def upload_checked(name: str, data: bytes) -> Checked:
    """The upload as it will be kept, or UploadRefused saying why not."""
    filename = safe_name(name)
    if not data:
        raise UploadRefused(f"{filename} is empty")
    if len(data) > MAX_BYTES:
        raise UploadRefused(
            f"{filename} is larger than {MAX_BYTES // (1024 * 1024)} MB: "
            "give a smaller file, or a note of what it shows"
        )
    for start, content_type in SIGNATURES:
        if data.startswith(start):
            return Checked(filename, content_type, data)
    if _text(data):
        return Checked(filename, TEXT, data)
    raise UploadRefused(f"{filename} is not {ALLOWED}")


def size_refusal(size: int | None) -> str | None:
    """Why a file of ``size`` bytes is refused before it is read (None: it is not)."""
    if size is not None and size > MAX_BYTES:
        return (
            f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB: give a smaller file, "
            "or a note of what it shows"
        )
    return None


def served(filename: str, content_type: str, data: bytes) -> HttpResponse:
    """A kept file as a download only: never shown inline, never sniffed into another
    type, sandboxed if a browser opens it anyway, and not cached."""
    response = HttpResponse(bytes(data), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{safe_name(filename)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
