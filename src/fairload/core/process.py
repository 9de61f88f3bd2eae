"""How a school reaches its agreement: the pack's process, and pure functions over the record.

A pack describes its own process in ``process.yaml`` (South Ayrshire's JNCT2.7 section 16:
committee, draft, consultation, comments answered, ballot, signatures, submission; the
NUT's instruction 2: a directed-time calendar, published and agreed with the union):
its steps, which must come before which (``after``), who acts at each (``roles``), what
must hold for a step to be done (its ``gate``), the windows a step is open for and the
deadline, all as parameter names, and the stages an agreement passes. Another council's
process is another YAML file, not code.

The record is what a school-year file keeps under ``agreement.process`` (dated steps,
the ballot's counts once it closes, signatures with the hash of the version signed, the
council's returns and acceptance), as a :class:`Record`. The functions here read the two:

- :func:`done_steps`: which steps the record shows done (recorded, and their gate met);
- :func:`may_do`: whether a step may be done now, else why not, in plain words;
- :func:`gate`: whether a step's gate is met, with the figures behind it;
- :func:`stage`: how far the agreement has got, and what holds it back;
  :func:`waived_steps`: the steps another's being done makes unneeded (``unless``);
- :func:`overdue`, :func:`next_actions`: what is late, and each role's next step;
- :func:`content_hash`, :func:`signatures_void`: what a signature signs, and when a
  change to the agreement voids it;
- :func:`timeline`, :func:`due_date`, :func:`step_label`, :func:`with_blocking`: for the
  pages (a timeline with dates, the deadline, a label's figures, the check's finding);
- :func:`record_from_school_year`, :func:`record_to_school_year`, :func:`record_checked`
  (untrusted input, located errors), :func:`record_of_agreement`: the record and its file.

A second process in a pack, ``appeal.yaml`` (what follows a failure to agree), has the
same shape and is read by the same functions over its own record
(:mod:`fairload.core.appeal`); its steps may also wait for either of two steps
(``after_any``), be waived by another (``unless``) and need attendees (an ``attendance``
gate).

Roles are not permissions: :func:`may_do` says whether the process allows a step now,
and the caller decides who may take it.

Pure: no database, no clock (the caller passes the day), no figure (windows, thresholds
and the deadline are read from the pack's parameters at a date).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from fairload.core import pack_schema
from fairload.core.ballots import BallotParameters, outcome, threshold_read
from fairload.core.ballots import Tally as BallotTally
from fairload.core.errors import InputError, InputErrors, Location, PackError
from fairload.core.parameters import ParameterSet
from fairload.core.process_spec import NOT_STARTED as NOT_STARTED
from fairload.core.process_spec import NOT_STARTED_LABEL as NOT_STARTED_LABEL
from fairload.core.process_spec import Deadline as Deadline
from fairload.core.process_spec import Gate as Gate
from fairload.core.process_spec import Process as Process
from fairload.core.process_spec import SignatureGate as SignatureGate
from fairload.core.process_spec import StageSpec as StageSpec
from fairload.core.process_spec import Step as Step
from fairload.core.process_spec import Window as Window
from fairload.core.prose import fill, placeholders, prose_problem
from fairload.core.reference import Document, Reference, reference_read
from fairload.core.school_year import Signature, Vote, role_label
from fairload.core.validation import bundled_schema, validate
from fairload.core.yamlfile import field_path, line_of, load_file

if TYPE_CHECKING:
    from fairload.core.appeal import AppealRecord
    from fairload.core.findings import Finding
    from fairload.core.packs import Pack

#: A process's record: an agreement's (:class:`Record`) or an appeal's
#: (:class:`fairload.core.appeal.AppealRecord`); steps read either by field name.
AnyRecord: TypeAlias = "Record | AppealRecord"

#: The placeholders a step's ``todo`` may name besides parameters.
ACTION_FIELDS = ("due", "unanswered")


# --- the process, as the pack describes it (the classes: fairload.core.process_spec) ----------


def load_process(pack: Pack) -> Process | None:
    """The pack's process (its own process.yaml, else the one it extends), or None."""
    return pack.process


# --- the record --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comments:
    """The consultation's comments: how many were made, and how many have an answer."""

    total: int
    answered: int

    def __post_init__(self) -> None:
        if not 0 <= self.answered <= self.total:
            raise ValueError(f"{self.answered} answers to {self.total} comments")

    @property
    def unanswered(self) -> int:
        return self.total - self.answered


@dataclass(frozen=True, slots=True)
class Ballot:
    """The approval ballot run in fairload. The counts exist only once it has closed."""

    opened: date
    closes: date | None = None
    closed_on: date | None = None
    eligible: int | None = None
    in_favour: int | None = None
    against: int | None = None
    abstained: int | None = None

    def __post_init__(self) -> None:
        counts = (self.eligible, self.in_favour, self.against)
        if self.closed_on is None and any(c is not None for c in (*counts, self.abstained)):
            raise ValueError("an open ballot has no counts: they are secret until it closes")
        if self.closed_on is not None and any(c is None for c in counts):
            raise ValueError("a closed ballot records eligible, in_favour and against")

    @property
    def vote(self) -> Vote | None:
        """The closed ballot as the staff vote the check reads."""
        if self.closed_on is None:
            return None
        assert self.eligible is not None and self.in_favour is not None
        assert self.against is not None
        return Vote(
            self.closed_on, self.eligible, self.in_favour, self.against, self.abstained or 0
        )


