"""The ``fairload`` command: read files, call the core, render the result.

Exit codes: 0 no breach, 1 at least one breach (``check``; a finding under an instruction
read outside its mandate is not one) or a failing pack test or a pack with no tests
(``packs test``), 2 bad input or usage. Bad input is reported as
located messages on stderr, never as a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import gc
import os
import sys
from collections.abc import Callable, Sequence
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, ParamSpec, TypeVar

import click

from fairload import __version__
from fairload.core.errors import FairloadError, InputError, InputErrors, Location

if TYPE_CHECKING:
    # Imported where a command needs them: Polars, Rich, jsonschema and the templates
    # take most of a second, which `--help`, `--version` and a usage error never need.
    from rich.console import Console

    from fairload.core.check import CheckResult
    from fairload.core.packs import Pack
    from fairload.core.school_year import SchoolYear

P = ParamSpec("P")
R = TypeVar("R")


class OutputFormat(StrEnum):
    TEXT = "text"
    JSON = "json"
    MARKDOWN = "markdown"


class DataFormat(StrEnum):
    TEXT = "text"
    JSON = "json"


# Click, not Typer: Typer builds a Pydantic adapter for every parameter it reads, which
# cost a quarter of a second of every command (issue 8); the options are few enough to
# declare as Click declares them.
_PATH = click.Path(path_type=Path)


def _choice(formats: type[StrEnum]) -> Callable[[Callable[P, R]], Callable[P, R]]:
    return click.option(
        "--format",
        "output",
        type=click.Choice([f.value for f in formats]),
        default=formats("text").value,
        show_default=True,
        callback=lambda _ctx, _param, value: formats(value),
        help="Output format.",
    )


format_option = _choice(OutputFormat)
data_format_option = _choice(DataFormat)
pack_option = click.option(
    "--pack", default=None, help="Pack id or folder; default: the pack the school file names."
)
at_option = click.option(
    "--at",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    metavar="YYYY-MM-DD",
    help="Read the pack's values in force on this date; default: the school year's start.",
)
events_option = click.option(
    "--events",
    type=_PATH,
    multiple=True,
    help="Add the events of an iCalendar (.ics) file; repeatable.",
)


def _exit(code: int) -> NoReturn:
    raise click.exceptions.Exit(code)


def reports_input_errors(command: Callable[P, R]) -> Callable[P, R]:
    """Turn fairload's errors into located messages on stderr and exit code 2."""

    @functools.wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except InputErrors as many:
            _print_errors(many.errors)
        except FairloadError as error:
            _print_errors([error])
        _exit(2)

    return run


def _print_errors(errors: Sequence[Exception]) -> None:
    for error in errors:
        click.echo(f"error: {error}", err=True)


@click.group(name="fairload", no_args_is_help=True)
@click.version_option(
    __version__, "--version", message="fairload %(version)s", help="Show the version."
)
def app() -> None:
    """Check teachers' working-time agreements: every finding cites its clause."""
    from fairload.core import diskcache

    # Each command is a new process: packs read and checked, and bank holidays, are kept
    # on disk for the next one (fairload.core.diskcache; FAIRLOAD_CACHE_DIR= turns it off).
    diskcache.use(diskcache.default_directory())
    # A command is short and its Python objects (documents, records) rarely form cycles:
    # the cyclic collector, run every 700 allocations while Polars, Rich and a school file
    # load, costs about 7 % of a check (issue 8). Back on when the command ends (a test
    # runner runs many in one process).
    if gc.isenabled():
        gc.disable()
        click.get_current_context().call_on_close(gc.enable)


@app.group("packs", no_args_is_help=True)
def packs_app() -> None:
    """Rule packs: list them, show one, run their tests."""


# Shared steps ---------------------------------------------------------------------------


def load_pack(pack: str) -> Pack:
    """A pack (the core caches it for as long as its files are unchanged)."""
    from fairload.core.packs import load_pack as load

    return load(pack)


def discover() -> dict[str, Path]:
    from fairload.core.packs import discover as found

    return found()


def _load_years(paths: Sequence[Path], events: Sequence[Path]) -> list[SchoolYear]:
    """Every school file read, their problems reported together."""
    if events and len(paths) > 1:
        raise InputError(
            "--events adds to one school's year, but several school files were given",
            hint="Check the schools one at a time when importing calendars.",
        )
    from fairload.io.school_file import load_school_year

    years, errors = [], []
    for path in paths:
        try:
            years.append(load_school_year(path, events))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    if errors:
        raise InputErrors(errors)
    return years


