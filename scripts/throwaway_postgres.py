"""Run a command against a throwaway PostgreSQL server.

Usage:
    python scripts/throwaway_postgres.py -- COMMAND [ARGS...]

What it does, in order:

1. Finds the server programs ``initdb``, ``pg_ctl`` and ``postgres``: first on PATH,
   then in ``/usr/lib/postgresql/*/bin`` (Debian's layout; newest version first).
   If they are not there, it prints one line saying the PostgreSQL run is skipped
   and exits 0 *without* running COMMAND, so ``make test`` stays green (and says
   why) on a machine without PostgreSQL.
2. Makes a private temporary directory and runs ``initdb`` in it (UTF8, no locale,
   trust authentication, superuser ``postgres``).
3. Creates the database ``fairload_test`` in single-user mode (needs only the
   ``postgres`` program, not ``psql``/``createdb``).
4. Starts the server with ``pg_ctl -w start``. It listens ONLY on a Unix socket
   in the temporary directory: ``listen_addresses`` is empty, so no TCP port is
   opened on any address. Durability is switched off (fsync, synchronous_commit,
   full_page_writes) because the data is thrown away. The server log goes to
   ``server.log`` in the temporary directory; if the start fails, its tail is
   printed and the exit code is 2.
5. Runs COMMAND with these set in its environment (every other ``PG*`` variable
   is removed, so nothing inherited can point libpq elsewhere)::

       DATABASE_URL=postgres://postgres@/fairload_test?host=/tmp/throwaway_postgres-XXXX&port=5432
       PGHOST=/tmp/throwaway_postgres-XXXX  PGPORT=5432  PGUSER=postgres  PGDATABASE=fairload_test

   The socket directory is in the query string, not percent-encoded in the host
   part, because dj-database-url lower-cases the host part (it reads
   ``urlsplit().hostname``), which would break a path with capitals in it. Both
   psycopg 3 (libpq) and dj-database-url read ``?host=`` (Django gets it via
   OPTIONS, which its PostgreSQL backend passes to psycopg).
6. Exits with COMMAND's exit code (128+N if COMMAND was killed by signal N, 127
   if it could not be started) and ALWAYS stops the server and deletes the
   temporary directory: on success, failure, Ctrl-C, SIGTERM or SIGHUP.

Running as root (as CI does): ``initdb`` and ``postgres`` refuse to run as root,
so the server programs are run as an unprivileged user instead, through
``subprocess``'s own ``user=``/``group=``/``extra_groups=`` (the stdlib's
equivalent of ``runuser``/``setpriv``). The user is $THROWAWAY_POSTGRES_USER if
set, else ``postgres`` if it exists, else ``nobody``, else a system user
``fairload-postgres`` made with ``useradd --system``. The temporary directory is
owned by that user. COMMAND itself still runs as the caller (root can use the
socket whoever owns it).

Environment knobs (mostly for tests):
    THROWAWAY_POSTGRES_FALLBACK_GLOB  where to look when PATH has no server
        programs; default ``/usr/lib/postgresql/*/bin``; empty disables it.
    THROWAWAY_POSTGRES_USER  the user to run the server as when running as root.

Standard library only; Python 3.11; POSIX only.
"""

from __future__ import annotations

import contextlib
import glob
import os
import pwd
import re
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from types import FrameType
from typing import Any

PROG = "throwaway_postgres"
PROGRAMS = ("initdb", "pg_ctl", "postgres")
DEFAULT_FALLBACK_GLOB = "/usr/lib/postgresql/*/bin"
DB_NAME = "fairload_test"
DB_SUPERUSER = "postgres"
# The port only names the socket file (.s.PGSQL.5432) in our private directory;
# no TCP port is opened, so it cannot clash with another server.
PORT = 5432
SKIP_LINE = (
    f"{PROG}: PostgreSQL server programs not found (initdb, pg_ctl, postgres); "
    "the PostgreSQL run is skipped"
)
# A Unix socket path must fit in sun_path (108 bytes on Linux, 104 on macOS).
MAX_SOCKET_PATH = 100
FALLBACK_SERVER_USERS = ("postgres", "nobody")
CREATED_SERVER_USER = "fairload-postgres"
# The server's settings, appended to postgresql.conf (later lines win).
SERVER_SETTINGS = {
    "listen_addresses": "",  # no TCP at all: Unix socket only
    "port": str(PORT),
    "fsync": "off",  # throwaway data: durability is wasted time
    "synchronous_commit": "off",
    "full_page_writes": "off",
    "max_connections": "100",
}


