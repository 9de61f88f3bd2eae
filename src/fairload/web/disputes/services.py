"""Writing dispute cases: open one, take a step, run a step's members-only ballot, close
it, share a letter with the head. Every rule is the core's: the record is read back with
``case_checked``, a step is taken with ``disputes.take`` (which refuses a step out of
order, after closing, or recording what it does not record) and closed with
``disputes.close``; the web adds who acted and the audit row.

Every write locks the case row, so two steps at once do not lose one, and writes an
audit entry (``dispute.*``) that the school's changes page leaves out (signals.py): a
case is shown only to its union's people (selectors.py).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from fairload.core import disputes
from fairload.core.dispute_case import case_checked, case_open, case_to_dict
from fairload.core.errors import InputError, InputErrors
from fairload.core.findings import Finding
from fairload.core.workload_audit import Refusal
from fairload.web.accounts.policies import User
from fairload.web.audit.services import audit_record
from fairload.web.ballots.models import Ballot
from fairload.web.ballots.services import BallotRefused, ballot_open
from fairload.web.disputes.models import Case, CaseBallot, CaseDocument, CaseLetter
from fairload.web.disputes.selectors import (
    case_ladder,
    case_roles,
    letter_refusal,
    members_electorate,
    school_ladder,
    unions_at,
)
from fairload.web.disputes.signals import DISPUTE, SUBJECT_KIND
from fairload.web.schools.models import School
from fairload.web.workload_audit.uploads import (
    MAX_PER_ANSWER,
    Checked,
    UploadRefused,
    upload_checked,
)


class CaseRefused(Exception):
    """A case step that may not be taken: each message is for the person who tried."""

    def __init__(self, *messages: str) -> None:
        self.messages = list(messages)
        super().__init__("; ".join(messages))


def _errors(exc: InputErrors) -> CaseRefused:
    return CaseRefused(*(_said(e) for e in exc.errors))


def _said(error: InputError) -> str:
    where = error.location.field if error.location is not None else ""
    return f"{where}: {error.message}" if where else error.message


def person_name(user: Any) -> str:
    full = user.get_full_name() if hasattr(user, "get_full_name") else ""
    return str(full or user.get_username())


def _audit(actor: User, case: Case, action: str, summary: str, **details: Any) -> None:
    audit_record(
        actor=actor,
        action=f"dispute.{action}",
        school=case.school,
        summary=summary,
        details={"case": case.pk, **details},
    )


def _locked(case: Case) -> Case:
    return Case.objects.select_related("school__council").select_for_update().get(pk=case.pk)


# --- opening -----------------------------------------------------------------------------


def _union_for(actor: User, school: School, union: str | None) -> str:
    unions = unions_at(actor, school)
    if union is None:
        if len(unions) != 1:
            raise CaseRefused("Say which union the case is for.")
        return unions[0]
    match = [u for u in unions if u.casefold() == union.strip().casefold()]
    if not match:
        raise CaseRefused(
            "You may open a case only for a union you are a member, rep or officer of."
        )
    return match[0]


def dispute_case_open(
    *,
    actor: User,
    school: School,
    title: str,
    issues: Iterable[Mapping[str, Any]] = (),
    refusals: Iterable[Refusal] = (),
    source: str = Case.Source.HAND,
    union: str | None = None,
    now: datetime,
) -> Case:
    """Open a case at the school for the actor's union, naming its issues (instructions,
    clauses, the rules of findings): the core's ``case_open`` makes the record, checked
    against the ladder that union's cases at the school follow (``school_ladder``), whose
    pack the case stores."""
    acts_for = _union_for(actor, school, union)
    ladder = school_ladder(school, acts_for)
    if ladder is None:
        raise CaseRefused(
            f"No dispute ladder serves {acts_for} members at schools on this school's "
            f"agreement ({school.pack})."
        )
    if not title.strip():
        raise CaseRefused("Give the case a title members will recognise.")
    core = case_open(timezone.localdate(now), issues, refusals)
    if not core.issues:
        raise CaseRefused("Name at least one issue: an instruction or a clause.")
    record = case_to_dict(core)
    try:
        case_checked(ladder, record, "case")
    except InputErrors as exc:
        raise _errors(exc) from None
    with transaction.atomic():
        case = Case.objects.create(
            school=school,
            union=acts_for,
            pack=ladder.pack_id,
            title=title.strip()[:200],
            source=source,
            record=record,
            opened_by=actor if actor.is_authenticated else None,
            created_at=now,
            updated_at=now,
        )
        _audit(
            actor,
            case,
            "open",
            f"Opened the dispute case “{case.title}”",
            issues=len(core.issues),
            source=source,
        )
    return case


def open_case_from_refusal(
    *,
    actor: User,
    school: School,
    refusals: Iterable[Refusal],
    title: str,
    union: str | None = None,
    now: datetime,
) -> Case:
    """For the workload audit: a case whose issues are what members may refuse (each
    instruction, its clause, the rules of the findings behind it)."""
    return dispute_case_open(
        actor=actor,
        school=school,
        title=title,
        refusals=list(refusals),
        source=Case.Source.AUDIT,
        union=union,
        now=now,
    )


def issues_from_findings(
    findings: Iterable[Finding], pack_rules: Mapping[str, Any]
) -> list[dict[str, Any]]:
    """Each finding of a rule with an instruction as an issue: the instruction, the
    finding's clause and its rule (findings of one rule and clause become one issue)."""
    grouped: dict[tuple[int, str], set[str]] = {}
    for finding in findings:
        rule = pack_rules.get(finding.rule)
        number = getattr(rule, "instruction", None)
        if number is None:
            continue
        grouped.setdefault((number, finding.reference.clause), set()).add(finding.rule)
    return [
        {"instruction": n, "clause": clause, "rules": sorted(rules)}
        for (n, clause), rules in sorted(grouped.items())
    ]