def _pack_for(pack: str | None, years: Sequence[SchoolYear]) -> Pack:
    if pack is not None:
        return load_pack(pack)
    named = sorted({year.school.pack for year in years})
    if len(named) > 1:
        raise InputError(
            "these schools name different packs: " + ", ".join(named),
            hint="Give --pack, or check the schools of each pack separately.",
        )
    return load_pack(named[0])


def _check(
    paths: Sequence[Path], pack: str | None, at: datetime | None, events: Sequence[Path]
) -> tuple[CheckResult, list[SchoolYear]]:
    from fairload.core.check import run_check
    from fairload.core.tables import tables_from_years

    years = _load_years(paths, events)
    chosen = _pack_for(pack, years)
    try:
        tables = tables_from_years(years)
    except ValueError as exc:  # the same school id in two files
        raise InputError(str(exc), hint="Each school file needs its own school id.") from None
    return run_check(chosen, tables, at.date() if at else None), years


def _on_terminal() -> bool:
    return sys.stdout.isatty()


def _stdout() -> Console:
    # Made per command, so it writes to whatever stdout is then (a pipe, a test runner).
    from fairload.io import report_format

    return report_format.console_for(sys.stdout)


def _write_record(path: Path, result: CheckResult, years: Sequence[SchoolYear]) -> None:
    from fairload.core.check import check_record
    from fairload.io import report_format
    from fairload.io.school_file import dump_school_year

    inputs = {year.school.id: dump_school_year(year) for year in years}
    record = check_record(result, inputs)
    try:
        path.write_text(report_format.to_json(record) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write the record: {exc.strerror}", Location(str(path))) from None


# Commands -------------------------------------------------------------------------------


@app.command()
@click.argument("schools", nargs=-1, required=True, type=_PATH)
@pack_option
@at_option
@format_option
@events_option
@click.option(
    "--record",
    type=_PATH,
    default=None,
    help="Also write a reproducible JSON record (pack, values, inputs).",
)
@reports_input_errors
def check(
    schools: Sequence[Path],
    pack: str | None,
    at: datetime | None,
    output: OutputFormat,
    events: Sequence[Path],
    record: Path | None,
) -> None:
    """Check school years against their pack. Exit 1 if there is a breach.

    SCHOOLS are school-year files (.yaml, .yml or .json).
    """
    from fairload.core import pack_files
    from fairload.io import check_replay

    # Run again on unchanged files and packs, a check prints what it printed and exits as
    # it did, without importing Polars or the core (fairload.io.check_replay). Plain text
    # (piped or saved) needs no Rich to replay; a terminal's console decides the layout.
    text_output = output is OutputFormat.TEXT
    console = _stdout() if text_output and _on_terminal() else None
    replay = None
    if record is None:
        settings = check_replay.text_settings(console) if text_output else []
        replay = check_replay.replay_for(schools, events, [pack, at, output, *settings])
        kept = check_replay.load(replay) if replay is not None else None
        if kept is not None:
            _write_output(kept[1], console, plain=text_output)
            _exit(kept[0])
    pack_files.RESOLVED.clear()  # from here, the packs this check reads
    from fairload.io import check_report, report_format

    result, years = _check(schools, pack, at, events)
    if record is not None:
        _write_record(record, result, years)
    if output is OutputFormat.JSON:
        text = report_format.to_json(check_report.check_json(result)) + "\n"
    elif output is OutputFormat.MARKDOWN:
        text = check_report.check_markdown(result)
    else:
        # Plain text (piped or saved) is laid out without Rich's console where it can be
        # (check_report.check_text); a terminal, or a line it cannot lay out, uses Rich.
        plain = check_report.check_text(result) if console is None else None
        if plain is None:
            console = console or _stdout()
            with console.capture() as captured:
                check_report.print_check(result, console)
            plain = captured.get()
        text = plain
    _write_output(text, console, plain=text_output)
    code = 1 if result.has_breach else 0
    if replay is not None:
        check_replay.keep(replay, code, text)
    _exit(code)


def _write_output(text: str, console: Console | None, *, plain: bool) -> None:
    """A command's output: as Rich wrote it to ``console``'s file, to plain text (Rich's
    text, trailing spaces trimmed, as ``report_format.console_for`` writes it when not on
    a terminal), or as it is (JSON, Markdown)."""
    if console is not None:
        console.file.write(text)
        console.file.flush()
    elif plain:
        from fairload.io.console import TrimmedLines

        trimmed = TrimmedLines(sys.stdout)
        trimmed.write(text)
        trimmed.flush()
    else:
        click.echo(text, nl=False)


@app.command()
@click.argument("school", type=_PATH)
@click.option("--teacher", default=None, help="A staff id: show that teacher's budget.")
@pack_option
@at_option
@format_option
@events_option
@reports_input_errors
def budget(
    school: Path,
    teacher: str | None,
    pack: str | None,
    at: datetime | None,
    output: OutputFormat,
    events: Sequence[Path],
) -> None:
    """The school's working-time budget (Appendix 1), or one teacher's.

    SCHOOL is a school-year file (.yaml, .yml or .json).
    """
    from fairload.io import budget_report, report_format

    result, (year,) = _check([school], pack, at, events)
    if result.pack.budget is None:
        raise InputError(f"pack '{result.pack.id}' declares no budget")
    if teacher is None:
        _print_school_budget(result, year.school.id, output)
        return
    try:
        member = year.staff_member(teacher)
    except KeyError:
        raise InputError(
            f"no teacher '{teacher}' at {year.school.id}",
            Location(str(school)),
            "Staff ids: " + ", ".join(s.id for s in year.staff) + ".",
        ) from None
    from fairload.core.check import teacher_budget_rows

    rows = teacher_budget_rows(result, year.school.id, member.id)
    if not rows and output is OutputFormat.TEXT:
        # The budget binds only some staff (England's directed time: not the leadership spine).
        click.echo(f"{result.pack.budget.title} does not bind {member.name} ({member.id}).")
        return
    if output is OutputFormat.JSON:
        click.echo(
            report_format.to_json(budget_report.budget_json(result, year.school.id, member, rows))
        )
    elif output is OutputFormat.MARKDOWN:
        click.echo(budget_report.teacher_markdown(member, rows), nl=False)
    else:
        _stdout().print(budget_report.teacher_table(member, rows))


def _print_school_budget(result: CheckResult, school_id: str, output: OutputFormat) -> None:
    from fairload.io import budget_report, report_format

    school_budget = result.school_budget(school_id)
    if output is OutputFormat.JSON:
        click.echo(report_format.to_json(budget_report.budget_json(result, school_id)))
    elif school_budget is None:
        return
    elif output is OutputFormat.MARKDOWN:
        click.echo("\n".join(budget_report.school_budget_markdown(school_budget)))
    else:
        _stdout().print(budget_report.budget_table(school_budget, result))


@app.command()
@click.argument("school", type=_PATH)
@click.argument("finding")
@pack_option
@at_option
@data_format_option
@events_option
@reports_input_errors
def explain(
    school: Path,
    finding: str,
    pack: str | None,
    at: datetime | None,
    output: DataFormat,
    events: Sequence[Path],
) -> None:
    """Show a finding's working: the clause, the figures and each parameter's date.

    SCHOOL is a school-year file; FINDING a finding id, a unique prefix of one, or a
    rule id.
    """
    from fairload.io import explain_report, report_format

    result, _ = _check([school], pack, at, events)
    chosen = result.finding(finding)
    if output is DataFormat.JSON:
        click.echo(report_format.to_json(explain_report.explanation_json(result, chosen)))
    else:
        explain_report.print_explanation(chosen, _stdout())


@app.command("term-dates")
@click.argument("calendar", type=_PATH)
@click.option("--school", type=_PATH, default=None, help="A school-year file: give it these dates.")
@click.option("--output", type=_PATH, default=None, help="Write the result here, not to stdout.")
@reports_input_errors
def term_dates(calendar: Path, school: Path | None, output: Path | None) -> None:
    """A school year's dates (terms, holidays, in-service days) from a council's calendar.

    CALENDAR is a council's term-dates .ics file.
    """
    from fairload.io import term_dates as reader

    dates = reader.read_term_dates(calendar)
    if school is None:
        text = reader.document_text({"year": dates.year_section()})
    else:
        document = reader.school_document_with_dates(school, dates)
        text = reader.document_text(document, (output or school).suffix)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise InputError(f"cannot write: {exc.strerror}", Location(str(output))) from None


# Packs ----------------------------------------------------------------------------------


@packs_app.command("list")
@data_format_option
@reports_input_errors
def packs_list(output: DataFormat) -> None:
    """Every pack found: bundled, and in the folders of FAIRLOAD_PACK_PATH."""
    from fairload.io import pack_report, report_format

    packs, errors = [], []
    for pack_id in sorted(discover()):
        try:
            packs.append(load_pack(pack_id))
        except InputErrors as many:
            errors.extend(many.errors)
        except InputError as one:
            errors.append(one)
    if output is DataFormat.JSON:
        click.echo(report_format.to_json([pack_report.pack_summary(p) for p in packs]))
    else:
        pack_report.print_packs(packs, _stdout())
    if errors:
        # The packs that load are still listed; the broken ones say why they are missing.
        raise InputErrors(errors)


@packs_app.command("show")
@click.argument("pack")
@data_format_option
@reports_input_errors
def packs_show(pack: str, output: DataFormat) -> None:
    """A pack's manifest, every dated parameter value with its clause, and its rules.

    PACK is a pack id or folder.
    """
    from fairload.io import pack_report, report_format

    loaded = load_pack(pack)
    if output is DataFormat.JSON:
        click.echo(report_format.to_json(pack_report.pack_json(loaded)))
    else:
        pack_report.print_pack(loaded, _stdout())


@packs_app.command("test")
@click.argument("pack", required=False, default=None)
@click.option("--verbose", "-v", is_flag=True, help="List passing cases too.")
@reports_input_errors
def packs_test(pack: str | None, verbose: bool) -> None:
    """Run packs' YAML test cases. Exit 1 if any case fails or a pack has no cases.

    PACK is a pack id or folder; without one, every pack is tested.
    """
    # Imported here so the other commands work while the runner is being written.
    try:
        from fairload.core.pack_tests import run_pack_tests
    except ImportError:
        raise FairloadError("pack tests cannot run: fairload.core.pack_tests is missing") from None
    chosen = [load_pack(pack)] if pack else [load_pack(p) for p in sorted(discover())]
    passed = failed = untested = 0
    for loaded in chosen:
        results = run_pack_tests(loaded)
        bad = [case for case in results if not case.passed]
        if not results:
            # A pack nothing verifies fails like a failing case (exit 1), not as bad input.
            click.echo(
                f"{loaded.id}: no test cases; add scenarios under {loaded.path / 'tests'} "
                "(see docs/packs.md#tests)"
            )
            untested += 1
            continue
        click.echo(f"{loaded.id}: {len(results) - len(bad)} passed, {len(bad)} failed")
        for case in results:
            if case.passed and not verbose:
                continue
            click.echo(f"  {'PASS' if case.passed else 'FAIL'}  {case.name}  ({_where(case)})")
            if not case.passed and case.detail:
                click.echo("        " + case.detail.replace("\n", "\n        "))
        passed, failed = passed + len(results) - len(bad), failed + len(bad)
    click.echo(f"{passed} passed, {failed} failed" + (f", {untested} untested" if untested else ""))
    _exit(1 if failed or untested else 0)


def _where(case: Any) -> str:  # a pack_tests.CaseResult, imported lazily above
    """``file:line``, relative to the working folder when the file is under it."""
    path = Path(case.file)
    with contextlib.suppress(ValueError):  # outside the working folder: keep it absolute
        path = path.resolve().relative_to(Path.cwd())
    return f"{path}:{case.line}" if case.line is not None else str(path)


def main(before_exit: Callable[[], object] | None = None) -> NoReturn:
    """The ``fairload`` program: run the command, then leave without tearing Python down.

    Each command is a new process: once its output is written and flushed, freeing the
    interpreter's objects one by one (Polars' among them) is a tenth of a second nobody
    needs (issue 8), so the program ends with ``os._exit`` and the exit code Click gave.
    ``app``, which a test runner calls in its own process, ends as Click ends; so does
    an error Click does not handle (a traceback), a message for Python to print, and a
    run under a profiler or a tracer (cProfile, coverage), which write on the way out.
    ``before_exit`` runs once the output is flushed, before ``os._exit`` (the program
    keeps what it compiled: ``fairload.program``).
    """
    try:
        app.main()
    except SystemExit as done:
        if done.code is not None and not isinstance(done.code, int):
            raise
        if sys.getprofile() is not None or sys.gettrace() is not None:
            raise
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        except (OSError, ValueError):  # a closed pipe: Python says so on the way out
            raise done from None
        if before_exit is not None:
            before_exit()
        os._exit(done.code or 0)
    raise AssertionError("Click's standalone main always exits")  # pragma: no cover


if __name__ == "__main__":
    # python -m fairload.cli (e.g. under -X importtime): run the module as the package
    # knows it, since `fairload plan` imports fairload.cli, which here is not this copy.
    __import__("fairload.cli", fromlist=["main"]).main()
else:
    app.add_command(__import__("fairload.cli_plan", fromlist=["plan"]).plan)  # fairload plan
