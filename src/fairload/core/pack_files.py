"""A pack's optional file that an extending pack inherits: its own, else its parent's."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from fairload.core.packs import Pack

T = TypeVar("T")


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