# --- steps ----------------------------------------------------------------------------------


def _acting_role(actor: User, case: Case, step_id: str) -> str:
    """The ladder role the actor takes the step in, or CaseRefused naming who takes it."""
    ladder = case_ladder(case)
    try:
        step = ladder.step(step_id)
    except KeyError:
        raise CaseRefused(f"There is no step '{step_id}' on this ladder.") from None
    mine = case_roles(actor, case.school, case.union)
    for role in step.roles:
        if role in mine:
            return role
    who = ", ".join(r.replace("-", " ") for r in step.roles)
    raise CaseRefused(f"This step is taken by: {who}.")


def _take(case: Case, step_id: str, raw_entry: Mapping[str, Any]) -> dict[str, Any]:
    """The case's record with the step taken, as the core allows it (else CaseRefused)."""
    ladder = case_ladder(case)
    current = case_checked(ladder, case.record, f"case {case.pk}")
    candidate = case_to_dict(current)
    candidate.setdefault("steps", {})[step_id] = dict(raw_entry)
    try:
        checked = case_checked(ladder, candidate, "step")
        taken = disputes.take(ladder, current, step_id, checked.entries[step_id])
    except InputErrors as exc:
        raise _errors(exc) from None
    except disputes.StepRefused as refused:
        labels = ", ".join(ladder.label(s, current.opened) for s in refused.allowed)
        raise CaseRefused(
            f"{refused.reason[:1].upper()}{refused.reason[1:]}.",
            *([f"May follow now: {labels}."] if labels else []),
        ) from None
    return case_to_dict(taken)


#: The title of the check record a step files.
CHECK_RECORD_TITLE = "The school's check, as it stood"


def _check_record(case: Case, step_id: str, now: datetime) -> dict[str, str] | None:
    """File the school's current check as the core's reproducible record; its document
    line for the entry (None if the school has no year)."""
    from fairload.core.check import check_record
    from fairload.core.process import canonical_json
    from fairload.web.schools.selectors import school_year_check, school_year_current
    from fairload.web.schools.to_core import school_year_document

    year = school_year_current(school=case.school)
    if year is None:
        return None
    record = check_record(school_year_check(year=year), {"school_year": school_year_document(year)})
    content = canonical_json(record).encode("utf-8")
    ref = hashlib.sha256(content).hexdigest()
    CaseDocument.objects.create(
        case=case,
        step=step_id,
        title=CHECK_RECORD_TITLE,
        ref=ref,
        content_type="application/json",
        content=content,
        filed_at=now,
    )
    return {"title": CHECK_RECORD_TITLE, "kind": "check-record", "ref": ref}


#: How many files one step keeps (as an audit answer does: web/workload_audit/uploads.py).
MAX_PER_STEP = MAX_PER_ANSWER
UPLOAD = "upload"