@dataclass(frozen=True, slots=True)
class Return:
    """The council returned the submitted agreement, with its reasons."""

    on: date
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class FlexibleApproach:
    """JNCT2.7 3.3: a planned flexible approach, submitted to the Joint Secretaries and
    in force only once they confirm it."""

    submitted_on: date
    confirmed_on: date | None = None


@dataclass(frozen=True, slots=True)
class FiledDocument:
    """A document filed with a step (an appeal's): an uploaded file (``kind`` upload,
    ``ref`` its name) or a frozen check record (``check-record``, ``ref`` its SHA-256)."""

    title: str
    kind: str
    ref: str

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any]) -> FiledDocument:
        return cls(str(raw["title"]), str(raw["kind"]), str(raw["ref"]))

    def as_dict(self) -> dict[str, str]:
        return {"title": self.title, "kind": self.kind, "ref": self.ref}


@dataclass(frozen=True, slots=True)
class FailureReport:
    """JNCT2.7 17.2: a failure to reach agreement, reported by either side."""

    on: date
    by: str
    reasons: tuple[str, ...] = ()
    documents: tuple[FiledDocument, ...] = ()


@dataclass(frozen=True, slots=True)
class Record:
    """The process record, with the keys of a school-year file's ``agreement.process``.

    ``committee`` (not written back: it is the file's ``agreement.committee``) gives the
    staff ids of each committee role, for a gate that needs every member of one to sign:
    only those still on the committee when the staff approved the agreement. ``names``
    (not written back either) gives people's names by staff id, for the sentences."""

    committee_formed: date | None = None
    draft_prepared: date | None = None
    consultation_opened: date | None = None
    consultation_closes: date | None = None
    consultation_closed: date | None = None
    comments: Comments | None = None
    comments_considered: bool | None = None
    vote: Vote | None = None
    ballot: Ballot | None = None
    signatures: tuple[Signature, ...] = ()
    submitted: date | None = None
    returned: tuple[Return, ...] = ()
    accepted: date | None = None
    version_hash: str | None = None
    flexible_approach: FlexibleApproach | None = None
    failure_reported: FailureReport | None = None
    calendar_published: date | None = None
    calendar_agreed_with_union: bool | None = None
    committee: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    names: Mapping[str, str] = field(default_factory=dict, compare=False)

    @property
    def staff_vote(self) -> Vote | None:
        """The vote the check reads: one recorded by hand, else the closed ballot's."""
        return self.vote or (self.ballot.vote if self.ballot else None)

    @property
    def submission(self) -> date | None:
        """The submission in force: None once the council has returned it (until the
        school submits again)."""
        if self.submitted is None or any(r.on >= self.submitted for r in self.returned):
            return None
        return self.submitted

    @property
    def flexible_approach_in_force(self) -> bool:
        """JNCT2.7 3.3: a planned flexible approach is in force only once the Joint
        Secretaries have confirmed it."""
        return (
            self.flexible_approach is not None and self.flexible_approach.confirmed_on is not None
        )

    @property
    def valid_signatures(self) -> tuple[Signature, ...]:
        """The signatures of the current version (all of them when no version is known)."""
        if self.version_hash is None:
            return self.signatures
        return tuple(s for s in self.signatures if s.content_hash == self.version_hash)


def _day(value: Any) -> date:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _maybe_day(raw: Mapping[str, Any], key: str) -> date | None:
    return _day(raw[key]) if raw.get(key) is not None else None


_DATES = (
    "committee_formed",
    "draft_prepared",
    "consultation_opened",
    "consultation_closes",
    "consultation_closed",
    "submitted",
    "accepted",
    "calendar_published",
)


def record_from_school_year(
    agreement_process: Mapping[str, Any],
    committee: Mapping[str, Any] | None = None,
    names: Mapping[str, str] | None = None,
) -> Record:
    """The record from a school-year file's ``agreement.process`` (dates as ISO text or
    dates), and optionally its ``agreement.committee`` (members by role). A value of the
    wrong shape is a ValueError (the school-year schema refuses it first, located)."""
    raw = agreement_process
    vote = raw.get("vote")
    ballot = raw.get("ballot")
    comments = raw.get("comments")
    flexible = raw.get("flexible_approach")
    failure = raw.get("failure_reported")
    approved_on = _approval_day(vote, ballot)
    members: dict[str, list[str]] = {}
    for member in (committee or {}).get("members", []):
        left = _maybe_day(member, "to")
        if left is not None and approved_on is not None and left < approved_on:
            continue  # off the committee before the staff approved: not theirs to sign
        members.setdefault(str(member["role"]), []).append(str(member["staff"]))
    return Record(
        **{key: _maybe_day(raw, key) for key in _DATES},
        comments=Comments(int(comments["total"]), int(comments["answered"])) if comments else None,
        comments_considered=raw.get("comments_considered"),
        vote=Vote(
            _day(vote["held_on"]),
            int(vote["eligible"]),
            int(vote["in_favour"]),
            int(vote["against"]),
            int(vote.get("abstained", 0)),
        )
        if vote
        else None,
        ballot=Ballot(
            _day(ballot["opened"]),
            _maybe_day(ballot, "closes"),
            _maybe_day(ballot, "closed_on"),
            *(
                None if ballot.get(k) is None else int(ballot[k])
                for k in ("eligible", "in_favour", "against", "abstained")
            ),
        )
        if ballot
        else None,
        signatures=tuple(
            Signature(
                str(s["role"]),
                str(s["name"]),
                _day(s["signed_on"]),
                s.get("content_hash"),
                s.get("staff"),
            )
            for s in raw.get("signatures", ())
        ),
        returned=tuple(
            Return(_day(r["on"]), tuple(str(x) for x in r["reasons"]))
            for r in raw.get("returned", ())
        ),
        version_hash=raw.get("version_hash"),
        flexible_approach=FlexibleApproach(
            _day(flexible["submitted_on"]), _maybe_day(flexible, "confirmed_on")
        )
        if flexible
        else None,
        failure_reported=FailureReport(
            _day(failure["on"]),
            str(failure["by"]),
            tuple(failure.get("reasons", ())),
            tuple(FiledDocument.from_dict(d) for d in failure.get("documents", ())),
        )
        if failure
        else None,
        calendar_agreed_with_union=raw.get("calendar_agreed_with_union"),
        committee={role: tuple(ids) for role, ids in members.items()},
        names=dict(names or {}),
    )