class Interrupted(Exception):
    """Raised by our signal handler before COMMAND has been started."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


class StartError(Exception):
    """The server could not be set up; the message says why."""


def say(message: str) -> None:
    print(f"{PROG}: {message}", file=sys.stderr, flush=True)


# --------------------------------------------------------------------------- #
# Finding the server programs
# --------------------------------------------------------------------------- #


def _version_key(directory: str) -> tuple[int, ...]:
    """Sort key for /usr/lib/postgresql/15/bin-like paths: the version numbers."""
    return tuple(int(n) for n in re.findall(r"\d+", directory))


def find_server_programs(
    path: str | None = None, fallback_glob: str | None = None
) -> dict[str, str] | None:
    """Absolute paths of initdb, pg_ctl and postgres, or None if any is missing.

    PATH wins if all three are on it; otherwise the newest fallback directory that
    has all three. Programs are never mixed between fallback directories.
    """
    if path is None:
        path = os.environ.get("PATH", os.defpath)
    if fallback_glob is None:
        fallback_glob = os.environ.get("THROWAWAY_POSTGRES_FALLBACK_GLOB", DEFAULT_FALLBACK_GLOB)

    on_path = {name: shutil.which(name, path=path) for name in PROGRAMS}
    if all(on_path.values()):
        return {name: os.path.abspath(p) for name, p in on_path.items() if p}

    if fallback_glob:
        for directory in sorted(glob.glob(fallback_glob), key=_version_key, reverse=True):
            found = {name: shutil.which(name, path=directory) for name in PROGRAMS}
            if all(found.values()):
                return {name: os.path.abspath(p) for name, p in found.items() if p}
    return None


# --------------------------------------------------------------------------- #
# Who runs the server
# --------------------------------------------------------------------------- #


@dataclass(frozen=True)
class ServerUser:
    """The OS user that runs initdb/postgres; uid None means 'ourselves'."""

    name: str
    uid: int | None = None
    gid: int | None = None

    def popen_kwargs(self) -> dict[str, Any]:
        """Extra subprocess arguments that drop root to this user."""
        if self.uid is None:
            return {}
        # extra_groups=[] clears root's supplementary groups (setgroups([])).
        return {"user": self.uid, "group": self.gid, "extra_groups": []}


def pick_server_user() -> ServerUser:
    """Ourselves if not root; otherwise an unprivileged user (created if need be)."""
    if os.geteuid() != 0:
        return ServerUser(name=pwd.getpwuid(os.geteuid()).pw_name)

    wanted = os.environ.get("THROWAWAY_POSTGRES_USER")
    candidates = (wanted,) if wanted else (*FALLBACK_SERVER_USERS, CREATED_SERVER_USER)
    for name in candidates:
        try:
            entry = pwd.getpwnam(name)
        except KeyError:
            continue
        if entry.pw_uid != 0:
            return ServerUser(name=name, uid=entry.pw_uid, gid=entry.pw_gid)
    if wanted:
        raise StartError(f"THROWAWAY_POSTGRES_USER={wanted!r} is not an existing non-root user")

    # Nothing suitable exists (a very bare container): make a system user.
    useradd = shutil.which("useradd")
    if useradd is None:
        raise StartError("running as root, and no postgres/nobody user nor useradd to make one")
    say(f"running as root: creating system user {CREATED_SERVER_USER!r} to run the server")
    subprocess.run(
        [
            useradd,
            "--system",
            "--no-create-home",
            "--user-group",
            "--shell",
            "/usr/sbin/nologin",
            CREATED_SERVER_USER,
        ],
        check=True,
        stdin=subprocess.DEVNULL,
    )
    entry = pwd.getpwnam(CREATED_SERVER_USER)
    return ServerUser(name=CREATED_SERVER_USER, uid=entry.pw_uid, gid=entry.pw_gid)


def _others_can_reach(directory: str) -> bool:
    """True if every directory from / down to `directory` is searchable by others."""
    path = Path(directory).resolve()
    return all(os.stat(p).st_mode & stat.S_IXOTH for p in (path, *path.parents))


def make_temp_dir(user: ServerUser) -> Path:
    """A private directory for data, socket and log, owned by the server user."""
    base = tempfile.gettempdir()
    socket_file = os.path.join(base, f"{PROG}-XXXXXXXX", f".s.PGSQL.{PORT}")
    # Fall back to /tmp if $TMPDIR is too deep for a socket path, or (as root) if
    # the unprivileged server user could not reach into it (e.g. TMPDIR=/root/tmp).
    if len(socket_file) > MAX_SOCKET_PATH or (user.uid is not None and not _others_can_reach(base)):
        base = "/tmp"
    temp_dir = Path(tempfile.mkdtemp(prefix=f"{PROG}-", dir=base))  # mode 0700
    if user.uid is not None:
        os.chown(temp_dir, user.uid, user.gid if user.gid is not None else -1)
    return temp_dir


# --------------------------------------------------------------------------- #
# The server's life
# --------------------------------------------------------------------------- #


def server_env() -> dict[str, str]:
    """Environment for the server programs: no PG* variables, C locale."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env["LC_ALL"] = "C"
    return env


