"""The ``fairload`` program as a person runs it: a new process, which imports only what
its command needs (issue 8: importing is most of a check's time), runs with the cyclic
collector off from the start (``fairload.program``, the entry point) and, once its output
is flushed, leaves by ``os._exit`` with the exit code and output Click gave (``cli.main``).

The import graphs are read from ``python -X importtime``, not timed: a module that
appears here and should not is a fault whatever the machine's load.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from bench.cli import Runs, verdict_line
from cli_support import FIXTURE, Run

from fairload.core import diskcache

#: Stacks no command of the ``check`` path uses: the web app, the planner's solver, the
#: PDF and signing libraries, the iCalendar reader (``--events`` only) and jsonschema
#: (pure Python, only to word the errors of a document jsonschema-rs refuses).
NEVER_FOR_CHECK = (
    "django",
    "ortools",
    "weasyprint",
    "pyhanko",
    "reportlab",
    "icalendar",
    "jsonschema",
    "fairload.web",
    "fairload.core.planner",
)
#: What ``--help``, ``--version`` and a usage error never need besides the above.
HEAVY = ("polars", "rich", "yaml", "jsonschema_rs", "cryptography", "holidays")


def _imported(
    args: list[str], cache: str = ""
) -> tuple[subprocess.CompletedProcess[str], set[str]]:
    """Run ``python -X importtime`` on ``args``; the process and every module it imported."""
    env = {**os.environ, diskcache.CACHE_VARIABLE: cache}
    done = subprocess.run(
        [sys.executable, "-X", "importtime", *args],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    names = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:") and "|" in line
    }
    return done, names


def _within(names: set[str], stacks: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if any(n == s or n.startswith(s + ".") for s in stacks))


def test_the_command_line_module_imports_no_heavy_library() -> None:
    done, names = _imported(["-c", "import fairload.cli"])

    assert done.returncode == 0, done.stderr
    assert "fairload.cli" in names  # the graph was read
    assert _within(names, NEVER_FOR_CHECK + HEAVY) == []


@pytest.mark.parametrize(
    "cache", [pytest.param("", id="no cache"), pytest.param("primed", id="a primed cache")]
)
def test_a_check_imports_none_of_the_stacks_it_does_not_use(tmp_path: Path, cache: str) -> None:
    folder = str(tmp_path / "cache") if cache else ""
    args = ["-m", "fairload.cli", "check", str(FIXTURE)]
    if cache:
        _imported(args, folder)  # primes the packs and bank holidays
        school = tmp_path / "school.yaml"
        school.write_text(FIXTURE.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
        args[-1] = str(school)  # the edited case: checked, not replayed
    done, names = _imported(args, folder)

    assert done.returncode == 0, done.stderr
    assert "polars" in names  # it really checked
    assert _within(names, NEVER_FOR_CHECK) == []
    # Its plain text (piped) is laid out without Rich's console (io.plain_text).
    assert _within(names, ("rich.console", "rich.table", "rich.text")) == []
    if cache:  # the pack unpickled: its process's classes, not the record's or the ballot's
        assert "fairload.core.process_spec" in names
        assert "fairload.core.process" not in names
        assert "fairload.core.ballots" not in names  # a ballot gate's names: process_spec


def test_the_program_prints_and_exits_as_the_command_does(run: Run) -> None:
    in_process = run("check", FIXTURE, "--format", "json")
    env = {**os.environ, diskcache.CACHE_VARIABLE: ""}
    program = subprocess.run(
        [sys.executable, "-m", "fairload.cli", "check", str(FIXTURE), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert (program.returncode, program.stdout) == (in_process.exit_code, in_process.stdout)


@pytest.mark.parametrize(
    ("args", "code", "stream", "text"),
    [
        pytest.param(["--version"], 0, "stdout", "fairload ", id="the version"),
        pytest.param(["nosuch"], 2, "stderr", "No such command", id="a usage error"),
        pytest.param(["check", "missing.yaml"], 2, "stderr", "file not found", id="bad input"),
    ],
)
def test_the_program_keeps_clicks_exit_code_and_its_message(
    args: list[str], code: int, stream: str, text: str
) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fairload.cli", *args], capture_output=True, text=True, check=False
    )

    assert done.returncode == code
    assert text in getattr(done, stream)


def test_the_benchs_verdict_judges_the_edited_check_as_well_as_the_replay() -> None:
    fast, slow = Runs([0.2, 0.3, 0.25], [0.2] * 3, 1), Runs([0.9, 0.5, 0.8], [0.8] * 3, 1)

    assert "verdict: PASS" in verdict_line({"warm": fast, "edited": fast})
    assert "verdict: MISS (edited)" in verdict_line({"warm": fast, "edited": slow})


def test_under_a_profiler_the_program_leaves_the_normal_way(tmp_path: Path) -> None:
    # cProfile (and coverage) write what they gathered as Python shuts down, which
    # os._exit would skip.
    profile = tmp_path / "check.prof"
    done = subprocess.run(
        [sys.executable, "-m", "cProfile", "-o", str(profile), "-m", "fairload.cli", "--version"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    assert profile.stat().st_size > 0


def test_the_entry_point_turns_the_collector_off_before_importing_the_command_line() -> None:
    # A finder that notes, when fairload.cli is first looked for, whether the cyclic
    # collector is on; it finds nothing itself.
    program = (
        "import gc, sys\n"
        "class Note:\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name == 'fairload.cli':\n"
        "            sys.stderr.write(f'collector on: {gc.isenabled()}\\n')\n"
        "        return None\n"
        "sys.meta_path.insert(0, Note())\n"
        "sys.argv = ['fairload', '--version']\n"
        "from fairload import program\n"
        "program.main()\n"
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("fairload ")
    assert done.stderr.splitlines() == ["collector on: False"]


def test_the_installed_program_checks_as_the_command_does(run: Run) -> None:
    script = Path(sys.executable).with_name("fairload")
    if not script.exists():
        pytest.skip("no fairload script beside this Python (the package is not installed)")
    in_process = run("check", FIXTURE, "--format", "json")
    env = {**os.environ, diskcache.CACHE_VARIABLE: ""}
    program = subprocess.run(
        [str(script), "check", str(FIXTURE), "--format", "json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )

    assert (program.returncode, program.stdout) == (in_process.exit_code, in_process.stdout)


#: A process that makes a frozen dataclass through the program's kept code, checks it
#: behaves as a dataclass does, keeps the code and says how much it compiled and reused.
_MAKES_A_DATACLASS = """
import dataclasses
from fairload.program import DataclassCode
code = DataclassCode.installed()