def record_checked(
    agreement_process: Any,
    source: str = "agreement.process",
    committee: Mapping[str, Any] | None = None,
) -> Record:
    """The record from untrusted input (an API body, a form), checked first against the
    school-year schema's ``agreement.process``: every problem is an InputError located by
    field (and line, for located YAML), and a value no record can hold (more answers than
    comments, an open ballot with counts) one too."""
    full = bundled_schema("fairload.core", "school-year")
    schema = {
        "$defs": full["$defs"],
        **full["properties"]["agreement"]["properties"]["process"],
    }
    validate(agreement_process, schema, source, base_path=["agreement", "process"])
    try:
        return record_from_school_year(agreement_process, committee)
    except ValueError as exc:
        raise InputError(str(exc), Location(source, field="agreement.process")) from None


def record_of_agreement(
    agreement: Mapping[str, Any], names: Mapping[str, str] | None = None
) -> Record:
    """The record from a school-year file's whole ``agreement`` (its ``process`` and
    ``committee``), with people's names by staff id where the caller has them."""
    return record_from_school_year(
        agreement.get("process") or {}, agreement.get("committee"), names
    )


def _approval_day(vote: Mapping[str, Any] | None, ballot: Mapping[str, Any] | None) -> date | None:
    """The day the staff approved: the vote's, else the ballot's close; None if neither."""
    if vote:
        return _day(vote["held_on"])
    if ballot:
        return _maybe_day(ballot, "closed_on") or _maybe_day(ballot, "closes")
    return None


def _without_none(data: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if v is not None}


def record_to_school_year(record: Record) -> dict[str, Any]:
    """The record as a school-year file's ``agreement.process``: the same keys, dates as
    ISO text, nothing unrecorded; :func:`record_from_school_year` reads it back equal
    (less the committee, which the file keeps under ``agreement.committee``)."""

    def iso(day: date | None) -> str | None:
        return day.isoformat() if day else None

    out: dict[str, Any] = {key: iso(getattr(record, key)) for key in _DATES}
    if record.comments is not None:
        out["comments"] = {"total": record.comments.total, "answered": record.comments.answered}
    out["comments_considered"] = record.comments_considered
    if record.vote is not None:
        v = record.vote
        out["vote"] = {
            "held_on": v.held_on.isoformat(),
            "eligible": v.eligible,
            "in_favour": v.in_favour,
            "against": v.against,
            "abstained": v.abstained,
        }
    if record.ballot is not None:
        b = record.ballot
        out["ballot"] = _without_none(
            {
                "opened": b.opened.isoformat(),
                "closes": iso(b.closes),
                "closed_on": iso(b.closed_on),
                "eligible": b.eligible,
                "in_favour": b.in_favour,
                "against": b.against,
                "abstained": b.abstained,
            }
        )
    if record.signatures:
        out["signatures"] = [
            _without_none(
                {
                    "role": s.role,
                    "name": s.name,
                    "signed_on": s.signed_on.isoformat(),
                    "content_hash": s.content_hash,
                    "staff": s.staff,
                }
            )
            for s in record.signatures
        ]
    if record.returned:
        out["returned"] = [
            {"on": r.on.isoformat(), "reasons": list(r.reasons)} for r in record.returned
        ]
    out["version_hash"] = record.version_hash
    if record.flexible_approach is not None:
        f = record.flexible_approach
        out["flexible_approach"] = _without_none(
            {"submitted_on": f.submitted_on.isoformat(), "confirmed_on": iso(f.confirmed_on)}
        )
    if record.failure_reported is not None:
        r = record.failure_reported
        out["failure_reported"] = {"on": r.on.isoformat(), "by": r.by}
        if r.reasons:
            out["failure_reported"]["reasons"] = list(r.reasons)
        if r.documents:
            out["failure_reported"]["documents"] = [d.as_dict() for d in r.documents]
    out["calendar_agreed_with_union"] = record.calendar_agreed_with_union
    return _without_none(out)


# --- reading the record ---------------------------------------------------------------------


