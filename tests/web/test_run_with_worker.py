"""`make run`'s command starts the development server and the worker together, and one
Ctrl-C (SIGINT to the terminal's process group) stops both. It starts four Python processes
(the server, its autoreloader's child, the worker and its own), so it takes a minute on a
busy machine; the waits are generous so that it never fails for being slow."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = [
    pytest.mark.slow,
    # `make test` runs tests/web twice, the second time on PostgreSQL; this one runs its
    # own SQLite server whatever the suite's database, so once is enough.
    pytest.mark.skipif(
        "DATABASE_URL" in os.environ, reason="runs its own SQLite server: once, on SQLite"
    ),
]

MANAGE = [sys.executable, "-m", "fairload.web.manage"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _group_alive(pgid: int) -> bool:
    """Whether any process of the group is left (the worker and its autoreloader's child)."""
    try:
        os.killpg(pgid, 0)
    except ProcessLookupError:
        return False
    return True


def _wait_for(condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return False


def _answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:
            return bool(response.status == 200)
    except OSError:
        return False


def test_the_server_and_the_worker_start_together_and_one_ctrl_c_stops_both(tmp_path: Path):
    env = {
        **{
            k: v
            for k, v in os.environ.items()
            if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
        },
        "FAIRLOAD_ENV": "development",
        "FAIRLOAD_DATA_DIR": str(tmp_path),
        "PYTHONUNBUFFERED": "1",
    }
    subprocess.run([*MANAGE, "migrate", "--noinput", "-v", "0"], env=env, check=True)
    port = _free_port()
    log = tmp_path / "out.log"
    with log.open("wb") as out:
        # its own process group, as a terminal gives a foreground job
        server = subprocess.Popen(
            [*MANAGE, "run_with_worker", f"127.0.0.1:{port}"],
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        assert _wait_for(lambda: _answers(f"http://127.0.0.1:{port}/healthz"), 180), log.read_text()
        match = re.search(r"The worker is running \(process (\d+)\)", log.read_text())
        assert match, log.read_text()
        worker = int(match.group(1))  # it leads a process group of its own
        assert _group_alive(worker)
        assert _wait_for(lambda: "Starting worker" in log.read_text(), 120), log.read_text()

        os.killpg(server.pid, signal.SIGINT)  # Ctrl-C

        server.wait(timeout=30)  # raises if the server is still running
        assert _wait_for(lambda: not _group_alive(worker), 15), "the worker outlived the server"
        assert not _answers(f"http://127.0.0.1:{port}/healthz")
        assert "Stopped the worker (exit 0)" in log.read_text()
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
            server.wait()
