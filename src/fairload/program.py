"""The ``fairload`` program's entry point (``[project.scripts]``): the command line of
:mod:`fairload.cli`, with Python's cyclic garbage collector off from the start and the
code of every dataclass compiled once, not once a process.

A command is one short process whose objects (modules, documents, records) rarely form
cycles, and the collector, run every 700 allocations, costs a few per cent of a check
while Click, Polars, Rich and the core are imported (issue 8). ``fairload.cli`` turns
it off for a command too, but only once Click and the command line are imported; here
it is off before either. A test runner imports ``fairload.cli`` itself, not this.

Making a dataclass writes the source of its ``__init__``, ``__repr__``, ``__eq__``,
``__hash__`` (and a frozen one's ``__setattr__`` and ``__delattr__``) and compiles each
with ``exec``: about a millisecond and a half a class on this Python, and a check
makes some ninety (the core's school year, pack, findings and budgets; Polars' and
Rich's), a seventh of its time (issue 8). Python keeps the compiled code of a module
(``.pyc``) but not of these, so :class:`DataclassCode` keeps it in the cache on disk
(``fairload.core.diskcache``, as the packs are kept): each source text, by its hash,
with its code object (``marshal``, this Python's own format, the key naming this
Python). ``exec`` of that code object does what ``exec`` of the text did, for the text
is all it was compiled from (no inherited ``from __future__`` flags, as ``exec`` of a
text from ``dataclasses`` has none). A missing or corrupt entry is compiled again.
"""

from __future__ import annotations

import gc
from typing import TYPE_CHECKING, Any, NoReturn

if TYPE_CHECKING:
    from types import CodeType


def main() -> NoReturn:
    gc.disable()
    code = DataclassCode.installed()
    from fairload.cli import main as run

    run(before_exit=code.keep)


class DataclassCode:
    """The compiled code of dataclasses' generated methods, kept from one process to the
    next under the cache on disk; ``exec`` in ``dataclasses`` reads it (``installed``)."""

    KIND = "dataclass-code"

    def __init__(self, known: dict[bytes, bytes]) -> None:
        #: marshalled code objects by the hash of the text they were compiled from
        self.known = known
        self.compiled = 0
        self.reused = 0

    @classmethod
    def installed(cls) -> DataclassCode:
        """The kept code read (none where the cache is off), and ``dataclasses`` made to
        run it rather than compile its text again."""
        import dataclasses
        import marshal

        from fairload.core import diskcache

        diskcache.use(diskcache.default_directory())
        data = diskcache.load_bytes(cls.KIND, cls._key())
        known: Any = None
        if data:
            try:
                known = marshal.loads(data)
            except (EOFError, ValueError, TypeError):
                known = None
        code = cls(known if isinstance(known, dict) else {})
        # ``dataclasses`` calls exec by its global name: this module attribute is the one
        # it finds, ahead of the builtin.
        dataclasses.exec = code.exec  # type: ignore[attr-defined]
        return code

    @staticmethod
    def _key() -> str:
        import sys

        return f"{sys.version} {sys.implementation.cache_tag} optimize={sys.flags.optimize}"

    def exec(self, source: Any, globals: Any = None, locals: Any = None) -> None:
        """``exec(source, globals, locals)``, with the code kept for ``source``'s text."""
        if isinstance(source, str):
            source = self._code(source)
        exec(source, globals, locals)  # what dataclasses asked for

    def _code(self, text: str) -> CodeType:
        import hashlib
        import marshal
        from types import CodeType

        name = hashlib.blake2b(text.encode(), digest_size=16).digest()
        kept = self.known.get(name)
        if kept is not None:
            try:
                code = marshal.loads(kept)
            except (EOFError, ValueError, TypeError):
                code = None
            if isinstance(code, CodeType):
                self.reused += 1
                return code
        code = compile(text, "<string>", "exec", dont_inherit=True)
        self.known[name] = marshal.dumps(code)
        self.compiled += 1
        return code

    def keep(self) -> None:
        """Write the kept code back if this process compiled any of its own."""
        if not self.compiled:
            return
        import marshal

        from fairload.core import diskcache

        diskcache.store_bytes(self.KIND, self._key(), marshal.dumps(self.known))
