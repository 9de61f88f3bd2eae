"""An appeal after a failure to agree at school level (JNCT2.7 section 17), as pack data.

A pack describes its appeal in ``appeal.yaml``, in the shape of ``process.yaml`` (steps,
``after``, roles, gates, stages), read by :func:`fairload.core.process.read_process`; so
the process functions (:func:`~fairload.core.process.may_do`,
:func:`~fairload.core.process.stage`, :func:`~fairload.core.process.next_actions`,
:func:`~fairload.core.process.timeline`, :func:`~fairload.core.process.gate`) read an
appeal as they read an agreement. South Ayrshire's: the failure reported by either side
(17.2); the Joint Secretaries appoint a member of each side to an informal meeting with
the head teacher and the union representative (the first 17.3); if it fails, a formal
hearing (the second 17.3, and 17.4); the Joint Secretaries' conclusion, final and binding
(17.5), which may determine the school's arrangement (17.1).

The record is the school-year file's ``agreement.appeal`` (each meeting's date,
attendees, documents and outcome; the conclusion) with the report of
``agreement.process.failure_reported``, as an :class:`AppealRecord`:

- :func:`load_appeal`: the pack's appeal process, or None;
- :func:`appeal_from_school_year`, :func:`appeal_to_school_year`, :func:`appeal_checked`
  (untrusted input, located errors): the record and its file;
- :func:`arrangement_determined`: the decision that determines the school's arrangement.

Pure: no database, no clock.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from fairload.core.errors import InputError, Location
from fairload.core.process import (
    FailureReport,
    FiledDocument,
    Process,
    _day,
    record_from_school_year,
)
from fairload.core.validation import bundled_schema, validate

if TYPE_CHECKING:
    from fairload.core.packs import Pack

#: The informal meeting's outcomes (the school-year schema's enum).
RESOLVED = "resolved"
NOT_RESOLVED = "not resolved"


@dataclass(frozen=True, slots=True)
class Attendee:
    """Who was at a meeting, and as what: a party, a Joint Secretary (or ``nominee``), an
    appointed member of a side (17.3), or a witness ``called_by`` a side (17.4)."""

    name: str
    role: str
    staff: str | None = None
    nominee: bool = False
    called_by: str | None = None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Attendee:
        return cls(
            str(raw["name"]),
            str(raw["role"]),
            raw.get("staff"),
            bool(raw.get("nominee", False)),
            raw.get("called_by"),
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name, "role": self.role}
        if self.staff is not None:
            out["staff"] = self.staff
        if self.nominee:
            out["nominee"] = True
        if self.called_by is not None:
            out["called_by"] = self.called_by
        return out


@dataclass(frozen=True, slots=True)
class Meeting:
    """An appeal's meeting: its day, attendees, documents, and outcome once held."""

    on: date
    attendees: tuple[Attendee, ...] = ()
    documents: tuple[FiledDocument, ...] = ()
    outcome: str | None = None
    notes: str | None = None

    @property
    def held_on(self) -> date | None:
        """The day, once the meeting's outcome is recorded (a meeting set, not yet held,
        has none)."""
        return self.on if self.outcome is not None else None

    @property
    def resolved_on(self) -> date | None:
        """The day, if the meeting resolved the dispute."""
        return self.on if self.outcome == RESOLVED else None

    @property
    def failed_on(self) -> date | None:
        """The day, if the meeting failed to resolve the dispute."""
        return self.on if self.outcome == NOT_RESOLVED else None

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Meeting:
        return cls(
            _day(raw["on"]),
            tuple(Attendee.from_dict(a) for a in raw.get("attendees", ())),
            tuple(FiledDocument.from_dict(d) for d in raw.get("documents", ())),
            raw.get("outcome"),
            raw.get("notes"),
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"on": self.on.isoformat()}
        if self.attendees:
            out["attendees"] = [a.as_dict() for a in self.attendees]
        if self.documents:
            out["documents"] = [d.as_dict() for d in self.documents]
        if self.outcome is not None:
            out["outcome"] = self.outcome
        if self.notes is not None:
            out["notes"] = self.notes
        return out