def _value(record: AnyRecord, path: str) -> Any:
    head, _, tail = path.partition(".")
    if head == "submitted" and isinstance(record, Record):
        return record.submission
    if head == "signatures" and isinstance(record, Record):
        return record.valid_signatures
    value = getattr(record, head)
    return getattr(value, tail) if tail and value is not None else value


def _is_recorded(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, tuple):
        return bool(value)
    return value is not None


def recorded(record: AnyRecord, step: Step) -> bool:
    """Whether the record shows the step taken (any of its fields), gate aside."""
    return any(_is_recorded(_value(record, path)) for path in step.reads)


def recorded_on(record: AnyRecord, step: Step) -> date | None:
    """The day the record dates the step (the latest of its dated fields), if any."""
    days: list[date] = []
    for path in step.reads:
        value = _value(record, path)
        if isinstance(value, date):
            days.append(value)
        elif isinstance(value, Vote):
            days.append(value.held_on)
        elif isinstance(value, Ballot):
            days.append(value.closed_on or value.opened)
        elif isinstance(value, FailureReport):
            days.append(value.on)
        elif isinstance(value, tuple) and value and isinstance(value[0], Signature):
            days.append(max(s.signed_on for s in value))
    return max(days, default=None)


def window_dates(
    process: Process, record: AnyRecord, window_id: str
) -> tuple[date | None, date | None]:
    """When a window opens and closes in the record: its recorded close, else its opening
    plus the pack's days (read at the opening). (None, None) until it opens."""
    window = process.windows[window_id]
    opens = _value(record, window.opens)
    if opens is None:
        return None, None
    closes = _value(record, window.closes) if window.closes else None
    if closes is None:
        days = process.parameters.number(window.days, opens)
        closes = opens + timedelta(days=int(days))
    return opens, closes


# --- gates ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class GateResult:
    """Whether a step's gate is met, the figures behind it, and the reason in words."""

    met: bool
    figures: Mapping[str, Any]
    reason: str


def _not_recorded(step: Step) -> str:
    return f"{_capital(step.outcome)} is not recorded"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def gate(
    process: Process,
    record: AnyRecord,
    step_id: str,
    parameters: ParameterSet | None = None,
    at: date | None = None,
) -> GateResult:
    """Whether the step's gate is met on the record.

    A ballot's threshold is read at the ballot's opening (or the vote's day; else ``at``)
    from ``parameters`` (the process's pack's by default). A majority is of the
    electorate when the pack says so: 4 for, 1 against and 3 not voting of 8 fails."""
    step = process.step(step_id)
    parameters = parameters or process.parameters
    kind = step.gate.kind
    if kind == "attendance":
        return _attendance_gate(step, record)
    if kind in ("comments_answered", "ballot", "signatures"):
        assert isinstance(record, Record), f"a {kind} gate reads an agreement's record"
    if kind == "comments_answered":
        assert isinstance(record, Record)
        return _comments_gate(step, record)
    if kind == "ballot":
        assert isinstance(record, Record) and step.gate.ballot is not None
        return _ballot_gate(step.gate.ballot, record, parameters, at)
    if kind == "signatures":
        assert isinstance(record, Record) and step.gate.signatures is not None
        return _signatures_gate(step.gate.signatures, record)
    met = recorded(record, step)
    return GateResult(
        met, {"recorded_on": recorded_on(record, step)}, "" if met else _not_recorded(step)
    )


def _attendance_gate(step: Step, record: AnyRecord) -> GateResult:
    """Each of the gate's roles among the attendees of the meeting the step reads."""
    meeting = getattr(record, step.reads[0].partition(".")[0])
    if meeting is None or not recorded(record, step):
        return GateResult(False, {}, _not_recorded(step))
    present = {a.role for a in meeting.attendees}
    missing = [role for role in step.gate.attendance if role not in present]
    figures = {
        "attendees": [{"name": a.name, "role": a.role} for a in meeting.attendees],
        "missing": missing,
    }
    if missing:
        return GateResult(
            False,
            figures,
            f"{_capital(step.outcome)} lacks: " + ", ".join(r.replace("-", " ") for r in missing),
        )
    return GateResult(True, figures, f"{_capital(step.outcome)}: every party attended")


def _comments_gate(step: Step, record: Record) -> GateResult:
    comments = record.comments
    if comments is not None:
        figures = {"total": comments.total, "answered": comments.answered}
        if comments.unanswered:
            return GateResult(
                False,
                figures,
                f"{_count(comments.unanswered, 'comment')} of {comments.total} "
                f"{'has' if comments.unanswered == 1 else 'have'} no answer yet",
            )
        return GateResult(True, figures, f"every comment ({comments.total}) has an answer")
    if record.comments_considered:
        return GateResult(True, {}, "the committee recorded the comments as considered")
    return GateResult(False, {}, "staff comments are not recorded as considered")


