"""``fairload check FILE`` end to end, as a person runs it: a new process each time, to exit.

``python -m bench.cli`` times it alone (``make bench`` times it as part (a) of
bench/run.py). Each run is a new process; the figures are its wall time and the CPU it
used (user + system, which a busy shared machine inflates far less than wall time).

- **warm**: the same files checked again, the cache on disk (fairload.core.diskcache, in
  a folder of the bench's own, primed by one untimed run) holding the check's sealed
  output, which is replayed (fairload.io.check_replay);
- **edited**: the school file changed before each run (a comment line added to a copy),
  so the check runs, with the pack read and checked and the bank holidays from the
  cache: the case of a person editing their school file and checking it;
- **cold**: an empty cache folder every run, as on the first check after an install or a
  pack edit (with none of the code the ``fairload`` program keeps there either: its
  dataclasses' and regular expressions' compiled forms, ``fairload.program``).

Warm and edited are both judged against the target (median wall time <= 0.6 s, issue 8):
the verdict passes only if both do. Cold is reported, not judged.

The machine's load (``os.getloadavg``, over one minute) is printed before and after: on a
shared machine wall time is CPU time times the queue for a core.

fairload's own modules are compiled to bytecode first (``compileall``), as ``pip
install`` does: where PYTHONDONTWRITEBYTECODE is set (some shells and sandboxes set it)
an editable checkout would otherwise compile every module on every run, about a tenth
of a second no installed fairload pays.
"""

from __future__ import annotations

import argparse
import compileall
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCHOOL_FILE = ROOT / "examples" / "south-ayrshire-secondary.yaml"
CLI_TARGET_S = 0.6


@dataclass(frozen=True)
class Runs:
    wall: list[float]
    cpu: list[float]
    exit_code: int

    def meets_target(self) -> bool:
        return statistics.median(self.wall) <= CLI_TARGET_S

    def verdict(self) -> str:
        return f"target <= {CLI_TARGET_S} s: {'PASS' if self.meets_target() else 'MISS'}"

    def line(self, label: str) -> str:
        return (
            f"      {label:6s} median {statistics.median(self.wall):5.2f} s wall "
            f"(fastest {min(self.wall):.2f} s), "
            f"CPU median {statistics.median(self.cpu):.2f} s (least {min(self.cpu):.2f} s)"
        )


def command_for(path: Path) -> list[str]:
    program = shutil.which("fairload", path=str(Path(sys.executable).parent)) or "fairload"
    return [program, "check", str(path.relative_to(ROOT))]


def compile_fairload() -> None:
    import fairload

    compileall.compile_dir(Path(fairload.__file__).parent, quiet=1)


def _timed(command: list[str], env: dict[str, str]) -> tuple[float, float, int]:
    before = os.times()
    start = time.perf_counter()
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True)
    wall = time.perf_counter() - start
    after = os.times()
    cpu = (after.children_user - before.children_user) + (
        after.children_system - before.children_system
    )
    return wall, cpu, done.returncode


def time_cli(path: Path, runs: int, *, cold: bool = False, edited: bool = False) -> Runs:
    """``runs`` timed runs, each with an empty cache (cold), a primed one and the school
    file changed (edited), or a primed one and the same files (warm: replayed)."""
    walls, cpus, code = [], [], 0
    with (
        tempfile.TemporaryDirectory(prefix="fairload-bench-cache-") as folder,
        tempfile.TemporaryDirectory(prefix="fairload-bench-school-") as copies,
    ):
        env = {**os.environ, "FAIRLOAD_CACHE_DIR": folder}
        school = Path(copies) / path.name
        text = path.read_text(encoding="utf-8")
        school.write_text(text, encoding="utf-8")
        command = command_for(path)
        if edited:
            command = [*command[:2], str(school)]
        _timed(command, env)  # the file system cache, and a warm run's entries
        for run in range(runs):
            if cold:
                shutil.rmtree(folder, ignore_errors=True)
            if edited:
                school.write_text(f"{text}# edited for run {run}\n", encoding="utf-8")
            wall, cpu, code = _timed(command, env)
            walls.append(wall)
            cpus.append(cpu)
    return Runs(walls, cpus, code)


def _load() -> str:
    return f"{os.getloadavg()[0]:.1f}" if hasattr(os, "getloadavg") else "?"


def bench_cli(path: Path, runs: int) -> None:
    compile_fairload()
    load_before = _load()
    warm = time_cli(path, runs)
    edited = time_cli(path, runs, edited=True)
    cold = time_cli(path, max(1, runs // 2), cold=True)
    shown = " ".join(["fairload", *command_for(path)[1:]])
    print(
        f"    `{shown}` (exit {warm.exit_code}), a new process each run, "
        f"load {load_before} before, {_load()} after, {os.cpu_count()} cores:"
    )
    print(warm.line("warm") + f"   [{warm.verdict()}] (replayed)")
    print(edited.line("edited") + f"   [{edited.verdict()}] (the school file changed: checked)")
    print(cold.line("cold") + f"   ({len(cold.wall)} runs, an empty cache each)")
    print(verdict_line({"warm": warm, "edited": edited}))


def verdict_line(judged: dict[str, Runs]) -> str:
    """PASS only if every judged case's median wall time meets the target."""
    missed = [label for label, runs in judged.items() if not runs.meets_target()]
    verdict = f"MISS ({', '.join(missed)})" if missed else "PASS"
    return f"      verdict: {verdict} ({' and '.join(judged)}, median wall <= {CLI_TARGET_S} s)"


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="fairload check, end to end")
    parser.add_argument(
        "--runs", type=int, default=10, help="timed warm and edited runs (cold: half)"
    )
    parser.add_argument("school", nargs="?", type=Path, default=SCHOOL_FILE)
    args = parser.parse_args(argv)
    bench_cli(args.school.resolve(), args.runs)


if __name__ == "__main__":
    main()