def _uploads_checked(
    case: Case, step_id: str, uploads: Sequence[tuple[str, bytes]]
) -> list[Checked]:
    """The files as they will be kept (checked as the workload audit checks its uploads:
    their first bytes, their size), or CaseRefused saying what is wrong with each, and if
    the step would keep more than MAX_PER_STEP."""
    checked, problems = [], []
    for name, data in uploads:
        try:
            checked.append(upload_checked(name, data))
        except UploadRefused as refusal:
            problems.append(f"{str(refusal)[:1].upper()}{str(refusal)[1:]}.")
    kept = case.documents.filter(step=step_id, kind=UPLOAD).count()
    if checked and kept + len(checked) > MAX_PER_STEP:
        problems.append(
            f"A step keeps at most {MAX_PER_STEP} files: it has {kept}, so attach at most "
            f"{max(MAX_PER_STEP - kept, 0)} more."
        )
    if problems:
        raise CaseRefused(*problems)
    return checked


def _file_uploads(
    case: Case, step_id: str, files: list[Checked], now: datetime
) -> list[dict[str, str]]:
    lines = []
    for upload in files:
        ref = hashlib.sha256(upload.data).hexdigest()
        CaseDocument.objects.create(
            case=case,
            step=step_id,
            kind=UPLOAD,
            title=upload.filename,
            ref=ref,
            content_type=upload.content_type,
            content=upload.data,
            filed_at=now,
        )
        lines.append({"title": upload.filename, "kind": UPLOAD, "ref": ref})
    return lines


def dispute_step_take(
    *,
    actor: User,
    case: Case,
    step_id: str,
    entry: Mapping[str, Any],
    now: datetime,
    file_check: bool = False,
    uploads: Sequence[tuple[str, bytes]] = (),
) -> Case:
    """Record a step on the case: ``entry`` is what the step records (its ``on`` day,
    the fields the ladder's step ``records``, a note, documents, an outcome); the actor is
    added as who acted. ``uploads`` ((name, content) of each file: minutes, the head's
    reply) are filed with the step, checked as the workload audit's are (a step taken
    again, after its gate failed, lists its new files; the earlier stay in the case's
    documents and count towards MAX_PER_STEP). The step's gate (a majority, the law's thresholds)
    is the core's, read on the case page: a step whose gate fails is recorded and may be
    taken again. Refused (CaseRefused), nothing is written."""
    with transaction.atomic():
        fresh = _locked(case)
        role = _acting_role(actor, fresh, step_id)
        raw = {**entry, "by": [{"name": person_name(actor), "role": role}, *entry.get("by", [])]}
        files = _uploads_checked(fresh, step_id, uploads)
        if file_check or files:
            _take(fresh, step_id, raw)  # refused before anything is filed
        if files:
            raw["documents"] = [
                *raw.get("documents", []),
                *_file_uploads(fresh, step_id, files, now),
            ]
        if file_check:
            filed = _check_record(fresh, step_id, now)
            if filed is not None:
                raw["documents"] = [*raw.get("documents", []), filed]
        fresh.record = _take(fresh, step_id, raw)
        fresh.updated_at = now
        fresh.save(update_fields=["record", "updated_at"])
        ladder = case_ladder(fresh)
        _audit(
            actor,
            fresh,
            "step",
            f"Recorded “{ladder.label(step_id, timezone.localdate(now))}” on the case "
            f"“{fresh.title}”",
            step=step_id,
            **({"files": len(files)} if files else {}),
        )
    return fresh


