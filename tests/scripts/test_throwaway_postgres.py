"""scripts/throwaway_postgres.py, for real: it starts a PostgreSQL server, runs a
command against it, and always cleans up.

Tests that need the server programs (initdb, pg_ctl, postgres) skip, saying so,
where the machine has none; the 'not found' path is tested everywhere.
"""

from __future__ import annotations

import importlib.util
import os
import re
import signal
import subprocess
import sys
import tempfile
import textwrap
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "throwaway_postgres.py"
TIMEOUT = 60  # per run; each normally takes 1-3 s


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("throwaway_postgres", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


tp = _load_script()
SERVER_PROGRAMS = tp.find_server_programs()
needs_server = pytest.mark.skipif(
    SERVER_PROGRAMS is None,
    reason="PostgreSQL server programs (initdb, pg_ctl, postgres) not found on PATH "
    "or in /usr/lib/postgresql/*/bin",
)


def run_script(
    *command: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(SCRIPT), "--", *command],
        capture_output=True,
        text=True,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=TIMEOUT,
        check=False,
    )


def python_child(code: str) -> list[str]:
    """A command that runs `code` in this interpreter (so it has psycopg)."""
    return [sys.executable, "-c", textwrap.dedent(code)]


def announced_temp_dir(stderr: str) -> Path:
    """The temp dir from the script's 'starting PostgreSQL ... in DIR' line."""
    match = re.search(r"^throwaway_postgres: starting .* in (/\S+)", stderr, re.MULTILINE)
    assert match, stderr
    return Path(match.group(1))


def process_is_gone(pid: int) -> bool:
    """True if pid no longer runs (a zombie waiting for init to reap it counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        pass  # exists, but not ours to signal (running as a normal user)
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return True
    return stat.rsplit(")", 1)[1].split()[0] == "Z"


# A child that reports where its server is: the socket dir (from DATABASE_URL)
# and the postmaster's pid (from data/postmaster.pid next to the socket).
REPORT_SERVER = """
    import os, urllib.parse
    url = urllib.parse.urlsplit(os.environ["DATABASE_URL"])
    socket_dir = urllib.parse.parse_qs(url.query)["host"][0]
    assert os.path.isdir(socket_dir), socket_dir
    pid = open(os.path.join(socket_dir, "data", "postmaster.pid")).readline().strip()
    print("SOCKET_DIR", socket_dir)
    print("POSTMASTER_PID", pid, flush=True)