def conf_quote(value: str) -> str:
    """A postgresql.conf string literal."""
    return "'" + value.replace("\\", "\\\\").replace("'", "''") + "'"


class Server:
    def __init__(self, programs: dict[str, str], user: ServerUser, temp_dir: Path) -> None:
        self.programs = programs
        self.user = user
        self.temp_dir = temp_dir
        self.data_dir = temp_dir / "data"
        self.log_file = temp_dir / "server.log"
        self.env = server_env()

    def _run(
        self, args: Sequence[str], *, input: str | None = None, timeout: float = 60
    ) -> subprocess.CompletedProcess[str]:
        """Run a server program as the server user, in the temp dir, capturing output."""
        return subprocess.run(
            args,
            input=input,
            stdin=None if input is not None else subprocess.DEVNULL,
            capture_output=True,
            text=True,
            env=self.env,
            cwd=self.temp_dir,  # a cwd the server user can enter (not e.g. /root)
            timeout=timeout,
            check=False,
            **self.user.popen_kwargs(),
        )

    def _check(self, what: str, result: subprocess.CompletedProcess[str]) -> None:
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise StartError(f"{what} failed (exit {result.returncode}):\n{output}")

    def init(self) -> None:
        result = self._run(
            [
                self.programs["initdb"],
                "--pgdata",
                str(self.data_dir),
                "--username",
                DB_SUPERUSER,
                "--auth=trust",
                "--encoding=UTF8",
                "--no-locale",
                "--no-sync",  # throwaway: skip initdb's final fsync
            ]
        )
        self._check("initdb", result)
        # Settings go in the config file rather than `pg_ctl -o "..."`, which pg_ctl
        # hands to /bin/sh and so would need shell quoting of the socket path.
        settings = {**SERVER_SETTINGS, "unix_socket_directories": str(self.temp_dir)}
        lines = "".join(f"{k} = {conf_quote(v)}\n" for k, v in settings.items())
        with open(self.data_dir / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write(f"\n# {PROG}: throwaway settings\n{lines}")

    def create_database(self) -> None:
        # Single-user mode needs only the `postgres` program. exit_on_error turns
        # an ERROR into a FATAL, so a failed CREATE DATABASE gives a nonzero exit.
        result = self._run(
            [
                self.programs["postgres"],
                "--single",
                "-D",
                str(self.data_dir),
                "-c",
                "exit_on_error=on",
                "postgres",
            ],
            input=f'CREATE DATABASE "{DB_NAME}";\n',
        )
        self._check(f"CREATE DATABASE {DB_NAME}", result)

    def start(self) -> None:
        result = self._run(
            [
                self.programs["pg_ctl"],
                "start",
                "--wait",
                "--timeout=30",
                "--pgdata",
                str(self.data_dir),
                "--log",
                str(self.log_file),
            ]
        )
        if result.returncode != 0:
            output = (result.stdout + result.stderr).strip()
            raise StartError(f"pg_ctl start failed (exit {result.returncode}):\n{output}")

    def postmaster_pid(self) -> int | None:
        try:
            first_line = (self.data_dir / "postmaster.pid").read_text().split("\n", 1)[0]
            pid = int(first_line)
        except (OSError, ValueError):
            return None
        return pid if pid > 0 else None

    def stop(self) -> None:
        """Stop the server if it is (or may be) running. Never raises."""
        if self.postmaster_pid() is None:
            return  # never started, or already gone
        try:
            result = self._run(
                [
                    self.programs["pg_ctl"],
                    "stop",
                    "--wait",
                    "--timeout=30",
                    "--mode=immediate",  # no shutdown checkpoint: the data is thrown away
                    "--pgdata",
                    str(self.data_dir),
                ],
                timeout=40,
            )
            if result.returncode == 0:
                return
            say(f"pg_ctl stop failed: {(result.stdout + result.stderr).strip()}")
        except (OSError, subprocess.SubprocessError) as exc:
            say(f"pg_ctl stop failed: {exc}")
        # Last resort: kill the postmaster named in its own pid file.
        pid = self.postmaster_pid()
        if pid is not None:
            say(f"killing postmaster {pid}")
            with contextlib.suppress(OSError):  # already gone
                os.kill(pid, signal.SIGKILL)

    def log_tail(self, lines: int = 30) -> str:
        try:
            text = self.log_file.read_text(errors="replace")
        except OSError:
            return "(no server log)"
        return "\n".join(text.splitlines()[-lines:]) or "(server log is empty)"

    def version(self) -> str:
        try:
            result = self._run([self.programs["postgres"], "--version"], timeout=10)
        except (OSError, subprocess.SubprocessError):
            return "PostgreSQL"
        # "postgres (PostgreSQL) 15.18 (Debian ...)" -> "PostgreSQL 15.18 (Debian ...)"
        version = result.stdout.strip().removeprefix("postgres (PostgreSQL) ")
        return f"PostgreSQL {version}" if version else "PostgreSQL"


def database_url(socket_dir: Path) -> str:
    """The DATABASE_URL for our server: Unix socket directory in the query string."""
    query = urllib.parse.urlencode({"host": str(socket_dir), "port": PORT}, safe="/")
    return f"postgres://{DB_SUPERUSER}@/{DB_NAME}?{query}"


def command_env(socket_dir: Path) -> dict[str, str]:
    """COMMAND's environment: ours, less any PG* variable, plus our server's."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    env.update(
        DATABASE_URL=database_url(socket_dir),
        PGHOST=str(socket_dir),
        PGPORT=str(PORT),
        PGUSER=DB_SUPERUSER,
        PGDATABASE=DB_NAME,
    )
    return env


# --------------------------------------------------------------------------- #
# Running COMMAND with signals handled
# --------------------------------------------------------------------------- #

HANDLED_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def run_command(command: Sequence[str], env: dict[str, str]) -> int:
    """Run COMMAND to the end and return its exit code, shell-style.

    Once COMMAND runs, SIGTERM and SIGHUP sent to us are passed on to it and we
    wait for it to finish (so our caller's `finally` still cleans up). SIGINT is
    not passed on: Ctrl-C in a terminal already reaches COMMAND, which is in our
    process group; we just wait for it.
    """
    child: subprocess.Popen[bytes] | None = None
    pending: list[int] = []  # signals that came while COMMAND was being started

    def forward(signum: int, frame: FrameType | None) -> None:
        if signum == signal.SIGINT:
            return
        if child is None:
            pending.append(signum)
            return
        with contextlib.suppress(OSError):  # already gone
            child.send_signal(signum)

    # Handlers go in before Popen, so no signal can slip between starting COMMAND
    # and being ready to pass signals on (which would leave COMMAND unwaited for).
    for sig in HANDLED_SIGNALS:
        signal.signal(sig, forward)
    try:
        child = subprocess.Popen(command, env=env)
    except OSError as exc:
        say(f"cannot run {command[0]!r}: {exc}")
        return 127
    for signum in pending:
        child.send_signal(signum)
    returncode = child.wait()
    return 128 - returncode if returncode < 0 else returncode


def main(argv: Sequence[str]) -> int:
    args = list(argv)
    if args[:1] in (["-h"], ["--help"]):
        print(__doc__)
        return 0
    if args[:1] == ["--"]:
        args = args[1:]
    if not args:
        print(f"usage: python {sys.argv[0]} -- COMMAND [ARGS...]", file=sys.stderr)
        return 2

    programs = find_server_programs()
    if programs is None:
        print(SKIP_LINE, flush=True)
        return 0

    # Until COMMAND starts, SIGTERM/SIGHUP abort the set-up (like Ctrl-C does),
    # and the `finally` below tears down whatever was made.
    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise Interrupted(signum)

    signal.signal(signal.SIGTERM, interrupt)
    signal.signal(signal.SIGHUP, interrupt)

    server: Server | None = None
    temp_dir: Path | None = None
    try:
        user = pick_server_user()
        temp_dir = make_temp_dir(user)
        server = Server(programs, user, temp_dir)
        started_at = time.monotonic()
        as_user = f" as user {user.name!r}" if user.uid is not None else ""
        say(f"starting {server.version()} in {temp_dir}{as_user}")
        server.init()
        server.create_database()
        try:
            server.start()
        except StartError as exc:
            say(str(exc))
            say(f"server log ({server.log_file}), last lines:\n{server.log_tail()}")
            return 2
        say(
            f"ready in {time.monotonic() - started_at:.1f} s; DATABASE_URL={database_url(temp_dir)}"
        )
        return run_command(args, command_env(temp_dir))
    except StartError as exc:
        say(str(exc))
        return 2
    except (OSError, subprocess.SubprocessError) as exc:  # e.g. a timeout, useradd failing
        say(f"could not set up the server: {exc}")
        return 2
    except (KeyboardInterrupt, Interrupted) as exc:
        signum = exc.signum if isinstance(exc, Interrupted) else signal.SIGINT
        say(f"interrupted by {signal.Signals(signum).name}")
        return 128 + signum
    finally:
        # Tear down with further signals ignored, so a second Ctrl-C/SIGTERM cannot
        # leave a server running or the directory behind.
        for sig in HANDLED_SIGNALS:
            signal.signal(sig, signal.SIG_IGN)
        if server is not None:
            server.stop()
        if temp_dir is not None:
            shutil.rmtree(temp_dir, ignore_errors=True)
            if temp_dir.exists():
                say(f"could not remove {temp_dir}")


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
