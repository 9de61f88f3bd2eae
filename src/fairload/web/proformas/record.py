"""The pro-formas made in fairload as the school-year format's ``proformas``.

``fairload.web.schools.to_core`` puts them into the year's document, so the checks
(``proforma-adds-up``, ``proforma-activities``, ``proforma-agreed-with-line-manager``) run
on them unchanged, and export writes them, as a file's. A teacher with a pro-forma here
replaces the file's row for them; the others keep the file's. A signature is written
only while it stands: once the pro-forma changes after it was signed (its SHA-256 is no
longer the one signed), the file says it is unsigned, as the check then reads it.

Whether a signature stands needs the figures the pro-forma accounts for, which the core
works out from the rest of the year: the year is read once without its pro-formas, and
the answer kept under the year's revision (every change bumps it).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from fairload.core import proforma as core
from fairload.core.budgets import teacher_budgets
from fairload.core.errors import PackError
from fairload.core.packs import Pack, load_bundled
from fairload.core.school_format import parse_school_year
from fairload.core.tables import Tables, tables_from_years
from fairload.web.proformas.models import Proforma, ProformaSignature
from fairload.web.schools.memo import Memo
from fairload.web.schools.models import SchoolYear


def has_proforma(pack: Pack) -> bool:
    """Whether the pack's agreement has a balance-of-time pro-forma to fill."""
    return any(rule.template == core.TEMPLATE for rule in pack.rules)


@dataclass(frozen=True)
class Live:
    """A pro-forma made here, as the core reads it now, and its signatures."""

    stored: Proforma
    state: core.ProformaState
    signatures: tuple[ProformaSignature, ...]

    @property
    def standing(self) -> set[str]:
        return core.standing(
            ((s.role, s.content_hash) for s in self.signatures), self.state.content_hash
        )

    @property
    def status(self) -> str:
        return core.state_now(self.stored.state, self.standing)

    def latest(self, role: str) -> ProformaSignature | None:
        mine = [s for s in self.signatures if s.role == role]
        return mine[-1] if mine else None

    def as_row(self) -> dict[str, Any]:
        """The format's ``proformas[]`` row: the hours, and the signatures that stand."""
        row: dict[str, Any] = {
            "staff": self.stored.staff_id,
            "activities": {k: float(v) for k, v in self.stored.hours.items() if v},
        }
        if self.stored.details:
            row["details"] = dict(self.stored.details)
        standing = self.standing
        signed = [
            {"role": s.role, "name": s.name, "signed_on": s.signed_at.date().isoformat()}
            for role in core.SIGNERS
            if role in standing and (s := self.latest(role)) is not None
        ]
        if signed:
            row["signatures"] = signed
        return row


@dataclass(frozen=True)
class Reading:
    pack: Pack
    tables: Tables
    live: dict[str, Live]


_READINGS: Memo[Reading | None] = Memo()


def year_reading(year: SchoolYear, document: dict[str, Any]) -> Reading | None:
    """The year's pro-formas made here, read by the core; None if it has none. The
    ``document`` is the year's own (to_core's), its pro-formas not yet merged."""

    def read() -> Reading | None:
        stored = list(
            Proforma.objects.filter(school_id=year.school_id, label=year.label).prefetch_related(
                "signatures"
            )
        )
        if not stored:
            return None
        try:
            pack = load_bundled(year.school.pack)
        except PackError:
            return None  # a pack no longer installed: the year still exports, as filed
        if not has_proforma(pack):
            return None
        rest = {k: v for k, v in document.items() if k != "proformas"}
        core_year = parse_school_year(rest, f"{year.school.slug} {year.label}")
        tables = tables_from_years([core_year])
        staff = {member.id for member in core_year.staff}
        assert pack.budget is not None  # a pack with a pro-forma rule has a budget
        budgets = teacher_budgets(pack.budget, tables, pack.parameters, year.start)
        live = {}
        for proforma in stored:
            if proforma.staff_id not in staff:
                continue  # a post no longer in the year
            try:
                state = core.proforma_state(
                    pack,
                    tables,
                    year.school.slug,
                    proforma.staff_id,
                    year.start,
                    proforma.hours,
                    proforma.details,
                    budgets,
                )
            except KeyError:
                continue  # a post the pack's budget does not bind: it has no balance of time
            live[proforma.staff_id] = Live(proforma, state, tuple(proforma.signatures.all()))
        return Reading(pack, tables, live)

    return _READINGS.get_or_make((year.pk, year.revision, year.label), read)


def proformas_merged(year: SchoolYear, document: dict[str, Any]) -> list[dict[str, Any]]:
    """The document's ``proformas`` with those made here in place of the file's, in the
    order of the staff list."""
    rows: list[dict[str, Any]] = copy.deepcopy(list(document.get("proformas", [])))
    reading = year_reading(year, document)
    if reading is None:
        return rows
    made = {staff_id: live.as_row() for staff_id, live in reading.live.items()}
    rows = [row for row in rows if row.get("staff") not in made] + [
        row for row in made.values() if row["activities"] or row.get("signatures")
    ]
    order = {row["id"]: i for i, row in enumerate(document.get("staff", []))}
    return sorted(rows, key=lambda row: order.get(row.get("staff"), len(order)))
