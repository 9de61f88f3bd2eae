"""Reading a teacher's pro-forma: its figures as the core works them out, where it has
got to, its signatures and whether each still stands, and the head's list.

``proforma_data`` is the pro-forma as plain data (rows, totals, signatures), for a
document or an API to lay out without Django; ``proforma_pdf_document`` is it as
``fairload.documents.proforma``'s ProformaDocument, what the PDF of Appendix 2 is made
from (``proforma_pdf(...)``; signed as a PDF once ``final``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.utils import timezone

from fairload.core import proforma as core
from fairload.core.packs import load_bundled
from fairload.documents import proforma as documents
from fairload.web.proformas.models import Proforma, ProformaSignature
from fairload.web.proformas.record import Live, Reading, has_proforma, year_reading
from fairload.web.schools.models import SchoolYear, StaffPost
from fairload.web.schools.selectors import school_stage, school_year_check
from fairload.web.schools.to_core import school_year_document

#: The states in words, as the pages and the head's list say them.
STATE_LABELS = {
    core.DRAFT: "Draft",
    core.SENT: "Sent to the line manager",
    core.RETURNED: "Returned by the line manager",
    core.AGREED: "Agreed",
}
NOT_STARTED = "Not started"
#: A draft again because it changed after it was signed.
CHANGED = "Changed since it was signed"


@dataclass(frozen=True)
class SignatureShown:
    name: str
    role: str
    role_label: str
    position: str
    signed_at: datetime
    content_hash: str
    holds: bool
    #: what changed since, in words, when it no longer holds
    why_void: tuple[str, ...]


@dataclass(frozen=True)
class ProformaView:
    """Everything the pro-forma's page shows."""

    year: SchoolYear
    post: StaffPost
    state: core.ProformaState
    totals: core.Totals
    allowance: core.Allowance
    stored: Proforma | None
    #: where it has got to now (a change since signing counted): core.DRAFT, SENT, …
    status: str
    signatures: tuple[SignatureShown, ...]
    manager: StaffPost | None
    #: the file imported with the year holds this teacher's pro-forma (not made here)
    from_file: bool
    #: the signatures that file records for it (role, name, signed_on), as typed there
    file_signatures: tuple[Mapping[str, Any], ...]
    send_refusal: str | None

    @property
    def status_label(self) -> str:
        if self.status == core.DRAFT and self.voided:
            return CHANGED
        return STATE_LABELS[self.status]

    @property
    def voided(self) -> tuple[SignatureShown, ...]:
        """Each role's latest signature, where a later change has voided it."""
        latest = {s.role: s for s in self.signatures}
        return tuple(s for s in latest.values() if not s.holds)

    @property
    def lines(self) -> tuple[tuple[core.ProformaRow, str], ...]:
        """Each activity row with its brief details."""
        return tuple((row, self.state.details.get(row.id, "")) for row in self.state.rows)

    def holds(self, role: str) -> bool:
        return any(s.holds and s.role == role for s in self.signatures)


def proforma_opening(*, year: SchoolYear) -> str | None:
    """Why the year's pro-formas cannot be filled in yet (its pack has none, or the
    agreement is not yet in force); None if they can."""
    if not has_proforma(load_bundled(year.school.pack)):
        return "This school's agreement has no balance-of-time pro-forma."
    return core.opening_refusal(school_stage(year=year))


def manager_post(*, year: SchoolYear, post: StaffPost) -> StaffPost | None:
    """The line manager's post from the post structure (the core's), if the school has one."""
    result = school_year_check(year=year)
    if not has_proforma(result.pack):
        return None
    found = core.line_manager(
        result.pack, result.tables, year.school.slug, post.staff_id, year.start
    )
    if found is None:
        return None
    return StaffPost.objects.filter(school_year=year, staff_id=found.staff_id).first()


def _reading(year: SchoolYear) -> Reading | None:
    """The year's pro-formas made here, as the year's document read them (to_core made
    the reading when it merged them, and it is kept under the year's revision)."""
    return year_reading(year, school_year_document(year))


def _live(year: SchoolYear, post: StaffPost) -> Live | None:
    reading = _reading(year)
    return reading.live.get(post.staff_id) if reading else None


def _file_row(year: SchoolYear, staff_id: str) -> Mapping[str, Any] | None:
    return next((p for p in year.proformas if p.get("staff") == staff_id), None)


def proforma_of(
    *,
    year: SchoolYear,
    post: StaffPost,
    hours: Mapping[str, float] | None = None,
    details: Mapping[str, str] | None = None,
) -> ProformaView:
    """The teacher's pro-forma as stored (or, with ``hours``, as they are typing it)."""
    result = school_year_check(year=year)
    live = _live(year, post)
    file_row = _file_row(year, post.staff_id) if live is None else None
    if hours is None:
        if live is not None:
            hours, details = live.stored.hours, live.stored.details
        elif file_row is not None:
            hours = dict(file_row.get("activities", {}))
            details = dict(file_row.get("details", {}))
        else:
            hours = {}
    state = core.proforma_state(
        result.pack, result.tables, year.school.slug, post.staff_id, year.start, hours, details
    )
    allowance = core.unallocated_allowance(result.pack, year.start)
    texts = {row.id: row.text for row in state.rows}
    now_document = state.as_document()
    shown = []
    status = core.DRAFT
    if live is not None:
        status = core.state_now(live.stored.state, live.standing)
        current = live.state.content_hash
        shown = [_shown(s, current, now_document, texts) for s in live.signatures]
    return ProformaView(
        year=year,
        post=post,
        state=state,
        totals=core.proforma_totals(state, allowance),
        allowance=allowance,
        stored=live.stored if live else None,
        status=status,
        signatures=tuple(shown),
        manager=manager_post(year=year, post=post),
        from_file=file_row is not None,
        file_signatures=tuple(file_row.get("signatures", [])) if file_row else (),
        send_refusal=core.send_refusal(state, allowance),
    )


