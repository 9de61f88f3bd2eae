"""What each application process keeps in memory between requests: the latest checks of
the school years it served, and what it rendered from them.

Every key holds the year's revision, which any change bumps (services.year_touch), so an
entry is never stale on any server; entries are kept as objects, not pickled, because a
check holds its tables and unpickling them costs more than the page.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import Any, Generic, TypeVar

from django.conf import settings

T = TypeVar("T")


class Memo(Generic[T]):
    """A least-recently-used store of FAIRLOAD_CHECK_CACHE_SIZE entries, safe for threads."""

    def __init__(self) -> None:
        self._entries: OrderedDict[Hashable, T] = OrderedDict()
        self._lock = threading.Lock()
        _ALL.append(self)

    def get_or_make(self, key: Hashable, make: Callable[[], T]) -> T:
        with self._lock:
            self._trim()  # a size made smaller (a test's settings undone) holds at once
            if key in self._entries:
                self._entries.move_to_end(key)
                return self._entries[key]
        value = make()  # outside the lock: two threads may both make it, and that is fine
        with self._lock:
            self._entries[key] = value
            self._trim()
        return value

    def _trim(self) -> None:
        while len(self._entries) > settings.FAIRLOAD_CHECK_CACHE_SIZE:
            self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


#: Every memo made, so a test that keeps entries (a size above the test settings' 0) can
#: empty them all: a rolled-back test's year may come back with the same key.
_ALL: list[Memo[Any]] = []


def clear_all() -> None:
    for memo in _ALL:
        memo.clear()
