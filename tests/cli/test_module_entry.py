"""``python -m fairload.cli`` (how -X importtime profiles the command) runs the same command
as the ``fairload`` entry point, with every sub-command registered."""

from __future__ import annotations

import subprocess
import sys


def test_python_dash_m_fairload_cli_lists_every_command_the_entry_point_does() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "fairload.cli", "--help"],
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 0, done.stderr
    for command in ("check", "plan"):
        assert command in done.stdout
