"""``fairload plan``: propose a calendar that meets the school's wishes and its pack.

Exit codes, as ``check``: 0 a calendar is proposed and its check finds no breach, 1 a
calendar is proposed but the check still finds a breach (from the school's own data:
the planner holds its events to every planned rule), 2 bad input or usage; and
:data:`NO_CALENDAR` (3) when no calendar can meet the hard wishes and the rules, with
the explanation, and :data:`OUT_OF_TIME` (4) when the solver found none within
``--seconds`` without proving that none exists (give it longer).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

import click

from fairload.cli import _PATH, _exit, at_option, pack_option, reports_input_errors
from fairload.core.errors import InputError, Location

#: the exit code when no calendar exists (the explanation says why)
NO_CALENDAR = 3
#: the exit code when no calendar was found in the time limit (none proved impossible)
OUT_OF_TIME = 4


@click.command("plan")
@click.argument("school", type=_PATH)
@pack_option
@at_option
@click.option(
    "--what-if",
    "what_if",
    multiple=True,
    metavar="CHANGE",
    help="Re-plan with a change: WISH.count=N, 'add WISH as NEW', 'fte STAFF=0.6', "
    "'weeks=38' (end the year sooner); repeatable.",
)
@click.option(
    "--previous",
    type=_PATH,
    default=None,
    help="Last year's school-year file: keep close to its calendar (days a year on).",
)
@click.option(
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "yaml"]),
    default="text",
    show_default=True,
    help="text or json: the plan's report; yaml: the proposed school-year file.",
)
@click.option(
    "--output", type=_PATH, default=None, help="Write the proposed school-year file here."
)
@click.option("--seconds", type=float, default=10.0, show_default=True, help="Time limit.")
@click.option("--workers", type=int, default=2, show_default=True, help="Solver threads.")
@click.option("--seed", type=int, default=2026, show_default=True, help="Solver seed.")
@reports_input_errors
def plan(
    school: Path,
    pack: str | None,
    at: datetime | None,
    what_if: Sequence[str],
    previous: Path | None,
    output_format: str,
    output: Path | None,
    seconds: float,
    workers: int,
    seed: int,
) -> None:
    """Propose a calendar for SCHOOL from its plan section. Exit 3 if none exists.

    The school-year file's `plan` section lists the wishes (docs/school-year-format.md).
    The planner starts from the school's current calendar: events of the wishes'
    categories are replaced, as few moved as the rules allow; every other event stays.
    """
    from fairload.cli import _pack_for
    from fairload.core.check import run_check
    from fairload.core.findings import Severity
    from fairload.core.planner import Planner, anchors_from, parse_plan
    from fairload.core.planner.report import plan_lines, plan_report
    from fairload.core.planner.whatif import apply_what_if, what_if_section
    from fairload.core.planner.wishes import check_agreed
    from fairload.core.school_format import parse_school_year
    from fairload.core.tables import tables_from_years
    from fairload.io import report_format
    from fairload.io.school_file import load_school_document, load_school_year

    document = load_school_document(school)
    year = parse_school_year(document, str(school))
    spec = parse_plan(document, year, str(school))
    chosen = _pack_for(pack, [year])
    check_agreed(
        document,
        spec,
        {r.id: r.title for r in chosen.rules if r.severity is Severity.NEEDS_AGREEMENT},
        str(school),
    )
    when = at.date() if at else None
    before = run_check(chosen, tables_from_years([year]), when)
    current = year
    asked = spec
    year, spec = apply_what_if(list(what_if), year, spec)
    # The proposed file keeps the wishes the what-if planned, so planning it again does.
    wishes = what_if_section(list(what_if), _plain(document["plan"]), asked)
    categories = {w.category for w in spec.wishes}
    anchors = anchors_from(e for e in year.events if e.category in categories)
    if previous is not None:
        last = load_school_year(previous)
        shift = (year.calendar.dates.start - last.calendar.dates.start).days
        shift -= shift % 7  # the same weekday
        anchors += anchors_from((e for e in last.events if e.category in categories), shift)
    planner = Planner(year, chosen, spec, when, anchors)
    result = planner.solve(seconds=seconds, workers=workers, seed=seed)
    if result.found:  # a shorter year (weeks=N) drops the events after its new end
        kept = set(year.events)
        result.changes["removed"] += [
            f"{e.title}: {e.date.isoformat()} {e.start:%H:%M}-{e.end:%H:%M} (after the year's end)"
            for e in current.events
            if e not in kept
        ]
    report = plan_report(planner, result, before)
    proposed = _proposed(result.year, wishes) if result.year is not None else None
    if output is not None and proposed is not None:
        _write(output, proposed)
    if output_format == "json":
        click.echo(report_format.to_json(report))
    elif output_format == "yaml" and proposed is not None and output is None:
        click.echo(_yaml(proposed), nl=False)
    else:
        click.echo("\n".join(plan_lines(report)))
    if not result.found:
        _exit(NO_CALENDAR if result.status == "infeasible" else OUT_OF_TIME)
    _exit(1 if result.check is not None and result.check.has_breach else 0)


def _proposed(year: Any, plan: dict[str, Any]) -> dict[str, Any]:
    """The proposed year as a school-year document with the plan section ``plan``."""
    from fairload.io.school_file import dump_school_year

    proposed = dump_school_year(year)
    proposed["plan"] = plan
    return proposed


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _yaml(document: dict[str, Any]) -> str:
    import yaml

    return str(yaml.safe_dump(document, sort_keys=False, allow_unicode=True, width=100))


def _write(path: Path, document: dict[str, Any]) -> None:
    from fairload.io import report_format

    text = (
        report_format.to_json(document) + "\n"
        if path.suffix.lower() == ".json"
        else _yaml(document)
    )
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", Location(str(path))) from None
