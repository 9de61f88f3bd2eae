"""The union local officer's pages across the council (issue 12, section 5), and a
case's file as one PDF.

The council's union cases (by stage, by instruction, by age, overdue next steps, the
pattern view) and their CSV exports: the council's union local officers only
(``councils_officered``); anyone else gets 404. A case's file: the case's local
officers and reps (web/disputes' ``case_roles``); anyone else gets 404.
"""

from __future__ import annotations

import base64
import io
from collections.abc import Mapping
from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from fairload.core import disputes
from fairload.documents.case_file import (
    CaseFileDocument,
    EvidenceLine,
    FileLine,
    LetterLine,
    RecordLine,
    TimelineLine,
    case_file_pdf,
)
from fairload.web.disputes.models import DOCUMENT_KINDS, Case
from fairload.web.disputes.selectors import (
    OFFICER,
    REP,
    case_core,
    case_get,
    case_ladder,
    case_roles,
    councils_officered,
)
from fairload.web.pdf_response import pdf_response
from fairload.web.schools.models import Council
from fairload.web.workload_audit.council import (
    CouncilCases,
    cases_csv,
    council_cases,
    patterns_csv,
)
from fairload.web.workload_audit.selectors import school_audit, stored_audit
from fairload.web.workload_audit.uploads import TEXT


def _council(request: HttpRequest, slug: str) -> Council:
    council = get_object_or_404(Council, slug=slug)
    if not councils_officered(request.user).filter(pk=council.pk).exists():
        raise Http404("No such council")
    return council


def _officer_view(request: HttpRequest, slug: str) -> CouncilCases:
    return council_cases(request.user, _council(request, slug), timezone.localdate())


@login_required
@require_safe
def council_cases_view(request: HttpRequest, slug: str) -> HttpResponse:
    view = _officer_view(request, slug)
    return render(request, "workload_audit/council.html", {"view": view, "council": view.council})


#: what -> the CSV it writes
_CSVS = {"cases": cases_csv, "patterns": patterns_csv}


@login_required
@require_safe
def council_csv(request: HttpRequest, slug: str, what: str) -> HttpResponse:
    """The cases (a case a row) or the pattern view (an issue a row) as CSV."""
    view = _officer_view(request, slug)
    response = HttpResponse("\ufeff" + _CSVS[what](view), content_type="text/csv; charset=utf-8")
    name = f"{view.council.slug}-union-{what}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _names(by: tuple[object, ...]) -> tuple[str, ...]:
    """Who acted, as the case records them ({name, role}): "Tom Rep (union rep)"."""
    out = []
    for person in by:
        if isinstance(person, dict):
            role = str(person.get("role", "")).replace("-", " ")
            out.append(f"{person.get('name', '')} ({role})" if role else str(person.get("name")))
        else:
            out.append(str(person))
    return tuple(out)


def _document(line: Mapping[str, str]) -> str:
    """A step's document as the file lists it: "minutes.pdf (file, SHA-256 1a2b3c4d5e6f…)"."""
    kind = DOCUMENT_KINDS.get(line.get("kind", ""), line.get("kind", ""))
    ref = line.get("ref", "")
    if line.get("kind") in ("upload", "check-record") and len(ref) == 64:
        return f"{line.get('title', '')} ({kind}, SHA-256 {ref[:12]}…)"
    return f"{line.get('title', '')} ({kind})"


#: An image larger than this (pixels) is named in the case file, not drawn in it.
MAX_IMAGE_PIXELS = 16_000_000
#: A text file's words the case file shows, at most (the rest is in the download).
MAX_TEXT = 20_000


def _image_uri(content_type: str, data: bytes) -> str:
    """The image as a ``data:`` URI for the PDF, if it is one Pillow can read and of a
    size the PDF can draw without decoding a huge picture ("" otherwise)."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:  # reads the header only
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError):
        return ""
    if width * height > MAX_IMAGE_PIXELS:
        return ""
    return f"data:{content_type};base64,{base64.b64encode(data).decode('ascii')}"


def _files(case: Case, labels: Mapping[str, str]) -> tuple[FileLine, ...]:
    """The files attached to the case's steps, with what the file shows of each."""
    out = []
    for document in case.documents.filter(kind="upload"):
        data = bytes(document.content)
        text = image = ""
        if document.content_type == TEXT:
            text = data.decode("utf-8", errors="replace")[:MAX_TEXT]
        elif document.content_type.startswith("image/"):
            image = _image_uri(document.content_type, data)
        kind = {"application/pdf": "A PDF", TEXT: "A text file"}.get(
            document.content_type, "An image"
        )
        out.append(
            FileLine(
                document.title,
                labels.get(document.step, document.step),
                kind,
                document.ref,
                text,
                image,
            )
        )
    return tuple(out)


def case_file_document(case: Case) -> CaseFileDocument:
    """The case's file as plain data: the core's timeline and stage, the letters as
    shared, and the union's audit evidence at the school."""
    ladder, core = case_ladder(case), case_core(case)
    found = disputes.stage(ladder, core)
    lines = []
    for row in disputes.timeline(ladder, core):
        entry = core.entries.get(row.step_id)
        documents = tuple(_document(d) for d in (entry.documents if entry else ()))
        lines.append(
            TimelineLine(
                row.label,
                row.on,
                row.done,
                row.outcome or "",
                _names(tuple(row.by)),
                (entry.note or "") if entry else "",
                documents,
                row.reason,
            )
        )
    letters = []
    for letter in case.letters.all():
        content = letter.content
        letters.append(
            LetterLine(
                timezone.localdate(letter.shared_at),
                _date(content.get("dated")) or timezone.localdate(letter.shared_at),
                str(content.get("asked", "")),
                tuple(str(i.get("title", "")) for i in content.get("issues", ())),
            )
        )
    evidence, records = [], []
    stored = stored_audit(case.school, case.union)
    audit = school_audit(case.school)
    if stored is not None and audit is not None:
        texts = {q.id: q.text for q in audit[0].questions}
        for answer in stored.answers.prefetch_related("uploads"):
            evidence.append(
                EvidenceLine(
                    texts.get(answer.question, answer.question),
                    "Yes" if answer.value else "No",
                    answer.note,
                    tuple(u.filename for u in answer.uploads.all()),
                )
            )
        for record in stored.records.all():
            records.append(
                RecordLine(
                    timezone.localdate(record.frozen_at),
                    record.label,
                    len(record.content.get("findings", ())),
                    record.sha256,
                )
            )
    issues = tuple(
        str(i.get("clause") or f"Instruction {i.get('instruction')}") for i in core.issues
    )
    return CaseFileDocument(
        school=case.school.name,
        union=case.union,
        title=case.title,
        ladder=ladder.title,
        opened=core.opened,
        stage=found.label,
        status=found.status,
        made=timezone.localdate(),
        issues=issues,
        timeline=tuple(lines),
        letters=tuple(letters),
        evidence=tuple(evidence),
        records=tuple(records),
        files=_files(case, {row.step_id: row.label for row in disputes.timeline(ladder, core)}),
    )


def _date(value: object) -> date | None:
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return value if isinstance(value, date) else None


@login_required
@require_safe
def case_file_view(request: HttpRequest, pk: int) -> HttpResponse:
    case = case_get(request.user, pk)
    if case is None or not case_roles(request.user, case.school, case.union) & {OFFICER, REP}:
        raise Http404("No such case")
    document = case_file_document(case)
    return pdf_response(
        document,
        lambda: case_file_pdf(document),
        filename=f"{case.school.slug}-case-{case.pk}-file.pdf",
        final=False,
        reason="",
    )
