"""A cache on disk for what a new process would otherwise rebuild each time it starts.

The command line is a new process for every check, and reading a pack (YAML, schemas,
expressions) or a year's bank holidays (the ``holidays`` package imports every country
it knows) costs more than the check itself (issue 8). Entries are pickles under the
user's cache folder: ``$FAIRLOAD_CACHE_DIR``, else ``$XDG_CACHE_HOME/fairload``, else
``~/.cache/fairload``; ``FAIRLOAD_CACHE_DIR=`` (empty) turns the cache off.

The cache is off until a shell turns it on (``use``): the command line does, while the
web app keeps its packs in its long-running processes. An entry is found by a key that
names everything it was made from: fairload's version, this Python, the files of
``fairload.core`` (so an edited checkout never reads an entry an older loader wrote),
and whatever the caller adds (the pack's files, by content hash). A missing, unreadable,
corrupt or foreign entry is a miss, never an error: the caller rebuilds and rewrites it.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import pickle
import sys
from functools import cache
from pathlib import Path
from typing import Any

from fairload import __version__

CACHE_VARIABLE = "FAIRLOAD_CACHE_DIR"

_directory: Path | None = None


def default_directory() -> Path | None:
    """Where the command line keeps its cache, or None where it is turned off."""
    chosen = os.environ.get(CACHE_VARIABLE)
    if chosen is not None:
        return Path(chosen) if chosen else None
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "fairload"


def use(directory: Path | None) -> None:
    """Keep entries in ``directory`` from now on (None: keep none)."""
    global _directory
    _directory = directory


def directory() -> Path | None:
    return _directory


@cache
def _code_stamp() -> str:
    """fairload's version, this Python, and the size and time of each core source file."""
    core = Path(__file__).parent
    stamp = hashlib.blake2b(f"{__version__} {sys.version}".encode())
    for path in sorted(core.rglob("*.py")):
        status = path.stat()
        stamp.update(f"{path.relative_to(core)} {status.st_size} {status.st_mtime_ns}".encode())
    return stamp.hexdigest()


def _path(kind: str, key: str) -> Path | None:
    if _directory is None:
        return None
    name = hashlib.blake2b(f"{_code_stamp()} {key}".encode(), digest_size=20).hexdigest()
    return _directory / kind / f"{name}.pickle"


def load(kind: str, key: str) -> Any | None:
    """The entry stored under ``key``, or None if there is none that can be read."""
    path = _path(kind, key)
    if path is None:
        return None
    try:
        with path.open("rb") as file:
            # Unpickling runs code: read only what this user wrote, as the user's own
            # cache folder holds (a shared FAIRLOAD_CACHE_DIR is not trusted).
            if hasattr(os, "getuid") and os.fstat(file.fileno()).st_uid != os.getuid():
                return None
            entry = pickle.load(file)
    except Exception:  # missing, unreadable, corrupt, or pickled by other code: a miss
        return None
    if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != key:
        return None
    return entry[1]


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``key``; a cache that cannot be written is no cache, not an error."""
    path = _path(kind, key)
    if path is None:
        return
    import tempfile  # only when writing: most commands find what they need

    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        # Written aside and renamed: a process reading meanwhile sees the old entry or
        # the new one, never half of one.
        handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                pickle.dump((key, value), file, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(temporary)
