"""The would-be year behind every edit of one event or one staff post.

An edit builds the year as it would be after the change (the ``fairload/school-year@1``
document that ``to_core`` builds, changed: a ``Draft``), has the core validate the
*whole* year, and only then writes: in one transaction, with the year's row locked
(``locked``) so two editors cannot interleave. This module holds what the event edits
(``event_edits``) and the post edits (``post_edits``) share: the draft, the validation
and its errors keyed by form field, the row versions that refuse a stale save, and the
exceptions a refused change raises.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from fairload.core.check import CheckResult, run_check
from fairload.core.errors import InputError, InputErrors
from fairload.core.packs import load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.tables import tables_from_years
from fairload.web.schools.models import Event, SchoolYear, StaffPost

Actor = AbstractBaseUser | AnonymousUser | None

#: Keys of the school-year format whose form field has another name.
FORM_FIELDS = {"id": "staff_id"}

#: The name each section's rows go by in messages.
_KINDS = {"events": "event", "staff": "staff post"}


class YearInvalid(ValidationError):
    """The year would not be valid after the change; nothing was written.

    ``error_dict`` is keyed by form field (``date``, ``attendees``, ``staff_id`` …);
    problems elsewhere in the year are non-field errors."""


class RowGone(Exception):
    """The event or post a change names is no longer in the year (someone deleted it,
    or a re-import replaced the year without it); nothing was written."""

    def __init__(self, kind: str, row_id: str) -> None:
        super().__init__(f"no {kind} '{row_id}' in this year")
        self.kind = kind
        self.row_id = row_id


class StaleEdit(Exception):
    """The row changed since the form was read: saving would overwrite someone else's
    change unseen. ``current`` is the row as it is now and ``mine`` as the save would
    have written it (both school-year format rows), and ``version`` the current row's
    version, for the page that lets the person choose."""

    def __init__(self, current: dict[str, Any], mine: dict[str, Any], version: str) -> None:
        super().__init__("changed since the form was read")
        self.current = current
        self.mine = mine
        self.version = version


def row_version(row: Mapping[str, Any]) -> str:
    """The version of one row of the school-year format: a fingerprint of its content.

    A form carries the version it was read at; a save whose version is no longer the
    row's is refused (``StaleEdit``). A content fingerprint, unlike a counter, also sees
    changes made by a re-import or by deleting a post that the event named."""
    text = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


@dataclass(frozen=True)
class Draft:
    """The year's document with one row added or replaced: what the core will read."""

    document: dict[str, Any]
    index: int
    row_id: str
    before: dict[str, Any]
    after: dict[str, Any]


def check_version(draft: Draft, version: str | None) -> None:
    """Refuse with StaleEdit if the row is no longer at the ``version`` the form read."""
    if version is not None and row_version(draft.before) != version:
        raise StaleEdit(draft.before, draft.after, row_version(draft.before))


def row_index(document: dict[str, Any], section: str, row_id: str) -> int:
    """Where the row with this id is in the document's ``events`` or ``staff``; RowGone
    if it is not there."""
    for index, row in enumerate(document[section]):
        if row["id"] == row_id:
            return index
    raise RowGone(_KINDS[section], row_id)


def _message(error: InputError) -> str:
    text = error.message[:1].upper() + error.message[1:]
    return f"{text}. {error.hint}" if error.hint else text


def _errors_for(
    errors: Iterable[InputError], section: str, index: int | None
) -> dict[str, list[str]]:
    """Located core errors -> {form field: [messages]}; those elsewhere are non-field."""
    own = f"{section}[{index}]" if index is not None else None
    mapped: dict[str, list[str]] = {}
    for error in errors:
        where = error.location.field if error.location and error.location.field else ""
        key = NON_FIELD_ERRORS
        text = _message(error)
        if own and (where == own or where.startswith(own + ".")):
            name = where[len(own) + 1 :].split(".")[0].split("[")[0]
            if name:
                key = FORM_FIELDS.get(name, name)
        elif where:
            text = f"Elsewhere in the year ({where}): {text}"
        mapped.setdefault(key, []).append(text)
    return mapped


def validate(
    document: dict[str, Any], year: SchoolYear, section: str, index: int | None
) -> CoreSchoolYear:
    """Have the core read the whole would-be year; raise YearInvalid if it refuses."""
    try:
        return parse_school_year(document, f"{year.school.slug} {year.label}")
    except InputErrors as exc:
        raise YearInvalid(_errors_for(exc.errors, section, index)) from exc
    except InputError as exc:
        raise YearInvalid(_errors_for([exc], section, index)) from exc


def check_year(core: CoreSchoolYear) -> CheckResult:
    """Every finding for a would-be year, as ``selectors.school_year_check`` reads a stored
    one: under its school's pack, at the year's start."""
    return run_check(load_bundled(core.school.pack), tables_from_years([core]))


def locked(year: SchoolYear) -> SchoolYear:
    """The year's row, locked until the transaction ends (a no-op lock on SQLite, which
    writes one transaction at a time anyway). RowGone if a re-import replaced the year
    while the person had it open."""
    held = (
        SchoolYear.objects.select_for_update(of=("self",))
        .select_related("school__council")
        .filter(pk=year.pk)
        .first()
    )
    if held is None:
        raise RowGone("school year", year.label)
    return held


RowT = TypeVar("RowT", Event, StaffPost)


def stored(model: type[RowT], year: SchoolYear, kind: str, **key: str) -> RowT:
    """The row, read after the year's lock is held; RowGone if it is no longer there."""
    row = model.objects.filter(school_year=year, **key).first()
    if row is None:
        raise RowGone(kind, next(iter(key.values())))
    return row


def day_text(value: date | str) -> str:
    """A date as the audit log and the banners write it: ``12 Nov 2025``."""
    day = value if isinstance(value, date) else date.fromisoformat(value)
    return f"{day.day} {day:%b %Y}"
