"""A check's output kept on disk, replayed while nothing it was made from has changed.

``fairload check FILE`` is a new process each time, and most of its time is Python
importing Polars and the core before a rule runs (issue 8). Run again on the same files,
it prints what it printed last time and exits with the same code, without importing
either, when every input is as it was:

- the school files and any ``--events`` files, byte for byte, and their paths as given;
- the options (``--pack``, ``--at``, ``--format``) and, for text, the console's settings
  (terminal or not, width, colours, encoding), which decide how Rich lays the text out;
- the packs: each pack name resolves to the same folder (the working folder and
  ``FAIRLOAD_PACK_PATH`` are part of the key, and each resolution is made again), and
  every file of those folders has the same contents (``pack_files.fingerprint``);
- the code: fairload's version, this Python, fairload's core, io and command line
  sources (size and time), and the installed Polars, Rich and ``holidays``.

Anything else is a miss, and the check runs as always and keeps its output again, in
place of what the same command kept before (one entry per command: files by path,
options, code). The output names staff, so it is sealed (``diskcache.store_sealed``)
under a secret derived from the school files' own contents: only someone holding them
can read it, an entry left by another version of the files or written by anyone else
does not open. ``--record`` always runs the check.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from fairload.core import diskcache, pack_files
from fairload.core.errors import PackError
from fairload.io.console import PLAIN_WIDTH

if TYPE_CHECKING:
    from rich.console import Console

KIND = "check-output"
#: The libraries whose release can change what a check finds or how it is printed.
_LIBRARIES = ("polars", "rich", "holidays")


@dataclass(frozen=True)
class Replay:
    """Where one command's output is kept (``key``) and what opens it (``secret``)."""

    key: str
    secret: bytes


def text_settings(console: Console | None) -> list[object]:
    """What, besides the text, decides the characters Rich writes: plain text's width
    where there is no terminal (``console`` None), else the terminal console's settings."""
    if console is None:
        return ["plain", PLAIN_WIDTH]
    return [
        console.is_terminal,
        console.is_dumb_terminal,
        console.width,
        console.color_system,
        console.no_color,
        console.legacy_windows,
        console.encoding,
    ]


def replay_for(
    schools: Sequence[Path],
    events: Sequence[Path],
    options: Sequence[object],
) -> Replay | None:
    """The key and secret of a check of these files with these options (and console
    settings), or None where the cache is off or a file cannot be read (the check says
    what is wrong with it)."""
    if diskcache.directory() is None:
        return None
    try:
        context = json.dumps(
            [
                [str(p) for p in schools],
                [str(p) for p in events],
                [str(o) for o in options],
                os.getcwd(),
                os.environ.get(pack_files.PACK_PATH_VARIABLE, ""),
                _code_stamp(),
            ]
        ).encode()
    except OSError:  # the working folder, or a source file, is gone: no replay
        return None
    # The key names the command (files by path, options, code): a check of an edited
    # file writes over the entry its last version left, so entries do not pile up and
    # the old contents are not kept. The secret also holds the files' contents: an entry
    # left by another version of a file does not open.
    secret = hashlib.blake2b(context, digest_size=32, person=b"fairload-seal")
    for path in [*schools, *events]:
        try:
            data = path.read_bytes()
        except OSError:
            return None
        secret.update(len(data).to_bytes(8, "big"))
        secret.update(data)
    key = hashlib.blake2b(context, digest_size=32, person=b"fairload-check").hexdigest()
    return Replay(key, secret.digest())


def load(replay: Replay) -> tuple[int, str] | None:
    """The exit code and output kept for ``replay``, if its packs are unchanged."""
    data = diskcache.load_sealed(KIND, replay.key, replay.secret)
    if data is None:
        return None
    try:
        entry = json.loads(data)
        code, text = int(entry["exit"]), str(entry["text"])
        resolved, sources = entry["resolved"], entry["sources"]
        for pack, relative_to, folder in resolved:
            beside = Path(relative_to) if relative_to is not None else None
            if str(pack_files.resolve(pack, beside)) != folder:
                return None
        for folder, fingerprint in sources:
            if [list(f) for f in pack_files.fingerprint(Path(folder))] != fingerprint:
                return None
    except (ValueError, KeyError, TypeError, OSError, PackError):
        return None
    return code, text


def keep(replay: Replay, code: int, text: str) -> None:
    """Keep a check's exit code and output, with what its packs were read from: every
    pack name resolved since ``pack_files.RESOLVED`` was cleared, and the fingerprints
    the pack reader read each folder under."""
    from fairload.core import packs

    sources: dict[str, Any] = {}
    for folder in pack_files.RESOLVED.values():
        loaded = packs.read_from(folder)
        if loaded is None:
            return  # not read through the pack reader's memory: nothing to check it by
        for source, fingerprint in loaded:
            sources[str(source)] = [list(f) for f in fingerprint]
    entry = {
        "exit": code,
        "text": text,
        "resolved": [[p, r, str(f)] for (p, r), f in pack_files.RESOLVED.items()],
        "sources": [[folder, fingerprint] for folder, fingerprint in sources.items()],
    }
    diskcache.store_sealed(KIND, replay.key, replay.secret, json.dumps(entry).encode())


@cache
def _code_stamp() -> str:
    """fairload's io and command line sources (the core is in every key already), and
    the installed libraries whose release can change the output."""
    package = Path(__file__).resolve().parent.parent
    stamp = hashlib.blake2b()
    for path in [package / "cli.py", *sorted((package / "io").rglob("*.py"))]:
        status = path.stat()
        stamp.update(f"{path.relative_to(package)} {status.st_size} {status.st_mtime_ns}".encode())
    for library in _LIBRARIES:
        # Where an import would find it, without importlib.util (a tenth of the replay).
        for folder in sys.path:
            origin = Path(folder or ".", library, "__init__.py")
            if origin.is_file():
                status = origin.stat()
                stamp.update(f"{origin} {status.st_size} {status.st_mtime_ns}".encode())
                break
    stamp.update(sys.version.encode())
    return stamp.hexdigest()