def _shown(
    signature: ProformaSignature, current: str, now: dict[str, Any], texts: Mapping[str, str]
) -> SignatureShown:
    holds = signature.content_hash == current
    return SignatureShown(
        name=signature.name,
        role=signature.role,
        role_label=signature.get_role_display(),
        position=signature.position,
        signed_at=signature.signed_at,
        content_hash=signature.content_hash,
        holds=holds,
        why_void=() if holds else tuple(core.why_void(signature.document, now, texts)),
    )


@dataclass(frozen=True)
class ListRow:
    post: StaffPost
    manager: str
    status: str
    status_label: str

    @property
    def agreed(self) -> bool:
        return self.status == core.AGREED


def proforma_list(*, year: SchoolYear) -> list[ListRow]:
    """Every teacher of the year with where their pro-forma has got to, those waiting for
    their line manager first and the agreed last (the head's list: names and states,
    never the hours)."""
    result = school_year_check(year=year)
    if not has_proforma(result.pack):
        return []
    reading = _reading(year)
    live = reading.live if reading else {}
    rows = []
    names = dict(year.staff.values_list("staff_id", "name"))
    for post in year.staff.order_by("pk"):
        found = core.line_manager(
            result.pack, result.tables, year.school.slug, post.staff_id, year.start
        )
        mine = live.get(post.staff_id)
        status = mine.status if mine else NOT_STARTED
        label = STATE_LABELS.get(status, NOT_STARTED)
        if mine is not None and status == core.DRAFT and mine.signatures:
            label = CHANGED
        if mine is None and _file_row(year, post.staff_id) is not None:
            label = "Recorded in the imported file"
        manager = names.get(found.staff_id, "") if found else ""
        rows.append(ListRow(post, manager, status, label))
    # Waiting for a line manager first, then those with the teacher, then not started,
    # then agreed; in staff order within each.
    order = {core.SENT: 0, core.RETURNED: 1, core.DRAFT: 1, NOT_STARTED: 2, core.AGREED: 3}
    return sorted(rows, key=lambda r: order.get(r.status, 2))


def proforma_data(*, year: SchoolYear, post: StaffPost) -> dict[str, Any]:
    """The pro-forma as Appendix 2 lays it out, as plain data (text, numbers, ISO
    dates): for the PDF of the pro-forma (fairload.documents) or any other document."""
    view = proforma_of(year=year, post=post)
    state = view.state
    return {
        "school": year.school.name,
        "session": year.label,
        "teacher": {"staff_id": post.staff_id, "name": post.name, "post": post.post},
        "line_manager": (
            {"staff_id": view.manager.staff_id, "name": view.manager.name} if view.manager else None
        ),
        "status": view.status,
        "status_label": view.status_label,
        "basic_hours": state.basic,
        "additional_hours": state.additional,
        "additional_from": state.gained_from,
        "total_hours": state.total,
        "rows": [
            {
                "id": row.id,
                "activity": row.text,
                "details": state.details.get(row.id, ""),
                "hours": row.hours,
            }
            for row in state.rows
        ],
        "accounted_hours": view.totals.accounted,
        "left_hours": view.totals.left,
        "may_stay_unallocated_hours": view.allowance.hours,
        "reconciles": view.totals.reconciles,
        "content_hash": state.content_hash,
        "signatures": [
            {
                "name": s.name,
                "role": s.role,
                "position": s.position,
                "signed_on": timezone.localdate(s.signed_at).isoformat(),
                "content_hash": s.content_hash,
                "holds": s.holds,
                "why_void": list(s.why_void),
            }
            for s in view.signatures
        ],
    }


def proforma_pdf_document(*, year: SchoolYear, post: StaffPost) -> documents.ProformaDocument:
    """The pro-forma as the PDF lays it out (Appendix 2): the core's state as stored,
    the brief details, and the signatures that stand (who, position, date, hash)."""
    view = proforma_of(year=year, post=post)
    return documents.proforma_document(
        view.state,
        school=year.school.name,
        session=year.label,
        details=view.state.details,
        signatures=[
            documents.ProformaSignature(
                role=s.role,
                name=s.name,
                position=s.position,
                signed_on=timezone.localdate(s.signed_at),
                content_hash=s.content_hash,
            )
            for s in _latest_standing(view)
        ],
    )


def _latest_standing(view: ProformaView) -> list[SignatureShown]:
    latest = {s.role: s for s in view.signatures}
    return [s for role in core.SIGNERS if (s := latest.get(role)) is not None and s.holds]
