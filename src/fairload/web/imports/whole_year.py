"""Planning a whole school-year file (YAML or JSON): read it, check it with the core, and
make sure it is for this school (or, for a new school, one not stored yet)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fairload.core.errors import InputError, InputErrors, Location
from fairload.core.nesting import nested, nesting_problems
from fairload.core.packs import discover
from fairload.core.school_format import parse_school_year
from fairload.core.school_year import SchoolYear as CoreSchoolYear
from fairload.core.yamlfile import line_of, load_text
from fairload.web.imports import limits
from fairload.web.imports.database_limits import URL_SLUG
from fairload.web.schools.models import School, SchoolYear
from fairload.web.schools.to_core import school_year_document

if TYPE_CHECKING:
    from fairload.web.imports.plans import Plan


def plan_whole_year(plan: Plan, text: str) -> None:
    source = plan.filename
    plan.problems.extend(nesting_problems(text, source) or limits.yaml_problems(text, source))
    if plan.problems:
        return
    try:
        document = load_text(text, source)
    except InputError as error:
        plan.problems.append(error)
        return
    except RecursionError:
        plan.problems.append(nested(source))
        return
    if not isinstance(document, dict):
        plan.problems.append(
            InputError(
                "this is not a school-year file",
                Location(source, 1),
                "A school year is a YAML or JSON file starting 'format: fairload/school-year@1'.",
            )
        )
        return
    staff, events = document.get("staff"), document.get("events")
    too_big = limits.size_problems(
        len(staff) if isinstance(staff, list) else 0,
        len(events) if isinstance(events, list) else 0,
        source,
    )
    if too_big:
        plan.problems.extend(too_big)
        return
    school_part = document.get("school")
    file_school = school_part.get("id") if isinstance(school_part, dict) else None
    try:
        plan.after = parse_school_year(document, source)
    except InputErrors as many:
        plan.problems.extend(many.errors)
    except InputError as one:
        plan.problems.append(one)
    except RecursionError:
        plan.problems.append(nested(source))
        return
    where = Location(source, line_of(document, ["school", "id"]), "school.id")
    if plan.school is not None:
        if file_school is not None and file_school != plan.school.slug:
            plan.problems.append(
                InputError(
                    f"this file is for the school '{file_school}', not {plan.school.name} "
                    f"('{plan.school.slug}')",
                    where,
                    "Import it from that school's page, or correct the school id in the file.",
                )
            )
    elif isinstance(file_school, str):
        existing = School.objects.filter(slug=file_school).first()
        if existing is not None:
            plan.existing_school = existing
            plan.problems.append(
                InputError(
                    f"a school with the id '{file_school}' is stored already ({existing.name})",
                    where,
                    "To replace its year, import the file from that school's own import page.",
                )
            )
        elif not URL_SLUG.match(file_school):
            plan.problems.append(
                InputError(
                    f"the school id '{file_school}' cannot be used in a web address",
                    where,
                    "Use only letters, digits, hyphens and underscores.",
                )
            )
    if plan.after is None:
        return
    pack = plan.after.school.pack
    if pack not in discover():
        plan.problems.append(
            InputError(
                f"no pack '{pack}'",
                Location(source, line_of(document, ["school", "pack"]), "school.pack"),
                "Packs: " + ", ".join(sorted(discover())) + ".",
            )
        )
    if plan.school is not None:
        plan.stored = plan.school.years.filter(label=plan.after.calendar.label).first()
        plan.before = _stored_core(plan.stored)
    plan.document = document
    plan.in_file = len(plan.after.staff) + len(plan.after.events)


def _stored_core(year: SchoolYear | None) -> CoreSchoolYear | None:
    if year is None:
        return None
    return parse_school_year(school_year_document(year), f"{year.school.slug} {year.label}")
