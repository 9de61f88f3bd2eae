"""What the core makes from a pack alone (no school's data), kept between checks."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from operator import is_
from typing import Any, TypeVar, cast

T = TypeVar("T")

#: The objects each value was made from (held, so their ids stay theirs) and the value.
#: Cleared when full.
_KEPT: dict[tuple[Hashable, ...], tuple[tuple[object, ...], Any]] = {}
_KEPT_MOST = 4096


def kept(anchors: tuple[object, ...], key: Hashable, build: Callable[[], T]) -> T:
    """``build()``, made once for these objects (by identity) and ``key``: for one school
    building a rule's expressions cost as much as running them, and most of them depend
    on the pack and the date only."""
    full = (*map(id, anchors), key)
    hit = _KEPT.get(full)
    # (map, not a generator: this runs a few hundred times a check)
    if hit is not None and all(map(is_, hit[0], anchors)):
        return cast(T, hit[1])
    value = build()
    if len(_KEPT) >= _KEPT_MOST:
        _KEPT.clear()
    _KEPT[full] = (anchors, value)
    return value