def _ballot_gate(
    names: BallotParameters, record: Record, parameters: ParameterSet, at: date | None
) -> GateResult:
    ballot = record.ballot
    if record.vote is None and ballot is not None and ballot.closed_on is None:
        until = f" until {long_day(ballot.closes)}" if ballot.closes else ""
        return GateResult(False, {}, f"the ballot is open{until}: its result is secret until then")
    vote = record.staff_vote
    if vote is None:
        return GateResult(False, {}, "no staff vote is recorded")
    read_on = ballot.opened if ballot is not None and record.vote is None else vote.held_on
    try:
        threshold = threshold_read(
            parameters=parameters, names=names, at=read_on or at or vote.held_on
        )
    except PackError as exc:  # e.g. a vote dated before the pack's figures took effect
        return GateResult(False, {}, f"the threshold cannot be read: {exc.message}")
    tally = BallotTally(electorate=vote.eligible, yes=vote.in_favour, no=vote.against)
    result = outcome(tally=tally, threshold=threshold)
    figures = {**result.as_dict(), "abstained": vote.abstained}
    return GateResult(result.passed, figures, result.message)


def _signatures_gate(wanted: SignatureGate, record: Record) -> GateResult:
    valid = record.valid_signatures
    roles = {s.role for s in valid}
    missing = [role for role in wanted.roles if role not in roles]
    words = [role_label(role) for role in missing]  # the roles in a sentence
    if wanted.every_committee:
        # A signature names its signer's staff id where the web records it; one typed by
        # hand (a name only) may be any member's, so it counts for one unnamed member.
        of_role = [s for s in valid if s.role == wanted.every_committee]
        signed = {s.staff for s in of_role}
        unnamed = sum(1 for s in of_role if s.staff is None)
        members = record.committee.get(wanted.every_committee, ())
        absent = [member for member in members if member not in signed]
        if len(absent) > unnamed:
            if wanted.every_committee in missing:  # named below, member by member
                at = missing.index(wanted.every_committee)
                del missing[at], words[at]
            missing += [f"{wanted.every_committee} {member}" for member in absent[unnamed:]]
            words += [
                f"{role_label(wanted.every_committee)} {record.names.get(m, m)}"
                for m in absent[unnamed:]
            ]
    void = len(record.signatures) - len(valid)
    figures = {
        "signed": [{"role": s.role, "name": s.name} for s in valid],
        "missing": missing,
        "void": void,
    }
    if missing:
        reason = "the agreement lacks the signature of: " + ", ".join(words)
        if void:
            reason += f" ({_count(void, 'signature')} void: the agreement changed after signing)"
        return GateResult(False, figures, reason)
    return GateResult(
        True, figures, "signed by: " + ", ".join(role_label(r) for r in sorted(roles))
    )


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "s")


# --- order and stage -----------------------------------------------------------------------


def _done(
    process: Process, record: AnyRecord, parameters: ParameterSet, at: date | None
) -> tuple[str, ...]:
    return tuple(
        step.id
        for step in process.steps
        if step.reads
        and recorded(record, step)
        and gate(process, record, step.id, parameters, at).met
    )


def done_steps(process: Process, record: AnyRecord) -> tuple[str, ...]:
    """The steps the record shows done, in process order: recorded, and their gate met
    (a ballot's threshold read at its opening). Order is not required here: a step
    recorded before one it must follow is done, and the pack's order rule reports it."""
    return _done(process, record, process.parameters, None)


def long_day(day: date | None) -> str:
    """'Friday 12 June 2026'."""
    return "" if day is None else f"{day:%A} {day.day} {day:%B %Y}"


def short_day(day: date) -> str:
    """'Friday 12 June'."""
    return f"{day:%A} {day.day} {day:%B}"


def may_do(process: Process, record: AnyRecord, step_id: str, at: date) -> str | None:
    """None if the step may be done on ``at``, else why not in plain words ("Signing waits
    for the staff's approval"). A step may be done once every step it comes ``after`` is
    done, while its ``during`` window is open, once its ``once_ended`` window has closed,
    and not again once done."""
    return _refusal(process, record, process.step(step_id), at, set(done_steps(process, record)))


def _refusal(
    process: Process, record: AnyRecord, step: Step, at: date, done: set[str]
) -> str | None:
    if step.id in done:
        return f"{_capital(step.outcome)} is already recorded"
    for waiver in step.unless:
        if waiver in done:
            return f"{step.acting} is not needed: {process.step(waiver).outcome} is recorded"
    for before in step.after:
        if before not in done:
            return f"{step.acting} waits for {process.step(before).outcome}"
    if step.after_any and not any(before in done for before in step.after_any):
        either = " or ".join(process.step(b).outcome for b in step.after_any)
        return f"{step.acting} waits for {either}"
    if step.during is not None:
        opens, closes = window_dates(process, record, step.during)
        label = process.windows[step.during].label
        if opens is None or at < opens:
            return f"{step.acting} waits for {label} to open"
        if closes is not None and at > closes:
            return f"{_capital(label)} closed on {long_day(closes)}"
    if step.once_ended is not None:
        opens, closes = window_dates(process, record, step.once_ended)
        label = process.windows[step.once_ended].label
        if opens is not None and closes is not None and at <= closes:
            return f"{_capital(label)} runs until {long_day(closes)}"
    return None


@dataclass(frozen=True, slots=True)
class Stage:
    """A school's stage, and what holds it back.

    ``waiting`` is the first step not done (None when the last stage is reached) and
    ``reason`` why, in the process's words; ``blocking`` is the check's finding against
    that step's rule, when the caller attaches it (:func:`with_blocking`)."""

    name: str
    label: str
    rank: int
    complete: bool
    done: tuple[str, ...] = ()
    waiting: str | None = None
    reason: str = ""
    blocking: Finding | None = None

    @property
    def why(self) -> str:
        """Why the agreement is behind: the check's words if it has them, else the gate's."""
        return self.blocking.message if self.blocking is not None else self.reason


