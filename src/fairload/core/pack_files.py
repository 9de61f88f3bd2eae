"""A pack's files: where packs are found, what their files hold (a fingerprint), and an
optional file an extending pack inherits (its own, else its parent's).

Finding and fingerprinting a pack need none of the pack reader (schemas, templates,
Polars): the command line's replay of an unchanged check (fairload.io.check_replay)
uses them to tell that the packs it read are where and what they were.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import fairload
from fairload.core.errors import PackError

if TYPE_CHECKING:
    from fairload.core.packs import Pack

T = TypeVar("T")

#: Extra folders holding packs, separated by the OS path separator (a council's own packs).
PACK_PATH_VARIABLE = "FAIRLOAD_PACK_PATH"

#: Files and a hash of their contents, of one pack folder.
Fingerprint = tuple[tuple[str, str], ...]

#: Every pack name resolved in this process, by (name, the extending pack's folder or
#: None): the folder it named. What a check read its packs through, to check again later.
RESOLVED: dict[tuple[str, str | None], Path] = {}


def pack_roots() -> list[Path]:
    """Where packs are found: the bundled ones, then any in FAIRLOAD_PACK_PATH."""
    # The package's own folder, as importlib.resources.files gives it for a package on
    # disk, without importing importlib.resources (a check replayed needs nothing more).
    bundled = Path(next(iter(fairload.__path__))) / "packs"
    extra = [Path(p) for p in os.environ.get(PACK_PATH_VARIABLE, "").split(os.pathsep) if p]
    return [bundled, *extra]


def discover() -> dict[str, Path]:
    """Every pack id found, mapped to its folder."""
    found: dict[str, Path] = {}
    for root in pack_roots():
        for manifest in sorted(root.glob("**/manifest.yaml")):
            folder = manifest.parent
            found.setdefault(folder.relative_to(root).as_posix(), folder)
    return found


def resolve(pack: str, relative_to: Path | None = None) -> Path:
    """A pack folder from an id, a folder path, or a path relative to an extending pack."""
    folder = _resolve(pack, relative_to)
    RESOLVED[(pack, None if relative_to is None else str(relative_to))] = folder
    return folder


def _resolve(pack: str, relative_to: Path | None) -> Path:
    candidate = Path(pack)
    if relative_to is not None and not candidate.is_absolute():
        beside = relative_to / candidate
        if (beside / "manifest.yaml").exists():
            return beside
    if (candidate / "manifest.yaml").exists():
        return candidate
    packs = discover()
    if pack in packs:
        return packs[pack]
    raise PackError(
        f"no pack '{pack}'",
        hint="Known packs: " + ", ".join(sorted(packs)) + ". A pack may also be a folder path.",
    )


def fingerprint(folder: Path) -> Fingerprint:
    """Each file under ``folder`` and a hash of its contents."""
    # Contents, not modification times: a file rewritten within the clock's tick still
    # counts as changed. Reading a pack's few small files costs far less than parsing them.
    return tuple(
        (path.relative_to(folder).as_posix(), hashlib.blake2b(path.read_bytes()).hexdigest())
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    )


def inherited_file(pack: Pack, name: str) -> Path | None:
    """The pack's own file ``name`` (dispute.yaml, audit.yaml), else the nearest one of
    the packs it extends, else None."""
    from fairload.core.packs import load_pack

    current: Pack | None = pack
    while current is not None:
        source = current.path / name
        if source.exists():
            return source
        current = load_pack(current.extends) if current.extends else None
    return None


#: What was read from a pack's inherited file, by (the pack's id(), the file's name):
#: the pack (held, so its id is not reused), the file's bytes, and what was read. The
#: pack loader hands back the same Pack until one of its files changes.
_READ: dict[tuple[int, str], tuple[Pack, bytes, Any]] = {}


def read_inherited(pack: Pack, name: str, reader: Callable[[Path, Pack], T]) -> T | None:
    """``reader(file, pack)`` over the pack's inherited file ``name``, read once per pack
    and file contents; None when neither the pack nor those it extends has one."""
    source = inherited_file(pack, name)
    if source is None:
        return None
    content = source.read_bytes()
    held = _READ.get((id(pack), name))
    if held is None or held[0] is not pack or held[1] != content:
        held = (pack, content, reader(source, pack))
        _READ[(id(pack), name)] = held
    result: T = held[2]
    return result