def dispute_vote_open(
    *, actor: User, case: Case, step_id: str, question: str, paper_text: str, now: datetime
) -> Ballot:
    """Open a step's members-only ballot through the ballot service (secret, electorate
    fixed now: the union's members at the school), with the step's threshold from the
    pack, and record the step as balloting (the core's gate reads it once it closes)."""
    ladder = case_ladder(case)
    with transaction.atomic():
        fresh = _locked(case)
        role = _acting_role(actor, fresh, step_id)
        step = ladder.step(step_id)
        if step.gate.ballot is None:
            raise CaseRefused("This step has no members' ballot.")
        running = CaseBallot.objects.filter(case=fresh, step=step_id, ballot__state="open")
        if running.exists():
            raise CaseRefused("This step's ballot is open: close it before opening another.")
        refusal = disputes.may_take(ladder, case_checked(ladder, fresh.record), step_id)
        if refusal is not None:
            raise CaseRefused(f"{refusal[:1].upper()}{refusal[1:]}.")
        try:
            ballot = ballot_open(
                actor=actor,
                school=fresh.school,
                subject_kind=SUBJECT_KIND,
                subject_id=f"{fresh.pk}/{step_id}",
                question=question,
                paper_text=paper_text,
                electorate=members_electorate(fresh.school, fresh.union),
                policy=DISPUTE,
                parameters=step.gate.ballot,
                pack=fresh.pack,
                now=now,
            )
        except BallotRefused as refused:
            raise CaseRefused(str(refused)) from None
        CaseBallot.objects.create(case=fresh, step=step_id, ballot=ballot)
        raw = {
            "on": timezone.localdate(now).isoformat(),
            "by": [{"name": person_name(actor), "role": role}],
            "ballot": {
                "opened": timezone.localdate(ballot.opened_at).isoformat(),
                "closes": timezone.localdate(ballot.closes_at).isoformat(),
            },
            "documents": [{"title": ballot.question, "kind": "note", "ref": f"ballot {ballot.pk}"}],
        }
        fresh.record = _take(fresh, step_id, raw)
        fresh.updated_at = now
        fresh.save(update_fields=["record", "updated_at"])
        _audit(
            actor,
            fresh,
            "vote-open",
            f"Opened the members' ballot “{ballot.question}” on the case “{fresh.title}”",
            step=step_id,
            ballot=ballot.pk,
        )
    return ballot


def case_ballot_counted(*, ballot: Ballot, now: datetime) -> None:
    """The closed ballot's count into its step's entry: the electorate, yes and no, the
    day it closed (the core reads the majority from them). Called in the ballot's close."""
    link = CaseBallot.objects.filter(ballot=ballot).select_related("case").first()
    if link is None or ballot.result is None:
        return
    case = _locked(link.case)
    entry = dict(case.record.get("steps", {}).get(link.step, {}))
    tally = ballot.result["tally"]
    entry["ballot"] = {
        "opened": timezone.localdate(ballot.opened_at).isoformat(),
        "closes": timezone.localdate(ballot.closes_at).isoformat(),
        "closed": timezone.localdate(now).isoformat(),
        "electorate": int(tally["electorate"]),
        "yes": int(tally["yes"]),
        "no": int(tally["no"]),
    }
    case.record = _take(case, link.step, entry)
    case.updated_at = now
    case.save(update_fields=["record", "updated_at"])
    _audit(
        None,
        case,
        "vote-count",
        f"Counted the members' ballot “{ballot.question}” into the case “{case.title}”",
        step=link.step,
        ballot=ballot.pk,
    )


def dispute_case_close(*, actor: User, case: Case, reason: str, on: date, now: datetime) -> Case:
    """Close the case at whatever step it stands, with the reason (the core's ``close``):
    its union's reps and local officers."""
    with transaction.atomic():
        fresh = _locked(case)
        roles = case_roles(actor, fresh.school, fresh.union)
        if not roles & {"union-rep", "local-officer"}:
            raise CaseRefused("A rep or a local officer closes a case.")
        ladder = case_ladder(fresh)
        try:
            closed = disputes.close(case_checked(ladder, fresh.record), on, reason)
        except ValueError as exc:
            raise CaseRefused(f"{str(exc)[:1].upper()}{str(exc)[1:]}.") from None
        fresh.record = case_to_dict(closed)
        fresh.updated_at = now
        fresh.save(update_fields=["record", "updated_at"])
        _audit(actor, fresh, "close", f"Closed the case “{fresh.title}”: {reason.strip()}")
    return fresh


def dispute_letter_share(
    *, actor: User, case: Case, content: Mapping[str, Any], now: datetime
) -> CaseLetter:
    """Share the letter with the head, frozen as sent: the one part of a case the head
    sees. The union's reps and local officers share it."""
    with transaction.atomic():
        fresh = _locked(case)
        if not case_roles(actor, fresh.school, fresh.union) & {"union-rep", "local-officer"}:
            raise CaseRefused("A rep or a local officer shares a letter with the head.")
        refusal = letter_refusal(fresh)
        if refusal:
            raise CaseRefused(refusal)
        letter = CaseLetter.objects.create(
            case=fresh, content=dict(content), shared_at=now, shared_by=actor
        )
        _audit(actor, fresh, "letter-share", f"Shared the letter to the head on “{fresh.title}”")
    return letter
