"""A check run again on unchanged files prints what it printed and exits as it did, without
running the check (fairload.io.check_replay); a change to the school file, an events
file, an option or a pack's file is checked again. The kept output is sealed under the
school file's contents: it names staff.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cli_support import FIXTURE, Run, WriteSchool, cache_fixture, pack_fixture  # noqa: F401 (fixtures used by name)

from fairload import cli
from fairload.core import check, diskcache
from fairload.io import check_replay


@pytest.fixture
def checks(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """Each time the check really ran (not replayed)."""
    ran: list[object] = []
    real = check.run_check

    def counting(*args: Any, **kwargs: Any) -> check.CheckResult:
        ran.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(check, "run_check", counting)
    return ran


def _overload(document: Any) -> None:
    next(s for s in document["staff"] if s["id"] == "t1")["contact_periods_per_week"] = 30


def _same(first: Any, second: Any) -> None:
    assert (second.exit_code, second.stdout, second.stderr) == (
        first.exit_code,
        first.stdout,
        first.stderr,
    )


@pytest.mark.parametrize("output", ["text", "json", "markdown"])
def test_an_unchanged_check_is_replayed_with_the_same_output_and_exit_code(
    run: Run,
    cache: Path,
    checks: list[object],
    write_school: WriteSchool,
    school_document: Any,
    output: str,
) -> None:
    _overload(school_document)  # over the class contact maximum: exit 1
    school = write_school(school_document)
    first = run("check", school, "--format", output)
    assert first.exit_code == 1
    second = run("check", school, "--format", output)

    _same(first, second)
    assert len(checks) == 1  # the second was replayed
    assert list((cache / check_replay.KIND).glob("*.sealed"))


def test_a_terminal_check_is_replayed_as_rich_wrote_it_and_another_width_checks_again(
    run: Run,
    cache: Path,
    checks: list[object],
    write_school: WriteSchool,
    school_document: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from rich.console import Console

    width = [90]
    monkeypatch.setattr(cli, "_on_terminal", lambda: True)
    monkeypatch.setattr(
        cli,
        "_stdout",
        lambda: Console(
            file=sys.stdout, force_terminal=True, color_system="truecolor", width=width[0]
        ),
    )
    _overload(school_document)
    school = write_school(school_document)
    first = run("check", school)
    assert "\x1b[" in first.stdout  # coloured, as on a terminal
    second = run("check", school)
    _same(first, second)
    assert len(checks) == 1

    width[0] = 120
    wider = run("check", school)
    assert len(checks) == 2
    assert wider.exit_code == first.exit_code


def test_an_edited_school_file_is_checked_again(
    run: Run, cache: Path, checks: list[object], write_school: WriteSchool, school_document: Any
) -> None:
    school = write_school(school_document)
    before = run("check", school)
    _overload(school_document)
    write_school(school_document)
    after = run("check", school)

    assert len(checks) == 2
    assert (before.exit_code, after.exit_code) == (0, 1)
    assert after.stdout != before.stdout
    # The edited file's output took the place of the first: one entry per command.
    assert len(list((cache / check_replay.KIND).glob("*.sealed"))) == 1


def test_an_edited_pack_file_is_checked_again(
    run: Run, cache: Path, checks: list[object], pack: Path
) -> None:
    before = run("check", FIXTURE, "--pack", pack)
    parameters = pack / "parameters.yaml"
    text = parameters.read_text(encoding="utf-8")
    parameters.write_text(text.replace("{2014-08-01: 1365}", "{2014-08-01: 1371}"), "utf-8")
    after = run("check", FIXTURE, "--pack", pack)

    assert len(checks) == 2
    assert (before.exit_code, after.exit_code) == (0, 1)
    assert "not the 1371 hours of the working year" in after.stdout


def test_a_new_file_in_the_pack_folder_is_checked_again(
    run: Run, cache: Path, checks: list[object], pack: Path
) -> None:
    first = run("check", FIXTURE, "--pack", pack)
    (pack / "notes.txt").write_text("a file the pack did not have", encoding="utf-8")
    second = run("check", FIXTURE, "--pack", pack)

    assert len(checks) == 2
    _same(first, second)


def test_another_option_or_events_file_is_checked_again(
    run: Run, cache: Path, checks: list[object], tmp_path: Path
) -> None:
    run("check", FIXTURE)
    run("check", FIXTURE, "--at", "2025-09-01")
    run("check", FIXTURE, "--format", "json")
    assert len(checks) == 3

    calendar = tmp_path / "empty.ics"
    calendar.write_text(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\nEND:VCALENDAR\r\n", "utf-8"
    )
    run("check", FIXTURE, "--events", calendar)
    run("check", FIXTURE, "--events", calendar)
    assert len(checks) == 4
    calendar.write_text(calendar.read_text("utf-8").replace("test", "tested"), "utf-8")
    run("check", FIXTURE, "--events", calendar)
    assert len(checks) == 5


def test_a_record_is_always_written_from_a_check_that_runs(
    run: Run, cache: Path, checks: list[object], tmp_path: Path
) -> None:
    run("check", FIXTURE)
    record = tmp_path / "record.json"
    result = run("check", FIXTURE, "--record", record)

    assert result.exit_code == 0
    assert record.exists()
    assert len(checks) == 2


def test_bad_input_is_never_kept(run: Run, cache: Path, tmp_path: Path) -> None:
    school = tmp_path / "school.yaml"
    school.write_text("school: [unclosed\n", encoding="utf-8")
    assert run("check", school).exit_code == 2
    assert run("check", school).exit_code == 2
    assert not (cache / check_replay.KIND).exists()


def test_the_kept_output_is_sealed_under_the_school_files_contents(
    run: Run, cache: Path, checks: list[object], write_school: WriteSchool, school_document: Any
) -> None:
    _overload(school_document)
    name = next(s for s in school_document["staff"] if s["id"] == "t1")["name"]
    school = write_school(school_document)
    first = run("check", school, "--format", "json")
    assert name in first.stdout
    (entry,) = (cache / check_replay.KIND).glob("*.sealed")
    assert name.encode() not in entry.read_bytes()

    # The same key opened with another secret (another file's contents) finds nothing.
    diskcache.use(cache)
    replay = check_replay.replay_for([school], [], [None, None, "json"])
    assert replay is not None
    assert diskcache.load_sealed(check_replay.KIND, replay.key, replay.secret) is not None
    assert diskcache.load_sealed(check_replay.KIND, replay.key, bytes(32)) is None


def test_an_altered_entry_is_a_miss_and_the_check_runs(
    run: Run, cache: Path, checks: list[object]
) -> None:
    first = run("check", FIXTURE)
    (entry,) = (cache / check_replay.KIND).glob("*.sealed")
    data = bytearray(entry.read_bytes())
    data[-1] ^= 1
    entry.write_bytes(bytes(data))
    second = run("check", FIXTURE)

    assert len(checks) == 2
    _same(first, second)


def _fresh_process(
    args: list[str], cache: Path, code: str = ""
) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, diskcache.CACHE_VARIABLE: str(cache)}
    program = (
        "import sys\nfrom fairload.cli import app\n"
        "try:\n    app(sys.argv[1:])\nexcept SystemExit as done:\n    status = done.code\n"
        + code
        + "sys.exit(status)\n"
    )
    return subprocess.run(
        [sys.executable, "-c", program, *args], capture_output=True, text=True, env=env
    )


def test_a_replayed_check_in_a_new_process_imports_neither_polars_nor_rich(
    cache: Path, tmp_path: Path
) -> None:
    args = ["check", str(FIXTURE)]
    first = _fresh_process(args, cache)
    imported = "print(sorted(m for m in ('polars', 'rich') if m in sys.modules), file=sys.stderr)\n"
    second = _fresh_process(args, cache, imported)

    assert (second.returncode, second.stdout) == (first.returncode, first.stdout)
    assert second.stderr.strip() == "[]"
