"""The agreement's rows as the school-year format's ``agreement`` part, and as the
canonical document its signatures are made over.

to_core.py puts this part into the year's document, so the process checks run on the live
record exactly as on a file, and export writes it. The order of the steps, the gates and
the stage are not decided here: the core decides them over this record (steps.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from fairload.web.agreements.models import (
    Agreement,
    AgreementVersion,
    Comment,
    Signature,
    Submission,
)
from fairload.web.agreements.steps import content_hash, year_record_of
from fairload.web.schools.models import SchoolYear, StaffPost

#: The version's parts that are the agreement's text, in the order they are shown.
TEXT_PARTS: tuple[tuple[str, str, str], ...] = (
    ("additional_reporting", "Additional reporting", "5.3"),
    ("union_meeting_time", "Distribution of union meeting time", "13"),
    ("unallocated_time", "Time left unallocated", "14"),
    ("offsite_protocol", "Protocol for work outwith school premises", "15.2"),
)


def _day(moment: Any) -> str:
    return timezone.localdate(moment).isoformat()


def versions_of(agreement: Agreement) -> list[AgreementVersion]:
    return list(agreement.versions.select_related("ballot").order_by("number"))


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.select_related("ballot").order_by("-number").first()


def current_final(agreement: Agreement) -> AgreementVersion | None:
    """The final version, while it is still the latest: a version saved after it reopens
    the draft, and the final must be frozen again."""
    latest = latest_version(agreement)
    return latest if latest is not None and latest.is_final else None


def ballot_part(version: AgreementVersion) -> dict[str, Any] | None:
    """The approval ballot on the version as the record keeps it: when it opened and
    closes, and once closed the day and the counts (never before, never who voted how)."""
    ballot = version.ballot
    if ballot is None:
        return None
    part: dict[str, Any] = {"opened": _day(ballot.opened_at), "closes": _day(ballot.closes_at)}
    if ballot.state == "closed" and ballot.result is not None and ballot.closed_at is not None:
        tally = ballot.result["tally"]
        part |= {
            "closed_on": _day(ballot.closed_at),
            "eligible": tally["electorate"],
            "in_favour": tally["yes"],
            "against": tally["no"],
        }
    return part


def _ballot_result(version: AgreementVersion) -> dict[str, Any] | None:
    """The closed ballot's result, as a signature covers it."""
    part = ballot_part(version)
    return part if part is not None and "closed_on" in part else None


def canonical_document(version: AgreementVersion, events: list[dict[str, Any]]) -> dict[str, Any]:
    """What a signature is made over (16.5): the allocations, the text, the calendar as
    the year now has it, and the ballot's result. Any change to one of them changes its
    hash, and so voids the signatures made before."""
    return {
        "version": version.number,
        "allocations": {k: float(v) for k, v in sorted(version.allocations.items())},
        **{name: getattr(version, name) for name, _, _ in TEXT_PARTS},
        "calendar": events,
        "ballot": _ballot_result(version),
    }


def what_changed(signed: dict[str, Any], now: dict[str, Any]) -> list[str]:
    """Why a signature no longer holds, part by part, in words."""
    labels = {
        "version": "a newer version of the agreement was saved",
        "allocations": "the allocations changed",
        "calendar": "the calendar of events changed",
        "ballot": "the ballot result changed",
        **{name: f"the {label.lower()} ({clause}) changed" for name, label, clause in TEXT_PARTS},
    }
    return [text for key, text in labels.items() if signed.get(key) != now.get(key)]


def comments_count(agreement: Agreement, final: AgreementVersion | None) -> dict[str, int]:
    """How many comments were made, and how many had their answer before the final
    version (or, before there is one, so far): the core's gate reads it (16.4)."""
    comments = list(Comment.objects.filter(agreement=agreement))
    answered = [
        c
        for c in comments
        if c.answered_at is not None
        and (final is None or final.final_at is None or c.answered_at <= final.final_at)
    ]
    return {"total": len(comments), "answered": len(answered)}