@dataclass(frozen=True, slots=True)
class Conclusion:
    """17.5: the Joint Secretaries' conclusion, final and binding; 17.1: it may determine
    the school's arrangement."""

    on: date
    decision: str
    determines_arrangement: bool = False
    decided_by: tuple[Attendee, ...] = ()
    documents: tuple[FiledDocument, ...] = ()

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> Conclusion:
        return cls(
            _day(raw["on"]),
            str(raw["decision"]),
            bool(raw.get("determines_arrangement", False)),
            tuple(Attendee.from_dict(a) for a in raw.get("decided_by", ())),
            tuple(FiledDocument.from_dict(d) for d in raw.get("documents", ())),
        )

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"on": self.on.isoformat(), "decision": self.decision}
        if self.determines_arrangement:
            out["determines_arrangement"] = True
        if self.decided_by:
            out["decided_by"] = [a.as_dict() for a in self.decided_by]
        if self.documents:
            out["documents"] = [d.as_dict() for d in self.documents]
        return out


@dataclass(frozen=True, slots=True)
class AppealRecord:
    """The appeal's record: the report (17.2), the informal meeting, the hearing and the
    conclusion. Steps of appeal.yaml read its fields by name (``informal_meeting.held_on``)."""

    reported: FailureReport | None = None
    informal_meeting: Meeting | None = None
    hearing: Meeting | None = None
    conclusion: Conclusion | None = None


def load_appeal(pack: Pack) -> Process | None:
    """The pack's appeal (its own appeal.yaml, else the one it extends), or None."""
    return pack.appeal


def appeal_from_school_year(agreement: Mapping[str, Any]) -> AppealRecord:
    """The appeal record from a school-year file's whole ``agreement``: its
    ``process.failure_reported`` and its ``appeal``."""
    report = record_from_school_year(agreement.get("process") or {}).failure_reported
    raw = agreement.get("appeal") or {}
    return AppealRecord(
        reported=report,
        informal_meeting=Meeting.from_dict(raw["informal_meeting"])
        if raw.get("informal_meeting")
        else None,
        hearing=Meeting.from_dict(raw["hearing"]) if raw.get("hearing") else None,
        conclusion=Conclusion.from_dict(raw["conclusion"]) if raw.get("conclusion") else None,
    )


def appeal_to_school_year(record: AppealRecord) -> dict[str, Any]:
    """The record as a school-year file's ``agreement.appeal`` (the report stays in
    ``agreement.process.failure_reported``); :func:`appeal_from_school_year` reads it back."""
    out: dict[str, Any] = {}
    if record.informal_meeting is not None:
        out["informal_meeting"] = record.informal_meeting.as_dict()
    if record.hearing is not None:
        out["hearing"] = record.hearing.as_dict()
    if record.conclusion is not None:
        out["conclusion"] = record.conclusion.as_dict()
    return out


def appeal_checked(appeal: Any, source: str = "agreement.appeal") -> dict[str, Any]:
    """Untrusted input for ``agreement.appeal`` (an API body, a form), checked against the
    school-year schema: every problem is an InputError located by field. Returns it as a
    mapping to store (with the report, :func:`appeal_from_school_year` reads it)."""
    full = bundled_schema("fairload.core", "school-year")
    schema = {"$defs": full["$defs"], **full["properties"]["agreement"]["properties"]["appeal"]}
    validate(appeal, schema, source, base_path=["agreement", "appeal"])
    if not isinstance(appeal, Mapping):  # pragma: no cover - the schema refuses it first
        raise InputError("the appeal must be a mapping", Location(source, field="agreement.appeal"))
    return dict(appeal)


def arrangement_determined(record: AppealRecord) -> str | None:
    """17.1: the conclusion's decision when it determines the school's arrangement (final
    and binding, 17.5), else None."""
    conclusion = record.conclusion
    if conclusion is None or not conclusion.determines_arrangement:
        return None
    return conclusion.decision