"""


def reported(stdout: str, key: str) -> str:
    match = re.search(rf"^{key} (.+)$", stdout, re.MULTILINE)
    assert match, stdout
    return match.group(1)


# --------------------------------------------------------------------------- #
# With a real server
# --------------------------------------------------------------------------- #


@needs_server
def test_command_connects_with_database_url_and_sees_postgres_15() -> None:
    pytest.importorskip("psycopg")
    result = run_script(
        *python_child(
            """
            import os, psycopg
            with psycopg.connect(os.environ["DATABASE_URL"]) as conn:
                version, database = conn.execute(
                    "SELECT version(), current_database()"
                ).fetchone()
            print(version)
            print("DATABASE", database)
            """
        )
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("PostgreSQL 15."), result.stdout
    assert reported(result.stdout, "DATABASE") == "fairload_test"


@needs_server
def test_command_exit_code_is_propagated() -> None:
    result = run_script(*python_child("import sys; sys.exit(7)"))
    assert result.returncode == 7, result.stderr


@needs_server
def test_server_is_stopped_and_temp_dir_removed_afterwards() -> None:
    result = run_script(*python_child(REPORT_SERVER))
    assert result.returncode == 0, result.stderr
    socket_dir = Path(reported(result.stdout, "SOCKET_DIR"))
    assert socket_dir == announced_temp_dir(result.stderr)
    assert not socket_dir.exists()
    assert process_is_gone(int(reported(result.stdout, "POSTMASTER_PID")))


@needs_server
def test_sigterm_stops_command_and_server_and_removes_temp_dir() -> None:
    child = python_child(textwrap.dedent(REPORT_SERVER) + "import time\ntime.sleep(30)\n")
    with subprocess.Popen(
        [sys.executable, str(SCRIPT), "--", *child],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        stdin=subprocess.DEVNULL,
        text=True,
    ) as proc:
        assert proc.stdout is not None
        # Read what the command reports: it is running, so the server is up.
        first, second = proc.stdout.readline(), proc.stdout.readline()
        socket_dir = Path(reported(first, "SOCKET_DIR"))
        pid = int(reported(second, "POSTMASTER_PID"))
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=TIMEOUT)
    # The command was sent SIGTERM too and died of it: 128 + 15.
    assert proc.returncode == 128 + signal.SIGTERM, stderr
    assert not socket_dir.exists()
    assert process_is_gone(pid)


@pytest.fixture
def failing_pg_ctl_dir() -> Iterator[Path]:
    """A bin dir with the real initdb and postgres, and a pg_ctl whose start fails.

    Made with tempfile (mode 0755), not tmp_path: when the tests run as root the
    server programs run as an unprivileged user, who must be able to reach it.
    """
    assert SERVER_PROGRAMS is not None
    with tempfile.TemporaryDirectory(prefix="fake-pg-") as base:
        bin_dir = Path(base) / "15" / "bin"
        bin_dir.mkdir(parents=True)
        for path in (Path(base), bin_dir.parent, bin_dir):
            path.chmod(0o755)
        for name in ("initdb", "postgres"):
            (bin_dir / name).symlink_to(SERVER_PROGRAMS[name])
        pg_ctl = bin_dir / "pg_ctl"
        pg_ctl.write_text(
            textwrap.dedent(
                """\
                #!/bin/sh
                # Fails to start, writing to the --log file as the server would.
                log=/dev/null
                while [ $# -gt 0 ]; do
                    if [ "$1" = --log ]; then log=$2; shift; fi
                    shift
                done
                echo "FATAL:  simulated start failure" >> "$log"
                echo "pg_ctl: could not start server" >&2
                exit 1
                """
            )
        )
        pg_ctl.chmod(0o755)
        yield Path(base)


@needs_server
def test_start_failure_prints_log_tail_exits_2_and_cleans_up(
    failing_pg_ctl_dir: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "command-ran"
    env = {
        **os.environ,
        "PATH": str(tmp_path),  # nothing there: the fallback below is used
        "THROWAWAY_POSTGRES_FALLBACK_GLOB": str(failing_pg_ctl_dir / "*" / "bin"),
    }
    result = run_script(*python_child(f"open({str(marker)!r}, 'w')"), env=env)
    assert result.returncode == 2, result.stderr
    assert "pg_ctl start failed" in result.stderr
    assert "FATAL:  simulated start failure" in result.stderr  # the log's tail
    assert not marker.exists()
    assert not announced_temp_dir(result.stderr).exists()


# --------------------------------------------------------------------------- #
# Without a server
# --------------------------------------------------------------------------- #


def test_without_server_programs_it_skips_and_does_not_run_the_command(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "command-ran"
    env = {
        **os.environ,
        "PATH": str(tmp_path),  # no initdb/pg_ctl/postgres on PATH...
        "THROWAWAY_POSTGRES_FALLBACK_GLOB": str(tmp_path / "*" / "bin"),  # ...nor here
    }
    result = run_script(*python_child(f"open({str(marker)!r}, 'w')"), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == (
        "throwaway_postgres: PostgreSQL server programs not found "
        "(initdb, pg_ctl, postgres); the PostgreSQL run is skipped"
    )
    assert not marker.exists()


def test_without_a_command_it_prints_usage_and_exits_2() -> None:
    result = subprocess.run(
        [sys.executable, str(SCRIPT)], capture_output=True, text=True, timeout=TIMEOUT
    )
    assert result.returncode == 2
    assert "usage:" in result.stderr


def _fake_bin(directory: Path, names: tuple[str, ...] = ("initdb", "pg_ctl", "postgres")) -> Path:
    directory.mkdir(parents=True)
    for name in names:
        program = directory / name
        program.write_text("#!/bin/sh\nexit 0\n")
        program.chmod(0o755)
    return directory


def test_fallback_picks_newest_complete_version_directory(tmp_path: Path) -> None:
    _fake_bin(tmp_path / "9.6" / "bin")
    newest = _fake_bin(tmp_path / "15" / "bin")  # numerically newest, lexically not
    _fake_bin(tmp_path / "16" / "bin", names=("initdb", "pg_ctl"))  # incomplete
    found = tp.find_server_programs(
        path=str(tmp_path / "empty"), fallback_glob=str(tmp_path / "*" / "bin")
    )
    assert found == {name: str(newest / name) for name in ("initdb", "pg_ctl", "postgres")}


def test_path_wins_over_fallback(tmp_path: Path) -> None:
    on_path = _fake_bin(tmp_path / "on-path")
    _fake_bin(tmp_path / "lib" / "15" / "bin")
    found = tp.find_server_programs(
        path=str(on_path), fallback_glob=str(tmp_path / "lib" / "*" / "bin")
    )
    assert found is not None and found["initdb"] == str(on_path / "initdb")


def test_database_url_keeps_the_socket_dir_exactly_for_dj_database_url() -> None:
    dj_database_url = pytest.importorskip("dj_database_url")
    socket_dir = Path("/tmp/Throwaway Postgres-AbC")  # capitals and a space survive
    config = dj_database_url.parse(tp.database_url(socket_dir))
    assert config["ENGINE"] == "django.db.backends.postgresql"
    assert config["NAME"] == "fairload_test"
    assert config["USER"] == "postgres"
    assert config["OPTIONS"] == {"host": str(socket_dir), "port": 5432}