def process_part(agreement: Agreement, *, signatures: list[dict[str, Any]]) -> dict[str, Any]:
    """The school-year format's ``agreement.process`` from the live record."""
    process: dict[str, Any] = {}
    first = agreement.versions.order_by("number").first()
    if first is not None:
        process["draft_prepared"] = _day(first.created_at)
    if agreement.consultation_opened_at is not None:
        process["consultation_opened"] = _day(agreement.consultation_opened_at)
        if agreement.consultation_closes_at is not None:
            process["consultation_closes"] = _day(agreement.consultation_closes_at)
        counts = comments_count(agreement, current_final(agreement))
        process["comments"] = counts
        # What the process checks read (comments-considered): every comment answered.
        process["comments_considered"] = counts["answered"] == counts["total"]
    if agreement.consultation_closed_at is not None:
        process["consultation_closed"] = _day(agreement.consultation_closed_at)
    final = current_final(agreement)
    if final is not None and (ballot := ballot_part(final)) is not None:
        process["ballot"] = ballot
    if signatures:
        process["signatures"] = signatures
    submissions = list(
        Submission.objects.filter(version__agreement=agreement).order_by("submitted_at", "pk")
    )
    if submissions:
        process["submitted"] = _day(submissions[-1].submitted_at)
    returned = [
        {"on": _day(s.decided_at), "reasons": [s.reasons]}
        for s in submissions
        if s.decision == Submission.Decision.RETURNED and s.decided_at is not None
    ]
    if returned:
        process["returned"] = returned
    accepted = [s for s in submissions if s.decision == Submission.Decision.ACCEPTED]
    if accepted and accepted[-1].decided_at is not None:
        process["accepted"] = _day(accepted[-1].decided_at)
    failure = agreement.failures.order_by("started_at").first()
    if failure is not None:
        process["failure_reported"] = {
            "on": _day(failure.started_at),
            "by": failure.by,
            "reasons": [failure.text],
        }
    return process


@dataclass(frozen=True)
class SignatureState:
    signature: Signature
    holds: bool
    why_void: list[str]


def current_hash(agreement: Agreement, events: list[dict[str, Any]]) -> str | None:
    """The SHA-256 of the agreement as it is now: its latest version (final or not) with
    the year's calendar and the ballot's result. A signature stands only on this hash."""
    latest = latest_version(agreement)
    return None if latest is None else content_hash(canonical_document(latest, events))


def signature_states(*, agreement: Agreement, events: list[dict[str, Any]]) -> list[SignatureState]:
    """Every signature made on the agreement, whether it still stands (the core's
    judgement over the record), and if not, what changed since, part by part."""
    latest = latest_version(agreement)
    if latest is None:
        return []
    now_document = canonical_document(latest, events)
    record = year_record_of(
        {"signatures": signature_rows(agreement), "version_hash": content_hash(now_document)}
    )
    standing = {s.content_hash for s in record.valid_signatures}
    states = []
    for signature in Signature.objects.filter(version__agreement=agreement).select_related(
        "version"
    ):
        holds = latest.is_final and signature.content_hash in standing
        why = [] if holds else what_changed(signature.document, now_document)
        if not holds and not why:
            why = ["the final version has not been frozen again since"]
        states.append(SignatureState(signature=signature, holds=holds, why_void=why))
    return states


def roles_signed_by(
    *, agreement: Agreement, events: list[dict[str, Any]], person_id: int
) -> set[str]:
    """The roles in which the person's signature on the agreement still stands."""
    return {
        s.signature.role
        for s in signature_states(agreement=agreement, events=events)
        if s.holds and s.signature.person_id == person_id
    }


def signature_rows(agreement: Agreement) -> list[dict[str, Any]]:
    """Every signature made on the agreement, with the SHA-256 it was made over, as the
    school-year format's ``process.signatures``: the core voids those whose hash is not
    the current final version's (``version_hash``)."""
    year = agreement.school_year
    staff = dict(
        StaffPost.objects.filter(school_year=year, person__isnull=False).values_list(
            "person_id", "staff_id"
        )
    )
    rows = []
    for signature in Signature.objects.filter(version__agreement=agreement):
        row = {
            "role": signature.role,
            "name": signature.name,
            "signed_on": _day(signature.signed_at),
            "content_hash": signature.content_hash,
        }
        if signature.person_id in staff:
            row["staff"] = staff[signature.person_id]
        rows.append(row)
    return rows


#: The steps of ``agreement.process`` the live record gives; the others (the committee,
#: the calendar's publication, a flexible approach) stay as the year's file recorded them.
LIVE_STEPS = (
    "draft_prepared",
    "consultation_opened",
    "consultation_closes",
    "consultation_closed",
    "comments",
    "comments_considered",
    "vote",
    "ballot",
    "signatures",
    "version_hash",
    "submitted",
    "returned",
    "accepted",
    "failure_reported",
)


def agreement_part_merged(
    year: SchoolYear,
    agreement: dict[str, Any],
    events: Callable[[], list[dict[str, Any]]],
) -> dict[str, Any]:
    """The year's ``agreement`` part with the live record in it, if the year has one:
    its steps replace the file's, and its allocations are the newest final version's (or,
    before there is one, the draft's)."""
    live = Agreement.objects.filter(school=year.school, label=year.label).first()
    if live is not None:
        live.school_year = year
    latest = latest_version(live) if live is not None else None
    if live is None or latest is None:
        return agreement
    process = {k: v for k, v in agreement.get("process", {}).items() if k not in LIVE_STEPS}
    process.update(process_part(live, signatures=signature_rows(live)))
    process["version_hash"] = current_hash(live, events())
    newest_final = live.versions.filter(final_at__isnull=False).order_by("-number").first()
    merged = {**agreement, "allocations": dict((newest_final or latest).allocations)}
    merged["process"] = process
    return merged