@dataclasses.dataclass(frozen=True, slots=True)
class Point:
    x: int
    y: int = 2

point = Point(1)
assert point == Point(1, 2) and point != Point(2, 2) and hash(point) == hash(Point(1, 2))
assert repr(point) == "Point(x=1, y=2)" and dataclasses.replace(point, y=5) == Point(1, 5)
try:
    point.x = 3
except dataclasses.FrozenInstanceError:
    pass
else:
    raise AssertionError("a frozen dataclass took an attribute")
code.keep()
print(code.compiled, code.reused)
"""


def _dataclass_counts(cache: Path | str) -> tuple[int, int]:
    env = {**os.environ, diskcache.CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _MAKES_A_DATACLASS], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    compiled, reused = done.stdout.split()
    return int(compiled), int(reused)


def test_a_dataclass_compiled_once_is_made_from_the_kept_code_by_the_next_process(
    tmp_path: Path,
) -> None:
    first = _dataclass_counts(tmp_path)
    second = _dataclass_counts(tmp_path)

    # __init__, __repr__, __eq__, __hash__, __setattr__, __delattr__ (and more Python's own)
    assert first[0] >= 6 and first[1] == 0
    assert second == (0, first[0])


def test_kept_dataclass_code_that_is_corrupt_or_off_is_compiled_again(tmp_path: Path) -> None:
    compiled, _ = _dataclass_counts(tmp_path)
    (kept,) = tmp_path.glob("dataclass-code/*.bytes")
    kept.write_bytes(b"\x00 not marshal")

    assert _dataclass_counts(tmp_path) == (compiled, 0)
    assert _dataclass_counts("") == (compiled, 0)  # FAIRLOAD_CACHE_DIR= : no cache
    assert _dataclass_counts("") == (compiled, 0)


def test_the_program_checks_alike_with_its_dataclass_code_kept(tmp_path: Path, run: Run) -> None:
    in_process = run("check", FIXTURE)
    env = {**os.environ, diskcache.CACHE_VARIABLE: str(tmp_path / "cache")}
    school = tmp_path / "school.yaml"
    outputs = []
    for edit in range(2):  # the first run compiles and keeps, the second reuses
        school.write_text(FIXTURE.read_text(encoding="utf-8") + f"# {edit}\n", encoding="utf-8")
        done = subprocess.run(
            [sys.executable, "-c", "from fairload.program import main; main()", "check", school],
            capture_output=True,
            text=True,
            env=env,
            check=False,
        )
        outputs.append((done.returncode, done.stdout.replace(str(school), str(FIXTURE))))

    assert list((tmp_path / "cache").glob("dataclass-code/*.bytes"))
    assert outputs == [(in_process.exit_code, in_process.stdout)] * 2


#: A process that compiles patterns through the program's kept regular expressions and
#: prints what they are and find, then how many it compiled and reused.
_COMPILES_PATTERNS = r"""
import re
from fairload.program import RegexCode
code = RegexCode.installed()
text = "Term 1: 2025-08-13 to 2025-12-19; TERM 2: 2026-01-06.\nnext line, café"
for pattern, flags in [
    (r"(?P<year>\d{4})-(?P<month>\d\d)-(\d\d)", 0),
    (r"term \d", re.IGNORECASE),
    (r"^\w+ line", re.MULTILINE),
    (r"(?<=: )\d{4}  # a year after a colon", re.VERBOSE),
    (r"caf[^\x00-\x7f]", 0),
    (rb"\d+-\d+", 0),
]:
    compiled = re.compile(pattern, flags)
    sample = text.encode() if isinstance(pattern, bytes) else text
    found = [(m.span(), m.groups(), m.groupdict()) for m in compiled.finditer(sample)]
    print(compiled.flags, compiled.groups, dict(compiled.groupindex), found)
code.keep()
print(code.compiled, code.reused)
"""


def _pattern_run(cache: Path | str) -> tuple[list[str], int, int]:
    env = {**os.environ, diskcache.CACHE_VARIABLE: str(cache)}
    done = subprocess.run(
        [sys.executable, "-c", _COMPILES_PATTERNS], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    *found, counts = done.stdout.splitlines()
    compiled, reused = counts.split()
    return found, int(compiled), int(reused)


def test_a_pattern_compiled_once_is_made_from_the_kept_form_and_finds_the_same(
    tmp_path: Path,
) -> None:
    uncached, _, _ = _pattern_run("")
    first, compiled, reused = _pattern_run(tmp_path)
    second, compiled_again, reused_again = _pattern_run(tmp_path)

    assert first == second == uncached
    assert "[((8, 18), ('2025', '08', '13'), {'year': '2025', 'month': '08'})" in first[0]
    assert compiled >= 6 and reused == 0
    assert (compiled_again, reused_again) == (0, compiled)
