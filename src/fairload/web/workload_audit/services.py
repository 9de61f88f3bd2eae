"""Answering a union's workload audit: one question at a time, with its evidence.

The answer is checked by the core (``answers_checked``: a question of the audit, evidence
of the kinds the audit takes) and by the policy (policies.py) before anything is
written; a refused answer raises AuditRefused and writes nothing. Answering again
replaces the answer and its note, freezes a new check record if asked (else the one it
had stays), and adds the new uploads to those
kept (up to uploads.MAX_PER_ANSWER); ``remove_uploads`` drops those named.

Nothing here goes to the school's changes page (web/audit), which the head and council
read: the audit is union business, and its own rows say who answered and when.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from fairload.core.errors import InputErrors
from fairload.core.workload_audit import answers_checked
from fairload.web.accounts.policies import User
from fairload.web.schools.models import School
from fairload.web.schools.selectors import school_year_check, school_year_current
from fairload.web.workload_audit.models import (
    AnswerUpload,
    AuditAnswer,
    CheckRecord,
    WorkloadAudit,
)
from fairload.web.workload_audit.policies import may_use_audit, union_key
from fairload.web.workload_audit.selectors import check_content, content_hash, school_audit
from fairload.web.workload_audit.uploads import MAX_PER_ANSWER, UploadRefused, upload_checked


class AuditRefused(Exception):
    """An answer that may not be saved; ``messages`` say why, for the person who tried."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


@dataclass(frozen=True)
class AnswerIn:
    question: str
    value: bool
    note: str = ""
    #: (file name, content) of each new upload
    uploads: Sequence[tuple[str, bytes]] = ()
    freeze_check: bool = False
    remove_uploads: Iterable[int] = ()


def _audit_for(school: School, union: str, now: datetime) -> WorkloadAudit:
    stored, _ = WorkloadAudit.objects.get_or_create(
        school=school,
        union_key=union_key(union),
        defaults={
            "union": union.strip(),
            "pack": school.pack,
            "created_at": now,
            "updated_at": now,
        },
    )
    return stored


def answer_save(
    *, actor: User, school: School, union: str, given: AnswerIn, now: datetime
) -> AuditAnswer:
    """Save the answer to one question of the union's audit at the school, with its
    evidence; AuditRefused (nothing written) if the actor may not, the question is not
    the audit's, an upload is not allowed, or the check cannot be frozen."""
    if not may_use_audit(actor, school, union):
        raise AuditRefused("You may not answer this union's workload audit.")
    found = school_audit(school)
    if found is None:
        raise AuditRefused(f"The school's pack ({school.pack}) has no workload audit.")
    _, audit = found
    note = given.note.strip()
    checked = []
    problems = []
    for name, data in given.uploads:
        try:
            checked.append(upload_checked(name, data))
        except UploadRefused as refusal:
            problems.append(str(refusal))
    evidence = [{"kind": "note", "ref": note}] if note else []
    evidence += [{"kind": "upload", "ref": c.filename} for c in checked]
    year = school_year_current(school=school)
    if given.freeze_check:
        if year is None:
            problems.append("The school has no year to check yet, so there is no check to freeze.")
        else:
            evidence.append({"kind": "check-record", "ref": "frozen at answer time"})
    try:
        answers_checked(
            audit, {given.question: {"answer": given.value, "evidence": evidence}}, "answer"
        )
    except InputErrors as errors:
        problems += [e.message for e in errors.errors]
    if problems:
        raise AuditRefused(*problems)
    with transaction.atomic():
        stored = _audit_for(school, union, now)
        stored = WorkloadAudit.objects.select_for_update().get(pk=stored.pk)
        answer = AuditAnswer.objects.filter(audit=stored, question=given.question).first()
        kept = (
            0
            if answer is None
            else answer.uploads.exclude(pk__in=list(given.remove_uploads)).count()
        )
        if kept + len(checked) > MAX_PER_ANSWER:
            raise AuditRefused(
                f"An answer keeps at most {MAX_PER_ANSWER} files: remove one before adding more."
            )
        record = None
        if given.freeze_check and year is not None:
            content = check_content(year, school_year_check(year=year))
            record = CheckRecord.objects.create(
                audit=stored,
                label=year.label,
                frozen_at=now,
                frozen_by=actor if actor.is_authenticated else None,
                content=content,
                sha256=content_hash(content),
            )
        values = {
            "value": given.value,
            "note": note,
            "answered_at": now,
            "answered_by": actor if actor.is_authenticated else None,
        }
        if answer is None:
            answer = AuditAnswer.objects.create(
                audit=stored, question=given.question, check_record=record, **values
            )
        else:
            for key, value in values.items():
                setattr(answer, key, value)
            if given.freeze_check:
                answer.check_record = record
            answer.save()
            answer.uploads.filter(pk__in=list(given.remove_uploads)).delete()
        for upload in checked:
            AnswerUpload.objects.create(
                answer=answer,
                filename=upload.filename,
                content_type=upload.content_type,
                size=len(upload.data),
                sha256=hashlib.sha256(upload.data).hexdigest(),
                data=upload.data,
                uploaded_at=now,
                uploaded_by=actor if actor.is_authenticated else None,
            )
        stored.updated_at = now
        stored.save(update_fields=["updated_at"])
    return answer
