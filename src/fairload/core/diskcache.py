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

A sealed entry (``load_sealed``/``store_sealed``) is bytes encrypted and authenticated
(AES-GCM) under a secret the caller derives from what it was made from: the command
line keeps a check's output so, sealed under the school file's own contents, because it
names staff. Without the file the entry cannot be read, and one altered or written by
anyone without it is a miss.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
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


def _path(kind: str, key: str, suffix: str = ".pickle") -> Path | None:
    if _directory is None:
        return None
    name = hashlib.blake2b(f"{_code_stamp()} {key}".encode(), digest_size=20).hexdigest()
    return _directory / kind / f"{name}{suffix}"


def _read_own(path: Path) -> bytes | None:
    """The file's bytes if this user wrote it, else None (missing, unreadable, foreign)."""
    try:
        with path.open("rb") as file:
            if hasattr(os, "getuid") and os.fstat(file.fileno()).st_uid != os.getuid():
                return None
            return file.read()
    except OSError:
        return None


def _write_aside(path: Path, data: bytes) -> None:
    """Write ``data`` beside ``path`` and rename it there: a process reading meanwhile
    sees the old entry or the new one, never half of one."""
    import tempfile  # only when writing: most commands find what they need

    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(temporary)


def load(kind: str, key: str) -> Any | None:
    """The entry stored under ``key``, or None if there is none that can be read."""
    path = _path(kind, key)
    # Unpickling runs code: read only what this user wrote, as the user's own cache
    # folder holds (a shared FAIRLOAD_CACHE_DIR is not trusted).
    data = _read_own(path) if path is not None else None
    if data is None:
        return None
    import pickle  # only for a pickled entry: a replayed check reads none

    try:
        entry = pickle.loads(data)
    except Exception:  # corrupt, or pickled by other code: a miss
        return None
    if not isinstance(entry, tuple) or len(entry) != 2 or entry[0] != key:
        return None
    return entry[1]


def store(kind: str, key: str, value: Any) -> None:
    """Keep ``value`` under ``key``; a cache that cannot be written is no cache, not an error."""
    path = _path(kind, key)
    if path is None:
        return
    import pickle

    with contextlib.suppress(OSError, pickle.PicklingError, TypeError, AttributeError):
        _write_aside(path, pickle.dumps((key, value), protocol=pickle.HIGHEST_PROTOCOL))


def load_bytes(kind: str, key: str) -> bytes | None:
    """The bytes kept under ``key`` by this user, or None (no entry, or not theirs)."""
    path = _path(kind, key, ".bytes")
    return _read_own(path) if path is not None else None


def store_bytes(kind: str, key: str, data: bytes) -> None:
    """Keep ``data`` under ``key``, as it is; a cache that cannot be written is no error."""
    path = _path(kind, key, ".bytes")
    if path is None:
        return
    with contextlib.suppress(OSError):
        _write_aside(path, data)


_NONCE_BYTES = 12


def load_sealed(kind: str, key: str, secret: bytes) -> bytes | None:
    """The bytes sealed under ``key`` with ``secret`` (32 bytes), or None: no entry, or
    one this secret does not open (altered, or sealed with another)."""
    path = _path(kind, key, ".sealed")
    data = _read_own(path) if path is not None else None
    if data is None or len(data) <= _NONCE_BYTES:
        return None
    from cryptography.exceptions import InvalidTag

    try:
        opened: bytes = _aes_gcm()(secret).decrypt(
            data[:_NONCE_BYTES], data[_NONCE_BYTES:], key.encode()
        )
    except (InvalidTag, ValueError):
        return None
    return opened


def store_sealed(kind: str, key: str, secret: bytes, data: bytes) -> None:
    """Keep ``data`` under ``key``, encrypted and authenticated with ``secret``."""
    path = _path(kind, key, ".sealed")
    if path is None:
        return
    nonce = os.urandom(_NONCE_BYTES)
    sealed = nonce + _aes_gcm()(secret).encrypt(nonce, data, key.encode())
    with contextlib.suppress(OSError):
        _write_aside(path, sealed)


def _aes_gcm() -> Any:
    """cryptography's ``AESGCM``: the class its ``ciphers.aead`` module names, taken from
    the compiled bindings that define it, without importing the ``ciphers`` package
    (every cipher and mode, a third of importing cryptography: issue 8); the module's own
    name where the bindings are laid out otherwise. The same class either way."""
    try:
        from cryptography.hazmat.bindings._rust import openssl

        return openssl.aead.AESGCM
    except (ImportError, AttributeError):
        from cryptography.hazmat.primitives.ciphers.aead import AESGCM

        return AESGCM