def stage(
    process: Process,
    record: AnyRecord,
    parameters: ParameterSet | None = None,
    at: date | None = None,
) -> Stage:
    """How far the agreement has got: the last stage whose steps, and every earlier
    stage's, are done. The stage never passes a step that is not done."""
    parameters = parameters or process.parameters
    done = _done(process, record, parameters, at)
    reached = NOT_STARTED
    waived = set(_waived(process, done))
    for rank, spec in enumerate(process.stages):
        for step_id in spec.steps:
            if step_id not in done and step_id not in waived:
                result = gate(process, record, step_id, parameters, at)
                reason = result.reason or _not_recorded(process.step(step_id))
                return Stage(
                    reached, process.stage_label(reached), rank, False, done, step_id, reason
                )
        reached = spec.id
    return Stage(reached, process.stage_label(reached), len(process.stages), True, done)


def _waived(process: Process, done: Collection[str]) -> tuple[str, ...]:
    """The steps not done that another step's being done has made unneeded (``unless``)."""
    return tuple(
        step.id
        for step in process.steps
        if step.id not in done and any(w in done for w in step.unless)
    )


def waived_steps(process: Process, record: AnyRecord) -> tuple[str, ...]:
    """The steps the record makes unneeded (a hearing once the informal meeting resolved
    the dispute): never overdue, off the timeline, passed by the stage."""
    return _waived(process, done_steps(process, record))


def with_blocking(process: Process, found: Stage, findings: Iterable[Finding]) -> Stage:
    """The stage with the check's finding against its waiting step's rule, if any."""
    if found.waiting is None:
        return found
    rule = process.step(found.waiting).rule
    for finding in findings:
        if rule is not None and finding.rule == rule:
            return Stage(
                found.name,
                found.label,
                found.rank,
                found.complete,
                found.done,
                found.waiting,
                found.reason,
                finding,
            )
    return found


# --- deadlines and next actions ------------------------------------------------------------


def due_date(
    process: Process, year_start: date, parameters: ParameterSet | None = None
) -> date | None:
    """The day the agreement is due: the deadline parameter's days before the session
    (read at the session's start; a council's dated value overrides the pack's default)."""
    if process.deadline is None:
        return None
    days = (parameters or process.parameters).number(process.deadline.parameter, year_start)
    return year_start - timedelta(days=int(days))


def step_label(process: Process, step_id: str, at: date) -> str:
    """The step's label with its parameters' figures filled at ``at``."""
    return fill(process.step(step_id).label, process.parameters, at)[0]


@dataclass(frozen=True, slots=True)
class Overdue:
    """A step not done by its due day."""

    step_id: str
    label: str
    due: date
    reason: str


def overdue(
    process: Process, record: AnyRecord, today: date, deadline: date | None
) -> list[Overdue]:
    """The needed steps late on ``today``, in process order: every step not done once the
    agreement's ``deadline`` has come (it is due *before* that day), and a step waiting
    for a window to end that is not done the day after it closed."""
    done = set(done_steps(process, record))
    waived = set(_waived(process, done))
    late: list[Overdue] = []
    for step in process.required:
        if step.id in done or step.id in waived:
            continue
        if step.once_ended is not None:
            _, closes = window_dates(process, record, step.once_ended)
            if closes is not None and today > closes:
                label = process.windows[step.once_ended].label
                late.append(
                    Overdue(
                        step.id,
                        step_label(process, step.id, today),
                        closes,
                        f"{label} closed on {long_day(closes)}",
                    )
                )
                continue
        if deadline is not None and today >= deadline:
            late.append(
                Overdue(
                    step.id,
                    step_label(process, step.id, today),
                    deadline,
                    f"the agreement was due {long_day(deadline)}",
                )
            )
    return late


@dataclass(frozen=True, slots=True)
class Action:
    """A role's next step: what to do, and by when. ``waiting``: nothing to do but wait
    for someone else ("Submitted, awaiting the council")."""

    step_id: str
    label: str
    due: date | None
    waiting: bool = False


def _due_of(process: Process, record: AnyRecord, step: Step, deadline: date | None) -> date | None:
    for window in (step.during, step.once_ended):
        if window is not None:
            return window_dates(process, record, window)[1]
    return deadline if step.due == "deadline" else None


def _action_label(
    process: Process, record: AnyRecord, step: Step, due: date | None, at: date
) -> str:
    text = step.todo or step.label
    names = {name for name, _ in placeholders(text)}
    values: dict[str, str] = {}
    if "due" in names:
        if due is None:
            text = step.label
        else:
            values["due"] = short_day(due)
    if "unanswered" in names:
        if not isinstance(record, Record) or record.comments is None:
            text = step.label
        else:
            values["unanswered"] = _count(record.comments.unanswered, "comment")
    filled, _ = fill(text, process.parameters, at, keep_others=True)
    return filled.format(**values) if values or "{" in filled else filled


