"""Selectors: reading school years and checking them with the core."""

from __future__ import annotations

from fairload.core.check import CheckResult, run_check
from fairload.core.packs import load_bundled
from fairload.core.tables import tables_from_years
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.to_core import to_core


def school_year_current(*, school: School) -> SchoolYear | None:
    """The school's latest year."""
    return school.years.order_by("-start").first()


def school_year_check(*, year: SchoolYear) -> CheckResult:
    """Every finding for the year under its school's pack, read at the year's start."""
    core = to_core(year)
    return run_check(load_bundled(core.school.pack), tables_from_years([core]))
