"""A pack's optional file that an extending pack inherits: its own, else its parent's."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from fairload.core.packs import Pack


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