def next_actions(
    process: Process,
    record: AnyRecord,
    role: str | Collection[str],
    today: date,
    deadline: date | None = None,
) -> list[Action]:
    """What ``role`` (or a person holding several roles: a head teacher on the committee)
    may do next on ``today``, in process order ("Open the consultation", "Vote by Friday
    12 June", "Sign the agreement"), then what it waits for from others ("Submitted,
    awaiting the council"). ``deadline`` dates the steps due by it. Per person facts the
    record does not hold (has this teacher voted, has this rep signed) and permissions
    are the caller's to apply."""
    roles = {role} if isinstance(role, str) else set(role)
    done = set(done_steps(process, record))
    actions: list[Action] = []
    waits: list[Action] = []
    for step in process.steps:
        if step.id in done or _refusal(process, record, step, today, done) is not None:
            continue
        due = _due_of(process, record, step, deadline)
        if roles & set(step.roles):
            if step.offered:
                label = _action_label(process, record, step, due, today)
                actions.append(Action(step.id, label, due))
        elif step.awaiting and any(roles & set(process.step(b).roles) for b in step.after):
            waits.append(Action(step.id, step.awaiting, due, waiting=True))
    return actions + waits


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    """A step on the school's timeline: done or not, and the day the record dates it."""

    step_id: str
    label: str
    done: bool
    on: date | None
    stage: str | None


def timeline(process: Process, record: AnyRecord, at: date | None = None) -> list[TimelineEntry]:
    """The needed steps, and the optional ones the record holds, in process order, each
    with whether it is done and its date (a school page's timeline); a label's figures
    are read at ``at`` (without it, the labels are as the pack writes them)."""
    done = set(done_steps(process, record))
    waived = set(_waived(process, done))
    stage_of = {step_id: spec.id for spec in process.stages for step_id in spec.steps}
    return [
        TimelineEntry(
            step.id,
            step.label if at is None else step_label(process, step.id, at),
            step.id in done,
            recorded_on(record, step),
            stage_of.get(step.id),
        )
        for step in process.steps
        if step.id not in waived and (not step.optional or (step.reads and recorded(record, step)))
    ]


# --- what a signature signs ----------------------------------------------------------------


def _canonical(value: Any) -> Any:
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return value
    if isinstance(value, float | Decimal | Fraction):
        if isinstance(value, float) and value != value:  # NaN
            raise ValueError("NaN cannot be hashed")
        number = Fraction(value)
        if number.denominator == 1:
            return int(number)
        return float(number)
    if isinstance(value, Mapping):
        out = {}
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"keys must be text to hash, not {key!r}")
            out[key] = _canonical(item)
        return out
    if isinstance(value, list | tuple):
        return [_canonical(item) for item in value]
    raise ValueError(f"cannot hash a {type(value).__name__}")


def canonical_json(document: Mapping[str, Any]) -> str:
    """The document as canonical JSON: keys sorted, no insignificant whitespace, dates as
    ISO text, whole numbers as integers (2.0 and 2 alike), text as UTF-8."""
    return json.dumps(
        _canonical(document),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )


def content_hash(document: Mapping[str, Any]) -> str:
    """The SHA-256 (hex) of the document's canonical JSON: what a signature signs."""
    return hashlib.sha256(canonical_json(document).encode("utf-8")).hexdigest()


def signatures_void(record: Record, current_hash: str) -> list[str]:
    """Why each signature is void against the version now (one reason per signature for
    another version, in the order signed); an empty list when every signature stands."""
    reasons = []
    for s in record.signatures:
        if s.content_hash == current_hash:
            continue
        who = f"{s.name}'s signature ({role_label(s.role)}, {long_day(s.signed_on)})"
        if s.content_hash is None:
            reasons.append(f"{who} names no version of the agreement, so it cannot stand")
        else:
            reasons.append(f"{who} is void: the agreement changed after it was signed")
    return reasons


# --- reading process.yaml ------------------------------------------------------------------


def read_process(
    folder: Path,
    pack_id: str,
    documents: Mapping[str, Document],
    parameters: ParameterSet,
    rule_ids: Iterable[str],
    name: str = "process.yaml",
    schema: dict[str, Any] = pack_schema.PROCESS,
) -> Process | None:
    """The pack folder's process.yaml (or another process file ``name``, such as
    appeal.yaml with ``schema`` :data:`pack_schema.APPEAL`), checked against its schema
    and the pack (known steps, parameters, windows, rules, documents), or None if the
    pack has none. Every problem is a PackError located by file, line and field."""
    source = folder / name
    if not source.exists():
        return None
    doc = load_file(source)
    validate(doc, schema, str(source), error_type=PackError)
    problems: list[InputError] = []

    def fail(message: str, path: Sequence[str | int], hint: str = "") -> None:
        where = Location(str(source), line_of(doc, list(path)), field_path(list(path)))
        problems.append(PackError(message, where, hint))

    def parameter(name: str, path: Sequence[str | int]) -> None:
        if name not in parameters:
            fail(f"unknown parameter '{name}'", path, "Declare it in parameters.yaml.")

    def reference(raw: Mapping[str, Any], path: Sequence[str | int]) -> Reference:
        return reference_read(raw, path, documents, fail)

    def prose(text: str, path: Sequence[str | int], extra: tuple[str, ...] = ()) -> None:
        stripped = text
        for name in extra:
            stripped = stripped.replace("{" + name + "}", "")
        problem = prose_problem(stripped, "title", parameters)
        if problem:
            fail(problem[0].replace("in title", f"in {path[-1]}"), path, problem[1])

    windows: dict[str, Window] = {}
    for window_id, spec in doc.get("windows", {}).items():
        parameter(spec["days"], ["windows", window_id, "days"])
        prose(spec["label"], ["windows", window_id, "label"])
        windows[window_id] = Window(
            window_id, spec["label"], spec["opens"], spec.get("closes"), spec["days"]
        )
    deadline = None
    if "deadline" in doc:
        spec = doc["deadline"]
        parameter(spec["parameter"], ["deadline", "parameter"])
        deadline = Deadline(spec["parameter"])
    rules = set(rule_ids)
    steps: list[Step] = []
    seen: set[str] = set()
    for index, raw in enumerate(doc["steps"]):
        path: list[str | int] = ["steps", index]
        if raw["id"] in seen:
            fail(f"duplicate step id '{raw['id']}'", [*path, "id"])
        for key in ("after", "after_any", "unless"):
            for position, before in enumerate(raw.get(key, [])):
                if before not in seen:
                    relation = "comes after" if key == "after" else f"names ({key})"
                    fail(
                        f"step '{raw['id']}' {relation} '{before}', which is not a step above it",
                        [*path, key, position],
                        "List a step below the steps it follows; known above: "
                        + (", ".join(sorted(seen)) or "none"),
                    )
        seen.add(raw["id"])
        for key in ("during", "once_ended"):
            if key in raw and raw[key] not in windows:
                fail(
                    f"no window '{raw[key]}'",
                    [*path, key],
                    "Windows: "
                    + (", ".join(sorted(windows)) or "none (declare them under windows)"),
                )
        if raw.get("due") == "deadline" and deadline is None:
            fail("the step is due by the deadline, but the process has none", [*path, "due"])
        if "rule" in raw and raw["rule"] not in rules:
            fail(f"no rule '{raw['rule']}' in the pack", [*path, "rule"])
        prose(raw["label"], [*path, "label"])
        if "todo" in raw:
            prose(raw["todo"], [*path, "todo"], ACTION_FIELDS)
        needs_reads = not raw.get("optional", False)
        if needs_reads and not raw.get("reads"):
            fail(
                "a needed step must read the record",
                [*path, "reads"],
                "Name the fields, or set optional: true.",
            )
        gate_spec = raw.get("gate", {})
        step_gate = Gate()
        if "comments_answered" in gate_spec:
            step_gate = Gate("comments_answered")
        elif "ballot" in gate_spec:
            b = gate_spec["ballot"]
            for key, name in b.items():
                parameter(name, [*path, "gate", "ballot", key])
            step_gate = Gate("ballot", ballot=BallotParameters.from_dict(b))
        elif "attendance" in gate_spec:
            step_gate = Gate("attendance", attendance=tuple(gate_spec["attendance"]))
        elif "signatures" in gate_spec:
            s = gate_spec["signatures"]
            step_gate = Gate(
                "signatures",
                signatures=SignatureGate(tuple(s["roles"]), s.get("every_committee")),
            )
        steps.append(
            Step(
                id=raw["id"],
                label=raw["label"],
                acting=raw["acting"],
                outcome=raw["outcome"],
                reference=reference(raw["reference"], [*path, "reference"]),
                roles=tuple(raw["roles"]),
                reads=tuple(raw.get("reads", ())),
                after=tuple(raw.get("after", ())),
                after_any=tuple(raw.get("after_any", ())),
                unless=tuple(raw.get("unless", ())),
                gate=step_gate,
                todo=raw.get("todo"),
                awaiting=raw.get("awaiting"),
                optional=raw.get("optional", False),
                offered=raw.get("offered", True),
                during=raw.get("during"),
                once_ended=raw.get("once_ended"),
                due=raw.get("due"),
                rule=raw.get("rule"),
            )
        )
    by_id = {step.id: step for step in steps}
    stages: list[StageSpec] = []
    staged: set[str] = set()
    stage_ids: set[str] = set()
    for index, raw in enumerate(doc["stages"]):
        if raw["id"] in stage_ids or raw["id"] == NOT_STARTED:
            fail(f"duplicate stage id '{raw['id']}'", ["stages", index, "id"])
        stage_ids.add(raw["id"])
        for position, step_id in enumerate(raw["steps"]):
            where: list[str | int] = ["stages", index, "steps", position]
            if step_id not in by_id:
                fail(f"no step '{step_id}'", where, "Steps: " + ", ".join(by_id))
            elif by_id[step_id].optional:
                fail(f"step '{step_id}' is optional, so it cannot make a stage", where)
            elif step_id in staged:
                fail(f"step '{step_id}' is in two stages", where)
            staged.add(step_id)
    for index, step in enumerate(steps):
        if not step.optional and step.id not in staged:
            fail(
                f"step '{step.id}' is needed but in no stage",
                ["steps", index, "id"],
                "Add it to a stage, or set optional: true.",
            )
    stages = [StageSpec(s["id"], s["label"], tuple(s["steps"])) for s in doc["stages"]]
    process_reference = reference(doc["reference"], ["reference"])
    if problems:
        raise InputErrors(problems)
    return Process(
        pack_id=pack_id,
        title=doc["title"],
        reference=process_reference,
        steps=tuple(steps),
        stages=tuple(stages),
        parameters=parameters,
        windows=windows,
        deadline=deadline,
        notes=tuple(doc.get("notes", ())),
        source=source,
    )
